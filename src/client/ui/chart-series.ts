/**
 * The symbol chart's series as data, from what the API serves: candles (`/candles`), the
 * liquidated notional per candle and its running total per side, the mapping from event time to
 * the chart's bar index (the heatmap layer draws in it), the control values and the requests
 * they make, and the one rule for the current price line (never a stale price). Pure, so each
 * rule is unit-tested without a browser; chart.ts hands the results to lightweight-charts.
 */
import type { Candle, CandleTimeframe } from "../http.js";
import type { SymbolSnapshot } from "../types.js";
import { formatDateTimeUtc, formatPrice } from "./format.js";

/** Seconds since the epoch: lightweight-charts' time unit. */
export type ChartTime = number;

export interface CandleBar {
  time: ChartTime;
  open: number;
  high: number;
  low: number;
  close: number;
}

/** A bar of the liquidation pane: longs below zero (forced sells), shorts above. */
export interface SideBar {
  time: ChartTime;
  value: number;
}

export interface ChartSeries {
  /** One entry per candle; a candle without a trade is whitespace (`{ time }`), never a flat bar. */
  candles: (CandleBar | { time: ChartTime })[];
  /** Liquidated long notional per candle, as a negative value (drawn below the axis), USD. */
  longLiq: SideBar[];
  /** Liquidated short notional per candle, USD. */
  shortLiq: SideBar[];
  /** Running totals per side since the first candle, USD (both positive). */
  longCumulative: SideBar[];
  shortCumulative: SideBar[];
  /**
   * Summed open interest per candle, USD, and the mean 8-hour-equivalent funding rate per candle in
   * percent (0.01 = 0.01 %): whitespace (`{ time }`) where the candle had no update, never a value
   * carried over from an earlier candle.
   */
  openInterest: (SideBar | { time: ChartTime })[];
  funding: (SideBar | { time: ChartTime })[];
  /** Candles with an open-interest / a funding value. */
  oiPoints: number;
  fundingPoints: number;
  /** Open times of the candles, ms, ascending: the chart's bar index i is `times[i]`. */
  times: number[];
  tfMs: number;
}

/** The candles as chart series (times in seconds), oldest first. */
export function chartSeries(candles: readonly Candle[], tfMs: number): ChartSeries {
  const out: ChartSeries = {
    candles: [],
    longLiq: [],
    shortLiq: [],
    longCumulative: [],
    shortCumulative: [],
    openInterest: [],
    funding: [],
    oiPoints: 0,
    fundingPoints: 0,
    times: [],
    tfMs,
  };
  let longSum = 0;
  let shortSum = 0;
  for (const c of candles) {
    const time = c.ts / 1000;
    out.times.push(c.ts);
    out.candles.push(c.open !== null && c.high !== null && c.low !== null && c.close !== null ? { time, open: c.open, high: c.high, low: c.low, close: c.close } : { time });
    longSum += c.longLiqUsd;
    shortSum += c.shortLiqUsd;
    out.longLiq.push({ time, value: -c.longLiqUsd });
    out.shortLiq.push({ time, value: c.shortLiqUsd });
    out.longCumulative.push({ time, value: longSum });
    out.shortCumulative.push({ time, value: shortSum });
    out.openInterest.push(c.openInterestUsd === null ? { time } : { time, value: c.openInterestUsd });
    out.funding.push(c.funding8h === null ? { time } : { time, value: c.funding8h * 100 });
    if (c.openInterestUsd !== null) out.oiPoints++;
    if (c.funding8h !== null) out.fundingPoints++;
  }
  return out;
}

/**
 * The chart's bar index (lightweight-charts' "logical" coordinate, bar i centred on i) of event
 * time `ts`, given the candles' open times. A time inside candle i maps into `[i − 0.5, i + 0.5)`
 * by its fraction of the candle; a time in a gap between candles maps to the gap's edge; a time
 * before the first or after the last candle is extrapolated at one bar per `tfMs`. Null without
 * candles (nothing to place it against).
 */
export function logicalOf(ts: number, times: readonly number[], tfMs: number): number | null {
  const n = times.length;
  if (n === 0) return null;
  if (ts < times[0]) return (ts - times[0]) / tfMs - 0.5;
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (times[mid] <= ts) lo = mid;
    else hi = mid - 1;
  }
  const frac = (ts - times[lo]) / tfMs;
  if (lo === n - 1) return lo - 0.5 + frac;
  return lo - 0.5 + Math.min(1, frac);
}

/** The current price line's value, or why none is drawn. */
export type PriceLine = { price: number; ts: number } | { price: null; reason: string };

/**
 * The price a chart may draw as current: the snapshot's `price` while it is current. The engine
 * sets `price` to null once the last trade is older than its staleness limit (in event time) and
 * keeps the last value under `carried.price` with `stale: true`; such a price is named with its
 * date, never drawn as current.
 */
export function currentPriceLine(s: Pick<SymbolSnapshot, "price" | "ts"> & { carried?: Pick<SymbolSnapshot["carried"], "price"> }): PriceLine {
  const carried = s.carried?.price ?? null;
  if (carried?.stale === true) {
    return { price: null, reason: `price stale: last trade ${formatPrice(carried.value)} at ${formatDateTimeUtc(carried.ts)} UTC, ${formatAge(carried.ageMs)} before the newest cycle` };
  }
  if (s.price === null) return { price: null, reason: "no trade yet" };
  return { price: s.price, ts: s.ts };
}

function formatAge(ms: number): string {
  if (ms >= 86_400_000) return `${Math.round(ms / 86_400_000)} days`;
  if (ms >= 3_600_000) return `${Math.round(ms / 3_600_000)} h`;
  if (ms >= 60_000) return `${Math.round(ms / 60_000)} min`;
  return `${Math.round(ms / 1000)} s`;
}

/**
 * The chart's controls. `timeBin` is both the heatmap's time bin and the candle width; `venue`
 * filters the heatmap; `tier` the estimated levels (a leverage of the level model, as text, e.g. "25").
 */
export interface ChartControls {
  window: "1h" | "4h" | "12h" | "24h";
  timeBin: CandleTimeframe;
  priceBin: "5bps" | "10bps" | "25bps" | "50bps";
  venue: "all" | "binance" | "bybit" | "okx" | "hyperliquid";
  tier: "all" | `${number}`;
}

export const WINDOW_MS: Record<ChartControls["window"], number> = { "1h": 3_600_000, "4h": 14_400_000, "12h": 43_200_000, "24h": 86_400_000 };
export const TIMEFRAME_MS: Record<CandleTimeframe, number> = { "1m": 60_000, "5m": 300_000, "15m": 900_000, "1h": 3_600_000 };

/** The engine's heatmap defaults (24 h, 1 min, 10 bps): what the `SYMBOL:heatmap` channel serves. */
export const STREAMED_HEATMAP: ChartControls = { window: "24h", timeBin: "1m", priceBin: "10bps", venue: "all", tier: "all" };

/** True when the controls ask for the heatmap the stream already serves. */
export function isStreamedHeatmap(c: ChartControls): boolean {
  return c.window === STREAMED_HEATMAP.window && c.timeBin === STREAMED_HEATMAP.timeBin && c.priceBin === STREAMED_HEATMAP.priceBin && c.venue === "all";
}

/** True when the controls ask for the levels the stream already serves (every tier). */
export function isStreamedLevels(c: ChartControls): boolean {
  return c.tier === "all";
}

/**
 * The `/heatmap`, `/candles` and `/levels` queries the controls make (candles: one per time bin
 * over the window, at most 1,440; levels only with a tier filter, else the stream's are drawn).
 */
export function chartRequests(c: ChartControls): {
  heatmap: { window: string; timeBin: string; priceBin: string; venue?: string };
  candles: { tf: CandleTimeframe; limit: number };
  levels: { leverage: string } | null;
} {
  const limit = Math.min(1_440, Math.max(1, Math.ceil(WINDOW_MS[c.window] / TIMEFRAME_MS[c.timeBin])));
  const heatmap = { window: c.window, timeBin: c.timeBin, priceBin: c.priceBin, ...(c.venue !== "all" ? { venue: c.venue } : {}) };
  return { heatmap, candles: { tf: c.timeBin, limit }, levels: c.tier === "all" ? null : { leverage: c.tier } };
}
