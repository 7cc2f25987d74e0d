/**
 * `positioning.leverage-build`: open interest growing faster than price ranges. Leverage added
 * while price stays in a tight range is a coiled spring: those positions have not been tested,
 * and a break out of the range moves them all at once (liquidations, stops). The same build-up
 * during a wide range has already been moved through. A stress card (no direction); a judgment,
 * not calibrated.
 *
 * - d = 100 · ΔOI / OI_start (base, matched venues, open-interest/oi-measures.ts)
 * - range = 100 · (high − low) / low of the window's trades (all venues), 0 without trades
 * - x = d − range (% : open interest growth beyond the price range)
 * - strength = tanh(max(z(x), 0)), center 0, prior σ 0.15 % (1m), 0.3 % (5m), 1 % (1h)
 * - confidence = OI confidence · min(1, trades / tradeFullConfidenceCount); value = x
 * - unavailable when open interest is stale or unknown at the window start
 */
import { stress, support, unavailable, type CardDefinition, prints } from "../card.js";
import { oiChange } from "../open-interest/oi-measures.js";

export const positioningLeverageBuild: CardDefinition = {
  id: "positioning.leverage-build",
  category: "positioning",
  kind: "stress",
  formula:
    "x = 100·ΔOI/OI_start − 100·(high − low)/low, base OI over matched venues, high/low of the window's trades; strength = tanh(max(z(x), 0)), score 0; " +
    "confidence = OI confidence · min(1, trades / tradeFullConfidenceCount); value = x",
  units: "% (OI growth minus the price range)",
  differs:
    "Leverage added without price moving through it: oi.change reads the build-up whatever the range, volatility cards the range without open interest.",
  scale: { center: 0, prior: { "1m": 0.15, "5m": 0.3, "1h": 1 } },
  feeds: ["oi", "trade"],
  compute(input, self) {
    const c = oiChange(input);
    if (typeof c === "string") return unavailable(c);
    const w = input.window;
    const range = w.high === null || w.low === null ? 0 : (100 * (w.high - w.low)) / w.low;
    return stress(self, 100 * c.change - range, c.confidence * support(prints(w), input.params.tradeFullConfidenceCount));
  },
};
