/**
 * `mkt.breadth`: how many of the tracked symbols rose over the window, less how many fell: the
 * market's direction counted by symbols rather than weighted by size.
 *
 * A move carried by most symbols is a market move (risk appetite or aversion); one carried by BTC
 * alone, or by a few large names, is not. Breadth is the classic confirmation of an index move
 * (advance–decline line); reading it as a lean for the symbol's next move, continuation with the
 * crowd, is a judgment, not calibrated.
 *
 * - up, down = shares of the market's fresh symbols whose window return is > 0 and < 0 (the symbol
 *   itself included), over the n symbols with a price in the window (market memory)
 * - x = up − down; score = tanh(z(x)), center 0, prior σ 0.5 (crypto returns move together: the
 *   count swings across most of its range)
 * - confidence = min(1, n / marketFullConfidenceSymbols); value = x
 * - unavailable without a fresh market context, and with fewer than 3 symbols priced in the window
 */
import { directional, support, unavailable, type CardDefinition } from "../card.js";
import { fewSymbols } from "./market.js";

/** Prior σ of the net breadth (share of symbols), shared with `mkt.risk-tone`. */
export const BREADTH_PRIOR = 0.5;

export const mktBreadth: CardDefinition = {
  id: "mkt.breadth",
  category: "market-context",
  formula:
    "x = share of the market's symbols with a window return > 0 − share with < 0, over the n priced in the window; score = tanh(z(x)); " +
    "confidence = min(1, n / marketFullConfidenceSymbols); value = x",
  units: "share of symbols (net, −1 to 1)",
  differs:
    "The market's direction counted one vote per symbol: mkt.btc-trend follows the leader alone, mkt.flow weighs the market's taker flow by notional, momentum.return is the symbol's own move.",
  scale: { center: 0, prior: BREADTH_PRIOR },
  feeds: ["trade"],
  compute({ market, timeframe, params }, self) {
    if (!market.available) return unavailable(market.reason);
    const b = market.context.breadth[timeframe];
    const few = fewSymbols(b.n, "symbols priced in the window");
    if (few !== null) return unavailable(few);
    return directional(self, b.up - b.down, support(b.n, params.marketFullConfidenceSymbols));
  },
};
