/**
 * Funding as the positioning cards read it: the 8-hour-equivalent rate (src/domain/inputs/funding.ts)
 * against the neutral baseline `fundingBaselineRate` (0.01 % per 8 h), averaged over venues by how
 * much of the window each covered (the rule of `funding.rate`, so both read the same number).
 * Positive excess: longs pay more than the neutral rate, the long side is the crowded one.
 *
 * Cost: O(venues) per call.
 */
import type { CardInput } from "../card.js";

export interface FundingExcess {
  /** Coverage-weighted, time-weighted window mean − baseline, fraction per 8 h. */
  readonly mean: number;
  /** Σ covered / (venues · window): how much of the window had a known rate. */
  readonly coverage: number;
  /**
   * Over the venues with a current rate only (same coverage weights): the window mean and the
   * latest rate, each − baseline; null when no venue's rate is current.
   */
  readonly current: { readonly mean: number; readonly now: number } | null;
}

/** The window's funding excess, or the reason it cannot be read. */
export function fundingExcess(input: CardInput): FundingExcess | string {
  const { funding, windowMs, params } = input;
  if (funding.length === 0) return "no funding rate in mark feed";
  let weighted = 0;
  let covered = 0;
  let curWeighted = 0;
  let curNow = 0;
  let curCovered = 0;
  for (const f of funding) {
    const { mean, coveredMs } = f.window8h;
    if (mean === null) continue;
    weighted += mean * coveredMs;
    covered += coveredMs;
    if (f.rate8h === null) continue;
    curWeighted += mean * coveredMs;
    curNow += f.rate8h * coveredMs;
    curCovered += coveredMs;
  }
  if (covered === 0) return "no funding rate known within the window";
  const b = params.fundingBaselineRate;
  return {
    mean: weighted / covered - b,
    coverage: covered / (funding.length * windowMs),
    current: curCovered > 0 ? { mean: curWeighted / curCovered - b, now: curNow / curCovered - b } : null,
  };
}
