/**
 * `funding.drift`: how the funding rate moved within the window (its trend), read contrarian like
 * `funding.rate`.
 *
 * The funding a venue publishes between settlements is its running estimate of the next payment
 * (Binance `r`, Bybit and OKX `fundingRate`, Hyperliquid `funding`); it moves as the interval's
 * premium accumulates. Funding rising through the window means the long side's carry is getting
 * dearer: crowding is building, which leans bearish by the same argument as the level (the crowded
 * side is the one that gets squeezed); falling funding leans bullish. A judgment, not calibrated.
 *
 * - per venue with a current rate: d_v = rate8h now − time-weighted rate8h over the window (both
 *   8-hour equivalents, src/domain/inputs/funding.ts); now − mean is half the change for a steady
 *   trend, and uses the whole window rather than its first message
 * - D = Σ_v d_v · covered_v / Σ_v covered_v
 * - x = −D; score = tanh(z(x)), center 0, prior σ 0.002 % (1m), 0.005 % (5m), 0.01 % (1h) per 8 h
 * - confidence = Σ covered_v / (venues · window); value = D (positive: funding rising)
 * - unavailable until a mark carried a funding rate, and when no venue has a current rate and a
 *   rate within the window
 */
import { directional, unavailable, type CardDefinition } from "../card.js";
import { NO_FUNDING_REASON } from "./funding-terms.js";

export const fundingDrift: CardDefinition = {
  id: "funding.drift",
  category: "funding",
  formula:
    "x = −D, D = rate8h now − time-weighted rate8h over the window, venues weighted by coverage; score = tanh(z(x)) (rising funding is crowding building: bearish); " +
    "confidence = covered time / (venues · window); value = D",
  units: "fraction per 8 h",
  differs:
    "The direction funding moved within the window, not its level (funding.rate); funding.implied reads where the premium says it will go next, funding.fast-slow the hourly venues against the 8-hourly ones.",
  scale: { center: 0, prior: { "1m": 0.00002, "5m": 0.00005, "1h": 0.0001 } },
  feeds: ["mark"],
  compute({ funding, windowMs }, self) {
    if (funding.length === 0) return unavailable(NO_FUNDING_REASON);
    let weighted = 0;
    let covered = 0;
    for (const f of funding) {
      if (f.rate8h === null || f.window8h.mean === null) continue;
      weighted += (f.rate8h - f.window8h.mean) * f.window8h.coveredMs;
      covered += f.window8h.coveredMs;
    }
    if (covered === 0) return unavailable("no venue has a current funding rate");
    const drift = weighted / covered;
    return directional(self, -drift, covered / (funding.length * windowMs), drift);
  },
};
