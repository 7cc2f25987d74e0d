/**
 * `xv.lead`: the move the leading venue made in the window that the other venues have not made yet.
 *
 * Price discovery in crypto perpetuals happens first on one venue (mostly the deepest, Binance)
 * and reaches the others within seconds, through arbitrageurs (Makarov & Schoar 2020, "Trading and
 * arbitrage in cryptocurrency markets"; Alexander & Heck 2020, "Price discovery in Bitcoin: the
 * impact of unregulated markets"). The leader is read from the lagged correlation of the venues'
 * one-second returns (src/domain/inputs/venue-lead.ts, venues.ts); when it has moved further than
 * the followers over the window, the followers are expected to catch up, and with them the price
 * most of the market trades at: the gap is a direction.
 *
 * - leader = the venue with the largest net lead over 1 … maxLag seconds (venues.ts); followers =
 *   the other venues with one-second returns in the window
 * - r_v = ln(last / first trade of venue v in the window) · 10⁴ (0 for a follower that did not
 *   trade in the window: its price held)
 * - x = r_leader − mean over followers of r_f (bps); score = tanh(z(x)), center 0, prior σ 3 bps
 * - confidence = min(1, t / 2), t = the leader's net lead in standard errors (venues.ts): how surely
 *   it leads; value = x
 * - window returns rather than the price gap now, so a lasting gap between venues (USDC- against
 *   USDT-margined contracts) is not read as a lead
 * - unavailable below two venues delivering trades, below two with one-second returns in the window
 *   (the 1h window reads complete minutes), when no two venues both moved, and when no venue leads
 *
 * One-minute bars carry no seconds: the card reads single trades. Cost: O(venue pairs).
 */
import { directional, unavailable, type CardDefinition } from "../card.js";
import { leaderConfidence, leaderOf, windowReturnBps } from "./venues.js";

export const xvLead: CardDefinition = {
  id: "xv.lead",
  category: "cross-venue",
  formula:
    "x = leader's window return − mean followers' window return, bps, leader = the venue with the largest net lagged (1…maxLag s) correlation of one-second returns; score = tanh(z(x)) (followers catch up); " +
    "confidence = min(1, t / 2), t = the leader's net lead in standard errors; value = x",
  units: "bps (leader's return minus the followers')",
  differs:
    "Signed by which venue moves first and how far the others still have to go; xv.price-dispersion is the unsigned gap between any venues, xv.flow-divergence the leader's taker flow, momentum.return the merged tape's move.",
  scale: { center: 0, prior: 3 },
  singleTrades: true,
  feeds: ["trade"],
  compute({ venues, lead }, self) {
    const leader = leaderOf(venues, lead);
    if (typeof leader === "string") return unavailable(leader);
    let leaderReturn = 0;
    let followers = 0;
    let followerReturns = 0;
    for (const v of venues) {
      if (!lead.venues.some((l) => l.venue === v.venue)) continue;
      const r = windowReturnBps(v.window);
      if (v.venue === leader.venue) leaderReturn = r;
      else {
        followerReturns += r;
        followers++;
      }
    }
    // leaderOf found two venues with returns: the leader and at least one follower
    return directional(self, leaderReturn - followerReturns / followers, leaderConfidence(leader));
  },
};
