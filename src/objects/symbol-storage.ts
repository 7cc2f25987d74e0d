/**
 * A SymbolObject's SQLite storage: the schema, the key-value rows (checkpoint, relays' interest,
 * channel sequences, learning), the liquidation rows and their retention, and the parts of the
 * engine state saved apart from the checkpoint row so that it stays small (a SQLite row may not
 * exceed 2 MB) and a cycle rewrites only what changed:
 *
 * - realized liquidation records (up to 50,000, the bulk of a busy symbol's state) in chunks of
 *   REALIZED_CHUNK global record indexes: a chunk is rewritten only while records are still being
 *   added to it, and deleted once every record in it has left the store;
 * - one-minute bars (up to 1,440 rows of 21 numbers), one row per minute: a cycle rewrites the
 *   minutes that changed since the last save and deletes the minutes the ring no longer holds;
 * - the learning state: each pending prediction (≈ 4 KB, never changed once made) as a row of its
 *   own, written once; the book's small mutable part and the symbol's record as two kv rows.
 *
 * Everything here is synchronous SQL: what a caller writes in one turn commits together (the
 * checkpoint with its chunks, bars and learning rows).
 */
import type { SymbolEngine } from "../domain/engine.js";
import { OutcomeStats, type OutcomeStatsState } from "../domain/learning/outcome-stats.js";
import type { PredictionBookState } from "../domain/learning/predictions.js";
import type { SymbolLearningState } from "../domain/learning/symbol-learning.js";
import type { RealizedRow } from "../domain/liquidation/realized.js";
import type { LiquidationEvent } from "../domain/events.js";
import { MODES, type Mode } from "../protocol/snapshot.js";
import { pruneLiquidationRows } from "./liquidation-rows.js";

/** Realized records per saved chunk (about 40 bytes of JSON each). */
const REALIZED_CHUNK = 512;

/** The tables of one-minute rows saved apart from the checkpoint. */
type MinuteTable = "bars" | "derivative_minutes";

export class SymbolStorage {
  /** Rows in the liquidations table (counted at start, then kept by insert and prune): COUNT(*) reads every row. */
  private storedRows = 0;
  /** Rows the retention deleted, ever (saved in kv `liquidations-pruned` with each prune). */
  private prunedRows = 0;
  /** Realized records with global index below this are saved in `realized_chunks`. */
  private savedRealizedTo = -1;
  /** Keys (`mode:ts`) of the pending predictions saved as rows. */
  private savedPredictions = new Set<string>();

  constructor(readonly sql: SqlStorage) {
    this.migrate();
    this.storedRows = sql.exec<{ n: number }>(`SELECT COUNT(*) AS n FROM liquidations`).one().n;
    this.prunedRows = this.readKv<number>("liquidations-pruned") ?? 0;
  }

  /** Liquidation rows held now. */
  get liquidationsStored(): number {
    return this.storedRows;
  }

  /** Liquidation rows the retention deleted, ever. */
  get liquidationsPruned(): number {
    return this.prunedRows;
  }

  readKv<T>(key: string): T | undefined {
    const row = this.sql.exec<{ value: string }>(`SELECT value FROM kv WHERE key = ?`, key).toArray()[0];
    return row ? (JSON.parse(row.value) as T) : undefined;
  }

  writeKv(key: string, value: unknown): void {
    this.sql.exec(`INSERT OR REPLACE INTO kv (key, value) VALUES (?, ?)`, key, JSON.stringify(value));
  }

  /** Stores a liquidation row keyed on (source, seq); a row re-sent after a restart is ignored. Returns whether it was new. */
  insertLiquidation(source: string, seq: number, e: LiquidationEvent): boolean {
    // RETURNING says whether the row is new: the count stays exact.
    const added = this.sql
      .exec(
        `INSERT OR IGNORE INTO liquidations (source, seq, ts, venue, side, price, qty, notional_usd, sampling)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
        source, seq, e.ts, e.venue, e.side, e.price, e.qty, e.notionalUsd, e.sampling,
      )
      .toArray().length;
    this.storedRows += added;
    return added > 0;
  }

  /**
   * Deletes up to `limit` rows older than `cutoffTs`, oldest first; the count and the pruned total
   * are written in the same turn, so they commit with the delete.
   */
  pruneLiquidations(cutoffTs: number, limit: number): void {
    const deleted = pruneLiquidationRows(this.sql, cutoffTs, limit);
    if (deleted === 0) return;
    this.storedRows -= deleted;
    this.prunedRows += deleted;
    this.writeKv("liquidations-pruned", this.prunedRows);
  }

  /** Saves what changed of the engine's realized records, bars and learning state (with the checkpoint row, same turn). */
  saveEngineParts(engine: SymbolEngine): void {
    this.saveRealizedChunks(engine);
    this.saveBars(engine);
    this.saveDerivatives(engine);
    this.saveLearning(engine);
  }

  /** What `SymbolEngine.fromJSON` needs besides the checkpoint row. */
  readEngineParts(engine: { liquidationMaps?: { realized: { external?: { from: number; to: number } } }; inputs?: { bars?: unknown } }): {
    realizedRows: RealizedRow[] | undefined;
    barRows: number[][] | undefined;
    derivativeRows: (number | null)[][] | undefined;
    learning: SymbolLearningState | undefined;
  } {
    const external = engine.liquidationMaps?.realized.external;
    const realizedRows = external ? this.readRealizedRows(external) : undefined;
    const apart = engine.inputs !== undefined && engine.inputs.bars === undefined;
    const barRows = apart ? this.readBarRows() : undefined;
    const derivativeRows = apart ? this.readDerivativeRows() : undefined;
    this.savedRealizedTo = external?.to ?? -1;
    return { realizedRows, barRows, derivativeRows, learning: this.readLearning() };
  }

  /** Keeps an unreadable checkpoint aside (`state-unreadable`) and forgets the learning rows that went with it. */
  setAsideCheckpoint(): void {
    this.sql.exec(`INSERT OR REPLACE INTO kv (key, value) SELECT 'state-unreadable', value FROM kv WHERE key = 'state'`);
    this.sql.exec(`DELETE FROM kv WHERE key IN ('state', 'learning', 'learning-stats')`);
    this.sql.exec(`DELETE FROM predictions`);
    this.savedPredictions = new Set();
    // The fresh engine's record indexes start again at 0: chunks are written from there.
    this.savedRealizedTo = -1;
  }

  private migrate(): void {
    const sql = this.sql;
    sql.exec(`CREATE TABLE IF NOT EXISTS kv (key TEXT PRIMARY KEY, value TEXT NOT NULL)`);
    sql.exec(`CREATE TABLE IF NOT EXISTS liquidations (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      source TEXT NOT NULL, seq INTEGER NOT NULL,
      ts INTEGER NOT NULL, venue TEXT NOT NULL, side TEXT NOT NULL,
      price REAL NOT NULL, qty REAL NOT NULL, notional_usd REAL NOT NULL, sampling TEXT NOT NULL,
      UNIQUE (source, seq))`);
    sql.exec(`CREATE INDEX IF NOT EXISTS liquidations_ts ON liquidations (ts)`);
    sql.exec(`CREATE TABLE IF NOT EXISTS realized_chunks (chunk INTEGER PRIMARY KEY, first INTEGER NOT NULL, rows TEXT NOT NULL)`);
    sql.exec(`CREATE TABLE IF NOT EXISTS bars (minute INTEGER PRIMARY KEY, row TEXT NOT NULL)`);
    sql.exec(`CREATE TABLE IF NOT EXISTS derivative_minutes (minute INTEGER PRIMARY KEY, row TEXT NOT NULL)`);
    sql.exec(`CREATE TABLE IF NOT EXISTS predictions (key TEXT PRIMARY KEY, body TEXT NOT NULL)`);
  }

  private saveBars(engine: SymbolEngine): void {
    this.saveMinuteRows("bars", engine, engine.barsDirtyFrom(), (from) => engine.barRows(from));
    engine.markBarsSaved();
  }

  /** Open interest and funding per minute, saved like the bars (same reach). */
  private saveDerivatives(engine: SymbolEngine): void {
    this.saveMinuteRows("derivative_minutes", engine, engine.derivativesDirtyFrom(), (from) => engine.derivativeRows(from));
    engine.markDerivativesSaved();
  }

  /** One row per minute (`[minute, ...]` as JSON) from `from` on, and the minutes older than the bar ring's day dropped. */
  private saveMinuteRows(table: MinuteTable, engine: SymbolEngine, from: number, rows: (from: number) => readonly (readonly (number | null)[])[]): void {
    if (!Number.isFinite(from)) return;
    for (const row of rows(from)) this.sql.exec(`INSERT OR REPLACE INTO ${table} (minute, row) VALUES (?, ?)`, row[0], JSON.stringify(row));
    this.sql.exec(`DELETE FROM ${table} WHERE minute < ?`, engine.barsHeadMinute() - engine.config.inputs.barMinutes);
  }

  private readDerivativeRows(): (number | null)[][] {
    return this.readMinuteRows("derivative_minutes");
  }

  private readBarRows(): number[][] {
    return this.readMinuteRows("bars") as number[][];
  }

  private readMinuteRows(table: MinuteTable): (number | null)[][] {
    return this.sql
      .exec<{ row: string }>(`SELECT row FROM ${table} ORDER BY minute`)
      .toArray()
      .map((r) => JSON.parse(r.row) as (number | null)[]);
  }

  private saveRealizedChunks(engine: SymbolEngine): void {
    const { from, to } = engine.realizedRange();
    const firstUnsaved = Math.max(from, this.savedRealizedTo, 0);
    for (let c = Math.floor(firstUnsaved / REALIZED_CHUNK); firstUnsaved < to && c * REALIZED_CHUNK < to; c++) {
      const first = Math.max(from, c * REALIZED_CHUNK);
      const rows = engine.realizedRows(first, (c + 1) * REALIZED_CHUNK);
      this.sql.exec(`INSERT OR REPLACE INTO realized_chunks (chunk, first, rows) VALUES (?, ?, ?)`, c, first, JSON.stringify(rows));
    }
    // Chunks past `to` are left from a checkpoint set aside (its indexes restart at 0): never read again.
    this.sql.exec(`DELETE FROM realized_chunks WHERE chunk < ? OR chunk >= ?`, Math.floor(from / REALIZED_CHUNK), Math.ceil(to / REALIZED_CHUNK));
    this.savedRealizedTo = to;
  }

  /** The saved realized records with global indexes in `[from, to)`, oldest first. */
  private readRealizedRows(range: { from: number; to: number }): RealizedRow[] {
    const out: RealizedRow[] = [];
    const chunks = this.sql
      .exec<{ first: number; rows: string }>(`SELECT first, rows FROM realized_chunks WHERE chunk >= ? ORDER BY chunk`, Math.floor(range.from / REALIZED_CHUNK))
      .toArray();
    for (const chunk of chunks) {
      const rows = JSON.parse(chunk.rows) as RealizedRow[];
      for (let j = 0; j < rows.length; j++) {
        const i = chunk.first + j;
        if (i >= range.from && i < range.to) out.push(rows[j]);
      }
    }
    return out;
  }

  private readLearning(): SymbolLearningState | undefined {
    const saved = this.readKv<Omit<SymbolLearningState, "stats">>("learning");
    // The record is written once the first outcome is scored: before that it is empty.
    const stats = this.readKv<OutcomeStatsState>("learning-stats") ?? new OutcomeStats().toJSON();
    if (saved === undefined) return undefined;
    const rows = new Map(this.sql.exec<{ key: string; body: string }>(`SELECT key, body FROM predictions`).toArray().map((r) => [r.key, r.body]));
    this.savedPredictions = new Set(rows.keys());
    const book = saved.book as PredictionBookState;
    const pending = {} as PredictionBookState["pending"];
    for (const mode of MODES) {
      pending[mode] = book.pending[mode].map((p) => {
        const { key, ...rest } = p as typeof p & { key?: string };
        if (key === undefined) return p; // saved whole, before predictions had rows
        const body = rows.get(key);
        if (body === undefined) throw new Error(`pending prediction ${key} has no row`);
        return { ...rest, prediction: JSON.parse(body) };
      });
    }
    return { ...saved, book: { ...book, pending }, stats };
  }

  /**
   * Saves what changed of the learning state. A pending prediction (the bias, its categories and
   * ≈ 100 cards: ≈ 4 KB) never changes once made: it is written as a row once and deleted when it
   * leaves the book, while the book's row, rewritten every cycle a price moves it, holds only its
   * small mutable part (due time, exit price) and the row key. Written whole, the book was ≈ 500 KB
   * a cycle per symbol.
   */
  private saveLearning(engine: SymbolEngine): void {
    const changed = engine.learningChanged;
    if (!changed.book && !changed.stats) return;
    const { stats, ...rest } = engine.learningJSON();
    if (changed.book) {
      const book = rest.book as PredictionBookState;
      const live = new Set<string>();
      const pending = {} as Record<Mode, unknown[]>;
      for (const mode of MODES) {
        pending[mode] = book.pending[mode].map(({ prediction, ...small }) => {
          const key = `${mode}:${prediction.ts}`;
          live.add(key);
          if (!this.savedPredictions.has(key)) {
            this.sql.exec(`INSERT OR REPLACE INTO predictions (key, body) VALUES (?, ?)`, key, JSON.stringify(prediction));
            this.savedPredictions.add(key);
          }
          return { ...small, key };
        });
      }
      for (const key of this.savedPredictions) {
        if (live.has(key)) continue;
        this.sql.exec(`DELETE FROM predictions WHERE key = ?`, key);
        this.savedPredictions.delete(key);
      }
      this.writeKv("learning", { ...rest, book: { ...book, pending } });
    }
    if (changed.stats) this.writeKv("learning-stats", stats);
    engine.markLearningSaved();
  }
}
