/**
 * `xv.flow-divergence`: the leading venue's taker flow against the other venues'.
 *
 * Informed traders trade where price is discovered, and arbitrageurs carry the move to the other
 * venues (Hasbrouck 1995, "One security, many markets"; for crypto, Makarov & Schoar 2020). The
 * leading venue's aggressors are the ones moving price; the other venues' taker flow is partly the
 * arbitrage that follows them and partly local. When the leader's takers buy more (as a share of
 * their volume) than the rest's, the informed side is buying: bullish; selling on the leader while
 * the rest buys is bearish whatever the merged flow says. Trade `side` is the aggressor. A
 * judgment, not calibrated.
 *
 * - leader = the venue with the largest net lead over 1 … maxLag seconds (venues.ts); rest = every
 *   other venue
 * - d = (buyUsd − sellUsd) / (buyUsd + sellUsd) of the window's taker notional, on the leader (d_L)
 *   and pooled over the rest (d_R)
 * - x = d_L − d_R; score = tanh(z(x)), center 0, prior σ 0.4 (1m), 0.25 (5m), 0.15 (1h)
 * - confidence = min(1, trades / tradeFullConfidenceCount) · min(1, t / 2), t = the leader's net
 *   lead in standard errors; value = x
 * - unavailable below two venues delivering trades, below two with one-second returns in the window
 *   (the 1h window reads complete minutes), when no two venues both moved, when no venue leads,
 *   and when a venue's taker side is unknown (bars without a taker split)
 * - the leader and at least one other venue traded in the window: a venue moves (has a return)
 *   only in a second it traded, and the lead-lag seconds lie inside the window
 *
 * One-minute bars carry no seconds: the card reads single trades. Cost: O(venues + venue pairs).
 */
import { directional, imbalance, prints, sideUnknown, support, unavailable, type CardDefinition } from "../card.js";
import { leaderConfidence, leaderOf } from "./venues.js";

export const xvFlowDivergence: CardDefinition = {
  id: "xv.flow-divergence",
  category: "cross-venue",
  formula:
    "x = d_leader − d_rest, d = (buyUsd − sellUsd) / (buyUsd + sellUsd) of the window's taker notional on the leading venue and pooled over the others; score = tanh(z(x)); " +
    "confidence = min(1, trades / tradeFullConfidenceCount) · min(1, t / 2); value = x",
  units: "difference of taker imbalances (−2 to 2)",
  differs:
    "The taker flow of the venue that moves first against the others'; flow.cvd pools every venue (the largest weighs most, leader or not), flow.venue-breadth counts venues by sign, xv.flow-dispersion measures disagreement without a side.",
  scale: { center: 0, prior: { "1m": 0.4, "5m": 0.25, "1h": 0.15 } },
  singleTrades: true,
  feeds: ["trade"],
  compute({ venues, lead, window: w, params }, self) {
    const leader = leaderOf(venues, lead);
    if (typeof leader === "string") return unavailable(leader);
    let leaderBuy = 0;
    let leaderSell = 0;
    let restBuy = 0;
    let restSell = 0;
    for (const v of venues) {
      const blind = sideUnknown(v.window);
      if (blind !== null) return unavailable(`${v.venue}: ${blind}`);
      if (v.venue === leader.venue) {
        leaderBuy += v.window.buyNotionalUsd;
        leaderSell += v.window.sellNotionalUsd;
      } else {
        restBuy += v.window.buyNotionalUsd;
        restSell += v.window.sellNotionalUsd;
      }
    }
    const x = imbalance(leaderBuy, leaderSell) - imbalance(restBuy, restSell);
    return directional(self, x, support(prints(w), params.tradeFullConfidenceCount) * leaderConfidence(leader));
  },
};
