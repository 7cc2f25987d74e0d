/**
 * `xv.sync` (stress): how little the venues move together within the same second.
 *
 * One contract on several venues should move as one; within a second the correlation of their
 * returns is below 1 only because trades arrive asynchronously and arbitrage takes time (the Epps
 * effect: Epps 1979, "Comovements in stock prices in the very short run"). When it falls below the
 * symbol's usual, each venue's price is being moved by its own flow faster than arbitrage links
 * them: a fragmented market (a venue-local sweep, a lagging feed, arbitrageurs out of capital or
 * margin), with no direction by itself.
 *
 * - per venue pair where both moved: sync_ab = same-second correlation of the one-second returns
 *   (src/domain/inputs/venue-lead.ts), on seconds_ab seconds
 * - x = 1 − Σ seconds_ab · sync_ab / Σ seconds_ab; strength = tanh(max(z(x), 0)), center rolling
 *   (the symbol's usual; prior center 0.5), prior σ 0.2; score 0
 * - confidence = min(1, mean seconds of those pairs / leadFullConfidenceSeconds) (a correlation on
 *   300 seconds has a standard error of about 0.06); value = x
 * - unavailable below two venues delivering trades, below two with one-second returns in the window
 *   (the 1h window reads complete minutes), and when no two venues both moved
 *
 * One-minute bars carry no seconds: the card reads single trades. Cost: O(venue pairs).
 */
import { stress, support, unavailable, type CardDefinition } from "../card.js";
import { FEWER_THAN_TWO_MOVING, FEWER_THAN_TWO_TRADING, NO_PAIR_MOVED, tradingVenues } from "./venues.js";

export const xvSync: CardDefinition = {
  id: "xv.sync",
  category: "cross-venue",
  kind: "stress",
  formula:
    "x = 1 − seconds-weighted mean over venue pairs of the same-second correlation of one-second returns; strength = tanh(max(z(x), 0)) against the symbol's usual; " +
    "confidence = min(1, mean pair seconds / leadFullConfidenceSeconds); value = x",
  units: "1 − correlation",
  differs:
    "Whether the venues move in the same second, whatever the size of the gap; xv.price-dispersion reads how far apart they trade, xv.lead which one moves first.",
  scale: { center: "rolling", priorCenter: 0.5, prior: 0.2 },
  singleTrades: true,
  feeds: ["trade"],
  compute({ venues, lead, params }, self) {
    if (tradingVenues(venues) < 2) return unavailable(FEWER_THAN_TWO_TRADING);
    if (lead.venues.length < 2) return unavailable(FEWER_THAN_TWO_MOVING);
    let weighted = 0;
    let seconds = 0;
    let pairs = 0;
    for (const p of lead.pairs) {
      if (p.sync === null) continue;
      weighted += p.seconds * p.sync;
      seconds += p.seconds;
      pairs++;
    }
    if (pairs === 0 || seconds === 0) return unavailable(NO_PAIR_MOVED);
    return stress(self, 1 - weighted / seconds, support(seconds / pairs, params.leadFullConfidenceSeconds));
  },
};
