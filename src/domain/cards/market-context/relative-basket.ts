/**
 * `mkt.relative-basket`: the symbol's window return less the mean return of the tracked symbols
 * (an equal-weight basket): its strength against the market it trades in.
 *
 * Cross-sectional momentum (Liu, Tsyvinski & Wu 2022, "Common Risk Factors in Cryptocurrency",
 * Journal of Finance 77(2)) ranks each coin against the others, not against BTC: this is that
 * ranking's input for one symbol. A symbol ahead of the basket leans bullish; as for
 * `mkt.relative-btc` the direction is theirs (weekly returns), the strength at this horizon a
 * judgment, not calibrated.
 *
 * - x = r_S − mean_i r_i over the market's fresh symbols with a price in the window (the symbol
 *   included), r = ln(last / first price) of the window at the context's boundary
 * - score = tanh(z(x)), center 0, prior σ 0.08 % (1m), 0.16 % (5m), 0.5 % (1h): smaller than
 *   against BTC, the alts' common move being out of it
 * - confidence = min(trades / tradeFullConfidenceCount, n / marketFullConfidenceSymbols), trades
 *   the symbol's in its window now; value = x
 * - unavailable with fewer than 3 symbols priced in the window and when the symbol had no trade in it
 */
import { directional, prints, support, unavailable, type CardDefinition } from "../card.js";
import { fewSymbols } from "./market.js";

export const mktRelativeBasket: CardDefinition = {
  id: "mkt.relative-basket",
  category: "market-context",
  formula:
    "x = r_S − mean of the market's window log returns (equal weight, n symbols priced); score = tanh(z(x)); " +
    "confidence = min(trades / tradeFullConfidenceCount, n / marketFullConfidenceSymbols); value = x",
  units: "log return (relative to the basket)",
  differs:
    "Strength against the tracked symbols, BTC one vote among them: when every alt rallies against BTC (an alt season) mkt.relative-btc is high for all of them and this card for none; it needs no BTC.",
  scale: { center: 0, prior: { "1m": 0.0008, "5m": 0.0016, "1h": 0.005 } },
  feeds: ["trade"],
  compute({ market, timeframe, window, params }, self) {
    if (!market.available) return unavailable(market.reason);
    const c = market.context;
    const n = c.breadth[timeframe].n;
    const few = fewSymbols(n, "symbols priced in the window");
    if (few !== null) return unavailable(few);
    const x = c.own.relativeToBasket[timeframe];
    if (x === null) return unavailable("no trade of the symbol in the window at the market's boundary");
    const confidence = Math.min(support(prints(window), params.tradeFullConfidenceCount), support(n, params.marketFullConfidenceSymbols));
    return directional(self, x, confidence);
  },
};
