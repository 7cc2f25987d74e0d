/**
 * `volume.acceleration` (stress): volume speeding up within the window, the recent half against
 * the earlier half. Volume arriving faster than a moment ago is participation building (a breakout
 * drawing in traders, a liquidation run gathering); the window's total against the day
 * (volume.relative) lags it, since the heavy minutes are only part of the window yet. No side: a
 * stress card.
 *
 * - h = max(1, ⌊N / 2⌋) minutes, N = 1, 5, 60 window minutes; V₁ = traded notional of the last h
 *   complete minute bars, V₀ = of the h before them (1m: the window's minute against the minute
 *   before it; 5m: minutes 4–5 of the window against 2–3)
 * - x = (V₁ − V₀) / (V₁ + V₀), in [−1, 1]
 * - strength = tanh(max(z(x), 0)), center 0, prior σ 0.37 (1m), 0.32 (5m), 0.24 (1h): the RMS of x
 *   on the month of AVAX and LINK one-minute bars; score 0
 * - confidence = traded minutes among the 2h / 2h; value = V₁ − V₀ (USD)
 * - unavailable while fewer than 2h minutes of bars exist; two spans without volume are a measured
 *   0 with confidence 0
 */
import { stress, support, unavailable, type CardDefinition } from "../card.js";
import { warmingUp, windowMinutes } from "../bar-window.js";
import { minuteUsd } from "../price-series.js";

export const volumeAcceleration: CardDefinition = {
  id: "volume.acceleration",
  kind: "stress",
  category: "volume",
  formula:
    "x = (V₁ − V₀) / (V₁ + V₀), V₁ = notional of the last h = max(1, ⌊window minutes / 2⌋) minute bars, V₀ = of the h before; strength = tanh(max(z(x), 0)); " +
    "confidence = traded minutes / 2h; value = V₁ − V₀",
  units: "USD (recent half − earlier half)",
  differs:
    "The change of volume between two adjacent spans, not its level against the day (volume.relative) or yesterday (volume.seasonal); " +
    "micro.rate-acceleration compares trade counts, which many small prints can raise without notional.",
  scale: { center: 0, prior: { "1m": 0.37, "5m": 0.32, "1h": 0.24 } },
  feeds: ["trade"],
  compute({ bars, windowMs }, self) {
    const h = Math.max(1, Math.floor(windowMinutes(windowMs) / 2));
    const cold = warmingUp(bars, 2 * h);
    if (cold !== null) return unavailable(cold);
    let recent = 0;
    let earlier = 0;
    let traded = 0;
    for (let i = bars.length - 2 * h; i < bars.length; i++) {
      const usd = minuteUsd(bars, i);
      if (i < bars.length - h) earlier += usd;
      else recent += usd;
      if (usd > 0) traded++;
    }
    if (recent + earlier === 0) return stress(self, 0, 0, 0);
    return stress(self, (recent - earlier) / (recent + earlier), support(traded, 2 * h), recent - earlier);
  },
};
