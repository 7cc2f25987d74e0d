/**
 * Candles (OHLCV) of 1, 5, 15 or 60 minutes, aggregated from the engine's one-minute bar ring
 * (`BarRing`, up to a day of minutes), for the price history a chart draws.
 *
 * Boundaries are event time: a candle of `tf` opens at a multiple of `tf` since the Unix epoch
 * (UTC), so 1h candles open on the hour and 15m candles at :00, :15, :30, :45, whatever minute
 * the ring starts at. A candle aggregates the ring's minutes inside it:
 * open of its first traded minute, close of its last, the highest high and lowest low; volume,
 * trades and liquidation notional summed over every minute held (traded or not).
 *
 * Honesty rules: nothing is carried forward. A candle whose minutes hold no trade (only
 * liquidations) has null OHLC, and a span with no minute held has no candle at all (a gap, not a
 * flat bar at the last close). The candle holding the minute still forming (the ring's head) is
 * `complete: false`.
 *
 * Pure: rows in (`BarRing.rows()`, `[minute, ...WINDOW_FIELD]`), candles out. Cost
 * O(rows · 1) per call (≤ 1,441 rows); no state.
 */
import { DERIVATIVE_FIELD as D } from "./inputs/derivative-minutes.js";
import { WINDOW_FIELD as F } from "./window.js";

export const MINUTE_MS = 60_000;

/** The candle widths served, and their length in minutes. */
export const CANDLE_TIMEFRAMES = { "1m": 1, "5m": 5, "15m": 15, "1h": 60 } as const;
export type CandleTimeframe = keyof typeof CANDLE_TIMEFRAMES;

/** One candle. Prices in quote currency (USDT), quantities in base units, notionals in USD. */
export interface Candle {
  /** Open time, ms (event time, UTC): a multiple of the timeframe. */
  ts: number;
  /** Null when no minute of the candle had a trade (it holds only liquidations). */
  open: number | null;
  high: number | null;
  low: number | null;
  close: number | null;
  /** Traded quantity, base units: taker buys + taker sells + volume of unknown side. */
  volume: number;
  /** Traded notional, USD (the VWAP numerator). */
  volumeUsd: number;
  trades: number;
  /** Notional of long positions liquidated (forced sells) in the candle, USD. */
  longLiqUsd: number;
  /** Notional of short positions liquidated (forced buys) in the candle, USD. */
  shortLiqUsd: number;
  /**
   * Summed open interest, USD, as it stood after the candle's newest open-interest update (over
   * the venues current then, `oiVenues` of them); null when no update fell in the candle (never
   * carried forward from an earlier candle).
   */
  openInterestUsd: number | null;
  oiVenues: number;
  /** Mean 8-hour-equivalent funding rate (a fraction) after the candle's newest funding update, over `fundingVenues` venues; null when none fell in it. */
  funding8h: number | null;
  fundingVenues: number;
  /** False for the candle holding the minute still forming: its numbers will change. */
  complete: boolean;
}

/** What {@link aggregateCandles} returns: the newest `limit` candles, oldest first. */
export interface CandleSeries {
  tf: CandleTimeframe;
  tfMs: number;
  /** Open time of the minute still forming (the newest event's minute), ms. */
  headTs: number;
  /** Time of the newest trade in the candles (its minute's last trade), ms; null without one. */
  lastTradeTs: number | null;
  candles: Candle[];
}

/** A number of the row, NaN when it was saved as null. */
function field(row: readonly (number | null)[], f: number): number {
  return row[1 + f] ?? Number.NaN;
}

function emptyCandle(ts: number): Candle {
  return {
    ts,
    open: null,
    high: null,
    low: null,
    close: null,
    volume: 0,
    volumeUsd: 0,
    trades: 0,
    longLiqUsd: 0,
    shortLiqUsd: 0,
    openInterestUsd: null,
    oiVenues: 0,
    funding8h: null,
    fundingVenues: 0,
    complete: true,
  };
}

function addMinute(c: Candle, row: readonly (number | null)[]): void {
  c.volume += field(row, F.buyQty) + field(row, F.sellQty) + field(row, F.unsidedQty);
  c.volumeUsd += field(row, F.buyNotionalUsd) + field(row, F.sellNotionalUsd) + field(row, F.unsidedNotionalUsd);
  c.trades += field(row, F.buyCount) + field(row, F.sellCount) + field(row, F.unsidedCount);
  c.longLiqUsd += field(row, F.longLiqNotionalUsd);
  c.shortLiqUsd += field(row, F.shortLiqNotionalUsd);
  if (field(row, F.priced) !== 1) return;
  const high = field(row, F.high);
  const low = field(row, F.low);
  c.open ??= field(row, F.open);
  c.high = c.high === null ? high : Math.max(c.high, high);
  c.low = c.low === null ? low : Math.min(c.low, low);
  c.close = field(row, F.close);
}

/** A derivative minute's number, null for NaN/null. */
function derivative(row: readonly (number | null)[], f: number): number | null {
  const x = row[1 + f];
  return x === null || x === undefined || Number.isNaN(x) ? null : x;
}

/**
 * Open interest and funding into the candles holding their minutes: each candle takes the newest
 * minute of its span that had an update (rows ascending by minute, so a later one overwrites).
 */
function addDerivatives(byBucket: Map<number, Candle>, rows: readonly (readonly (number | null)[])[], headMinute: number, tfMinutes: number): void {
  const sorted = rows.filter((r) => (r[0] as number) <= headMinute).sort((a, b) => (a[0] as number) - (b[0] as number));
  for (const row of sorted) {
    const candle = byBucket.get(Math.floor((row[0] as number) / tfMinutes));
    if (candle === undefined) continue;
    if (derivative(row, D.oiTs) !== null) {
      candle.openInterestUsd = derivative(row, D.oiUsd);
      candle.oiVenues = derivative(row, D.oiVenues) ?? 0;
    }
    if (derivative(row, D.fundingTs) !== null) {
      candle.funding8h = derivative(row, D.funding8h);
      candle.fundingVenues = derivative(row, D.fundingVenues) ?? 0;
    }
  }
}

/**
 * The newest `limit` candles of `tf` from one-minute bar rows (`[minute, ...fields]`, any order;
 * a minute newer than `headMinute` is ignored), oldest first. `headMinute` is the ring's head,
 * the minute still forming. `derivativeRows` (`DerivativeMinutes.rows`) add each candle's open
 * interest and funding; a candle exists only where the bars have a minute.
 */
export function aggregateCandles(
  rows: readonly (readonly (number | null)[])[],
  headMinute: number,
  tf: CandleTimeframe,
  limit: number,
  derivativeRows: readonly (readonly (number | null)[])[] = [],
): CandleSeries {
  const tfMinutes = CANDLE_TIMEFRAMES[tf];
  const sorted = rows.filter((r) => (r[0] as number) <= headMinute).sort((a, b) => (a[0] as number) - (b[0] as number));
  const byBucket = new Map<number, Candle>();
  let lastTradeTs: number | null = null;
  for (const row of sorted) {
    const minute = row[0] as number;
    const bucket = Math.floor(minute / tfMinutes);
    let candle = byBucket.get(bucket);
    if (candle === undefined) byBucket.set(bucket, (candle = emptyCandle(bucket * tfMinutes * MINUTE_MS)));
    addMinute(candle, row);
    if (field(row, F.priced) === 1) lastTradeTs = Math.max(lastTradeTs ?? -Infinity, field(row, F.closeTs) >= 0 ? field(row, F.closeTs) : minute * MINUTE_MS);
  }
  addDerivatives(byBucket, derivativeRows, headMinute, tfMinutes);
  const candles = [...byBucket.values()].slice(-limit);
  const headBucketTs = Math.floor(headMinute / tfMinutes) * tfMinutes * MINUTE_MS;
  for (const c of candles) c.complete = c.ts < headBucketTs;
  return { tf, tfMs: tfMinutes * MINUTE_MS, headTs: headMinute * MINUTE_MS, lastTradeTs, candles };
}
