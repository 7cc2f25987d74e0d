/**
 * `CoordinatorLearning`: the Coordinator's half of the learning loop. Pure and deterministic; the
 * Durable Object only stores what this module hands it (src/objects/coordinator.ts).
 *
 * Rounds. Every SymbolObject reports once per cycle with the outcomes it scored since its last
 * report (`report(symbol, cycleTs, outcomes)`). A round is one cycle: outcomes are buffered under
 * the open round, whose ts is the newest report ts seen; the first report with a later ts closes
 * it. Closing a round
 *   1. sorts the buffered outcomes by (prediction ts, symbol, mode), so the order reports happened
 *      to arrive in never changes a weight;
 *   2. records each in the aggregate `OutcomeStats` (every symbol summed: the record behind
 *      `/v1/scorecard` without `symbol`);
 *   3. updates each mode's `HedgeLearner` (hedge.ts) with that mode's part, one Hedge round.
 * A report older than the open round (a lagging symbol, a re-sent report) joins the open round.
 *
 * Nothing scored twice. A symbol sends each outcome once and re-sends the outcomes of a failed
 * report (which may have reached the Coordinator after all), so outcomes are deduplicated on
 * (symbol, mode, prediction ts): per (symbol, mode) the ts accepted within the last
 * `dedupeWindowMs` (default 2 h of event time) of the newest one are kept, and an outcome already
 * among them is a `duplicate`. One older than that window cannot be told apart from one already
 * applied and is dropped as `stale` (counted; a re-send lags by a few cycles, not hours). Memory:
 * 21 symbols × (240 + 120 + 24) ts at the default cadences ≈ 8,000 numbers.
 *
 * Published weights (`publishedWeights`): per mode category → weight (1 below the learner's data
 * floor), with version = Σ over modes of the learner versions. The sum, not the max: it moves
 * whenever any mode's weights move (a max would stay put while a lagging mode updates), and it
 * never decreases. Null while no learner has been updated (every mode on defaults).
 *
 * Learned versus uniform (`versusUniform`). Each learner scores every outcome with the weights in
 * force before the round that uses it (online, out of sample): gain g = (b_learned − b_uniform)·y.
 * Outcomes of one round (symbols of one cycle) move together and consecutive rounds overlap
 * (a horizon spans `overlap` predictions), so the interval is cluster-robust with rounds as
 * clusters, inflated for the overlap:
 *
 *   ḡ = Σ_r S_r / N       (S_r, n_r: gain sum and count of round r; N = Σ n_r; R rounds)
 *   V = R/(R−1) · Σ_r (S_r − n_r·ḡ)² / N²      SE = √(V · overlap)      95 %: ḡ ± 1.96·SE
 *
 * kept online from Σ S_r², Σ S_r·n_r, Σ n_r² (Σ (S − nḡ)² = ΣS² − 2ḡ·ΣSn + ḡ²·Σn²).
 * "not enough data" until R / overlap ≥ 30 (scalp 300 rounds with outcomes ≈ 2.5 h, day 1,800
 * ≈ 30 h, swing 1,440 ≈ 5 days).
 *
 * Scorecard (`modeScorecard`, also for one symbol's stats): per category and per card, from its
 * `RunningStats`: n, hit rate with its Wilson interval, rank IC with a Fisher-z interval,
 * mean outcome per unit of score (OLS through the origin) with its interval, all with
 * n_eff = n / overlap where overlap = horizon / cadence is the number of a mode's predictions
 * in flight at once (scalp 5 min / 30 s = 10, day 1 h / 60 s = 60, swing 4 h / 300 s = 48):
 * consecutive outcomes of a symbol share most of their horizon. "not enough data" below
 * n_eff = 30 (scorecard.ts). The aggregate treats symbols as independent of each other: on the
 * shared month pooled intervals over 5 symbols were about half a single symbol's
 * (../shared/EVALUATION.md), close to independence; with 21 co-moving symbols the true interval
 * may be somewhat wider (a design effect of 1 + 20ρ for a cross-symbol correlation ρ).
 *
 * Cost: O(outcome size) per accepted outcome; O(B log B + B·(categories + cards)) per round of B
 * outcomes. Memory: the buffer of one round, the learners (O(25) each), the aggregate
 * statistics (≈ 610 KB, outcome-stats.ts) and the dedupe window.
 */
import { CATEGORIES, CATEGORY_IDS, cardPrefix, type CategoryWeights } from "../cards/categories.js";
import { DEFAULT_ENGINE_CONFIG } from "../config.js";
import { MODES, type Mode } from "../vocabulary.js";
import { HedgeLearner, type HedgeOptions, type HedgeRejected, type HedgeState, type HedgeWeights } from "./hedge.js";
import { PREDICTION_HORIZON_MS } from "./horizons.js";
import { OutcomeStats, type OutcomeStatsState } from "./outcome-stats.js";
import type { ScoredOutcome } from "./predictions.js";
import type { PublishedWeights } from "./report.js";
import type { RunningStats } from "./running-stats.js";
import { scorecardFromSums, SCORECARD_DEFAULTS, spearmanInterval, Z95, type HitRateStat, type IntervalStat, type SlopeStat } from "./scorecard.js";

/** Default dedupe window per (symbol, mode), event ms (module comment). */
export const DEDUPE_WINDOW_MS = 2 * 3_600_000;

/** Minimum effective count (R / overlap, n / overlap) before an interval is published. */
export const LEARNING_FLOOR = SCORECARD_DEFAULTS.floor;

/**
 * Predictions of a mode in flight at once: horizon / bias cadence (scalp 10, day 60, swing 48).
 * The overlap the scorecard's and the learned-versus-uniform intervals correct for.
 */
export const MODE_OVERLAP: Readonly<Record<Mode, number>> = Object.freeze(
  Object.fromEntries(MODES.map((m) => [m, PREDICTION_HORIZON_MS[m] / DEFAULT_ENGINE_CONFIG.biasCadenceMs[m]])) as Record<Mode, number>,
);

export interface CoordinatorLearningOptions {
  /** Options of every mode's learner (mode set per learner). Default: hedge.ts defaults. */
  hedge?: Omit<HedgeOptions, "mode">;
  /** Dedupe window per (symbol, mode), event ms. Default 2 h. */
  dedupeWindowMs?: number;
}

/** An accepted outcome waiting for its round to close. */
export interface BufferedOutcome {
  symbol: string;
  outcome: ScoredOutcome;
}

/** What the Coordinator received and what it did with it. */
export interface LearningCounters {
  reports: number;
  /** Outcomes accepted into a round. */
  accepted: number;
  /** Already accepted (same symbol, mode and prediction ts). */
  duplicate: number;
  /** Older than the dedupe window: cannot be told from one already applied. */
  stale: number;
  /** Malformed (bad mode, non-finite ts or outcome, missing lists). */
  invalid: number;
  /** Rounds closed with at least one outcome. */
  rounds: number;
}

/** Cluster sums of the learned-versus-uniform gain, per mode (module comment). */
export interface GainSums {
  rounds: number;
  n: number;
  sum: number;
  sumS2: number;
  sumSN: number;
  sumN2: number;
}

/** Checkpoint: the parts the Coordinator stores in separate rows. */
export interface CoordinatorLearningState {
  v: 1;
  /** Written once per round. */
  meta: {
    roundTs: number | null;
    dedupeWindowMs: number;
    /** Accepted prediction ts per `symbol|mode`, ascending, within the window. */
    recent: Record<string, number[]>;
    counters: LearningCounters;
    gain: Record<Mode, GainSums>;
    minAbsScore: number;
  };
  /** One row per mode, written at the close of a round that changed it. */
  modes: Record<Mode, { learner: HedgeState; stats: OutcomeStatsState["modes"][Mode] }>;
  /** The open round's outcomes, appended per report. */
  buffer: BufferedOutcome[];
}

/** What one report did. */
export interface ReportResult {
  /** Modes whose learner and statistics changed: the round closed (null: no round closed). */
  closed: Mode[] | null;
  /** Outcomes of this report accepted into the open round (to store). */
  accepted: BufferedOutcome[];
  duplicate: number;
  stale: number;
  invalid: number;
}

/** Learned versus uniform bias so far, with an interval honest for rounds and overlap. */
export type LearnedVersusUniform =
  | {
      status: "ok";
      /** Outcomes scored both ways. */
      n: number;
      rounds: number;
      overlap: number;
      /** Mean gain (b_learned − b_uniform)·y, σ units per unit of bias. */
      meanGain: number;
      /** Standard error as if outcomes were independent (the learner's; null below its own floor). */
      seNaive: number | null;
      /** Cluster-robust (rounds) standard error inflated by √overlap; the interval uses it. */
      se: number;
      lo: number;
      hi: number;
      /** The interval excludes 0. */
      significant: boolean;
    }
  | { status: "not enough data"; n: number; rounds: number; overlap: number; needed: number; neededUnit: "rounds" };

/**
 * One mode's weights as `/v1/weights` publishes them: the learner's report without its naive
 * `vsUniform` (its mean and SE are in `versusUniform`, beside the interval honest for overlap).
 */
export interface ModeWeightsReport extends Omit<HedgeWeights, "vsUniform"> {
  parameters: { learningRate: number; share: number; floor: number; outcomeScale: number };
  versusUniform: LearnedVersusUniform;
  rejected: HedgeRejected;
}

/** `/v1/weights`. */
export interface WeightsReport {
  /** Σ of the mode versions: the version the bias records; 0 before any update. */
  version: number;
  roundTs: number | null;
  counters: LearningCounters;
  modes: Record<Mode, ModeWeightsReport>;
}

/** One signal's row of the scorecard. */
export interface ScorecardRow {
  id: string;
  /** The category a card belongs to (the category's own id for a category row). */
  category: string | null;
  n: number;
  nEff: number;
  status: "ok" | "not enough data";
  /** Outcomes still needed for n_eff to reach the floor (0 when ok). */
  needed: number;
  hitRate: HitRateStat;
  ic: IntervalStat;
  slope: SlopeStat;
  excluded: { rejected: number; noConfidence: number };
}

/** One mode's scorecard. */
export interface ModeScorecard {
  mode: Mode;
  horizonMs: number;
  cadenceMs: number;
  overlap: number;
  floor: number;
  minAbsScore: number;
  bias: ScorecardRow;
  categories: ScorecardRow[];
  cards: ScorecardRow[];
}

const CARD_PREFIX_CATEGORY = new Map<string, string>(CATEGORIES.map((c) => [cardPrefix(c), c.id]));

/** The category of a card id `prefix.name`, or null when the prefix names none. */
export function cardCategory(cardId: string): string | null {
  const dot = cardId.indexOf(".");
  return dot <= 0 ? null : (CARD_PREFIX_CATEGORY.get(cardId.slice(0, dot)) ?? null);
}

/** The Coordinator's learners, round buffer, dedupe and aggregate statistics (module comment). */
export class CoordinatorLearning {
  private learners: Record<Mode, HedgeLearner>;
  private stats: OutcomeStats;
  private buffer: BufferedOutcome[] = [];
  private roundTs: number | null = null;
  private readonly recent = new Map<string, number[]>();
  private counters: LearningCounters = { reports: 0, accepted: 0, duplicate: 0, stale: 0, invalid: 0, rounds: 0 };
  private gain: Record<Mode, GainSums> = { scalp: emptyGain(), day: emptyGain(), swing: emptyGain() };
  readonly dedupeWindowMs: number;

  constructor(options: CoordinatorLearningOptions = {}) {
    const w = options.dedupeWindowMs ?? DEDUPE_WINDOW_MS;
    if (!(Number.isFinite(w) && w > 0)) throw new Error(`CoordinatorLearning: dedupeWindowMs must be a finite number > 0 (got ${String(w)})`);
    this.dedupeWindowMs = w;
    this.learners = { scalp: new HedgeLearner({ ...options.hedge, mode: "scalp" }), day: new HedgeLearner({ ...options.hedge, mode: "day" }), swing: new HedgeLearner({ ...options.hedge, mode: "swing" }) };
    this.stats = new OutcomeStats();
  }

  /**
   * One symbol's cycle report: closes the open round when `cycleTs` is later than it, then takes
   * the report's outcomes into the (new) open round, deduplicated.
   */
  report(symbol: string, cycleTs: number, outcomes: readonly ScoredOutcome[] = []): ReportResult {
    if (!Number.isFinite(cycleTs)) throw new Error(`CoordinatorLearning.report: cycle ts must be finite (got ${String(cycleTs)})`);
    this.counters.reports++;
    let closed: Mode[] | null = null;
    if (this.roundTs === null || cycleTs > this.roundTs) {
      if (this.roundTs !== null) closed = this.closeRound();
      this.roundTs = cycleTs;
    }
    const result: ReportResult = { closed, accepted: [], duplicate: 0, stale: 0, invalid: 0 };
    for (const o of outcomes) {
      const verdict = this.admit(symbol, o);
      if (verdict === "ok") {
        const b = { symbol, outcome: o };
        this.buffer.push(b);
        result.accepted.push(b);
      } else result[verdict]++;
    }
    this.counters.accepted += result.accepted.length;
    this.counters.duplicate += result.duplicate;
    this.counters.stale += result.stale;
    this.counters.invalid += result.invalid;
    return result;
  }

  /** The weights in force for the report's reply; null before any learner update. */
  publishedWeights(): PublishedWeights | null {
    const version = this.version();
    if (version === 0) return null;
    const weights: CategoryWeights = {};
    for (const mode of MODES) weights[mode] = this.learners[mode].weights().weights;
    return { version, weights };
  }

  /** Σ of the learners' versions. */
  version(): number {
    return MODES.reduce((s, m) => s + this.learners[m].weights().version, 0);
  }

  /** Everything `/v1/weights` shows. */
  weightsReport(): WeightsReport {
    const modes = {} as Record<Mode, ModeWeightsReport>;
    for (const mode of MODES) {
      const l = this.learners[mode];
      const { vsUniform: _naive, ...weights } = l.weights();
      modes[mode] = {
        ...weights,
        parameters: { learningRate: l.learningRate, share: l.share, floor: l.floor, outcomeScale: l.outcomeScale },
        versusUniform: this.versusUniform(mode),
        rejected: l.rejected(),
      };
    }
    return { version: this.version(), roundTs: this.roundTs, counters: { ...this.counters }, modes };
  }

  /** Learned versus uniform for one mode (module comment). */
  versusUniform(mode: Mode): LearnedVersusUniform {
    const naive = this.learners[mode].weights().vsUniform;
    return gainVersusUniform(this.gain[mode], MODE_OVERLAP[mode], naive.status === "ok" ? naive.se : null);
  }

  /** The aggregate scorecard of one mode, optionally one category and its cards. */
  scorecard(mode: Mode, category?: string): ModeScorecard {
    return modeScorecard(this.stats, mode, category);
  }

  /** The aggregate statistics (read-only use). */
  outcomeStats(): OutcomeStats {
    return this.stats;
  }

  /** Outcomes waiting for their round. */
  get buffered(): number {
    return this.buffer.length;
  }

  toJSON(): CoordinatorLearningState {
    const modes = {} as CoordinatorLearningState["modes"];
    for (const mode of MODES) modes[mode] = this.modeJSON(mode);
    return { v: 1, meta: this.metaJSON(), modes, buffer: [...this.buffer] };
  }

  /** The `meta` part of the checkpoint alone (what the close of a round writes besides the changed modes). */
  metaJSON(): CoordinatorLearningState["meta"] {
    const recent: Record<string, number[]> = {};
    for (const k of [...this.recent.keys()].sort()) recent[k] = [...(this.recent.get(k) as number[])];
    const gain = Object.fromEntries(MODES.map((m) => [m, { ...this.gain[m] }])) as Record<Mode, GainSums>;
    return { roundTs: this.roundTs, dedupeWindowMs: this.dedupeWindowMs, recent, counters: { ...this.counters }, gain, minAbsScore: this.stats.minAbsScore };
  }

  /** One mode's part of the checkpoint alone (learner and statistics), without serializing the other modes. */
  modeJSON(mode: Mode): CoordinatorLearningState["modes"][Mode] {
    const m = this.stats.mode(mode);
    const keyed = (map: Map<string, RunningStats>) => Object.fromEntries([...map.keys()].sort().map((k) => [k, (map.get(k) as RunningStats).toJSON()]));
    return { learner: this.learners[mode].toJSON(), stats: { bias: m.bias.toJSON(), categories: keyed(m.categories), cards: keyed(m.cards) } };
  }

  /** Restores a checkpoint (the buffer's keys rejoin the dedupe window); throws naming a bad field. */
  static fromJSON(state: CoordinatorLearningState): CoordinatorLearning {
    if (state === null || typeof state !== "object" || state.v !== 1) throw new Error("CoordinatorLearning.fromJSON: not a v1 state");
    const { meta } = state;
    const out = new CoordinatorLearning({ dedupeWindowMs: meta.dedupeWindowMs });
    for (const mode of MODES) {
      const m = state.modes?.[mode];
      if (m === undefined) throw new Error(`CoordinatorLearning.fromJSON: modes.${mode} is missing`);
      const learner = HedgeLearner.fromJSON(m.learner);
      if (learner.mode !== mode) throw new Error(`CoordinatorLearning.fromJSON: modes.${mode} holds a ${learner.mode} learner`);
      out.learners[mode] = learner;
    }
    const modes = Object.fromEntries(MODES.map((m) => [m, state.modes[m].stats])) as OutcomeStatsState["modes"];
    out.stats = OutcomeStats.fromJSON({ version: 1, minAbsScore: meta.minAbsScore, modes });
    if (meta.roundTs !== null && !Number.isFinite(meta.roundTs)) throw new Error("CoordinatorLearning.fromJSON: meta.roundTs must be a number or null");
    out.roundTs = meta.roundTs;
    out.counters = { ...out.counters, ...meta.counters };
    for (const mode of MODES) out.gain[mode] = { ...emptyGain(), ...meta.gain?.[mode] };
    for (const [k, ts] of Object.entries(meta.recent ?? {})) {
      if (!Array.isArray(ts) || !ts.every(Number.isFinite)) throw new Error(`CoordinatorLearning.fromJSON: meta.recent.${k} must be numbers`);
      out.recent.set(k, [...ts].sort((a, b) => a - b));
    }
    if (!Array.isArray(state.buffer)) throw new Error("CoordinatorLearning.fromJSON: buffer must be an array");
    // The buffer rows are the open round: each is kept once, and its key rejoins the window
    // (the window written with the round that opened it may already hold it).
    const inBuffer = new Set<string>();
    for (const b of state.buffer) {
      if (!isOutcome(b?.outcome) || typeof b.symbol !== "string") throw new Error("CoordinatorLearning.fromJSON: a buffered outcome is malformed");
      const key = `${b.symbol}|${b.outcome.mode}|${b.outcome.ts}`;
      if (inBuffer.has(key)) continue;
      inBuffer.add(key);
      out.remember(`${b.symbol}|${b.outcome.mode}`, b.outcome.ts);
      out.buffer.push(b);
    }
    return out;
  }

  /** Closes the open round (module comment); returns the modes it changed. */
  private closeRound(): Mode[] {
    if (this.buffer.length === 0) return [];
    const batch = [...this.buffer].sort(
      (a, b) => a.outcome.ts - b.outcome.ts || compare(a.symbol, b.symbol) || MODES.indexOf(a.outcome.mode) - MODES.indexOf(b.outcome.mode),
    );
    this.buffer = [];
    const changed: Mode[] = [];
    for (const mode of MODES) {
      const part = batch.filter((b) => b.outcome.mode === mode).map((b) => b.outcome);
      if (part.length === 0) continue;
      for (const o of part) this.stats.record(o);
      const { records } = this.learners[mode].update(part);
      if (records.length > 0) addRoundGains(this.gain[mode], records.map((r) => (r.learned - r.uniform) * r.outcome));
      changed.push(mode);
    }
    this.counters.rounds++;
    return changed;
  }

  /** Validates and dedupes one outcome; on "ok" its key joins the window. */
  private admit(symbol: string, o: ScoredOutcome): "ok" | "duplicate" | "stale" | "invalid" {
    if (!isOutcome(o)) return "invalid";
    const key = `${symbol}|${o.mode}`;
    const seen = this.recent.get(key);
    const newest = seen !== undefined && seen.length > 0 ? seen[seen.length - 1] : -Infinity;
    if (o.ts <= newest - this.dedupeWindowMs) return "stale";
    return this.remember(key, o.ts) ? "ok" : "duplicate";
  }

  /** Adds ts to the key's window (pruning what fell out of it); false when it was there already. */
  private remember(key: string, ts: number): boolean {
    const seen = this.recent.get(key) ?? [];
    const i = lowerBound(seen, ts);
    if (seen[i] === ts) return false;
    seen.splice(i, 0, ts);
    const cutoff = seen[seen.length - 1] - this.dedupeWindowMs;
    let drop = 0;
    while (seen[drop] <= cutoff) drop++;
    if (drop > 0) seen.splice(0, drop);
    this.recent.set(key, seen);
    return true;
  }
}

/** The scorecard of one mode from a statistics table (the aggregate or one symbol's). */
export function modeScorecard(stats: OutcomeStats, mode: Mode, category?: string): ModeScorecard {
  const overlap = MODE_OVERLAP[mode];
  const m = stats.mode(mode);
  const categories = CATEGORY_IDS.filter((c) => category === undefined || c === category).map((c) => {
    const s = m.categories.get(c);
    return s === undefined ? emptyRow(c, c, overlap) : scorecardRow(c, c, s, overlap);
  });
  const cards = [...m.cards.keys()]
    .filter((id) => category === undefined || cardCategory(id) === category)
    .sort(compare)
    .map((id) => scorecardRow(id, cardCategory(id), m.cards.get(id) as RunningStats, overlap));
  return {
    mode,
    horizonMs: PREDICTION_HORIZON_MS[mode],
    cadenceMs: DEFAULT_ENGINE_CONFIG.biasCadenceMs[mode],
    overlap,
    floor: LEARNING_FLOOR,
    minAbsScore: stats.minAbsScore,
    bias: scorecardRow("bias", null, m.bias, overlap),
    categories,
    cards,
  };
}

/**
 * One signal's row: hit rate (Wilson), slope (OLS through the origin) from the running sums, and
 * the binned rank IC (running-stats.ts) with a Fisher-z interval, all at n_eff = n / overlap.
 */
export function scorecardRow(id: string, category: string | null, stats: RunningStats, overlap: number, floor: number = LEARNING_FLOOR): ScorecardRow {
  const s = stats.summary();
  const card = scorecardFromSums({ n: s.n, hitN: s.calls, hits: s.hits, sumXX: s.sumXX, sumXY: s.sumXY, sumYY: s.sumYY }, { overlap, floor });
  return {
    id,
    category,
    n: s.n,
    nEff: card.nEff,
    status: card.status,
    needed: neededFor(s.n, overlap, floor),
    hitRate: card.hitRate,
    ic: rankIcStat(stats.rankIC(), s.n, overlap, floor),
    slope: card.slope,
    excluded: { rejected: s.rejected, noConfidence: s.noConfidence },
  };
}

function emptyRow(id: string, category: string, overlap: number): ScorecardRow {
  const none = { status: "not enough data" as const, n: 0, nEff: 0, needed: neededFor(0, overlap, LEARNING_FLOOR) };
  return { id, category, n: 0, nEff: 0, status: "not enough data", needed: none.needed, hitRate: none, ic: none, slope: none, excluded: { rejected: 0, noConfidence: 0 } };
}

function neededFor(n: number, overlap: number, floor: number): number {
  return n / overlap >= floor ? 0 : Math.max(1, Math.ceil(floor * overlap - n));
}

function rankIcStat(rho: number | null, n: number, overlap: number, floor: number): IntervalStat {
  const nEff = n / overlap;
  if (nEff < floor) return { status: "not enough data", n, nEff, needed: neededFor(n, overlap, floor) };
  if (rho === null) return { status: "undefined", n, reason: "every score or every outcome in one bin" };
  const { lo, hi } = spearmanInterval(rho, nEff);
  return { status: "ok", n, nEff, value: rho, lo, hi, significant: lo > 0 || hi < 0 };
}

/**
 * Learned versus uniform from the round sums: cluster-robust SE inflated by √overlap (module
 * comment); "not enough data" while R / overlap < floor. `seNaive` is the learner's SE (null when it has none).
 */
export function gainVersusUniform(g: GainSums, overlap: number, seNaive: number | null, floor: number = LEARNING_FLOOR): LearnedVersusUniform {
  const needed = Math.ceil(floor * overlap) - g.rounds;
  if (needed > 0 || g.rounds < 2 || g.n === 0) return { status: "not enough data", n: g.n, rounds: g.rounds, overlap, needed: Math.max(1, needed), neededUnit: "rounds" };
  const mean = g.sum / g.n;
  const ss = Math.max(0, g.sumS2 - 2 * mean * g.sumSN + mean * mean * g.sumN2);
  const v = ((g.rounds / (g.rounds - 1)) * ss) / (g.n * g.n);
  const se = Math.sqrt(v * overlap);
  const lo = mean - Z95 * se;
  const hi = mean + Z95 * se;
  return { status: "ok", n: g.n, rounds: g.rounds, overlap, meanGain: mean, seNaive, se, lo, hi, significant: lo > 0 || hi < 0 };
}

/** Adds one round's per-outcome gains to the cluster sums. */
export function addRoundGains(g: GainSums, gains: readonly number[]): void {
  const S = gains.reduce((a, b) => a + b, 0);
  const n = gains.length;
  g.rounds++;
  g.n += n;
  g.sum += S;
  g.sumS2 += S * S;
  g.sumSN += S * n;
  g.sumN2 += n * n;
}

/** Cluster sums with no round. */
export function emptyGain(): GainSums {
  return { rounds: 0, n: 0, sum: 0, sumS2: 0, sumSN: 0, sumN2: 0 };
}

function isOutcome(o: ScoredOutcome | undefined): o is ScoredOutcome {
  return (
    o !== null &&
    typeof o === "object" &&
    (MODES as readonly string[]).includes(o.mode) &&
    Number.isFinite(o.ts) &&
    Number.isFinite(o.outcome) &&
    o.bias !== null &&
    typeof o.bias === "object" &&
    Array.isArray(o.categories) &&
    Array.isArray(o.cards)
  );
}

function lowerBound(sorted: readonly number[], x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
