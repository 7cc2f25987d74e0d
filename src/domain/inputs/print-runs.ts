/**
 * Runs of prints at one price: consecutive trades of one venue on the same aggressor side at the
 * same price. A long run at one price while that price holds is the footprint of an order larger
 * than the book shows (an iceberg being refilled, or a large resting order being worked): the
 * taker side keeps hitting the same level and the level keeps coming back.
 *
 * Per 10 s bucket and per aggressor side: the prints that extend a run to `minRun` or more at one
 * price (the `minRun`-th print of a run counts its whole run so far, later ones count one each)
 * and their notional, and the number of such runs completed. Cost: O(1) per trade; memory: one
 * ring of 6 doubles per bucket and the last print per venue.
 */
import { VENUES, type Venue } from "../events.js";
import { BucketRing, type BucketRingState } from "./bucket-ring.js";

/** Fields per bucket: buy prints, buy USD, buy runs, sell prints, sell USD, sell runs. */
const FIELDS = 6;

export interface PrintRunsView {
  /** Prints in runs of at least `minRun` at one price, by aggressor side, and their notional (USD). */
  readonly buyPrints: number;
  readonly buyUsd: number;
  readonly sellPrints: number;
  readonly sellUsd: number;
  /** Runs that reached `minRun` in the window, by aggressor side. */
  readonly buyRuns: number;
  readonly sellRuns: number;
  /** The run length that counts. */
  readonly minRun: number;
}

interface Run {
  price: number;
  isBuy: boolean;
  length: number;
  usd: number;
}

export interface PrintRunsState {
  ring: BucketRingState;
  runs: Partial<Record<Venue, Run>>;
}

export class PrintRuns {
  private ring: BucketRing;
  private runs: Partial<Record<Venue, Run>> = {};

  constructor(
    bucketMs: number,
    size: number,
    readonly minRun: number,
  ) {
    this.ring = new BucketRing(bucketMs, size, FIELDS);
  }

  add(venue: Venue, ts: number, price: number, notionalUsd: number, isBuy: boolean): void {
    let run = this.runs[venue];
    if (run === undefined || run.price !== price || run.isBuy !== isBuy) {
      run = { price, isBuy, length: 0, usd: 0 };
      this.runs[venue] = run;
    }
    run.length++;
    run.usd += notionalUsd;
    if (run.length < this.minRun) return;
    const o = this.ring.slot(ts);
    if (o < 0) return;
    const f = o + (isBuy ? 0 : 3);
    if (run.length === this.minRun) {
      this.ring.data[f] += run.length;
      this.ring.data[f + 1] += run.usd;
      this.ring.data[f + 2] += 1;
    } else {
      this.ring.data[f] += 1;
      this.ring.data[f + 1] += notionalUsd;
    }
  }

  view(ts: number, windowMs: number): PrintRunsView {
    const acc = new Float64Array(FIELDS);
    this.ring.sumInto(ts, windowMs, acc);
    return { buyPrints: acc[0], buyUsd: acc[1], buyRuns: acc[2], sellPrints: acc[3], sellUsd: acc[4], sellRuns: acc[5], minRun: this.minRun };
  }

  advance(ts: number): void {
    this.ring.advance(ts);
  }

  toJSON(): PrintRunsState {
    const runs: PrintRunsState["runs"] = {};
    for (const v of VENUES) if (this.runs[v] !== undefined) runs[v] = { ...(this.runs[v] as Run) };
    return { ring: this.ring.toJSON(), runs };
  }

  static fromJSON(state: PrintRunsState, bucketMs: number, size: number, minRun: number): PrintRuns {
    const p = new PrintRuns(bucketMs, size, minRun);
    p.ring = BucketRing.fromJSON(state.ring);
    for (const v of VENUES) if (state.runs[v] !== undefined) p.runs[v] = { ...(state.runs[v] as Run) };
    return p;
  }
}
