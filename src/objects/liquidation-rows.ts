/**
 * The liquidation rows of the objects' SQLite tables: their shape (`notional_usd`) and wire
 * shape, and for SymbolObject's table the page query and the retention that prunes it.
 * SymbolObject lists its own rows; the Coordinator lists the largest across symbols.
 *
 * Paging. Rows are listed newest first by (ts, id), `id` being the table's INTEGER PRIMARY KEY
 * (the rowid, growing with arrival), and a page starts strictly after the previous page's last
 * key (src/protocol/liquidation-cursor.ts). The `liquidations_ts` index on (ts) holds the rowid
 * as its last column, so it is already an index on (ts, id): the page query is a descending
 * range seek on it with no sort, whatever the table's size (the plans are pinned in
 * test/worker/liquidation-paging.test.ts).
 *
 * Retention. Rows older than the retention (LIQUIDATION_RETENTION_DAYS, default 30) before the
 * symbol's newest event time are deleted, oldest first, at most PRUNE_BATCH_ROWS at a time, once
 * per cycle and once per alarm. A prune is an ascending seek on the same index at 2–7 µs a row
 * here (≈ 4.5 µs typical, with its three index entries): ≤ 1.2 ms a batch of 256 at 4.5 µs, a
 * fifth of a cycle with its checkpoint (≈ 6 ms, BENCHMARKS.md), so a backlog (a replay jumping
 * months, a retention lowered) drains over several cycles instead of stalling one. Steady state
 * needs far less: 256 rows a 10 s cycle is 2.2 M rows a day of event time, against at most
 * 86,400 a day from each venue that publishes one liquidation per second. Event time, never the wall clock: a replay runs years in the past, and its
 * loops shift event time forward only (src/replay/timeline.ts `loopShiftMs`).
 */
import type { LiquidationCursor } from "../protocol/liquidation-cursor.js";
import type { StoredLiquidation } from "../protocol/stream.js";

export interface LiquidationRow extends Record<string, SqlStorageValue> {
  ts: number;
  venue: string;
  side: string;
  price: number;
  qty: number;
  notional_usd: number;
  sampling: string;
}

/** The columns to select for `storedLiquidation`. */
export const LIQUIDATION_COLUMNS = "ts, venue, side, price, qty, notional_usd, sampling";

export function storedLiquidation(r: LiquidationRow): StoredLiquidation {
  return { ts: r.ts, venue: r.venue, side: r.side as "long" | "short", price: r.price, qty: r.qty, notionalUsd: r.notional_usd, sampling: r.sampling };
}

/**
 * One page, newest first: rows with `ts >= ?1` strictly after the key `(?2, ?3)`, at most `?4`.
 * The first page passes the largest key, so one statement (and one plan) serves every page.
 */
export const LIQUIDATION_PAGE_SQL = `SELECT id, ${LIQUIDATION_COLUMNS} FROM liquidations
  WHERE ts >= ?1 AND (ts, id) < (?2, ?3) ORDER BY ts DESC, id DESC LIMIT ?4`;

/** Deletes the oldest rows with `ts < ?1`, at most `?2`, returning one row per deleted row. */
export const LIQUIDATION_PRUNE_SQL = `DELETE FROM liquidations
  WHERE id IN (SELECT id FROM liquidations WHERE ts < ?1 ORDER BY ts LIMIT ?2) RETURNING id`;

/** Rows deleted per prune at most (once per cycle and once per alarm). */
export const PRUNE_BATCH_ROWS = 256;

export const DEFAULT_LIQUIDATION_RETENTION_DAYS = 30;
export const MAX_LIQUIDATION_RETENTION_DAYS = 3650;
export const DAY_MS = 86_400_000;

/** A page of rows and the key of its last row when more rows follow (null at the end). */
export interface LiquidationPage {
  liquidations: StoredLiquidation[];
  next: LiquidationCursor | null;
}

/**
 * Up to `limit` rows newest first, with `ts >= sinceTs` (when given) and after `after` (when
 * given). Reads one row more than it returns to know whether another page follows, so the last
 * page says so itself instead of the walk ending on an empty page.
 */
export function liquidationPage(sql: SqlStorage, query: { sinceTs?: number; after?: LiquidationCursor; limit: number }): LiquidationPage {
  const after = query.after ?? { ts: Number.MAX_SAFE_INTEGER, id: Number.MAX_SAFE_INTEGER };
  const rows = sql.exec<LiquidationRow & { id: number }>(LIQUIDATION_PAGE_SQL, query.sinceTs ?? 0, after.ts, after.id, query.limit + 1).toArray();
  const more = rows.length > query.limit;
  const page = more ? rows.slice(0, query.limit) : rows;
  const last = page[page.length - 1];
  return { liquidations: page.map(storedLiquidation), next: more ? { ts: last.ts, id: last.id } : null };
}

/** Deletes at most `maxRows` of the oldest rows with `ts < beforeTs`; returns how many it deleted. */
export function pruneLiquidationRows(sql: SqlStorage, beforeTs: number, maxRows: number): number {
  return sql.exec(LIQUIDATION_PRUNE_SQL, beforeTs, maxRows).toArray().length;
}

/**
 * LIQUIDATION_RETENTION_DAYS as days: unset or empty gives the default (30); otherwise a whole
 * number from 1 (the realized heatmap holds 24 h, and each of its records keeps its row only if
 * the rows last at least as long) to 3650. Anything else throws, naming the variable.
 */
export function liquidationRetentionDays(raw: string | undefined): number {
  const text = raw?.trim() ?? "";
  if (text === "") return DEFAULT_LIQUIDATION_RETENTION_DAYS;
  const days = /^[0-9]+$/.test(text) ? Number(text) : NaN;
  if (!Number.isInteger(days) || days < 1 || days > MAX_LIQUIDATION_RETENTION_DAYS) {
    throw new RangeError(
      `LIQUIDATION_RETENTION_DAYS must be a whole number of days from 1 to ${MAX_LIQUIDATION_RETENTION_DAYS} (at least the realized heatmap's 24 h), got "${raw}"`,
    );
  }
  return days;
}
