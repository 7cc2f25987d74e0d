/**
 * Rolling windows per venue (trades and liquidations), and the summed window
 * across venues derived from them at read time.
 *
 * Each venue that sent a trade or a liquidation has its own `RollingWindow` (10 s buckets,
 * one hour), so a card can read one venue's taker flow or last price beside the total. The
 * summed window is not stored twice: `sum()` merges the venues' sums (quantities and notionals
 * added in `VENUES` order, OHLC merged by trade time), so a symbol traded on one venue costs what
 * it did with one window. Cost: O(1) per event; O(venues · buckets) per read.
 */
import { VENUES, type LiquidationSampling, type Venue } from "../events.js";
import { emptySums, mergeTrades, RollingWindow, type WindowState, type WindowSums } from "../window.js";

/** One venue's window at a cycle boundary. */
export interface VenueWindow {
  readonly venue: Venue;
  readonly window: Readonly<WindowSums>;
  /** The venue's latest trade (by event time) at or before the boundary; null before any. */
  readonly last: { readonly price: number; readonly ts: number } | null;
  /** How the venue publishes liquidations (from its liquidation events); null before any. */
  readonly liquidationSampling: LiquidationSampling | null;
}

export interface VenueWindowsState {
  venues: Partial<Record<Venue, { window: WindowState; last: { price: number; ts: number } | null; sampling?: LiquidationSampling }>>;
}

export class VenueWindows {
  private windows: Partial<Record<Venue, RollingWindow>> = {};
  private last: Partial<Record<Venue, { price: number; ts: number }>> = {};
  private sampling: Partial<Record<Venue, LiquidationSampling>> = {};

  constructor(
    private readonly bucketMs: number,
    private readonly size: number,
  ) {}

  /** Adds a trade; false when older than the ring (counted too late by the caller). */
  addTrade(venue: Venue, ts: number, price: number, qty: number, isBuy: boolean): boolean {
    const prev = this.last[venue];
    if (prev === undefined || ts >= prev.ts) this.last[venue] = { price, ts };
    return this.windowOf(venue).addTrade(ts, price, qty, isBuy);
  }

  /** A closed bar (see `RollingWindow.addBar`); its close sets the venue's last price when newer. False when older than the ring. */
  addBar(venue: Venue, bar: Parameters<RollingWindow["addBar"]>[0]): boolean {
    const prev = this.last[venue];
    if (prev === undefined || bar.ts >= prev.ts) this.last[venue] = { price: bar.close, ts: bar.ts };
    return this.windowOf(venue).addBar(bar);
  }

  addLiquidation(venue: Venue, ts: number, isLong: boolean, qty: number, notionalUsd: number, sampling: LiquidationSampling): boolean {
    this.sampling[venue] = sampling;
    return this.windowOf(venue).addLiquidation(ts, isLong, qty, notionalUsd);
  }

  /** The venue's latest trade price and time, undefined before any. */
  lastTrade(venue: Venue): { price: number; ts: number } | undefined {
    return this.last[venue];
  }

  /** Per venue with a window (`VENUES` order): its sums over `[endTs − lengthMs, endTs)`. */
  venueSums(endTs: number, lengthMs: number): VenueWindow[] {
    const out: VenueWindow[] = [];
    for (const v of VENUES) {
      const w = this.windows[v];
      if (w === undefined) continue;
      out.push({ venue: v, window: w.sum(endTs, lengthMs), last: this.last[v] ?? null, liquidationSampling: this.sampling[v] ?? null });
    }
    return out;
  }

  /** The venues' sums merged: the window of the symbol across venues. */
  static merge(venues: readonly VenueWindow[], startTs: number, endTs: number): WindowSums {
    const out = emptySums(startTs, endTs);
    for (const { window: w } of venues) {
      out.buyQty += w.buyQty;
      out.sellQty += w.sellQty;
      out.buyNotionalUsd += w.buyNotionalUsd;
      out.sellNotionalUsd += w.sellNotionalUsd;
      out.buyCount += w.buyCount;
      out.sellCount += w.sellCount;
      out.longLiqCount += w.longLiqCount;
      out.longLiqQty += w.longLiqQty;
      out.longLiqNotionalUsd += w.longLiqNotionalUsd;
      out.shortLiqCount += w.shortLiqCount;
      out.shortLiqQty += w.shortLiqQty;
      out.shortLiqNotionalUsd += w.shortLiqNotionalUsd;
      out.unsidedQty += w.unsidedQty;
      out.unsidedNotionalUsd += w.unsidedNotionalUsd;
      out.unsidedCount += w.unsidedCount;
      if (w.open !== null && w.high !== null && w.low !== null && w.close !== null) mergeTrades(out, w.open, w.openTs, w.high, w.low, w.close, w.closeTs);
    }
    return out;
  }

  advance(ts: number): void {
    for (const v of VENUES) this.windows[v]?.advance(ts);
  }

  toJSON(): VenueWindowsState {
    const venues: VenueWindowsState["venues"] = {};
    for (const v of VENUES) {
      const w = this.windows[v];
      if (w === undefined) continue;
      venues[v] = { window: w.toJSON(), last: this.last[v] ?? null };
      if (this.sampling[v] !== undefined) venues[v].sampling = this.sampling[v];
    }
    return { venues };
  }

  static fromJSON(state: VenueWindowsState, bucketMs: number, size: number): VenueWindows {
    const out = new VenueWindows(bucketMs, size);
    for (const v of VENUES) {
      const s = state.venues[v];
      if (s === undefined) continue;
      out.windows[v] = RollingWindow.fromJSON(s.window);
      if (s.last !== null) out.last[v] = { ...s.last };
      if (s.sampling !== undefined) out.sampling[v] = s.sampling;
    }
    return out;
  }

  private windowOf(venue: Venue): RollingWindow {
    let w = this.windows[venue];
    if (w === undefined) {
      w = new RollingWindow(this.bucketMs, this.size);
      // A venue joining late starts with the others' head, so its ring refuses what theirs would.
      for (const other of VENUES) {
        const o = this.windows[other];
        if (o !== undefined && o.head >= 0) {
          w.advance(o.head * this.bucketMs);
          break;
        }
      }
      this.windows[venue] = w;
    }
    return w;
  }
}
