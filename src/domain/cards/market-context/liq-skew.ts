/**
 * `mkt.liq-skew`: which side the whole market is liquidating, over the last hour, as a share of
 * the liquidated notional.
 *
 * A liquidated long is a forced sell and a liquidated short a forced buy (liquidation `side` is the
 * position liquidated). Longs being liquidated across most symbols is a market-wide deleveraging
 * of longs, pressure down on every symbol that moves with the market, whatever its own tape shows.
 *
 * - long, short = liquidated notional of the last hour summed over the market's fresh symbols, USD
 *   (market memory; the same hour on every timeframe, the only span it keeps)
 * - x = (short − long) / (short + long), 0 when none; score = tanh(z(x)), center 0, prior σ 0.5
 * - confidence = min(1, symbols with liquidations / marketFullConfidenceSymbols); value = short −
 *   long (USD, net forced buying), labelled `sampled` as soon as one symbol counted a venue that
 *   publishes at most one liquidation a second, `complete` when none did
 * - an hour without liquidations anywhere is a measured 0 with confidence 0; unavailable before the
 *   symbol's liquidation feed delivered (the venues stream every symbol's liquidations alike, so a
 *   symbol without one is taken as a market without one)
 */
import { directional, support, unavailable, type CardDefinition } from "../card.js";

export const mktLiqSkew: CardDefinition = {
  id: "mkt.liq-skew",
  category: "market-context",
  formula:
    "x = (shortUsd − longUsd) / (shortUsd + longUsd) of the last hour's liquidations summed over the market (liquidated shorts are forced buys; same hour on every timeframe); " +
    "score = tanh(z(x)); confidence = min(1, symbols with liquidations / marketFullConfidenceSymbols); value = shortUsd − longUsd",
  units: "USD (net forced buying across the market)",
  differs:
    "The market's liquidations, not the symbol's: liq.imbalance reads which side the symbol's own window liquidates; this card the hour's deleveraging across every tracked symbol.",
  scale: { center: 0, prior: 0.5 },
  feeds: ["liquidation"],
  missingFeedReason: { liquidation: "no liquidation feed for the symbol (taken as none for the market: the venues stream every symbol's liquidations alike)" },
  compute({ market, params }, self) {
    if (!market.available) return unavailable(market.reason);
    const l = market.context.liquidations;
    const total = l.longUsd + l.shortUsd;
    const x = total > 0 ? (l.shortUsd - l.longUsd) / total : 0;
    const sampling = l.sampling === "none" ? undefined : l.sampling;
    return directional(self, x, support(l.symbols, params.marketFullConfidenceSymbols), l.shortUsd - l.longUsd, sampling);
  },
};
