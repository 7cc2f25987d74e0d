/**
 * Maintenance-margin brackets per venue, kept as data with their source and date, and the
 * liquidation price of an isolated position under them.
 *
 * A bracket applies to positions whose notional N (USD at entry) is at most
 * `maxNotionalUsd` (and above the previous bracket's cap); its maintenance margin is
 * `N·mmr − cumUsd`, where `cumUsd` (Binance "cum", Bybit "mmDeduction") makes the margin
 * continuous across brackets: cum_n = cum_{n−1} + cap_{n−1}·(mmr_n − mmr_{n−1}).
 *
 * Liquidation price of an isolated position opened at P with leverage L (margin N/L):
 *
 *   long   LP = P·(1 − 1/L − cum/N) / (1 − mmr)
 *   short  LP = P·(1 + 1/L + cum/N) / (1 + mmr)
 *
 * (equity N/L ± Q·(LP − P) equals maintenance mmr·Q·LP − cum, Q = N/P). Hand check: BTC tier
 * 1, mmr 0.4 %, cum 0, P = 100,000, 100× long: 100000·0.99/0.996 = 99,397.59 (not 99,000).
 * Fees and the venues' liquidation buffers are left out: LP is where maintenance is breached.
 *
 * The tables themselves, with their sources and dates, are data: `brackets-data.ts`. In live mode
 * the collector also fetches Bybit's and OKX's current tables (src/exchanges/brackets-live.ts);
 * `resolveTable` ranks them between config overrides and the shipped ones.
 */
import type { Venue } from "../events.js";
import { DEFAULT_BRACKET_TABLES, FALLBACK_TABLE } from "./brackets-data.js";

export interface Bracket {
  /** Upper bound of position notional (USD) for this bracket; null = unbounded (last bracket only). */
  maxNotionalUsd: number | null;
  /** Highest leverage the venue allows inside this bracket. */
  maxLeverage: number;
  /** Maintenance margin rate (fraction, 0.004 = 0.4 %). */
  mmr: number;
  /** Maintenance amount / deduction, USD. */
  cumUsd: number;
  /**
   * Upper bound of position size in base-asset units, for venues that define their tiers by size
   * rather than notional (OKX: `maxSz` contracts × `ctVal`); absent for Binance and Bybit. Where
   * set, `maxNotionalUsd` is this cap at the table's stated reference price, and `bracketFor`
   * uses this cap instead when it is given the position's price. null = unbounded (last only).
   */
  maxBaseQty?: number | null;
}

export interface BracketTable {
  /** Stable id, e.g. `binance:BTCUSDT:2026-11`. */
  id: string;
  venue: Venue | "*";
  /** Unified symbol, or `*` for a fallback. */
  symbol: string;
  /** Where the numbers come from. */
  source: string;
  /**
   * Month the table was transcribed (the venue may have changed it since), ISO `YYYY-MM(-DD)`; for a
   * table fetched live, the ISO time of the fetch.
   */
  asOf: string;
  /** True when the table is an assumption rather than the venue's published table for the symbol. */
  assumed: boolean;
  /** Ascending by `maxNotionalUsd`. */
  brackets: Bracket[];
}

/**
 * The table for a venue and symbol, in this order of precedence:
 * 1. overrides (from the engine config): for the venue and symbol, then for the venue (`*`
 *    symbol), then for any venue (`*`, the symbol or `*`): an operator's explicit choice wins;
 * 2. `live`: the table the venue published, fetched by the collector in live mode (exact venue
 *    and symbol only; see src/exchanges/brackets-live.ts);
 * 3. the shipped table for the venue and symbol;
 * 4. `FALLBACK_TABLE`.
 */
export function resolveTable(overrides: readonly BracketTable[], venue: Venue, symbol: string, live: readonly BracketTable[] = []): BracketTable {
  return (
    overrides.find((t) => t.venue === venue && t.symbol === symbol) ??
    overrides.find((t) => t.venue === venue && t.symbol === "*") ??
    overrides.find((t) => t.venue === "*" && (t.symbol === symbol || t.symbol === "*")) ??
    live.find((t) => t.venue === venue && t.symbol === symbol) ??
    DEFAULT_BRACKET_TABLES.find((t) => t.venue === venue && t.symbol === symbol) ??
    FALLBACK_TABLE
  );
}

/**
 * Problems with a table fetched live for `symbol` (empty when it may be used): a known venue (not
 * `*`), the symbol itself (not `*`), not `assumed`, text fields present, and `bracketTableProblems`.
 * Checks the shape too, since such a table crosses an RPC boundary.
 */
export function liveTableProblems(value: unknown, symbol: string, venues: readonly string[]): string[] {
  if (typeof value !== "object" || value === null) return ["table must be an object"];
  const t = value as Record<string, unknown>;
  const out: string[] = [];
  for (const field of ["id", "source", "asOf"] as const) if (typeof t[field] !== "string" || t[field] === "") out.push(`${field} must be a non-empty string`);
  if (typeof t.venue !== "string" || !venues.includes(t.venue)) out.push(`venue must be one of ${venues.join(", ")} (got ${JSON.stringify(t.venue)})`);
  if (t.symbol !== symbol) out.push(`symbol must be ${symbol} (got ${JSON.stringify(t.symbol)})`);
  if (t.assumed !== false) out.push("assumed must be false for a table fetched from the venue");
  if (!Array.isArray(t.brackets)) return [...out, "brackets must be an array"];
  t.brackets.forEach((br: unknown, i: number) => {
    const b = br as Record<string, unknown> | null;
    if (typeof b !== "object" || b === null) out.push(`brackets.${i} must be an object`);
    else {
      for (const f of ["maxLeverage", "mmr", "cumUsd"] as const) if (typeof b[f] !== "number") out.push(`brackets.${i}.${f} must be a number`);
      if (b.maxNotionalUsd !== null && typeof b.maxNotionalUsd !== "number") out.push(`brackets.${i}.maxNotionalUsd must be a number or null`);
      if (b.maxBaseQty !== undefined && b.maxBaseQty !== null && typeof b.maxBaseQty !== "number") out.push(`brackets.${i}.maxBaseQty must be a number, null or absent`);
    }
  });
  return out.length > 0 ? out : bracketTableProblems(value as BracketTable);
}

/**
 * The bracket for a position of `notionalUsd` at `leverage`: the first whose cap holds the
 * notional; when the venue does not allow that leverage in that bracket, the last bracket
 * that does (a smaller position), and when no bracket allows it, the first bracket.
 *
 * With `price` (USD per base unit) and a table whose brackets all carry `maxBaseQty` (OKX), the
 * cap compared is the base quantity `notionalUsd / price` against `maxBaseQty`, as the venue
 * does; without it, `maxNotionalUsd` (that cap at the table's reference price) is used.
 */
export function bracketFor(table: BracketTable, notionalUsd: number, leverage: number, price?: number): Bracket {
  const list = table.brackets;
  const byBase = price !== undefined && price > 0 && Number.isFinite(price) && list.every((br) => br.maxBaseQty !== undefined);
  const size = byBase ? notionalUsd / (price as number) : notionalUsd;
  const cap = (br: Bracket): number | null => (byBase ? (br.maxBaseQty as number | null) : br.maxNotionalUsd);
  let i = 0;
  while (i < list.length - 1 && cap(list[i]) !== null && size > (cap(list[i]) as number)) i++;
  if (list[i].maxLeverage >= leverage) return list[i];
  for (let j = i - 1; j >= 0; j--) if (list[j].maxLeverage >= leverage) return list[j];
  return list[0];
}

/** Highest leverage a table allows (its first bracket's). */
export function maxLeverage(table: BracketTable): number {
  let max = 0;
  for (const br of table.brackets) if (br.maxLeverage > max) max = br.maxLeverage;
  return max;
}

/**
 * Liquidation price of an isolated `side` position opened at `entryPrice` with `leverage` and
 * position notional `notionalUsd`, under maintenance rate `mmr` and amount `cumUsd` (formula
 * in the module comment). Returns null when the position cannot be liquidated (a long whose
 * formula gives a price ≤ 0, e.g. 1× with cum ≥ 0).
 */
export function liquidationPrice(side: "long" | "short", entryPrice: number, leverage: number, mmr: number, cumUsd: number, notionalUsd: number): number | null {
  const cumShare = cumUsd / notionalUsd;
  if (side === "long") {
    const lp = (entryPrice * (1 - 1 / leverage - cumShare)) / (1 - mmr);
    return lp > 0 ? lp : null;
  }
  return (entryPrice * (1 + 1 / leverage + cumShare)) / (1 + mmr);
}

/**
 * Problems with a table, as `field: problem` strings (empty when valid): brackets ascending
 * by cap (and by `maxBaseQty` where set), only the last unbounded, mmr in (0, 1), leverage in
 * [1, 1000], cum ≥ 0.
 */
export function bracketTableProblems(table: BracketTable): string[] {
  const out: string[] = [];
  if (table.brackets.length === 0) out.push("brackets must not be empty");
  let prevCap = 0;
  let prevBase = 0;
  table.brackets.forEach((br, i) => {
    const at = `brackets.${i}`;
    if (!(br.mmr > 0 && br.mmr < 1)) out.push(`${at}.mmr must be > 0 and < 1 (got ${br.mmr})`);
    if (!(br.maxLeverage >= 1 && br.maxLeverage <= 1000)) out.push(`${at}.maxLeverage must be in [1, 1000] (got ${br.maxLeverage})`);
    if (!(br.cumUsd >= 0)) out.push(`${at}.cumUsd must be >= 0 (got ${br.cumUsd})`);
    if (br.maxNotionalUsd === null) {
      if (i !== table.brackets.length - 1) out.push(`${at}.maxNotionalUsd may be null only on the last bracket`);
    } else if (!(br.maxNotionalUsd > prevCap)) {
      out.push(`${at}.maxNotionalUsd must be > ${prevCap} (got ${br.maxNotionalUsd})`);
    } else prevCap = br.maxNotionalUsd;
    if (br.maxBaseQty === null) {
      if (i !== table.brackets.length - 1) out.push(`${at}.maxBaseQty may be null only on the last bracket`);
    } else if (br.maxBaseQty !== undefined) {
      if (!(br.maxBaseQty > prevBase)) out.push(`${at}.maxBaseQty must be > ${prevBase} (got ${br.maxBaseQty})`);
      else prevBase = br.maxBaseQty;
    }
  });
  return out;
}
