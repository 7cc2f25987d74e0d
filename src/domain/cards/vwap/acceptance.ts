/**
 * `vwap.acceptance`: how much of the span price spent on each side of the session VWAP, by minute
 * closes, faded: price that has kept closing above the session's average cost leans back to it.
 *
 * Time at a price is acceptance in the Market Profile reading (Steidlmayer): a market that holds
 * above the session VWAP minute after minute has buyers defending it, where one close above may be
 * a probe. Follow or fade: on the shared month of AVAX, DOT, LINK, LTC and NEAR minute bars,
 * followed, its 5-minute rank IC was −0.036 (1m), −0.036 (5m), 0.00 (1h) (in sample): time spent
 * away from the session VWAP was given back, as the other price-against-VWAP cards revert. So it
 * fades (a judgment that out-of-sample evaluation must confirm).
 *
 * - session = the block of vwapSessionMinutes[tf] minutes (60, 240, 1 440: hour, four hours, UTC
 *   day) aligned to 00:00 UTC that holds the last complete minute; s_i = sign(close_i − session
 *   VWAP through minute i), 0 on the VWAP or before the session's first volume
 * - span = the last n = meanMinutes[tf] (5, 15, 60) complete minutes, cut at the session's start:
 *   m minutes (m = n except in the session's first n minutes)
 * - x = −Σ s_i / m, in [−1, 1]; score = tanh(z(x)), center 0, prior σ 0.85 (1m), 0.85 (5m),
 *   0.9 (1h): the RMS of x on the shared month, rounded (price mostly stays on one side)
 * - confidence = traded minutes of the span / n (low in a session's first minutes); value =
 *   minutes above − minutes below
 * - unavailable "warming up: k of m minutes of bars" until the bars reach back to the session's
 *   start and at least n minutes
 */
import { directional, unavailable, type CardDefinition } from "../card.js";
import { warmingUp } from "../bar-window.js";
import { barSums, sessionSide, sessionStart, spanTraded } from "./session.js";

export const vwapAcceptance: CardDefinition = {
  id: "vwap.acceptance",
  category: "vwap",
  formula:
    "x = −Σ s_i / m, s_i = sign(close_i − session VWAP through minute i) over the last meanMinutes[tf] minutes cut at the session's start (m of them); score = tanh(z(x)) (contrarian); " +
    "confidence = traded minutes / meanMinutes[tf]; value = minutes above − minutes below",
  units: "minutes (closes above the session VWAP − closes below)",
  differs:
    "Time spent on a side of the session VWAP: vwap.reclaim reads only a cross between the span's ends, vwap.session-band how far the last close is, " +
    "vwap.volume-above where the span's volume sat around the span's own VWAP.",
  scale: { center: 0, prior: { "1m": 0.85, "5m": 0.85, "1h": 0.9 } },
  feeds: ["trade"],
  compute({ bars, timeframe, params }, self) {
    const n = params.meanMinutes[timeframe];
    const sessionMinutes = params.vwapSessionMinutes[timeframe];
    const end = bars.length;
    const start = sessionStart(bars, end - 1, sessionMinutes);
    const cold = warmingUp(bars, Math.max(n, end - start));
    if (cold !== null) return unavailable(cold);
    const from = Math.max(end - n, start);
    const sums = barSums(bars);
    let net = 0;
    for (let i = from; i < end; i++) net += sessionSide(bars, sums, i, sessionMinutes);
    return directional(self, -net / (end - from), spanTraded(sums, from, end) / n, net);
  },
};
