/**
 * `WalkForwardLearner`: one mode's `HedgeLearner` (src/domain/learning/hedge.ts) fed in event
 * time, so that the weights judged on a prediction were learned only from outcomes known before
 * it was made.
 *
 * Rounds. Outcomes are grouped by prediction ts: one batch holds every symbol's outcome of the
 * predictions made at one boundary (near-copies of one market move: one Hedge round, as the
 * Coordinator does with a cycle's reports). Within a batch outcomes are ordered by symbol.
 *
 * When a batch trains. Batch T (due at D = T + horizon) is applied to the learner at the first
 * `weightsAt(t)` with D + settleMs < t, batches in order of T. So the weights in force for a
 * prediction at t come only from outcomes whose horizon ended before t: a 1 h outcome made a
 * minute earlier, 98 % the same move, never teaches the prediction that follows it. `settleMs`
 * (the CLI uses one cycle) leaves time for every symbol's outcome of a batch to arrive: the
 * engine scores an outcome due at D at its first boundary after D.
 *
 * The split. An outcome made before the split whose horizon ends at or after it is dropped from
 * training (counted `purged`): no training outcome overlaps the test part. With the delay above
 * this is belt and braces: it is what a train/test split promises, and it costs one horizon of
 * outcomes. Train and test outcomes alike train the learner after that (online): the test part
 * is judged with the weights in force at each prediction, never with the final ones.
 *
 * Late. An outcome of a batch already applied (a symbol whose boundary came later) starts a new
 * batch for the same T, applied at the next call (counted `late`; never lost).
 *
 * Cost O(pending batches) per call, each outcome applied once; memory: the outcomes of the
 * batches not yet applied (one horizon's worth).
 */
import { HedgeLearner, type HedgeOptions, type HedgeWeights, type LearnerOutcome } from "../../../src/domain/learning/hedge.js";
import type { Mode } from "../../../src/protocol/snapshot.js";
import type { ModeWeights } from "./learned-bias.js";

/** An outcome as the walk-forward learner reads it. */
export interface WalkForwardOutcome extends LearnerOutcome {
  symbol: string;
  /** End of its horizon, event ms. */
  dueTs: number;
}

export interface WalkForwardOptions {
  mode: Mode;
  /** First ts of the test part, event ms. */
  splitTs: number;
  /** A batch trains predictions made more than this after its due time, ms (≥ 0). Default 0. */
  settleMs?: number;
  /** Hedge parameters (defaults: src/domain/learning/hedge.ts). */
  hedge?: Omit<HedgeOptions, "mode">;
}

export interface WalkForwardCounts {
  /** Outcomes given. */
  outcomes: number;
  /** Applied to the learner. */
  trained: number;
  /** Made before the split, due at or after it: not trained on. */
  purged: number;
  /** Arrived after their batch was applied (trained in a batch of their own). */
  late: number;
  /** Hedge rounds (batches applied with at least one valid outcome). */
  rounds: number;
}

/** Weights of one mode at one moment. */
export interface WeightsInForce {
  /** Learner version (0: nothing learned yet). */
  version: number;
  weights: ModeWeights;
}

interface Batch {
  ts: number;
  dueTs: number;
  outcomes: WalkForwardOutcome[];
}

/** One mode's Hedge learner, trained in event time (module comment). */
export class WalkForwardLearner {
  readonly mode: Mode;
  readonly splitTs: number;
  readonly settleMs: number;
  private readonly learner: HedgeLearner;
  private readonly pending = new Map<number, Batch>();
  private readonly lateBatches: Batch[] = [];
  private appliedThroughTs = -Infinity;
  private current: WeightsInForce;
  private readonly counts: WalkForwardCounts = { outcomes: 0, trained: 0, purged: 0, late: 0, rounds: 0 };

  constructor(options: WalkForwardOptions) {
    if (!Number.isFinite(options.splitTs)) throw new Error(`WalkForwardLearner: splitTs must be finite (got ${String(options.splitTs)})`);
    const settle = options.settleMs ?? 0;
    if (!(Number.isFinite(settle) && settle >= 0)) throw new Error(`WalkForwardLearner: settleMs must be a finite number >= 0 (got ${String(settle)})`);
    this.mode = options.mode;
    this.splitTs = options.splitTs;
    this.settleMs = settle;
    this.learner = new HedgeLearner({ ...options.hedge, mode: options.mode });
    this.current = this.snapshot();
  }

  /** Queues a scored outcome of this mode for training (purged when it straddles the split). */
  add(o: WalkForwardOutcome): void {
    if (o.mode !== this.mode) throw new Error(`WalkForwardLearner(${this.mode}): got an outcome of mode ${o.mode}`);
    this.counts.outcomes++;
    if (o.ts < this.splitTs && o.dueTs >= this.splitTs) {
      this.counts.purged++;
      return;
    }
    const batch = this.pending.get(o.ts);
    if (batch !== undefined) {
      batch.outcomes.push(o);
      batch.dueTs = Math.max(batch.dueTs, o.dueTs);
      return;
    }
    if (o.ts <= this.appliedThroughTs) {
      this.counts.late++;
      const last = this.lateBatches.at(-1);
      if (last !== undefined && last.ts === o.ts) last.outcomes.push(o);
      else this.lateBatches.push({ ts: o.ts, dueTs: o.dueTs, outcomes: [o] });
      return;
    }
    this.pending.set(o.ts, { ts: o.ts, dueTs: o.dueTs, outcomes: [o] });
  }

  /** The weights in force for a prediction at `ts`: every batch due more than `settleMs` before it applied first. */
  weightsAt(ts: number): WeightsInForce {
    const ready = [...this.lateBatches.splice(0), ...[...this.pending.values()].filter((b) => b.dueTs + this.settleMs < ts)];
    if (ready.length === 0) return this.current;
    ready.sort((a, b) => a.ts - b.ts);
    for (const batch of ready) {
      this.pending.delete(batch.ts);
      this.apply(batch);
    }
    this.current = this.snapshot();
    return this.current;
  }

  /** Applies every batch still pending (end of input): the final weights. */
  finish(): HedgeWeights {
    this.weightsAt(Infinity);
    return this.learner.weights();
  }

  /** The learner's published weights and counts now. */
  weights(): HedgeWeights {
    return this.learner.weights();
  }

  /** Hedge's parameters as resolved. */
  parameters(): { learningRate: number; share: number; floor: number; outcomeScale: number } {
    const { learningRate, share, floor, outcomeScale } = this.learner;
    return { learningRate, share, floor, outcomeScale };
  }

  stats(): WalkForwardCounts & { rejected: ReturnType<HedgeLearner["rejected"]> } {
    return { ...this.counts, rejected: this.learner.rejected() };
  }

  private apply(batch: Batch): void {
    const outcomes = batch.outcomes.slice().sort((a, b) => (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0));
    const result = this.learner.update(outcomes);
    this.counts.trained += result.applied;
    if (result.applied > 0) this.counts.rounds++;
    this.appliedThroughTs = Math.max(this.appliedThroughTs, batch.ts);
  }

  private snapshot(): WeightsInForce {
    const w = this.learner.weights();
    return { version: w.version, weights: Object.freeze({ ...w.weights }) };
  }
}
