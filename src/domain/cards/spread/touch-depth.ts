/**
 * `spread.touch-depth`: how much size is quoted at the best bid and ask, against the symbol's usual.
 *
 * The quoted spread says what the first unit costs; the size at the touch says how many units
 * trade at that cost. Quoted depth is the other half of top-of-book quality (market-quality
 * studies report both, e.g. Hasbrouck & Saar 2013): a touch much thinner than usual means the
 * next market order walks the book. Sizes differ by orders of magnitude between symbols, hence
 * the log and the rolling center. A stress reading with no direction.
 *
 * - T = Σ over venues with a fresh top of (bid · bidQty + ask · askQty), USD, at the boundary
 * - x = −ln T; strength = tanh(max(z(x), 0)), center rolling (the symbol's usual, from
 *   −ln 100 000), prior σ 1; a touch with no size (T = 0) reads x = +∞: strength 1
 * - confidence = venues with a fresh top / venues whose top was known at some time of the window
 * - value = T (USD)
 * - a state at the boundary: the same x on every timeframe, each scaled by its own history
 * - unavailable without a fresh top on any venue
 *
 * Cost: O(venues).
 */
import { stress, unavailable, type CardDefinition } from "../card.js";

export const spreadTouchDepth: CardDefinition = {
  id: "spread.touch-depth",
  category: "spread",
  kind: "stress",
  formula:
    "x = −ln(Σ_v bid·bidQty + ask·askQty at the venues' fresh tops, USD); strength = tanh(max(z(x), 0)) against the symbol's usual; " +
    "confidence = fresh tops / venues seen in the window; value = the USD at the touch",
  units: "USD quoted at the best bid and ask",
  differs:
    "Size at the touch, not its price (spread.level) nor the depth behind it (liquidity.depth reads the whole band): a one-tick spread with a thin queue reads here only.",
  scale: { center: "rolling", priorCenter: -Math.log(100_000), prior: 1 },
  feeds: ["book"],
  compute({ top }, self) {
    let usd = 0;
    let fresh = 0;
    let seen = 0;
    for (const v of top) {
      if (v.top === null && v.windowSpreadBps.coveredMs === 0) continue;
      seen++;
      if (v.top === null) continue;
      usd += v.top.bid * v.top.bidQty + v.top.ask * v.top.askQty;
      fresh++;
    }
    if (fresh === 0) return unavailable("no fresh top of book");
    return stress(self, usd > 0 ? -Math.log(usd) : Number.POSITIVE_INFINITY, fresh / seen, usd);
  },
};
