/**
 * `mr.rsi`: Wilder's relative strength index of recent closes, read contrarian around 50: a tape
 * that has risen on most of its recent bars is overbought and leans back down.
 *
 * Wilder (1978), "New Concepts in Technical Trading Systems": RSI = 100 · G / (G + L) with G, L the
 * smoothed average gain and loss per bar. It weighs how often and how much price rose against fell,
 * path by path, where mr.zscore only reads where the last close ended. Read as an overbought /
 * oversold oscillator (a judgment, not calibrated).
 *
 * - bars of k = 1, 5, 15 minutes (1m, 5m, 1h: `OSCILLATOR_BAR_MINUTES`): closes every k minutes
 *   ending at the last complete minute; the last 2P changes d_j = c_j − c_{j−1}, P = 14
 * - G, L = means of max(d, 0) and max(−d, 0) over the first P changes, then Wilder's smoothing
 *   G ← (G·(P − 1) + max(d, 0)) / P over the next P (about a third of the weight stays on the seed)
 * - RSI = 100 · G / (G + L); x = (50 − RSI) / 50 in [−1, 1] (oversold > 0)
 * - score = tanh(z(x)), center 0, prior σ 0.25 (the RMS of x on the shared month of AVAX, DOT,
 *   LINK, LTC and NEAR minute bars: 0.24–0.26 by timeframe)
 * - confidence = changes that moved / 2P; value = RSI
 * - unavailable "warming up: k of 2Pk + 1 minutes of bars" until the bars reach back that far
 *   (29, 141, 421 minutes); closes that never moved are a measured 0 (value 50, confidence 0)
 */
import { directional, unavailable, type CardDefinition } from "../card.js";
import { warmingUp } from "../bar-window.js";
import { OSCILLATOR_BAR_MINUTES } from "./span.js";

/** Wilder's period, bars. */
export const RSI_PERIOD = 14;

export const mrRsi: CardDefinition = {
  id: "mr.rsi",
  category: "mean-reversion",
  formula:
    "x = (50 − RSI) / 50, RSI = 100·G/(G + L), Wilder's average gain G and loss L of the last 28 changes of k-minute closes (k = 1, 5, 15; seeded on 14, smoothed over 14); " +
    "score = tanh(z(x)) (contrarian); confidence = changes that moved / 28; value = RSI",
  units: "RSI (0–100)",
  differs:
    "How much of the recent path was up against down, bar by bar: mr.zscore and mr.williams-r read only where the last close sits, mr.streak counts the run of same-signed bars at the end, " +
    "momentum cards follow the net move instead of fading its one-sidedness.",
  scale: { center: 0, prior: 0.25 },
  feeds: ["trade"],
  compute({ bars, timeframe }, self) {
    const k = OSCILLATOR_BAR_MINUTES[timeframe];
    const changes = 2 * RSI_PERIOD;
    const cold = warmingUp(bars, changes * k + 1);
    if (cold !== null) return unavailable(cold);
    const last = bars.length - 1;
    let gain = 0;
    let loss = 0;
    let moved = 0;
    for (let j = changes; j >= 1; j--) {
      const d = bars.close[last - (j - 1) * k] - bars.close[last - j * k];
      const up = d > 0 ? d : 0;
      const down = d < 0 ? -d : 0;
      if (d !== 0) moved++;
      const seed = changes - j < RSI_PERIOD;
      if (seed) {
        gain += up / RSI_PERIOD;
        loss += down / RSI_PERIOD;
      } else {
        gain = (gain * (RSI_PERIOD - 1) + up) / RSI_PERIOD;
        loss = (loss * (RSI_PERIOD - 1) + down) / RSI_PERIOD;
      }
    }
    if (!(gain + loss > 0)) return directional(self, 0, 0, 50);
    const rsi = (100 * gain) / (gain + loss);
    return directional(self, (50 - rsi) / 50, moved / changes, rsi);
  },
};
