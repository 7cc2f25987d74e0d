/**
 * `spread.churn`: top-of-book changes per trade (the quote side of the order-to-trade ratio).
 *
 * When the best quotes change many times for each execution, liquidity at the touch is fleeting:
 * makers reprice without trading, the quote a taker sees may be gone when the order lands
 * (Hasbrouck & Saar 2009, "Technology and liquidity provision"; regulators track the
 * order-to-trade ratio for the same reason). A stress reading with no direction.
 *
 * - over the venues whose top was known during the window: U = their top-of-book changes,
 *   N = their trades in the window
 * - x = U / N; strength = tanh(max(z(x), 0)), center rolling (the symbol's usual, from 1),
 *   prior σ 1
 * - confidence = min(1, N / tradeFullConfidenceCount); value = x
 * - a window without trades on those venues is a measured 0 (confidence 0)
 * - unavailable when no venue's top was known during the window
 *
 * Cost: O(venues) after the shared inputs.
 */
import { stress, support, unavailable, type CardDefinition, prints } from "../card.js";
import { NO_TOP } from "./window-spread.js";

export const spreadChurn: CardDefinition = {
  id: "spread.churn",
  category: "spread",
  kind: "stress",
  formula:
    "x = top-of-book changes / trades in the window, over the venues with a known top; strength = tanh(max(z(x), 0)) against the symbol's usual; " +
    "confidence = min(1, trades / tradeFullConfidenceCount); value = x",
  units: "top-of-book changes per trade",
  differs:
    "Quote changes per execution: spread.update-rate counts them per second, so a busy tape raises it while churn stays; micro cards read the trades alone.",
  scale: { center: "rolling", priorCenter: 1, prior: 1 },
  feeds: ["book", "trade"],
  compute({ top, venues, params }, self) {
    let updates = 0;
    let trades = 0;
    let known = 0;
    for (const v of top) {
      if (v.windowSpreadBps.coveredMs === 0) continue;
      known++;
      updates += v.updates;
      for (const x of venues) if (x.venue === v.venue) trades += prints(x.window);
    }
    if (known === 0) return unavailable(NO_TOP);
    if (trades === 0) return stress(self, 0, 0);
    return stress(self, updates / trades, support(trades, params.tradeFullConfidenceCount));
  },
};
