/**
 * `vwap.session-band`: the last close against the session VWAP, in units of the session's
 * volume-weighted price dispersion (the "VWAP bands" of intraday desks), faded: a close far out in
 * the session's band leans back toward the session's average cost.
 *
 * The session VWAP is the benchmark execution desks are measured against (Berkowitz, Logue & Noser
 * 1988); bands of ±1–2 σ around it mark how far price has moved from the session's value. Follow or
 * fade: it is read both ways (above the VWAP "buyers in control"; at the outer bands "stretched").
 * On the shared month of AVAX, DOT, LINK, LTC and NEAR minute bars, followed, its 5-minute rank IC
 * was −0.048 (1m), −0.050 (5m), −0.022 (1h) and its 1-hour IC negative too (in sample): these
 * perpetuals reverted toward it. So it fades (a judgment that out-of-sample evaluation must confirm).
 *
 * - session = the block of S = vwapSessionMinutes[tf] minutes (60, 240, 1 440: hour, four hours,
 *   UTC day) aligned to 00:00 UTC that holds the last complete minute; its VWAP V and
 *   volume-weighted σ of the minutes' VWAPs around V (src/domain/cards/vwap/session.ts)
 * - x = −(C − V) / σ, C = the last close; score = tanh(z(x)), center 0, prior σ 1.35 (1m),
 *   1.25 (5m), 1.25 (1h): the RMS of x on the shared month, rounded
 * - confidence = min(1, traded minutes of the session / 30); value = ln(C / V) in bps
 * - unavailable "warming up: k of m minutes of bars" until the bars reach back to the session's
 *   start, and while the session holds fewer than 5 minutes (no dispersion yet); a session without
 *   volume or whose price never moved is a measured 0 with confidence 0
 */
import { directional, support, unavailable, type CardDefinition } from "../card.js";
import { MIN_REGRESSION_MINUTES, REGRESSION_FULL_MINUTES, warmingUp } from "../bar-window.js";
import { lastClose } from "../mean-reversion/span.js";
import { barSums, sessionStart, spanSigma, spanTraded, spanVwap, utcTime } from "./session.js";

export const vwapSessionBand: CardDefinition = {
  id: "vwap.session-band",
  category: "vwap",
  formula:
    "x = −(C − V) / σ, V = VWAP of the session (vwapSessionMinutes[tf] block from 00:00 UTC) holding the last complete minute, σ = volume-weighted σ of its minutes' VWAPs around V; " +
    "score = tanh(z(x)) (contrarian); confidence = min(1, traded session minutes / 30); value = ln(C / V) in bps",
  units: "bps (last close above the session VWAP > 0)",
  differs:
    "The session's VWAP in units of its band: vwap.distance reads a rolling span's VWAP in bps, vwap.reclaim and vwap.acceptance read crossings of and time spent on a side of " +
    "the same session VWAP, not the distance from it.",
  scale: { center: 0, prior: { "1m": 1.35, "5m": 1.25, "1h": 1.25 } },
  feeds: ["trade"],
  compute({ bars, timeframe, params }, self) {
    const sessionMinutes = params.vwapSessionMinutes[timeframe];
    const end = bars.length;
    const start = sessionStart(bars, end - 1, sessionMinutes);
    const cold = warmingUp(bars, end - start);
    if (cold !== null) return unavailable(cold);
    if (end - start < MIN_REGRESSION_MINUTES) {
      return unavailable(`the session since ${utcTime(bars, start)} holds ${end - start} of the ${MIN_REGRESSION_MINUTES} minutes its band needs`);
    }
    const sums = barSums(bars);
    const { vwap } = spanVwap(sums, start, end);
    const sigma = spanSigma(sums, start, end);
    if (!(vwap > 0 && sigma > 0)) return directional(self, 0, 0, 0);
    const c = lastClose(bars);
    return directional(self, -(c - vwap) / sigma, support(spanTraded(sums, start, end), REGRESSION_FULL_MINUTES), Math.log(c / vwap) * 10_000);
  },
};
