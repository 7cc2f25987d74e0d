/**
 * `mr.zscore`: how far the last close sits from the mean of the span's closes, in units of the
 * span's own dispersion of closes, faded: a close stretched above its recent mean leans back down.
 *
 * Short-horizon returns revert (Lehmann 1990, "Fads, martingales and market efficiency"; Jegadeesh
 * 1990), and on the shared month of AVAX, DOT, LINK, LTC and NEAR minute bars −(close − SMA60)/σ60
 * had a 5-minute IC of +0.045 [+0.017, +0.072] (the project's evaluation notes, in sample; part of
 * it is the close bouncing between bid and ask). Bollinger's %B is this statistic rescaled
 * (%B = ½ + z / 2k), so it has no card of its own.
 *
 * - n = meanMinutes[tf] (5, 15, 60) complete minutes; SMA, σ = mean and sample standard deviation
 *   of their closes; C = the last close
 * - x = −(C − SMA) / σ; score = tanh(z(x)), center 0, prior σ 1.0 (1m), 1.25 (5m), 1.35 (1h): the
 *   RMS of x on the shared month of AVAX, DOT, LINK, LTC and NEAR minute bars, rounded (its 5-minute
 *   rank IC there was +0.03 to +0.04, in sample)
 * - confidence = traded minutes / n; value = (C − SMA) / σ (unfaded: above the mean > 0)
 * - unavailable "warming up: k of n minutes of bars" until the bars reach back n minutes; closes
 *   that never moved (σ = 0) are a measured 0 with confidence 0
 */
import { directional, unavailable, type CardDefinition } from "../card.js";
import { warmingUp } from "../bar-window.js";
import { meanClose } from "../price-series.js";
import { lastClose, tradedMinutes } from "./span.js";

export const mrZscore: CardDefinition = {
  id: "mr.zscore",
  category: "mean-reversion",
  formula:
    "x = −(C − SMA_n) / σ_n, SMA_n and σ_n = mean and sample standard deviation of the last meanMinutes[tf] closes, C = last close; score = tanh(z(x)) (contrarian); " +
    "confidence = traded minutes / n; value = (C − SMA_n) / σ_n",
  units: "standard deviations of the span's closes (close above its mean > 0)",
  differs:
    "Distance from the plain mean of the closes in units of their own spread (Bollinger %B rescaled): vwap.distance measures from the volume-weighted mean in bps, " +
    "mr.williams-r from the span's extremes, mr.trend-residual from a fitted trend line rather than a flat mean.",
  scale: { center: 0, prior: { "1m": 1.0, "5m": 1.25, "1h": 1.35 } },
  feeds: ["trade"],
  compute({ bars, timeframe, params }, self) {
    const n = params.meanMinutes[timeframe];
    const cold = warmingUp(bars, n);
    if (cold !== null) return unavailable(cold);
    const from = bars.length - n;
    const { mean } = meanClose(bars, from, bars.length);
    let ss = 0;
    for (let i = from; i < bars.length; i++) ss += (bars.close[i] - mean) ** 2;
    const sigma = Math.sqrt(ss / (n - 1));
    if (!(sigma > 0)) return directional(self, 0, 0, 0);
    const z = (lastClose(bars) - mean) / sigma;
    return directional(self, -z, tradedMinutes(bars, from, bars.length) / n, z);
  },
};
