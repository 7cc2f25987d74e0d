/**
 * `SymbolLearning`: one symbol's half of the learning loop, owned by its `SymbolEngine`.
 *
 * - Every bias recompute of a mode becomes a `Prediction` (the bias, its categories, and the
 *   mode's leading-timeframe cards that were available and directional) with the symbol's σ of
 *   1-minute log returns over the last day (`sigma1m`, from the bar ring).
 * - Every trade price (and every bar close, for minutes known only as bars) goes to the
 *   `PredictionBook`; at each cycle boundary the predictions whose horizon has passed are scored
 *   (`atBoundary`), recorded in this symbol's `OutcomeStats` (the per-card and per-category
 *   record behind `/v1/scorecard?symbol=`) and queued for the Coordinator's learner
 *   (`takeOutcomes`, sent with the cycle report).
 * - A jump in event time the engine skips (catch-up) is a gap: the predictions it spans are
 *   voided, never scored as zero.
 *
 * Pure and deterministic; checkpointed whole by `toJSON` / `fromJSON`. The queue of outcomes not
 * yet taken is bounded (`MAX_QUEUED`, oldest dropped and counted): a Coordinator that does not
 * answer for hours loses the oldest outcomes of its learner, never the symbol's own record.
 */
import { z } from "zod";
import type { Mode, Timeframe } from "../vocabulary.js";
import type { Bias, Card } from "../../protocol/snapshot.js";
import { OutcomeStats, type OutcomeStatsState } from "./outcome-stats.js";
import { PredictionBook, type CardPrediction, type PredictionBookOptions, type ScoredOutcome } from "./predictions.js";

/** The timeframe a mode's per-card record reads (its leading window). */
export const MODE_LEAD_TIMEFRAME: Readonly<Record<Mode, Timeframe>> = Object.freeze({ scalp: "1m", day: "5m", swing: "1h" });

/** Outcomes waiting for the Coordinator, at most (≈ 1 h of a symbol's three modes: 2 + 1 + 0.2 a minute). */
export const MAX_QUEUED = 200;

export interface SymbolLearningState {
  book: unknown;
  stats: OutcomeStatsState;
  queued: ScoredOutcome[];
  droppedOutcomes: number;
}

const StateSchema = z.object({
  book: z.unknown(),
  stats: z.custom<OutcomeStatsState>((v) => v !== null && typeof v === "object"),
  queued: z.array(z.custom<ScoredOutcome>((v) => v !== null && typeof v === "object")),
  droppedOutcomes: z.number().int().nonnegative(),
});

export class SymbolLearning {
  private queued: ScoredOutcome[] = [];
  private droppedOutcomes = 0;
  /** What changed since `markSaved`: the book (pending predictions, prices, queue) and the record. */
  private dirty = { book: false, stats: false };

  constructor(
    private readonly book: PredictionBook,
    private readonly stats: OutcomeStats = new OutcomeStats(),
  ) {}

  static create(options: PredictionBookOptions = {}): SymbolLearning {
    return new SymbolLearning(new PredictionBook(options));
  }

  /** A trade (or a bar's close) at event time `ts`. */
  onPrice(ts: number, price: number): void {
    this.book.onPrice(ts, price);
    this.dirty.book = true;
  }

  /** Event time the engine skipped (no data in between): predictions spanning it are voided. */
  onGap(fromTs: number, toTs: number): void {
    this.book.onGap(fromTs, toTs);
    this.dirty.book = true;
  }

  /** At a cycle boundary: scores what is due, records it, queues it for the Coordinator. */
  atBoundary(ts: number): void {
    const scored = this.book.due(ts);
    this.dirty.book = true;
    if (scored.length === 0) return;
    for (const o of scored) {
      this.stats.record(o);
      this.queued.push(o);
    }
    if (this.queued.length > MAX_QUEUED) {
      this.droppedOutcomes += this.queued.length - MAX_QUEUED;
      this.queued.splice(0, this.queued.length - MAX_QUEUED);
    }
    this.dirty.stats = true;
  }

  /**
   * Records the prediction of a bias just recomputed. `price` is the snapshot's last trade,
   * `sigma1m` the σ of 1-minute log returns over the last day (null: too little history, and the
   * prediction is skipped and counted).
   */
  predict(bias: Bias, cards: readonly Card[], price: number | null, sigma1m: number | null): void {
    const tf = MODE_LEAD_TIMEFRAME[bias.mode];
    const cardPredictions: CardPrediction[] = [];
    for (const card of cards) {
      if (card.kind === "stress") continue;
      const v = card.timeframes[tf];
      if (v === undefined || !v.available) continue;
      cardPredictions.push({ id: card.id, score: v.score, confidence: v.confidence });
    }
    this.book.add(
      {
        mode: bias.mode,
        ts: bias.ts,
        price,
        bias: { score: bias.score, confidence: bias.confidence },
        categories: bias.components.map((c) => ({ category: c.category, score: c.score, confidence: c.confidence })),
        cards: cardPredictions,
        weightsVersion: bias.weightsVersion ?? null,
      },
      sigma1m,
    );
    this.dirty.book = true;
  }

  /** The outcomes scored since the last call, oldest first (they leave the queue). */
  takeOutcomes(): ScoredOutcome[] {
    if (this.queued.length === 0) return [];
    const out = this.queued;
    this.queued = [];
    this.dirty.book = true;
    return out;
  }

  /** Puts outcomes back at the head of the queue (the report that carried them failed). */
  requeue(outcomes: readonly ScoredOutcome[]): void {
    if (outcomes.length === 0) return;
    this.queued = [...outcomes, ...this.queued];
    if (this.queued.length > MAX_QUEUED) {
      this.droppedOutcomes += this.queued.length - MAX_QUEUED;
      this.queued.splice(0, this.queued.length - MAX_QUEUED);
    }
    this.dirty.book = true;
  }

  /** This symbol's running record (read-only use). */
  outcomeStats(): OutcomeStats {
    return this.stats;
  }

  counters(): ReturnType<PredictionBook["stats"]> & { queued: number; droppedOutcomes: number } {
    return { ...this.book.stats(), queued: this.queued.length, droppedOutcomes: this.droppedOutcomes };
  }

  /** Which parts changed since `markSaved` (a checkpoint saves those, so it always matches the engine's). */
  get changed(): { book: boolean; stats: boolean } {
    return { ...this.dirty };
  }

  markSaved(): void {
    this.dirty = { book: false, stats: false };
  }

  toJSON(): SymbolLearningState {
    return { book: this.book.toJSON(), stats: this.stats.toJSON(), queued: this.queued, droppedOutcomes: this.droppedOutcomes };
  }

  static fromJSON(state: unknown, options: PredictionBookOptions = {}): SymbolLearning {
    const s = StateSchema.parse(state);
    const learning = new SymbolLearning(PredictionBook.fromJSON(s.book, options), OutcomeStats.fromJSON(s.stats));
    learning.queued = s.queued;
    learning.droppedOutcomes = s.droppedOutcomes;
    return learning;
  }
}
