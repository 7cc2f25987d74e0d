/**
 * `flow.venue-breadth`: how many of the venues that traded in the window lean the same way.
 *
 * Trade `side` is the aggressor. Each venue with trades in the window casts one vote by the sign
 * of its taker delta. Buying on every venue at once is broad demand; the same net flow from one
 * venue alone can be one participant (or one venue's own incentives) that arbitrage spreads to
 * the others without new demand. A judgment, not calibrated.
 *
 * - venues = those with at least one trade in the window; vote_v = sign(buyQty_v − sellQty_v)
 * - x = Σ vote_v / venues, in [−1, 1]
 * - score = tanh(z(x)), center 0, prior σ 0.5
 * - confidence = min(trades / tradeFullConfidenceCount, venues / 4 (the venues liqflow reads), 1)
 * - value = venues net buying − venues net selling
 * - unavailable "fewer than two venues deliver trades" while fewer than two venues ever sent a
 *   trade for the symbol, and "only one venue traded in the window" when one alone did: agreement
 *   needs two; a window without any trade is a measured 0 (confidence 0)
 *
 * Not a dispersion of prices or flows between venues (the `cross-venue` category): only whether
 * the venues agree in sign.
 */
import { VENUES } from "../../events.js";
import { directional, support, unavailable, type CardDefinition, prints, sideUnknown } from "../card.js";

export const flowVenueBreadth: CardDefinition = {
  id: "flow.venue-breadth",
  category: "order-flow",
  formula:
    "x = Σ sign(buyQty_v − sellQty_v) / venues over the venues with trades in the window; score = tanh(z(x)); " +
    "confidence = min(trades / tradeFullConfidenceCount, venues / 4, 1); value = venues buying − venues selling",
  units: "venues (net buying minus net selling)",
  differs:
    "One vote per venue, so it reads whether the lean is shared across venues; flow.cvd sums volume and follows the largest venue, cross-venue cards measure the dispersion and lead between venues.",
  scale: { center: 0, prior: 0.5 },
  feeds: ["trade"],
  compute({ venues, window: w, params }, self) {
    let delivering = 0;
    let traded = 0;
    let votes = 0;
    for (const v of venues) {
      if (v.last !== null) delivering++;
      if (prints(v.window) === 0) continue;
      const blind = sideUnknown(v.window);
      if (blind !== null) return unavailable(`${v.venue}: ${blind}`);
      traded++;
      votes += Math.sign(v.window.buyQty - v.window.sellQty);
    }
    if (delivering < 2) return unavailable("fewer than two venues deliver trades");
    if (traded === 1) return unavailable("only one venue traded in the window");
    const confidence = Math.min(support(prints(w), params.tradeFullConfidenceCount), support(traded, VENUES.length));
    return directional(self, traded > 0 ? votes / traded : 0, confidence, votes);
  },
};
