/**
 * `LiquidationLog`: what a symbol keeps of every liquidation it applied, apart from the maps:
 * cumulative totals per liquidated side (every one counted, since the engine began) and a ring of
 * the most recent ones (oldest overwritten first). The snapshot's `liquidations`, the engine's
 * `recentLiquidations()` and the seed of maps restored from old checkpoints read it.
 */
import type { LiquidationEvent, Venue } from "../events.js";
import type { LiquidationTotals } from "../../protocol/snapshot.js";

/** One stored liquidation (`side` = liquidated position side). */
export interface RecentLiquidation {
  venue: Venue;
  ts: number;
  side: "long" | "short";
  price: number;
  qty: number;
  notionalUsd: number;
  sampling: LiquidationEvent["sampling"];
}

export class LiquidationLog {
  private totals: LiquidationTotals = {
    long: { count: 0, qty: 0, notionalUsd: 0 },
    short: { count: 0, qty: 0, notionalUsd: 0 },
  };
  private recent: RecentLiquidation[] = [];
  /** Index of the oldest entry once the ring is full. */
  private start = 0;

  constructor(private readonly capacity: number) {}

  add(ev: LiquidationEvent): void {
    const side = ev.side === "long" ? this.totals.long : this.totals.short;
    side.count++;
    side.qty += ev.qty;
    side.notionalUsd += ev.notionalUsd;
    const entry: RecentLiquidation = { venue: ev.venue, ts: ev.ts, side: ev.side, price: ev.price, qty: ev.qty, notionalUsd: ev.notionalUsd, sampling: ev.sampling };
    if (this.recent.length < this.capacity) {
      this.recent.push(entry);
      return;
    }
    this.recent[this.start] = entry;
    this.start = (this.start + 1) % this.recent.length;
  }

  /** Cumulative totals per liquidated side (a copy). */
  totalsNow(): LiquidationTotals {
    return { long: { ...this.totals.long }, short: { ...this.totals.short } };
  }

  /** Up to `limit` most recent, newest first (copies). */
  newest(limit: number): RecentLiquidation[] {
    const n = this.recent.length;
    const out: RecentLiquidation[] = [];
    for (let i = 0; i < n && out.length < limit; i++) out.push({ ...this.recent[(this.start + n - 1 - i) % n] });
    return out;
  }

  /** The ring oldest first (copies), as checkpoints hold it. */
  oldestFirst(): RecentLiquidation[] {
    const n = this.recent.length;
    const out: RecentLiquidation[] = [];
    for (let i = 0; i < n; i++) out.push({ ...this.recent[(this.start + i) % n] });
    return out;
  }

  static fromJSON(totals: LiquidationTotals, recentOldestFirst: readonly RecentLiquidation[], capacity: number): LiquidationLog {
    const log = new LiquidationLog(capacity);
    log.totals = { long: { ...totals.long }, short: { ...totals.short } };
    log.recent = recentOldestFirst.slice(-capacity).map((r) => ({ ...r }));
    return log;
  }
}
