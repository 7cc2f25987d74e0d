/**
 * `liquidity.depth`: how thin the book near the price is against the symbol's usual.
 *
 * Resting depth near mid is what a market order meets: a thinner book moves more per dollar
 * traded (Kyle 1985's depth; Cont, Kukanov & Stoikov 2014: impact ∝ 1 / depth), so a book far
 * thinner than usual is a stress reading with no direction. Depth differs by orders of magnitude
 * between symbols, hence the log and the rolling center.
 *
 * - band b = bookBandPct[tf] (0.1 %, 0.25 %, 1 %); D = resting bid + ask notional within ±b % of
 *   mid at the boundary, summed over synced venue books (USD)
 * - x = −ln D; strength = tanh(max(z(x), 0)), center rolling (the symbol's own usual log depth,
 *   from −ln 2 000 000), prior σ 0.5 (a factor of 1.6)
 * - an empty band (D = 0) reads x = +∞: strength 1
 * - confidence = min(1, levels in band / bookFullConfidenceLevels); value = D (USD)
 * - unavailable while no book is synced or a side is empty
 *
 * The prior center is one figure for every symbol: until the symbol's own mean takes over (its
 * prior weighs 30 min of samples on 1m, 8 h on 1h) deep books read calm and thin ones stressed.
 * Cost: O(levels in band), shared with orderbook.imbalance on the same band.
 */
import { stress, support, unavailable, type CardDefinition } from "../card.js";

export const liquidityDepth: CardDefinition = {
  id: "liquidity.depth",
  category: "liquidity",
  kind: "stress",
  formula:
    "x = −ln(resting bid + ask USD within ±bookBandPct[tf] % of mid, synced books); strength = tanh(max(z(x), 0)) against the symbol's usual; " +
    "confidence = min(1, levels in band / bookFullConfidenceLevels); value = depth USD",
  units: "USD (resting depth near mid)",
  differs:
    "The amount of depth against its own usual level, both sides together: orderbook cards compare the sides, liquidity.depth-flow and liquidity.turnover read the window's changes, spread.touch-depth only the best levels.",
  scale: { center: "rolling", priorCenter: -Math.log(2_000_000), prior: 0.5 },
  feeds: ["book"],
  compute({ book, params, timeframe }, self) {
    if (!book.synced) return unavailable("book not synced");
    const depth = book.depthWithin(params.bookBandPct[timeframe]);
    if (depth === null) return unavailable("book side empty");
    const usd = depth.bidNotionalUsd + depth.askNotionalUsd;
    return stress(self, usd > 0 ? -Math.log(usd) : Number.POSITIVE_INFINITY, support(depth.bidLevels + depth.askLevels, params.bookFullConfidenceLevels), usd);
  },
};
