/**
 * What the `cross-venue` cards share: the reasons they give when fewer than two venues deliver,
 * a venue window's volume and return, and the leading venue of the window's one-second returns.
 *
 * The leader (src/domain/inputs/venue-lead.ts). For each venue pair the input gives
 * `lead_ab` = the mean over lags 1 … maxLag seconds of the lagged correlation a → b minus b → a
 * (> 0: a moved first). A venue's net lead is the mean of its leads over the pairs it is in
 * (`lead_ab` for a, `−lead_ab` for b, pairs where both venues moved); the leader is the venue with
 * the largest net lead (the first in `VENUES` order on a tie), when it is above 0.
 *
 * How clear the leader is: without any lead, each of the 2 · maxLag lagged correlations on n
 * seconds has a standard error of about 1/√n, so `lead` has one of √(2 / (maxLag · n)). The
 * leader's clarity is its net lead in those standard errors, t = L / √(2 / (maxLag · n)), n = the
 * mean seconds of its pairs; the lead cards' confidence is min(1, t / 2): full when the leader is
 * two standard errors clear of "no lead" (distinguishable from noise at about 95 %).
 *
 * Cost: O(venue pairs) (six at most).
 */
import { VENUES, type Venue } from "../../events.js";
import type { WindowSums } from "../../window.js";
import type { VenueLeadView } from "../../inputs/venue-lead.js";
import type { VenueWindow } from "../../inputs/venue-windows.js";
import { clamp } from "../card.js";

/** Fewer than two venues ever sent a trade (or a bar) for the symbol. */
export const FEWER_THAN_TWO_TRADING = "fewer than two venues deliver trades";

/** Fewer than two venues have a one-second return in the lead input's window. */
export const FEWER_THAN_TWO_MOVING = "fewer than two venues have one-second returns in the window (1h: complete minutes)";

/** No pair of venues both moved (every pair's lead is null). */
export const NO_PAIR_MOVED = "no two venues both moved in the window";

/** Every venue's net lead is 0. */
export const NO_LEADER = "no venue leads in the window (lagged correlations equal both ways)";

/** Standard errors of net lead at which a lead card's confidence is full. */
export const LEAD_CLEAR_SE = 2;

/** Venues that ever sent a trade or a bar for the symbol. */
export function tradingVenues(venues: readonly VenueWindow[]): number {
  let n = 0;
  for (const v of venues) if (v.last !== null) n++;
  return n;
}

/** A window's traded notional, USD: taker buys, taker sells and bars' volume of unknown side. */
export function volumeUsd(w: Readonly<WindowSums>): number {
  return w.buyNotionalUsd + w.sellNotionalUsd + w.unsidedNotionalUsd;
}

/** ln(last / first trade of the window) · 10⁴, bps; 0 when the venue did not trade in it (its price held). */
export function windowReturnBps(w: Readonly<WindowSums>): number {
  return w.open !== null && w.close !== null ? Math.log(w.close / w.open) * 1e4 : 0;
}

/** The leading venue of a window (see the module comment). */
export interface Leader {
  readonly venue: Venue;
  /** Net lead: mean of its pair leads. */
  readonly lead: number;
  /** Mean seconds of its pairs. */
  readonly seconds: number;
  /** Net lead in standard errors of a lead on that many seconds. */
  readonly clarity: number;
}

/** The leader, or why there is none (fewer than two venues delivering or moving, no lead). */
export function leaderOf(venues: readonly VenueWindow[], view: VenueLeadView): Leader | string {
  if (tradingVenues(venues) < 2) return FEWER_THAN_TWO_TRADING;
  if (view.venues.length < 2) return FEWER_THAN_TWO_MOVING;
  const sum = VENUES.map(() => 0);
  const seconds = VENUES.map(() => 0);
  const pairs = VENUES.map(() => 0);
  for (const p of view.pairs) {
    if (p.lead === null) continue;
    const a = VENUES.indexOf(p.a);
    const b = VENUES.indexOf(p.b);
    sum[a] += p.lead;
    sum[b] -= p.lead;
    seconds[a] += p.seconds;
    seconds[b] += p.seconds;
    pairs[a]++;
    pairs[b]++;
  }
  let best = -1;
  for (let i = 0; i < VENUES.length; i++) {
    if (pairs[i] === 0) continue;
    if (best < 0 || sum[i] / pairs[i] > sum[best] / pairs[best]) best = i;
  }
  if (best < 0) return NO_PAIR_MOVED;
  const lead = sum[best] / pairs[best];
  if (!(lead > 0)) return NO_LEADER;
  const n = seconds[best] / pairs[best];
  return { venue: VENUES[best], lead, seconds: n, clarity: lead / Math.sqrt(2 / (view.maxLag * n)) };
}

/** min(1, clarity / LEAD_CLEAR_SE): how surely the leader leads. */
export function leaderConfidence(leader: Leader): number {
  return clamp(leader.clarity / LEAD_CLEAR_SE, 0, 1);
}
