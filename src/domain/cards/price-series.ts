/**
 * What the price-structure cards (momentum, trend, mean reversion, VWAP, volatility, volume,
 * regime, exhaustion, divergence) compute from the one-minute bars again and again, computed once
 * per bar series (the bar ring builds one per minute; the three timeframes and every card share it).
 *
 * Conventions: minute `i` of a series spans `[t0 + i·60 000, t0 + (i + 1)·60 000)`; ranges
 * `[from, to)` are minute indexes; a minute before the first traded one has no price (NaN) and is
 * skipped; a quiet minute after it carries the last close, so its return is 0 (no trade, no move).
 * Volume includes bar volume of unknown side.
 */
import type { BarSeries } from "../inputs/bar-ring.js";

const returnsCache = new WeakMap<BarSeries, Float64Array>();

/** Minute log returns, close to close: `r[i] = ln(close[i] / close[i − 1])`, NaN where either has no price. */
export function logReturns(bars: BarSeries): Float64Array {
  let r = returnsCache.get(bars);
  if (r === undefined) {
    r = new Float64Array(bars.length).fill(Number.NaN);
    for (let i = 1; i < bars.length; i++) {
      const a = bars.close[i - 1];
      const b = bars.close[i];
      if (a > 0 && b > 0) r[i] = Math.log(b / a);
    }
    returnsCache.set(bars, r);
  }
  return r;
}

/** Sample standard deviation of the minute returns in `[from, to)` (NaN returns skipped) and how many it read. */
export function returnStdev(bars: BarSeries, from: number, to: number): { sigma: number; n: number } {
  const r = logReturns(bars);
  let n = 0;
  let sum = 0;
  let sumSq = 0;
  for (let i = Math.max(1, from); i < Math.min(r.length, to); i++) {
    const x = r[i];
    if (Number.isNaN(x)) continue;
    n++;
    sum += x;
    sumSq += x * x;
  }
  if (n < 2) return { sigma: Number.NaN, n };
  const mean = sum / n;
  return { sigma: Math.sqrt(Math.max(0, (sumSq - n * mean * mean) / (n - 1))), n };
}

/** Mean of the closes in `[from, to)` (minutes without a price skipped) and how many it read. */
export function meanClose(bars: BarSeries, from: number, to: number): { mean: number; n: number } {
  let n = 0;
  let sum = 0;
  for (let i = Math.max(0, from); i < Math.min(bars.length, to); i++) {
    const c = bars.close[i];
    if (Number.isNaN(c)) continue;
    n++;
    sum += c;
  }
  return { mean: n > 0 ? sum / n : Number.NaN, n };
}

/** Volume-weighted average price of `[from, to)`: Σ notional / Σ quantity (USD per base unit), NaN without volume. */
export function vwapOf(bars: BarSeries, from: number, to: number): { vwap: number; qty: number; usd: number } {
  let qty = 0;
  let usd = 0;
  for (let i = Math.max(0, from); i < Math.min(bars.length, to); i++) {
    qty += bars.buyQty[i] + bars.sellQty[i] + bars.unsidedQty[i];
    usd += bars.buyUsd[i] + bars.sellUsd[i] + bars.unsidedUsd[i];
  }
  return { vwap: qty > 0 ? usd / qty : Number.NaN, qty, usd };
}

/** Traded notional of minute `i` (taker buy + sell + volume of unknown side), USD. */
export function minuteUsd(bars: BarSeries, i: number): number {
  return bars.buyUsd[i] + bars.sellUsd[i] + bars.unsidedUsd[i];
}

const daySigmaCache = new WeakMap<BarSeries, { sigma: number; n: number }>();

/** σ of the minute returns over the whole series (up to the day), computed once per series. */
export function daySigma(bars: BarSeries): { sigma: number; n: number } {
  let s = daySigmaCache.get(bars);
  if (s === undefined) {
    s = returnStdev(bars, 0, bars.length);
    daySigmaCache.set(bars, s);
  }
  return s;
}
