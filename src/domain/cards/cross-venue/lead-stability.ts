/**
 * `xv.lead-stability` (stress): how often the leading venue changed over the last cycles.
 *
 * Price discovery usually stays on one venue (the deepest) for hours. When the venue that moves
 * first keeps changing, price is being set by venue-local flow in turn (a squeeze on one venue, a
 * large participant working another, a venue whose feed lags and then catches up): a fragmented,
 * unsettled market with no direction by itself. A judgment, not calibrated.
 *
 * - leader = the venue with the largest net lead over 1 … maxLag seconds in the window (venues.ts);
 *   the card's `value` is the leader's index in `VENUES` (0 binance, 1 bybit, 2 okx, 3 hyperliquid),
 *   which it reads back from its own previous cycles (`history`)
 * - k = previous cycles (at most `historyCycles`) that had a leader; x = those whose leader differs
 *   from this cycle's / k; strength = tanh(max(z(x), 0)), center 0, prior σ 0.3 (1m), 0.2 (5m),
 *   0.1 (1h): a window that overlaps the last one more changes its leader less
 * - confidence = min(1, k / historyCycles) · min(1, t / 2), t = the leader's net lead in standard
 *   errors (a leader barely above noise changes by chance); the first cycle with a leader is a
 *   measured 0 with confidence 0 (nothing to compare with yet)
 * - unavailable below two venues delivering trades, below two with one-second returns in the
 *   window (the 1h window reads complete minutes), when no two venues both moved, and when no venue
 *   leads
 *
 * One-minute bars carry no seconds: the card reads single trades. Cost: O(venue pairs + historyCycles).
 */
import { VENUES } from "../../events.js";
import { stress, support, unavailable, type CardDefinition } from "../card.js";
import { leaderConfidence, leaderOf } from "./venues.js";

export const xvLeadStability: CardDefinition = {
  id: "xv.lead-stability",
  category: "cross-venue",
  kind: "stress",
  formula:
    "x = share of the previous cycles with a leader whose leading venue differs from this cycle's (leader = largest net lagged correlation of one-second returns); strength = tanh(max(z(x), 0)); " +
    "confidence = min(1, cycles / historyCycles) · min(1, t / 2); value = the leader's index in VENUES",
  units: "venue index (0 binance, 1 bybit, 2 okx, 3 hyperliquid): the leader",
  differs:
    "Whether the venue that moves first is the same from cycle to cycle; xv.lead reads how far the current leader is ahead, xv.sync how much the venues move together in the same second.",
  scale: { center: 0, prior: { "1m": 0.3, "5m": 0.2, "1h": 0.1 } },
  history: true,
  singleTrades: true,
  feeds: ["trade"],
  compute({ venues, lead, params }, self) {
    const leader = leaderOf(venues, lead);
    if (typeof leader === "string") return unavailable(leader);
    const index = VENUES.indexOf(leader.venue);
    let cycles = 0;
    let changed = 0;
    for (const previous of self.previous) {
      if (previous === null) continue;
      cycles++;
      if (previous !== index) changed++;
    }
    const x = cycles > 0 ? changed / cycles : 0;
    return stress(self, x, support(cycles, params.historyCycles) * leaderConfidence(leader), index);
  },
};
