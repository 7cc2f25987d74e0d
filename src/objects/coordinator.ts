/**
 * Coordinator: the singleton that owns the category weights per mode and the market-wide
 * view. Every SymbolObject reports once per cycle (its bias per mode, last price, the
 * liquidations it stored since its last report, and its cycle summary); `/v1/market` is answered
 * from here in one call instead of 21.
 *
 * Market memory (src/domain/market/memory.ts): each summary and each symbol's minute closes of the
 * last 24 h are kept (in SQLite, reloaded on start), and the answer to a report is the reporting
 * symbol's market context at its boundary: breadth, BTC, beta and correlation to BTC, relative
 * strength, dispersion, the liquidation skew. The context rides back on the report's own reply,
 * so a cycle costs one RPC per symbol, not two (BENCHMARKS.md, "Market context"). Liquidation figures carry how they were counted: per venue its sampling,
 * and totals labelled `sampled` when any venue in them is (a lower bound), split by sampling.
 *
 * Learning (src/domain/learning/coordinator-learning.ts): the scored outcomes a report carries
 * join the open round; the first report of a later cycle closes it, updating one Hedge learner
 * per mode and the aggregate scorecard statistics. The reply carries the learned weights in force
 * (null until a learner has moved), so a symbol gets them at most once per cycle with no extra
 * RPC. Storage: `learning_buffer` gets the outcomes a report adds to the open round (one row each,
 * keyed by symbol, mode and prediction ts); at the close of a round with outcomes the changed
 * modes' rows (`learning_modes`: learner and statistics) and `learning_meta` (open round, dedupe
 * window, counters, gain sums) are written once and the buffer emptied, in one transaction. A
 * restart reloads them, so no outcome is lost or applied twice (counters of duplicates seen after
 * the last close are the only thing a restart can forget).
 *
 * Windows (1h/4h/24h) end at the newest event time any symbol reported, so a replay
 * of old recordings shows its own last 24 h, not the wall clock's.
 */
import { DurableObject } from "cloudflare:workers";
import { uniformWeights, type CategoryWeights } from "../domain/cards/categories.js";
import { SYMBOLS } from "../domain/symbols.js";
import type { Market } from "../protocol/http.js";
import { MODES, type Bias, type Mode } from "../protocol/snapshot.js";
import type { StoredLiquidation } from "../protocol/stream.js";
import { LIQUIDATION_COLUMNS, storedLiquidation, type LiquidationRow } from "./liquidation-rows.js";
import { DEFAULT_ENGINE_CONFIG } from "../domain/config.js";
import { MarketMemory, type MarketContext } from "../domain/market/memory.js";
import type { CycleSummary } from "../domain/market/summary.js";
import type { ScoredOutcome } from "../domain/learning/predictions.js";
import type { ReportReply } from "../domain/learning/report.js";
import {
  CoordinatorLearning,
  type BufferedOutcome,
  type CoordinatorLearningState,
  type ModeScorecard,
  type ReportResult,
  type WeightsReport,
} from "../domain/learning/coordinator-learning.js";

const HOUR_MS = 3_600_000;
const RETAIN_MS = 24 * HOUR_MS;
const LARGEST_LIMIT = 10;
const WINDOWS = [
  ["1h", HOUR_MS],
  ["4h", 4 * HOUR_MS],
  ["24h", 24 * HOUR_MS],
] as const;

/** The part of a bias the Coordinator reads (breadth) and keeps per symbol. */
export type ReportedBias = Pick<Bias, "mode" | "ts" | "score" | "strength" | "confidence" | "direction" | "state" | "weightsVersion">;

/** A bias reduced to what a report carries. */
export function reportedBias(b: Bias | null): ReportedBias | null {
  if (b === null) return null;
  return { mode: b.mode, ts: b.ts, score: b.score, strength: b.strength, confidence: b.confidence, direction: b.direction, state: b.state, weightsVersion: b.weightsVersion };
}

/** What a SymbolObject sends once per cycle. */
export interface CycleReport {
  symbol: string;
  ts: number;
  price: number | null;
  /** The bias per mode, the headline fields only (the explanation stays with the symbol). */
  bias: Record<Mode, ReportedBias | null>;
  /** Liquidations stored since the last report, with the (source, seq) that makes them unique. */
  liquidations: Array<StoredLiquidation & { source: string; seq: number }>;
  /** The symbol's last cycle for the market memory; absent from an older sender. */
  summary?: CycleSummary;
  /** Its predictions scored since its last report (each sent once; re-sent after a failed report); absent from an older sender. */
  outcomes?: ScoredOutcome[];
}

const MINUTE_MS = 60_000;
/** Minute closes kept per symbol (a day and one, for 1,440 returns). */
const CLOSES_KEPT = 1_441;

export class Coordinator extends DurableObject<Env> {
  private memory = new MarketMemory(DEFAULT_ENGINE_CONFIG.cycleMs, DEFAULT_ENGINE_CONFIG.biasNeutralBand);
  private learning = new CoordinatorLearning();

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.blockConcurrencyWhile(async () => {
      const sql = ctx.storage.sql;
      sql.exec(`CREATE TABLE IF NOT EXISTS symbols (symbol TEXT PRIMARY KEY, ts INTEGER NOT NULL, price REAL, bias TEXT NOT NULL)`);
      sql.exec(`CREATE TABLE IF NOT EXISTS liquidations (
        symbol TEXT NOT NULL, source TEXT NOT NULL, seq INTEGER NOT NULL,
        ts INTEGER NOT NULL, venue TEXT NOT NULL, side TEXT NOT NULL,
        price REAL NOT NULL, qty REAL NOT NULL, notional_usd REAL NOT NULL, sampling TEXT NOT NULL,
        PRIMARY KEY (symbol, source, seq))`);
      sql.exec(`CREATE INDEX IF NOT EXISTS liquidations_ts ON liquidations (ts)`);
      sql.exec(`CREATE TABLE IF NOT EXISTS market_summaries (symbol TEXT PRIMARY KEY, summary TEXT NOT NULL)`);
      sql.exec(`CREATE TABLE IF NOT EXISTS market_closes (symbol TEXT NOT NULL, minute INTEGER NOT NULL, close REAL NOT NULL, PRIMARY KEY (symbol, minute))`);
      const summaries = sql.exec<{ summary: string }>(`SELECT summary FROM market_summaries`).toArray().map((r) => JSON.parse(r.summary) as CycleSummary);
      const closes: Record<string, [number, number][]> = {};
      for (const r of sql.exec<{ symbol: string; minute: number; close: number }>(`SELECT symbol, minute, close FROM market_closes ORDER BY symbol, minute`)) {
        (closes[r.symbol] ??= []).push([r.minute, r.close]);
      }
      this.memory = MarketMemory.fromJSON({ summaries, closes }, DEFAULT_ENGINE_CONFIG.cycleMs, DEFAULT_ENGINE_CONFIG.biasNeutralBand);
      sql.exec(`CREATE TABLE IF NOT EXISTS learning_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)`);
      sql.exec(`CREATE TABLE IF NOT EXISTS learning_modes (mode TEXT PRIMARY KEY, learner TEXT NOT NULL, stats TEXT NOT NULL)`);
      sql.exec(`CREATE TABLE IF NOT EXISTS learning_buffer (symbol TEXT NOT NULL, mode TEXT NOT NULL, ts INTEGER NOT NULL, outcome TEXT NOT NULL, PRIMARY KEY (symbol, mode, ts))`);
      this.learning = this.loadLearning();
    });
  }

  /** The category weights in force per mode (learned past the data floor, 1 elsewhere). */
  async weights(): Promise<CategoryWeights> {
    return this.learning.publishedWeights()?.weights ?? uniformWeights();
  }

  /** Takes a symbol's cycle; answers its market context at that boundary (null without a summary) and the weights in force. */
  async report(report: CycleReport): Promise<ReportReply> {
    const context = this.record(report);
    this.saveLearning(this.learning.report(report.symbol, report.ts, report.outcomes ?? []));
    return { context, weights: this.learning.publishedWeights() };
  }

  /** `/v1/weights`: per mode the weights, version, outcomes per category and learned versus uniform. */
  async learnedWeights(): Promise<WeightsReport> {
    return this.learning.weightsReport();
  }

  /** `/v1/scorecard` without a symbol: the aggregate record of the given modes, optionally one category and its cards. */
  async scorecard(modes: readonly Mode[], category?: string): Promise<ModeScorecard[]> {
    return modes.map((mode) => this.learning.scorecard(mode, category));
  }

  private loadLearning(): CoordinatorLearning {
    const sql = this.ctx.storage.sql;
    const meta = sql.exec<{ value: string }>(`SELECT value FROM learning_meta WHERE key = 'meta'`).toArray()[0];
    const buffer = sql
      .exec<{ symbol: string; outcome: string }>(`SELECT symbol, outcome FROM learning_buffer ORDER BY ts, symbol, mode`)
      .toArray()
      .map((r): BufferedOutcome => ({ symbol: r.symbol, outcome: JSON.parse(r.outcome) as ScoredOutcome }));
    if (meta === undefined && buffer.length === 0) return new CoordinatorLearning();
    const fresh = new CoordinatorLearning().toJSON();
    const modes = { ...fresh.modes };
    for (const r of sql.exec<{ mode: string; learner: string; stats: string }>(`SELECT mode, learner, stats FROM learning_modes`)) {
      if ((MODES as readonly string[]).includes(r.mode)) modes[r.mode as Mode] = { learner: JSON.parse(r.learner), stats: JSON.parse(r.stats) };
    }
    const state: CoordinatorLearningState = { v: 1, meta: meta === undefined ? fresh.meta : JSON.parse(meta.value), modes, buffer };
    return CoordinatorLearning.fromJSON(state);
  }

  /** Appends the report's outcomes to the buffer; at the close of a round with outcomes, writes the changed rows once. */
  private saveLearning(result: ReportResult): void {
    if (result.accepted.length === 0 && (result.closed === null || result.closed.length === 0)) return;
    const sql = this.ctx.storage.sql;
    this.ctx.storage.transactionSync(() => {
      if (result.closed !== null && result.closed.length > 0) {
        for (const mode of result.closed) {
          const m = this.learning.modeJSON(mode);
          sql.exec(`INSERT OR REPLACE INTO learning_modes (mode, learner, stats) VALUES (?, ?, ?)`, mode, JSON.stringify(m.learner), JSON.stringify(m.stats));
        }
        sql.exec(`INSERT OR REPLACE INTO learning_meta (key, value) VALUES ('meta', ?)`, JSON.stringify(this.learning.metaJSON()));
        sql.exec(`DELETE FROM learning_buffer`);
      }
      for (const b of result.accepted) {
        sql.exec(`INSERT OR IGNORE INTO learning_buffer (symbol, mode, ts, outcome) VALUES (?, ?, ?, ?)`, b.symbol, b.outcome.mode, b.outcome.ts, JSON.stringify(b.outcome));
      }
    });
  }

  private record(report: CycleReport): MarketContext | null {
    if (!SYMBOLS.isTracked(report.symbol)) throw new Error(`report for an untracked symbol: ${report.symbol}`);
    const sql = this.ctx.storage.sql;
    sql.exec(
      `INSERT OR REPLACE INTO symbols (symbol, ts, price, bias) VALUES (?, ?, ?, ?)`,
      report.symbol,
      report.ts,
      report.price,
      JSON.stringify(report.bias),
    );
    for (const l of report.liquidations) {
      sql.exec(
        `INSERT OR IGNORE INTO liquidations (symbol, source, seq, ts, venue, side, price, qty, notional_usd, sampling)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        report.symbol, l.source, l.seq, l.ts, l.venue, l.side, l.price, l.qty, l.notionalUsd, l.sampling,
      );
    }
    if (report.liquidations.length > 0) {
      sql.exec(`DELETE FROM liquidations WHERE ts < (SELECT MAX(ts) FROM liquidations) - ?`, RETAIN_MS);
    }
    const summary = report.summary;
    if (summary === undefined || summary.symbol !== report.symbol) return null;
    this.memory.report(summary);
    sql.exec(`INSERT OR REPLACE INTO market_summaries (symbol, summary) VALUES (?, ?)`, summary.symbol, JSON.stringify(summary));
    if (summary.price !== null) {
      const minute = Math.floor((summary.ts - 1) / MINUTE_MS);
      sql.exec(`INSERT OR REPLACE INTO market_closes (symbol, minute, close) VALUES (?, ?, ?)`, summary.symbol, minute, summary.price);
      sql.exec(`DELETE FROM market_closes WHERE symbol = ? AND minute <= ?`, summary.symbol, minute - CLOSES_KEPT);
    }
    return this.memory.context(summary.symbol, summary.ts);
  }

  async market(): Promise<Market> {
    const sql = this.ctx.storage.sql;
    const symbols = sql.exec<{ symbol: string; ts: number; bias: string }>(`SELECT symbol, ts, bias FROM symbols`).toArray();
    const newestLiq = sql.exec<{ ts: number | null }>(`SELECT MAX(ts) AS ts FROM liquidations`).one().ts;
    const newestCycle = symbols.reduce<number | null>((m, s) => (m === null || s.ts > m ? s.ts : m), null);
    const ts = newestLiq === null ? newestCycle : newestCycle === null ? newestLiq : Math.max(newestLiq, newestCycle);

    const liquidations = WINDOWS.map(([window, ms]) => {
      const rows = sql
        .exec<{ venue: string; side: string; sampling: string; n: number; usd: number }>(
          `SELECT venue, side, sampling, COUNT(*) AS n, SUM(notional_usd) AS usd
           FROM liquidations WHERE ts > ? GROUP BY venue, side, sampling ORDER BY venue, side, sampling`,
          (ts ?? 0) - ms,
        )
        .toArray();
      const empty = () => ({ count: 0, notionalUsd: 0 });
      const byVenue: Market["liquidations"][number]["byVenue"] = {};
      const total: Market["liquidations"][number]["total"] = { long: empty(), short: empty(), sampling: "none" };
      const bySampling = { complete: { long: empty(), short: empty() }, sampled: { long: empty(), short: empty() } };
      for (const r of rows) {
        const side = r.side as "long" | "short";
        const sampled = r.sampling !== "complete";
        const venue = (byVenue[r.venue] ??= { long: empty(), short: empty(), sampling: "complete" });
        if (sampled) venue.sampling = "sampled-1s";
        for (const into of [venue[side], total[side], bySampling[sampled ? "sampled" : "complete"][side]]) {
          into.count += r.n;
          into.notionalUsd += r.usd;
        }
        if (sampled) total.sampling = "sampled";
        else if (total.sampling === "none") total.sampling = "complete";
      }
      return { window, byVenue, total, bySampling };
    });

    const largest = sql
      .exec<LiquidationRow & { symbol: string }>(
        `SELECT symbol, ${LIQUIDATION_COLUMNS} FROM liquidations
         WHERE ts > ? ORDER BY notional_usd DESC, ts DESC LIMIT ?`,
        (ts ?? 0) - RETAIN_MS,
        LARGEST_LIMIT,
      )
      .toArray()
      .map((r) => ({ symbol: r.symbol, ...storedLiquidation(r) }));

    const reported = new Map(symbols.map((s) => [s.symbol, JSON.parse(s.bias) as Record<Mode, ReportedBias | null>]));
    const breadth = Object.fromEntries(
      MODES.map((mode) => {
        const counts = { long: 0, short: 0, neutral: 0, none: 0 };
        let sum = 0;
        let n = 0;
        for (const symbol of SYMBOLS.symbols) {
          const b = reported.get(symbol)?.[mode] ?? null;
          if (b === null) counts.none++;
          else {
            counts[b.direction]++;
            sum += b.score;
            n++;
          }
        }
        return [mode, { ...counts, meanScore: n > 0 ? sum / n : null }];
      }),
    ) as Market["breadth"];

    return { ts, liquidations, largest, breadth, context: this.memory.overview() };
  }
}
