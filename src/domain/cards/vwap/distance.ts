/**
 * `vwap.distance`: the last close against the VWAP of the span, in bps, faded: over a few minutes
 * to an hour price that ran away from where the span's volume traded leans back toward it.
 *
 * Follow or fade: the VWAP is the span's volume-weighted fair price, where the traders of the span
 * cleared on average (Berkowitz, Logue & Noser 1988, "The total cost of transactions on the NYSE").
 * Over minutes to an hour a close far from it is mostly a stretch on these perpetuals: on the
 * shared month of AVAX, DOT, LINK, LTC and NEAR minute bars, closes far from their recent mean
 * reverted at 5 minutes and momentum scores had a negative IC, and VWAP distance moves with both.
 * Faded, this card's 5-minute rank IC there was +0.03 (1m), +0.035 (5m), +0.05 (1h), in sample;
 * the other vwap cards that place price against a VWAP fade it too.
 *
 * - n = meanMinutes[tf] (5, 15, 60) complete minutes; VWAP = Σ notional / Σ quantity over them
 *   (`vwapOf`); C = the last close
 * - value = ln(C / VWAP) in bps; x = −value; score = tanh(z(x)), center 0, prior σ 15 bps (1m),
 *   25 bps (5m), 50 bps (1h): the RMS of x on the shared month, rounded
 * - confidence = min(1, trades in the span / tradeFullConfidenceCount)
 * - unavailable "warming up: k of n minutes of bars"; a span without volume is a measured 0
 *   with confidence 0
 */
import { directional, support, unavailable, type CardDefinition } from "../card.js";
import { warmingUp } from "../bar-window.js";
import { vwapOf } from "../price-series.js";
import { lastClose, tradesIn } from "../mean-reversion/span.js";

export const vwapDistance: CardDefinition = {
  id: "vwap.distance",
  category: "vwap",
  formula:
    "x = −ln(C / VWAP_n) in bps, VWAP_n = Σ notional / Σ quantity of the last meanMinutes[tf] minute bars, C = last close; score = tanh(z(x)) (contrarian); " +
    "confidence = min(1, trades / tradeFullConfidenceCount); value = ln(C / VWAP_n) in bps",
  units: "bps (last close above the span's VWAP > 0)",
  differs:
    "Distance from a rolling span's volume-weighted price, in bps: mr.zscore measures from the plain mean of closes in units of their spread, vwap.session-band from the " +
    "session's VWAP in units of its band, vwap.anchored from the VWAP since the last extreme.",
  scale: { center: 0, prior: { "1m": 15, "5m": 25, "1h": 50 } },
  feeds: ["trade"],
  compute({ bars, timeframe, params }, self) {
    const n = params.meanMinutes[timeframe];
    const cold = warmingUp(bars, n);
    if (cold !== null) return unavailable(cold);
    const from = bars.length - n;
    const { vwap } = vwapOf(bars, from, bars.length);
    if (!(vwap > 0)) return directional(self, 0, 0, 0);
    const d = Math.log(lastClose(bars) / vwap) * 10_000;
    return directional(self, -d, support(tradesIn(bars, from, bars.length), params.tradeFullConfidenceCount), d);
  },
};
