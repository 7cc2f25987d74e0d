/**
 * Per-minute bars of the last `minutes` (24 h by default) from trades, venues' closed bars and liquidations: OHLC,
 * taker buy and sell volume (base and USD, the USD sum being the VWAP numerator), trade counts
 * and liquidation notional per side. A `RollingWindow` with one-minute buckets, so the rules for
 * OHLC, late events and jumps are the windows' own.
 *
 * Cards read it through `BarSeries`, built at most once per minute: complete minutes only (a bar
 * still forming at the boundary is not a bar), oldest first, with empty minutes carrying the last
 * close forward (no trade means no price change) and counted apart so a card can say how much
 * of its history is real (`minutesWithData`, `firstDataTs`).
 *
 * Persistence: the ring is large (1,440 minutes), so a Durable Object saves it as rows apart from
 * the engine checkpoint: `dirtyFrom()` says which minutes changed since the last save.
 * Cost: O(1) per event; memory: 1,441 × 23 doubles (265 KB).
 */
import { RollingWindow, WINDOW_FIELD as F, type WindowState } from "../window.js";

export const MINUTE_MS = 60_000;

/** Complete minute bars, oldest first, ending at the minute boundary at or before the cycle. */
export interface BarSeries {
  /** Open time of the first bar (ms); bar i opens at `t0 + i · 60 000`. */
  readonly t0: number;
  /** Bars in the series (complete minutes since the ring's reach, at most its length). */
  readonly length: number;
  /** Close, high, low per minute; NaN before the first traded minute; empty minutes carry the last close. */
  readonly close: Float64Array;
  readonly high: Float64Array;
  readonly low: Float64Array;
  readonly open: Float64Array;
  /** Taker buy and sell volume, base units and USD; trade count; liquidation notional by side. */
  readonly buyQty: Float64Array;
  readonly sellQty: Float64Array;
  readonly buyUsd: Float64Array;
  readonly sellUsd: Float64Array;
  /** Volume of unknown aggressor side (bars from a venue without a taker split), base units and USD. */
  readonly unsidedQty: Float64Array;
  readonly unsidedUsd: Float64Array;
  readonly trades: Float64Array;
  readonly longLiqUsd: Float64Array;
  readonly shortLiqUsd: Float64Array;
  /** Minutes that had at least one trade. */
  readonly minutesWithData: number;
  /** Open time of the first minute with a trade; null without one. */
  readonly firstDataTs: number | null;
}

export class BarRing {
  private window: RollingWindow;
  private dirty = Number.POSITIVE_INFINITY;
  /** The last series built, by the minute it ends at: rebuilt when a minute completes or a complete one changes. */
  private cached: { end: number; series: BarSeries } | null = null;

  /** `minutes`: complete minutes a series holds; the ring keeps one more, the minute forming. */
  constructor(readonly minutes: number) {
    this.window = new RollingWindow(MINUTE_MS, minutes + 1);
  }

  addTrade(ts: number, price: number, qty: number, isBuy: boolean): void {
    if (this.window.addTrade(ts, price, qty, isBuy)) this.touch(ts);
  }

  /** A closed bar into its own minute (the ring's buckets are minutes, so its `openTs` and `ts` agree). */
  addBar(bar: Parameters<RollingWindow["addBar"]>[0]): void {
    if (this.window.addBar(bar)) this.touch(bar.ts);
  }

  addLiquidation(ts: number, isLong: boolean, qty: number, notionalUsd: number): void {
    if (this.window.addLiquidation(ts, isLong, qty, notionalUsd)) this.touch(ts);
  }

  /**
   * The complete minutes before `ts`. Built once per minute: the five other boundaries of a minute
   * see the same complete minutes, unless an event lands in one of them (a late trade), which drops
   * the cache.
   */
  series(ts: number): BarSeries {
    const end = Math.floor(ts / MINUTE_MS);
    if (this.cached !== null && this.cached.end === end) return this.cached.series;
    const series = this.build(ts);
    this.cached = { end, series };
    return series;
  }

  advance(ts: number): void {
    this.window.advance(ts);
  }

  /** Oldest minute id changed since the last `markSaved()` (Infinity: none). */
  dirtyFrom(): number {
    return this.dirty;
  }

  markSaved(): void {
    this.dirty = Number.POSITIVE_INFINITY;
  }

  /** The held minutes with id ≥ `fromMinute`, `[id, ...fields]` (the row format of `WindowState.buckets`). */
  rows(fromMinute = 0): number[][] {
    return this.window.toJSON().buckets.filter((b) => b[0] >= fromMinute);
  }

  /** Held minute ids are `head − minutes … head`. */
  get headMinute(): number {
    return this.window.head;
  }

  toJSON(): WindowState {
    return this.window.toJSON();
  }

  static fromJSON(state: WindowState): BarRing {
    const r = new BarRing(state.size - 1);
    r.window = RollingWindow.fromJSON(state);
    return r;
  }

  private touch(ts: number): void {
    const k = Math.floor(ts / MINUTE_MS);
    if (k < this.dirty) this.dirty = k;
    // The minute still forming is not in any series; a change to a complete one is.
    if (this.cached !== null && k < this.cached.end) this.cached = null;
  }

  private build(ts: number): BarSeries {
    // The last `minutes` complete minutes: the ring holds them whatever its head (during a cycle the
    // head is at most the minute forming), so the series does not depend on when the head moved.
    const end = Math.floor(ts / MINUTE_MS); // first minute not complete at ts
    const first = Math.max(0, end - this.minutes);
    const n = end - first;
    const mk = () => new Float64Array(n);
    const s = {
      t0: first * MINUTE_MS,
      length: n,
      close: mk(),
      high: mk(),
      low: mk(),
      open: mk(),
      buyQty: mk(),
      sellQty: mk(),
      buyUsd: mk(),
      sellUsd: mk(),
      unsidedQty: mk(),
      unsidedUsd: mk(),
      trades: mk(),
      longLiqUsd: mk(),
      shortLiqUsd: mk(),
      minutesWithData: 0,
      firstDataTs: null as number | null,
    };
    const d = this.window.data;
    let last = Number.NaN;
    for (let i = 0; i < n; i++) {
      const o = this.window.offsetOf(first + i);
      const traded = o >= 0 && d[o + F.priced] !== 0;
      if (traded) {
        s.open[i] = d[o + F.open];
        s.high[i] = d[o + F.high];
        s.low[i] = d[o + F.low];
        s.close[i] = d[o + F.close];
        last = s.close[i];
        s.minutesWithData++;
        s.firstDataTs ??= (first + i) * MINUTE_MS;
      } else {
        s.open[i] = s.high[i] = s.low[i] = s.close[i] = last;
      }
      if (o >= 0) {
        s.buyQty[i] = d[o + F.buyQty];
        s.sellQty[i] = d[o + F.sellQty];
        s.buyUsd[i] = d[o + F.buyNotionalUsd];
        s.sellUsd[i] = d[o + F.sellNotionalUsd];
        s.unsidedQty[i] = d[o + F.unsidedQty];
        s.unsidedUsd[i] = d[o + F.unsidedNotionalUsd];
        s.trades[i] = d[o + F.buyCount] + d[o + F.sellCount] + d[o + F.unsidedCount];
        s.longLiqUsd[i] = d[o + F.longLiqNotionalUsd];
        s.shortLiqUsd[i] = d[o + F.shortLiqNotionalUsd];
      }
    }
    return s;
  }
}
