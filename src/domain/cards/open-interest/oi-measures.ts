/**
 * The open-interest measures the `open-interest` and `positioning` cards share, so that every
 * card reads a change of open interest by one rule.
 *
 * - Change over a window, in **base units** (contracts' underlying), never USD: a venue's USD
 *   figure moves with price even when no position opens or closes, so a USD change mixes the
 *   price move in. Summed over the venues current now **and** known at the window start (a venue
 *   appearing mid-window is not new open interest; one gone stale is left out at both ends).
 * - Confidence of an open-interest reading = the share of the current (base) open interest held
 *   by matched venues that **updated within the window**. A window in which no venue refreshed
 *   its open interest measures a change of zero with confidence 0 (the feed is alive but said
 *   nothing new, e.g. a 1-minute window between two of Binance's 30 s polls that both fell
 *   outside it), not a neutral stand-in.
 * - Open interest at other horizons: the start of each other timeframe's window
 *   (`input.timeframes[tf].oi`), i.e. 1, 5 and 60 minutes before the boundary. There is no base
 *   open interest at arbitrary times (`usdAt` is USD only), so no finer segmentation is possible.
 *
 * Cost: O(venues) per call; no allocation beyond a few small arrays.
 */
import type { Venue } from "../../events.js";
import { prints, type CardInput } from "../card.js";
import type { VenueWindow } from "../../inputs/venue-windows.js";
import type { Timeframe } from "../../vocabulary.js";

/** Open interest change of one window over the matched venues (base units). */
export interface OiChange {
  /** Σ base open interest of the matched venues at the window start and now. */
  readonly startBase: number;
  readonly base: number;
  /** (base − startBase) / startBase: a fraction of the open interest at the window start. */
  readonly change: number;
  /** The matched venues (current now and known at the window start), `VENUES` order. */
  readonly venues: readonly Venue[];
  /** Σ current base of matched venues updated within the window / Σ current base of all current venues. */
  readonly confidence: number;
}

/** The window's matched open-interest change, or the reason it cannot be read. */
export function oiChange(input: CardInput): OiChange | string {
  const { oi, ts, windowMs } = input;
  if (oi.base === null) return "open interest stale: no venue updated within inputs.oiStaleMs";
  if (!(oi.base > 0)) return "open interest is zero now";
  let startBase = 0;
  let base = 0;
  let refreshed = 0;
  const venues: Venue[] = [];
  for (const v of oi.venues) {
    if (v.base === null || v.startBase === null) continue;
    startBase += v.startBase;
    base += v.base;
    venues.push(v.venue);
    if (v.ts >= ts - windowMs) refreshed += v.base;
  }
  if (venues.length === 0) return "no open interest known at the window start";
  if (!(startBase > 0)) return "open interest was zero at the window start";
  return { startBase, base, change: (base - startBase) / startBase, venues, confidence: refreshed / oi.base };
}

/** Per venue, the base open interest in force at the start of timeframe `tf`'s window (null: unknown then). */
export function oiBaseAtStartOf(input: CardInput, tf: Timeframe): Partial<Record<Venue, number | null>> {
  const out: Partial<Record<Venue, number | null>> = {};
  for (const v of input.timeframes[tf].oi.venues) out[v.venue] = v.startBase;
  return out;
}

/** The other timeframes (and this one) ordered by window length, shortest first. */
export function timeframesByLength(input: CardInput): Timeframe[] {
  return (Object.keys(input.timeframes) as Timeframe[]).sort((a, b) => input.timeframes[a].windowMs - input.timeframes[b].windowMs);
}

/** Taker trades of the window summed over the given venues. */
export interface VenueTrades {
  readonly buyQty: number;
  readonly sellQty: number;
  readonly trades: number;
  /** Volume of unknown taker side on those venues (bars without a taker split). */
  readonly unsidedQty: number;
}

export function tradesOn(windows: readonly VenueWindow[], venues: readonly Venue[]): VenueTrades {
  let buyQty = 0;
  let sellQty = 0;
  let trades = 0;
  let unsided = 0;
  for (const w of windows) {
    if (!venues.includes(w.venue)) continue;
    unsided += w.window.unsidedQty;
    buyQty += w.window.buyQty;
    sellQty += w.window.sellQty;
    trades += prints(w.window);
  }
  return { buyQty, sellQty, trades, unsidedQty: unsided };
}

/** The forced part of a fall in open interest: see `oi.flush`. */
export interface Flush {
  /** min(OI fall, liquidated qty) / OI at the window start (fraction); 0 when OI did not fall. */
  readonly share: number;
  /** Liquidations (count, base qty, USD by side) on the matched venues in the window. */
  readonly count: number;
  readonly qty: number;
  readonly longUsd: number;
  readonly shortUsd: number;
  /** The venue windows counted (for the sampling label). */
  readonly windows: readonly VenueWindow[];
}

/**
 * Liquidated base quantity on the venues whose open-interest change is measured, against the
 * fall of their open interest: `min(max(0, startBase − base), liqQty) / startBase`.
 */
export function flushOf(input: CardInput, change: OiChange): Flush {
  let count = 0;
  let qty = 0;
  let longUsd = 0;
  let shortUsd = 0;
  const windows: VenueWindow[] = [];
  for (const w of input.venues) {
    if (!change.venues.includes(w.venue)) continue;
    windows.push(w);
    count += w.window.longLiqCount + w.window.shortLiqCount;
    qty += w.window.longLiqQty + w.window.shortLiqQty;
    longUsd += w.window.longLiqNotionalUsd;
    shortUsd += w.window.shortLiqNotionalUsd;
  }
  const fall = Math.max(0, change.startBase - change.base);
  return { share: Math.min(fall, qty) / change.startBase, count, qty, longUsd, shortUsd, windows };
}
