/**
 * What the spread cards share: the venues whose top of book was known during the window, their
 * time-weighted spread, and how much of the window it covered.
 *
 * A venue's spread is a step series (`input.top`, src/domain/inputs/top-of-book.ts): the mean
 * is time-weighted over the part of the window its top was known (a top not refreshed within
 * `staleAfterMs.book` is unknown after that). Venues are averaged weighted by that coverage.
 */
import type { VenueTop } from "../../inputs/top-of-book.js";

export interface WindowSpread {
  /** Coverage-weighted mean of the venues' time-weighted spreads, bps of mid. */
  readonly meanBps: number;
  /** Covered time / (covering venues · window): how much of the window the spread was known. */
  readonly coverage: number;
  /** Venues with a known spread at some time of the window. */
  readonly venues: number;
}

/** The window's spread over the venues that covered part of it; null when none did. */
export function windowSpread(top: readonly VenueTop[], windowMs: number): WindowSpread | null {
  let weighted = 0;
  let covered = 0;
  let venues = 0;
  for (const v of top) {
    const s = v.windowSpreadBps;
    if (s.mean === null || s.coveredMs === 0) continue;
    weighted += s.mean * s.coveredMs;
    covered += s.coveredMs;
    venues++;
  }
  return venues === 0 ? null : { meanBps: weighted / covered, coverage: covered / (venues * windowMs), venues };
}

export const NO_TOP = "no top of book within the window";
