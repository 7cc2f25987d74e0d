/**
 * `spread.update-rate`: how often the best bid or ask changes, per second.
 *
 * The top of book changes when makers reprice or a queue is traded away; its rate rises with
 * volatility and information arrival and surges when makers requote at every tick before a move
 * (Hasbrouck & Saar 2013, "Low-latency trading"). A stress reading with no direction; a
 * judgment, not calibrated.
 *
 * - x = top-of-book changes in the window, all venues (a new best price or size, from each
 *   venue's quote stream or book) / window seconds
 * - strength = tanh(max(z(x), 0)), center rolling (the symbol's usual, from 2 per second),
 *   prior σ 2 per second
 * - confidence = covered time / (covering venues · window); value = x
 * - a window whose tops held without a change is a measured 0
 * - unavailable when no venue's top was known during the window
 *
 * A venue's book changes only when its feed sends them (Binance every 100 ms: at most 10 a
 * second), so the rate is the venues' own cadence, compared with the symbol's usual.
 * Cost: O(venues) after the shared top-of-book view.
 */
import { stress, unavailable, type CardDefinition } from "../card.js";
import { NO_TOP, windowSpread } from "./window-spread.js";

export const spreadUpdateRate: CardDefinition = {
  id: "spread.update-rate",
  category: "spread",
  kind: "stress",
  formula:
    "x = top-of-book changes in the window, all venues / window seconds; strength = tanh(max(z(x), 0)) against the symbol's usual; " +
    "confidence = covered time / (venues · window); value = x",
  units: "top-of-book changes per second",
  differs:
    "How often the touch changes, not how wide it is (spread.level) nor per trade (spread.churn); liquidity.turnover weighs the whole band's depth changes in USD.",
  scale: { center: "rolling", priorCenter: 2, prior: 2 },
  feeds: ["book"],
  compute({ top, windowMs }, self) {
    const s = windowSpread(top, windowMs);
    if (s === null) return unavailable(NO_TOP);
    let updates = 0;
    for (const v of top) updates += v.updates;
    return stress(self, updates / (windowMs / 1_000), s.coverage);
  },
};
