/**
 * Insurance-fund balances per venue for one symbol (the `insurance` events the collector polls).
 *
 * A newer update appends a sample (a new pool id restarts the history: balances before and after
 * a regrouping do not compare); an update no newer than the last one is counted by the engine but
 * adds nothing. History is bounded: the samples of the last `horizonMs` before the newest, plus
 * the one sample before them (a window start interpolates from it), at most `MAX_INSURANCE_SAMPLES`.
 */
import { VENUES, type InsuranceEvent, type Venue } from "../events.js";
import type { InsurancePoolView } from "../cards/card.js";

/**
 * One venue's insurance pool for this symbol: the latest pool facts and its balance history,
 * `[ts, balanceUsd]` oldest first.
 */
export interface InsurancePoolState {
  poolId: string;
  asset: string;
  shared: boolean;
  samples: [number, number][];
}

/** Hard cap of insurance samples kept per venue (a venue publishing every minute fills about 61). */
const MAX_INSURANCE_SAMPLES = 256;

export class InsurancePools {
  private pools: Partial<Record<Venue, InsurancePoolState>> = {};

  constructor(private readonly horizonMs: number) {}

  add(ev: InsuranceEvent): void {
    const pool = this.pools[ev.venue];
    if (pool === undefined || pool.poolId !== ev.poolId) {
      if (pool !== undefined && ev.ts < pool.samples[pool.samples.length - 1][0]) return;
      this.pools[ev.venue] = { poolId: ev.poolId, asset: ev.asset, shared: ev.shared, samples: [[ev.ts, ev.balanceUsd]] };
      return;
    }
    const samples = pool.samples;
    if (ev.ts <= samples[samples.length - 1][0]) return;
    pool.asset = ev.asset;
    pool.shared = ev.shared;
    samples.push([ev.ts, ev.balanceUsd]);
    // Drop what no window can reach: keep the last sample at or before newest − horizon.
    const cutoff = ev.ts - this.horizonMs;
    let keepFrom = 0;
    while (keepFrom + 1 < samples.length && samples[keepFrom + 1][0] <= cutoff) keepFrom++;
    keepFrom = Math.max(keepFrom, samples.length - MAX_INSURANCE_SAMPLES);
    if (keepFrom > 0) samples.splice(0, keepFrom);
  }

  /** Pools per venue (in `VENUES` order), samples at or before `nowTs`, for the cards. */
  view(nowTs: number): InsurancePoolView[] {
    const out: InsurancePoolView[] = [];
    for (const v of VENUES) {
      const pool = this.pools[v];
      if (pool === undefined) continue;
      const samples = pool.samples.filter((s) => s[0] <= nowTs);
      if (samples.length === 0) continue;
      out.push({ venue: v, poolId: pool.poolId, asset: pool.asset, shared: pool.shared, samples });
    }
    return out;
  }

  toJSON(): Partial<Record<Venue, InsurancePoolState>> {
    return structuredClone(this.pools);
  }

  static fromJSON(state: Partial<Record<Venue, InsurancePoolState>> | undefined, horizonMs: number): InsurancePools {
    const p = new InsurancePools(horizonMs);
    p.pools = structuredClone(state ?? {});
    return p;
  }
}
