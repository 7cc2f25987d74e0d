/**
 * `vwap.slope`: the VWAP of the later half of the span against the VWAP of the earlier half, in
 * bps, faded: a price at which volume changes hands that climbed fast leans back.
 *
 * A rising VWAP means the market as a whole has been paying more for each unit as the span went
 * on; averaging over all the volume of each half makes it slower and steadier than the last
 * trade's return, and a thin print at an extreme barely moves it. Follow or fade: it is a momentum
 * reading, and on the shared month of AVAX, DOT, LINK, LTC and NEAR minute bars momentum-type
 * scores had a negative 5-minute IC (the moves reverted); followed, this card's 5-minute rank IC
 * there was 0.00 (1m), −0.026 (5m), −0.033 (1h), in sample. So it fades (a judgment that
 * out-of-sample evaluation must confirm).
 *
 * - n = meanMinutes[tf] (5, 15, 60), h = ⌈n / 2⌉ minutes (3, 8, 30); V_late = VWAP of the last h
 *   complete minutes, V_early = VWAP of the h before (`vwapOf`)
 * - value = ln(V_late / V_early) in bps; x = −value; score = tanh(z(x)), center 0, prior σ 20 bps
 *   (1m), 30 bps (5m), 60 bps (1h): the RMS of x on the shared month, rounded
 * - confidence = min(1, trades in the 2h minutes / tradeFullConfidenceCount)
 * - unavailable "warming up: k of 2h minutes of bars"; a half without volume is a measured 0 with
 *   confidence 0
 */
import { directional, support, unavailable, type CardDefinition } from "../card.js";
import { warmingUp } from "../bar-window.js";
import { vwapOf } from "../price-series.js";
import { tradesIn } from "../mean-reversion/span.js";

export const vwapSlope: CardDefinition = {
  id: "vwap.slope",
  category: "vwap",
  formula:
    "x = −ln(V_late / V_early) in bps, VWAPs of the last ⌈n/2⌉ minute bars and the ⌈n/2⌉ before, n = meanMinutes[tf]; score = tanh(z(x)) (contrarian); " +
    "confidence = min(1, trades / tradeFullConfidenceCount); value = ln(V_late / V_early) in bps",
  units: "bps (change of the VWAP from the earlier half to the later: rising > 0)",
  differs:
    "How the volume-weighted price moved between two halves of the span: momentum.return reads the first and last trades, trend.ma-cross unweighted averages of two lengths, " +
    "divergence.cvd the same halves only against a new extreme, vwap.distance the last close against one VWAP.",
  scale: { center: 0, prior: { "1m": 20, "5m": 30, "1h": 60 } },
  feeds: ["trade"],
  compute({ bars, timeframe, params }, self) {
    const h = Math.ceil(params.meanMinutes[timeframe] / 2);
    const cold = warmingUp(bars, 2 * h);
    if (cold !== null) return unavailable(cold);
    const end = bars.length;
    const early = vwapOf(bars, end - 2 * h, end - h).vwap;
    const late = vwapOf(bars, end - h, end).vwap;
    if (!(early > 0 && late > 0)) return directional(self, 0, 0, 0);
    const change = Math.log(late / early) * 10_000;
    return directional(self, -change, support(tradesIn(bars, end - 2 * h, end), params.tradeFullConfidenceCount), change);
  },
};
