/**
 * `Evaluation`: the core of `npm run evaluate`, fed in event time by the CLI (or a test).
 *
 *   weightsAt(mode, ts)            the learned weights in force for a prediction at ts
 *   predicted(symbol, mode, ts, b) the learned bias b of that prediction (the CLI computes it
 *                                  from the snapshot's cards with those weights: learned-bias.ts)
 *   scored(symbol, outcome)        an outcome the engine scored (`takeOutcomes`)
 *   report()                       the out-of-sample report
 *
 * Split. `splitTs` = first ts + train · (last ts − first ts) of the input's event-time span:
 * predictions made at or after it are the test part. Learning is walk-forward over both parts
 * (walk-forward.ts: one Hedge round per prediction ts, applied once its horizon has ended,
 * outcomes straddling the split never trained on), and the test part is judged with the weights
 * in force at each prediction. Order: outcomes are judged in (prediction ts, symbol) order and
 * batched by prediction ts, not by due time: a round is the market move after one boundary.
 *
 * Uniform versus learned. Uniform is the bias the engine published (it runs with weights 1 and
 * is never given the learned ones); learned is the engine's `computeBias` over the same cards
 * with the learned weights. Statistics: statistics.ts.
 */
import { CATEGORY_IDS } from "../../../src/domain/cards/categories.js";
import type { CategoryWeightReport, HedgeOptions } from "../../../src/domain/learning/hedge.js";
import { PREDICTION_HORIZON_MS } from "../../../src/domain/learning/horizons.js";
import type { ScoreAndConfidence, ScoredOutcome } from "../../../src/domain/learning/predictions.js";
import type { ScorePair } from "../../../src/domain/learning/scorecard.js";
import type { Mode } from "../../../src/protocol/snapshot.js";
import { OutOfSampleSet } from "./out-of-sample.js";
import {
  BOOTSTRAP_DEFAULTS,
  differenceSummary,
  keyedScorecards,
  signalSummary,
  utcDay,
  type BootstrapSettings,
  type DifferenceSummary,
  type KeyedScorecard,
  type SignalSummary,
} from "./statistics.js";
import { WalkForwardLearner, type WalkForwardCounts, type WeightsInForce } from "./walk-forward.js";

export interface EvaluationOptions {
  modes: readonly Mode[];
  /** First prediction ts of the test part, event ms. */
  splitTs: number;
  /** Prediction cadence per mode, ms (the engine's bias cadence): overlap = horizon / cadence. */
  cadenceMs: Readonly<Record<Mode, number>>;
  /** Horizon per mode, ms. Default PREDICTION_HORIZON_MS (5 min, 1 h, 4 h). */
  horizonMs?: Readonly<Record<Mode, number>>;
  /** See walk-forward.ts. Default 0. */
  settleMs?: number;
  hedge?: Omit<HedgeOptions, "mode">;
  bootstrap?: Partial<Pick<BootstrapSettings, "B" | "seed" | "minGroups">>;
}

export interface ModeReport {
  mode: Mode;
  horizonMs: number;
  cadenceMs: number;
  /** horizon / cadence: how many outcomes of one symbol one outcome overlaps. */
  overlap: number;
  learner: { learningRate: number; share: number; floor: number; outcomeScale: number; settleMs: number };
  counts: WalkForwardCounts & {
    /** Outcomes made before the split. */
    train: number;
    /** Outcomes made at or after it (the test part). */
    test: number;
    /** Test outcomes without a recorded learned bias (left out of the comparison, never filled in). */
    unmatched: number;
    /** Hedge's rejected outcome parts. */
    rejected: Record<string, number>;
  };
  test: { fromTs: number | null; toTs: number | null; days: number; symbols: string[] };
  bias: { uniform: SignalSummary; learned: SignalSummary; learnedMinusUniform: DifferenceSummary };
  categories: KeyedScorecard[];
  cards: KeyedScorecard[];
  /** The learner's weights at the end of the input, in CATEGORY_IDS order. */
  weights: { version: number; categories: CategoryWeightReport[] };
}

export interface EvaluationReport {
  splitTs: number;
  bootstrap: { B: number; seed: number; minGroups: number; group: "UTC day of the prediction" };
  modes: ModeReport[];
}

interface ModeState {
  learner: WalkForwardLearner;
  test: OutOfSampleSet;
  /** Learned biases waiting for their outcome, per symbol, oldest first. */
  waiting: Map<string, { ts: number; learned: ScoreAndConfidence }[]>;
  train: number;
  unmatched: number;
}

export class Evaluation {
  readonly modes: readonly Mode[];
  readonly splitTs: number;
  private readonly horizonMs: Readonly<Record<Mode, number>>;
  private readonly cadenceMs: Readonly<Record<Mode, number>>;
  private readonly bootstrap: Pick<BootstrapSettings, "B" | "seed" | "minGroups">;
  private readonly state = new Map<Mode, ModeState>();

  constructor(options: EvaluationOptions) {
    if (options.modes.length === 0 || new Set(options.modes).size !== options.modes.length) throw new Error("Evaluation: modes must be distinct and not empty");
    this.modes = [...options.modes];
    this.splitTs = options.splitTs;
    this.horizonMs = options.horizonMs ?? PREDICTION_HORIZON_MS;
    this.cadenceMs = options.cadenceMs;
    this.bootstrap = { ...BOOTSTRAP_DEFAULTS, ...options.bootstrap };
    for (const mode of this.modes) {
      const cadence = this.cadenceMs[mode];
      if (!(Number.isFinite(cadence) && cadence > 0)) throw new Error(`Evaluation: cadenceMs.${mode} must be a positive number (got ${String(cadence)})`);
      const learner = new WalkForwardLearner({ mode, splitTs: options.splitTs, settleMs: options.settleMs, hedge: options.hedge });
      this.state.set(mode, { learner, test: new OutOfSampleSet(), waiting: new Map(), train: 0, unmatched: 0 });
    }
  }

  /** Whether `mode` is evaluated. */
  has(mode: Mode): boolean {
    return this.state.has(mode);
  }

  /** The learned weights in force for a prediction of `mode` at `ts` (walk-forward.ts). */
  weightsAt(mode: Mode, ts: number): WeightsInForce {
    return this.mode(mode).learner.weightsAt(ts);
  }

  /** Records the learned bias of the prediction of `symbol` and `mode` at `ts` (in ts order per symbol and mode). */
  predicted(symbol: string, mode: Mode, ts: number, learned: ScoreAndConfidence): void {
    const s = this.mode(mode);
    let queue = s.waiting.get(symbol);
    if (queue === undefined) s.waiting.set(symbol, (queue = []));
    queue.push({ ts, learned: { score: learned.score, confidence: learned.confidence } });
  }

  /** An outcome the engine scored; outcomes of modes not evaluated are ignored. */
  scored(symbol: string, o: ScoredOutcome): void {
    const s = this.state.get(o.mode);
    if (s === undefined) return;
    s.learner.add({ symbol, mode: o.mode, ts: o.ts, dueTs: o.dueTs, outcome: o.outcome, categories: o.categories });
    const learned = this.takeLearned(s, symbol, o.ts);
    if (o.ts < this.splitTs) {
      s.train++;
      return;
    }
    if (learned === null) s.unmatched++;
    s.test.add(symbol, o, learned);
  }

  /** Applies what is left to learn and computes the report (after the last outcome). */
  report(): EvaluationReport {
    return {
      splitTs: this.splitTs,
      bootstrap: { ...this.bootstrap, group: "UTC day of the prediction" },
      modes: this.modes.map((mode) => this.modeReport(mode)),
    };
  }

  private modeReport(mode: Mode): ModeReport {
    const s = this.mode(mode);
    const final = s.learner.finish();
    const horizonMs = this.horizonMs[mode];
    const cadenceMs = this.cadenceMs[mode];
    const overlap = Math.max(1, horizonMs / cadenceMs);
    const settings: BootstrapSettings = { ...this.bootstrap, overlap };
    const rows = s.test.sortedRows();
    const matched = rows.filter((r) => r.learned !== null);
    const pairs = (pick: (r: (typeof rows)[number]) => ScoreAndConfidence): ScorePair[] =>
      matched.map((r) => ({ score: pick(r).score, confidence: pick(r).confidence, outcome: r.outcome, group: utcDay(r.ts) }));
    const uniform = pairs((r) => r.uniform);
    const learned = pairs((r) => r.learned as ScoreAndConfidence);
    const { rejected, ...counts } = s.learner.stats();
    const order = new Map<string, number>(CATEGORY_IDS.map((id, i) => [id, i]));
    return {
      mode,
      horizonMs,
      cadenceMs,
      overlap,
      learner: { ...s.learner.parameters(), settleMs: s.learner.settleMs },
      counts: { ...counts, train: s.train, test: rows.length, unmatched: s.unmatched, rejected: { ...rejected } },
      test: {
        fromTs: rows.length > 0 ? rows[0].ts : null,
        toTs: rows.length > 0 ? rows[rows.length - 1].ts : null,
        days: new Set(rows.map((r) => utcDay(r.ts))).size,
        symbols: [...new Set(rows.map((r) => r.symbol))].sort(),
      },
      bias: {
        uniform: signalSummary(uniform, settings),
        learned: signalSummary(learned, settings),
        learnedMinusUniform: differenceSummary(learned, uniform, settings),
      },
      categories: keyedScorecards(s.test.categoryPairs(), overlap).sort((a, b) => (order.get(a.id) ?? 99) - (order.get(b.id) ?? 99)),
      cards: keyedScorecards(s.test.cardPairs(), overlap),
      weights: { version: final.version, categories: final.categories },
    };
  }

  /** The learned bias recorded for (symbol, ts); older waiting ones were never scored (voided or skipped) and go. */
  private takeLearned(s: ModeState, symbol: string, ts: number): ScoreAndConfidence | null {
    const queue = s.waiting.get(symbol);
    if (queue === undefined) return null;
    let i = 0;
    while (i < queue.length && queue[i].ts < ts) i++;
    const hit = i < queue.length && queue[i].ts === ts ? queue[i].learned : null;
    queue.splice(0, hit === null ? i : i + 1);
    return hit;
  }

  private mode(mode: Mode): ModeState {
    const s = this.state.get(mode);
    if (s === undefined) throw new Error(`Evaluation: mode ${mode} is not evaluated`);
    return s;
  }
}

/** The test split of an event-time span: first + train · (last − first); train in (0, 1). */
export function splitTime(firstTs: number, lastTs: number, train: number): number {
  if (!(train > 0 && train < 1)) throw new Error(`train must be in (0, 1) (got ${String(train)})`);
  if (!(Number.isFinite(firstTs) && Number.isFinite(lastTs) && lastTs >= firstTs)) throw new Error(`the event-time span must be finite and ordered (got ${firstTs} to ${lastTs})`);
  return firstTs + Math.floor(train * (lastTs - firstTs));
}
