/**
 * `derivatives.perp-led` (stress): was the window's price move carried by the perpetual (the
 * premium widening in the direction of the move) rather than by spot?
 *
 * Over a window, the perpetual's return is roughly the index's return plus the premium's change.
 * When price rises and the premium widens with it (or falls and the discount deepens), the
 * perpetual ran ahead of spot: leverage chased the move, and it is that part of the move that
 * funding will charge for and that unwinds when the leveraged side is squeezed. When the premium
 * moves against the price, spot led and the perp lagged. The card flags leverage-led moves as
 * fragile; it has no direction of its own (signed by the move, a directional reading of it would
 * be the premium change again, `derivatives.premium-change`). A judgment, not calibrated.
 *
 * - Δ = mean over venues of (premium now − premium at the window start), bps (as premium-change)
 * - x = Δ · sign(close − open), close/open = last/first trade of the window across venues
 * - strength = tanh(max(z(x), 0)), center 0, prior σ 1 bps (1m), 2 bps (5m), 4 bps (1h)
 * - confidence = (venues known at both ends / venues with an index) · min(1, trades /
 *   tradeFullConfidenceCount); value = x (bps)
 * - a window without trades (trade feed alive) is a measured zero: value 0, confidence 0
 * - unavailable until a mark carried an index price, and when no venue knows its premium both now
 *   and at the window start
 */
import { stress, support, unavailable, type CardDefinition, prints } from "../card.js";
import { NO_INDEX_REASON, NO_PATH_REASON, premiumChange } from "./premium-path.js";

export const derivativesPerpLed: CardDefinition = {
  id: "derivatives.perp-led",
  category: "derivatives",
  kind: "stress",
  formula:
    "x = (premium change over the window, bps, mean over venues) · sign(close − open); strength = tanh(max(z(x), 0)) (the perp ran ahead of spot); " +
    "confidence = venues known at both ends / venues with an index · min(1, trades / tradeFullConfidenceCount); value = x",
  units: "bps of index (premium change in the move's direction)",
  differs:
    "The premium change signed by the price move, a fragility flag with no direction; derivatives.premium-change reads the same change as direction, momentum the move itself.",
  scale: { center: 0, prior: { "1m": 1, "5m": 2, "1h": 4 } },
  feeds: ["mark", "trade"],
  compute({ premium, window: w, params }, self) {
    if (premium.length === 0) return unavailable(NO_INDEX_REASON);
    const change = premiumChange(premium);
    if (change.venues === 0) return unavailable(NO_PATH_REASON);
    if (w.open === null || w.close === null) return stress(self, 0, 0);
    const trades = prints(w);
    return stress(self, change.bps * Math.sign(w.close - w.open), (change.venues / premium.length) * support(trades, params.tradeFullConfidenceCount));
  },
};
