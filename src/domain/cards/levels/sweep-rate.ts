/**
 * `levels.sweep-rate`: how fast price is consuming the estimated liquidation map near it, both
 * sides together. A `stress` card: a high rate is forced deleveraging under way whichever side
 * it hits.
 *
 * - r = magnetRangePct[timeframe]; W = long + short level notional swept in the window (valued at the
 *   sweep); N = estimated levels still within ±r % of the last trade
 * - x = W / (W + N), in [0, 1], 0 without sweeps; strength = tanh(max(z(x), 0)), center 0, prior σ
 *   0.02 (1m), 0.05 (5m), 0.15 (1h); score 0; value = W (USD)
 * - confidence = min(1, levels swept / liqFullConfidenceCount); a window without sweeps is a measured
 *   zero (confidence 0)
 * - unavailable before the first trade
 *
 * Why: the estimated counterpart of a liquidation burst, seen on every venue with open interest
 * whether or not it publishes liquidations. A judgment, not calibrated; the levels are estimated
 * (docs/liquidation-model.md).
 */
import { stress, support, unavailable, type CardDefinition } from "../card.js";
import { fuelNear, levelMap } from "./level-map.js";

export const levelsSweepRate: CardDefinition = {
  id: "levels.sweep-rate",
  category: "levels",
  kind: "stress",
  formula:
    "x = W / (W + N), W = estimated level notional swept in the window, N = levels still within ±magnetRangePct[tf] of price; strength = tanh(max(z(x), 0)); " +
    "confidence = min(1, levels swept / liqFullConfidenceCount); value = W",
  units: "USD (estimated level notional swept in the window)",
  differs:
    "How much of the nearby map is being consumed, without a side; liq.sweep reads which side was swept, levels.clearance which side is spent, liq.intensity the reported liquidations.",
  scale: { center: 0, prior: { "1m": 0.02, "5m": 0.05, "1h": 0.15 } },
  feeds: ["oi", "trade"],
  compute({ liq, windowMs, params, timeframe }, self) {
    const map = levelMap(liq);
    if (typeof map === "string") return unavailable(map);
    const s = liq.sweptIn(windowMs);
    const swept = s.longUsd + s.shortUsd;
    const { up, down } = fuelNear(map.view, map.price, params.magnetRangePct[timeframe]);
    const x = swept > 0 ? swept / (swept + up + down) : 0;
    return stress(self, x, support(s.longCount + s.shortCount, params.liqFullConfidenceCount), swept);
  },
};
