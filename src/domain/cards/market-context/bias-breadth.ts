/**
 * `mkt.bias-breadth`: how many of the tracked symbols the engine itself leans long on (day mode),
 * less how many it leans short on: the consensus of every symbol's cards across the market.
 *
 * Each symbol's day bias weighs all its categories; when most symbols lean one way the whole market
 * is setting up that way, which a single symbol's cards see only from inside. A judgment, not
 * calibrated. The figure is the day mode's (the market memory keeps no other), so it is the same on
 * every timeframe. The symbols' biases include this category, so the card feeds back into what it
 * reads one cycle later; with one card of ~15 in one category of ~25 the loop gain is small.
 *
 * - long, short = shares of the market's fresh symbols whose day bias score is above the neutral
 *   band / below minus it, over the n symbols with a day bias (market memory)
 * - x = long − short; score = tanh(z(x)), center 0, prior σ 0.4
 * - confidence = min(1, n / marketFullConfidenceSymbols); value = x
 * - unavailable without a fresh market context, and with fewer than 3 symbols with a day bias
 */
import { directional, support, unavailable, type CardDefinition } from "../card.js";
import { fewSymbols } from "./market.js";

export const mktBiasBreadth: CardDefinition = {
  id: "mkt.bias-breadth",
  category: "market-context",
  formula:
    "x = share of the market's symbols whose day bias leans long beyond the neutral band − share leaning short, over the n with a day bias (same on every timeframe); " +
    "score = tanh(z(x)); confidence = min(1, n / marketFullConfidenceSymbols); value = x",
  units: "share of symbols (net, −1 to 1)",
  differs:
    "What the engine's own composite reads across the market, not a price: mkt.breadth counts the symbols' past returns, this card the symbols' setups (flow, positioning, liquidations, ...) as their biases sum them.",
  scale: { center: 0, prior: 0.4 },
  feeds: ["trade"],
  compute({ market, params }, self) {
    if (!market.available) return unavailable(market.reason);
    const b = market.context.biasBreadth;
    const few = fewSymbols(b.n, "symbols with a day bias");
    if (few !== null) return unavailable(few);
    return directional(self, b.long - b.short, support(b.n, params.marketFullConfidenceSymbols));
  },
};
