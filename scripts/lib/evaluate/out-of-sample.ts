/**
 * `OutOfSampleSet`: the test part of one mode, kept for the report: per scored outcome its
 * symbol, prediction ts, outcome (σ units), the bias the engine published (uniform weights) and
 * the learned bias of the same prediction; per category and per card its (score, confidence)
 * against the same outcome. Rows are read back ordered by (prediction ts, symbol), whatever the
 * order they arrived in, so the report depends on the outcomes only.
 *
 * Memory: one row per test outcome plus three numbers per (outcome, category or card) present.
 */
import type { ScoreAndConfidence, ScoredOutcome } from "../../../src/domain/learning/predictions.js";

export interface OutOfSampleRow {
  symbol: string;
  ts: number;
  /** Forward return over the horizon, σ units. */
  outcome: number;
  /** The published bias (weights 1). */
  uniform: ScoreAndConfidence;
  /** The learned bias at prediction time; null when no learned bias was recorded for it. */
  learned: ScoreAndConfidence | null;
}

/** (score, confidence, outcome) of one key over the rows, in row order. */
export interface KeyedPairs {
  key: string;
  pairs: { row: number; score: number; confidence: number; outcome: number }[];
}

/** Columns of (row, score, confidence), flat. */
type Entries = number[];

export class OutOfSampleSet {
  private readonly rows: OutOfSampleRow[] = [];
  private readonly categories = new Map<string, Entries>();
  private readonly cards = new Map<string, Entries>();
  private order: number[] | null = null;

  /** Adds a test outcome with its learned bias (null: none recorded). */
  add(symbol: string, o: ScoredOutcome, learned: ScoreAndConfidence | null): void {
    const row = this.rows.length;
    this.rows.push({ symbol, ts: o.ts, outcome: o.outcome, uniform: { score: o.bias.score, confidence: o.bias.confidence }, learned });
    for (const c of o.categories) push(this.categories, c.category, row, c.score, c.confidence);
    for (const c of o.cards) push(this.cards, c.id, row, c.score, c.confidence);
    this.order = null;
  }

  get size(): number {
    return this.rows.length;
  }

  /** Rows ordered by (ts, symbol). */
  sortedRows(): OutOfSampleRow[] {
    return this.rowOrder().map((i) => this.rows[i]);
  }

  /** Category pairs, keys sorted, pairs in row order. */
  categoryPairs(): KeyedPairs[] {
    return this.keyed(this.categories);
  }

  /** Card pairs, keys sorted, pairs in row order. */
  cardPairs(): KeyedPairs[] {
    return this.keyed(this.cards);
  }

  private rowOrder(): number[] {
    if (this.order === null) {
      const rows = this.rows;
      this.order = rows.map((_, i) => i).sort((a, b) => rows[a].ts - rows[b].ts || compare(rows[a].symbol, rows[b].symbol) || a - b);
    }
    return this.order;
  }

  private keyed(map: Map<string, Entries>): KeyedPairs[] {
    const rank = new Int32Array(this.rows.length);
    this.rowOrder().forEach((row, position) => (rank[row] = position));
    return [...map.keys()].sort(compare).map((key) => {
      const e = map.get(key) as Entries;
      const pairs: KeyedPairs["pairs"] = [];
      for (let i = 0; i < e.length; i += 3) pairs.push({ row: rank[e[i]], score: e[i + 1], confidence: e[i + 2], outcome: this.rows[e[i]].outcome });
      pairs.sort((a, b) => a.row - b.row);
      return { key, pairs };
    });
  }
}

function push(map: Map<string, Entries>, key: string, row: number, score: number, confidence: number): void {
  let e = map.get(key);
  if (e === undefined) map.set(key, (e = []));
  e.push(row, score, confidence);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
