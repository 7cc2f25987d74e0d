/**
 * `HedgeLearner`: the weight of each signal category in one mode's composite bias, learned
 * online from scored outcomes by Hedge (exponentiated gradient over experts) with sleeping
 * experts and fixed share. Pure and deterministic: the state is a few numbers per category.
 *
 * Round. One `update(batch)` is one round t (the Coordinator passes one batch per cycle: the
 * outcomes of all symbols scored in that cycle are near-copies of one market move, so they
 * share a round rather than counting 21 times). For an outcome with return y (σ units, the
 * predictions module clips it to ±5) and a category k available in it with score s_k ∈ [−1, 1]
 * and confidence c_k ∈ [0, 1]:
 *
 *   raw_k = clip(−s_k·c_k·y / Y, −1, 1)          Y = `outcomeScale`, default 2 σ
 *   ℓ_k   = (1 + raw_k) / 2  ∈ [0, 1]             0: fully right, ½: no view, 1: fully wrong
 *
 * Y = 2: about 95 % of σ-normalized outcomes have |y| ≤ 2, so the clip rarely binds and the loss
 * stays linear in y; the clip keeps one 5 σ outlier from deciding a weight. A category's round
 * loss L_k,t is the mean of ℓ_k over the batch's outcomes in which it was available.
 *
 * Update (p is a probability vector over the K categories, uniform at start):
 *
 *   1. sleeping experts (Freund, Schapire, Singer & Warmuth 1997, "Using and combining
 *      predictors that specialize"): for the awake set A_t (available at least once in the
 *      batch) v_k = p_k·exp(−η·L_k,t), then p_k ← v_k · Σ_A p / Σ_A v; a category without data
 *      this round keeps its p_k (it neither gains nor loses: absence is not evidence).
 *   2. fixed share (Herbster & Warmuth 1998, "Tracking the best expert"):
 *      p_k ← (1 − α)·p_k + α/K, so p_k ≥ α/K: no category dies, and one whose edge returns
 *      recovers within about ln(K/α)/(η·δ) rounds for a per-round loss edge δ.
 *
 * Regret. Plain Hedge with losses in [0, 1] over T rounds has regret ≤ ln K / η + η·T / 8
 * against the best fixed category (Cesa-Bianchi & Lugosi 2006, Thm 2.2); η* = √(8 ln K / T)
 * gives √(T ln K / 2). Default η is η* for a planned horizon T = 10,000 rounds (K = 25:
 * η ≈ 0.0507). Fixed share bounds the regret against a sequence of best categories with m
 * switches by ((m+1) ln K + m ln(1/α) + (T−m−1) ln(1/(1−α))) / η + η·T/8, minimized near
 * α = m/(T−1); the default α = 0.001 is m ≈ 10 switches over the planned horizon. The sleeping
 * update keeps the awake mass, and its regret holds per category over the rounds it was awake.
 *
 * What α and η allow. Unclipped, E[ℓ_k] = ½ − c·ρ·σ_s·σ_y/(2Y) for a category whose score has
 * correlation ρ with the outcome, so with σ_y = 1, σ_s ≈ 0.5 and c = 1 a category's edge over
 * the mix is δ ≈ Δρ/8 per round. Per round its p grows by about η·δ and fixed share pulls it
 * back by α: a category worse than the mix settles near a fraction α/(α + η·δ) of its uniform
 * share, and a better one grows only while η·δ > α (with the defaults δ > 0.02, Δρ ≳ 0.16).
 * Seeded runs of the planted market (test/unit/domain/learning/planted.test.ts: ρ ≈ 0.18, 3
 * outcomes a round) give the leading category weight 1.8 after 1,000 rounds, 2.2 after 2,000,
 * 3.4 after 4,000, while pure-noise categories wander within 0.8–1.2. The learner moves weights
 * only as far as sustained evidence carries them; a smaller α (1e-4) reaches further (13 after
 * 4,000 rounds) at the price of noise weights wandering 0.7–1.4 and slower recovery
 * (ln(K/α)/(η·δ) rounds from the floor).
 *
 * Published weights. A category is past the data floor once it was available in N scored
 * outcomes (default 200). Below the floor its published weight is 1, flagged "not enough
 * data". Over the set F past the floor, w_k = |F| · p_k / Σ_F p_j, so both groups are on the
 * uniform = 1 scale (the mean over F is 1) and a bias Σ w·c·s / Σ w stays comparable as
 * categories mature. `version` increments on every batch that applied at least one outcome.
 *
 * Learned versus uniform. Before a batch updates p, each of its outcomes is scored with the
 * published weights of that moment (online, out of sample):
 *
 *   b_L = Σ_A w_k·c_k·s_k / Σ_A w_k       b_U = Σ_A c_k·s_k / |A|       gain = (b_L − b_U)·y
 *
 * and n, Σ gain, Σ gain² are kept: the mean gain in σ units per unit of bias. Its naive SE
 * treats outcomes as independent; overlapping horizons and symbols of one cycle are not, so
 * the interval to publish comes from `bootstrapDiff` (scorecard.ts) over the per-outcome
 * records `update` returns.
 *
 * Cost O(K + Σ categories per outcome) per batch; memory O(K).
 */
import { CATEGORY_IDS } from "../cards/categories.js";
import type { Mode } from "../vocabulary.js";

/** The part of a scored outcome the learner reads (the predictions module's type has more). */
export interface LearnerOutcome {
  mode: Mode;
  /** Prediction time, event ms. */
  ts: number;
  /** Forward return over the mode's horizon in σ units (clipped to ±5 upstream). */
  outcome: number;
  /** Each category available at prediction time, once, with score in [−1, 1] and confidence in [0, 1]. */
  categories: readonly { category: string; score: number; confidence: number }[];
}

export interface HedgeOptions {
  mode: Mode;
  /** The experts, in publication order. Default: the 25 `CATEGORY_IDS`. */
  categories?: readonly string[];
  /** η. Default √(8 ln K / horizonRounds). */
  learningRate?: number;
  /** Planned number of rounds T used for the default η. Default 10,000. */
  horizonRounds?: number;
  /** α, the fixed-share mix with uniform per round, in (0, 1). Default 0.001. */
  share?: number;
  /** N, scored outcomes with the category available before its weight is published. Default 200. */
  floor?: number;
  /** Y, the outcome (σ units) at which a fully confident, fully scored category's loss saturates. Default 2. */
  outcomeScale?: number;
}

export const HEDGE_DEFAULTS = { horizonRounds: 10_000, share: 0.001, floor: 200, outcomeScale: 2 } as const;

/** One category's published weight. */
export interface CategoryWeightReport {
  category: string;
  /** Published weight: 1 below the floor, else |F|·p_k / Σ_F p. */
  weight: number;
  /** The learner's internal probability p_k (sums to 1 over all categories). */
  p: number;
  /** Scored outcomes in which the category was available. */
  n: number;
  status: "learned" | "not enough data";
  /** Outcomes still needed to reach the floor (0 when learned). */
  needed: number;
}

/** Learned versus uniform bias so far, online out of sample. */
export type VersusUniform =
  | { status: "ok"; n: number; meanGain: number; se: number }
  | { status: "not enough data"; n: number; needed: number };

export interface HedgeWeights {
  mode: Mode;
  version: number;
  rounds: number;
  outcomes: number;
  /** Published weight per category (the map the bias reads). */
  weights: Record<string, number>;
  categories: CategoryWeightReport[];
  vsUniform: VersusUniform;
}

/** The learned and the uniform bias of one outcome, computed before the update that used it. */
export interface OutcomeRecord {
  ts: number;
  outcome: number;
  learned: number;
  uniform: number;
}

export interface HedgeUpdateResult {
  version: number;
  /** Outcomes of this mode applied. */
  applied: number;
  /** Outcomes of another mode, passed over (not counted as rejected). */
  otherMode: number;
  records: OutcomeRecord[];
}

export interface HedgeRejected {
  /** Outcome not finite, or ts not finite. */
  invalidOutcome: number;
  /** No valid category in the outcome. */
  noCategories: number;
  /** Category entry not among the experts. */
  unknownCategory: number;
  /** Score outside [−1, 1] or confidence outside [0, 1] or not finite. */
  invalidCategory: number;
  /** Same category twice in one outcome (the second is dropped). */
  duplicateCategory: number;
}

/** Serialized state; `fromJSON(toJSON())` continues exactly where it stopped. */
export interface HedgeState {
  v: 1;
  mode: Mode;
  categories: string[];
  learningRate: number;
  share: number;
  floor: number;
  outcomeScale: number;
  p: number[];
  seen: number[];
  version: number;
  rounds: number;
  outcomes: number;
  gain: { n: number; sum: number; sumSq: number };
  rejected: HedgeRejected;
}

/** Minimum outcomes for the learned-versus-uniform mean to be published. */
const GAIN_FLOOR = 30;

/** Hedge with sleeping experts and fixed share over the categories of one mode (module comment). */
export class HedgeLearner {
  readonly mode: Mode;
  readonly categories: readonly string[];
  readonly learningRate: number;
  readonly share: number;
  readonly floor: number;
  readonly outcomeScale: number;
  private readonly index: Map<string, number>;
  private p: number[];
  private seen: number[];
  private version = 0;
  private rounds = 0;
  private outcomes = 0;
  private gain = { n: 0, sum: 0, sumSq: 0 };
  private rejectedCounts: HedgeRejected = { invalidOutcome: 0, noCategories: 0, unknownCategory: 0, invalidCategory: 0, duplicateCategory: 0 };

  constructor(options: HedgeOptions) {
    const categories = [...(options.categories ?? CATEGORY_IDS)];
    if (categories.length === 0) throw new Error("HedgeLearner: categories must not be empty");
    if (new Set(categories).size !== categories.length) throw new Error("HedgeLearner: categories must be distinct");
    const horizon = options.horizonRounds ?? HEDGE_DEFAULTS.horizonRounds;
    checkRange("horizonRounds", horizon, 1, Infinity);
    const eta = options.learningRate ?? defaultLearningRate(categories.length, horizon);
    checkRange("learningRate", eta, Number.MIN_VALUE, Infinity);
    const share = options.share ?? HEDGE_DEFAULTS.share;
    if (!(share > 0 && share < 1)) throw new Error(`HedgeLearner: share must be in (0, 1) (got ${String(share)})`);
    const floor = options.floor ?? HEDGE_DEFAULTS.floor;
    if (!Number.isInteger(floor) || floor < 0) throw new Error(`HedgeLearner: floor must be an integer >= 0 (got ${String(floor)})`);
    const scale = options.outcomeScale ?? HEDGE_DEFAULTS.outcomeScale;
    checkRange("outcomeScale", scale, Number.MIN_VALUE, Infinity);
    this.mode = options.mode;
    this.categories = categories;
    this.learningRate = eta;
    this.share = share;
    this.floor = floor;
    this.outcomeScale = scale;
    this.index = new Map(categories.map((c, i) => [c, i]));
    this.p = categories.map(() => 1 / categories.length);
    this.seen = categories.map(() => 0);
  }

  /**
   * One round: score each outcome of this mode against the current weights (records), then
   * update p from the batch's mean losses. Outcomes are read in the order given.
   */
  update(batch: readonly LearnerOutcome[]): HedgeUpdateResult {
    const K = this.categories.length;
    const lossSum = new Array<number>(K).fill(0);
    const lossN = new Array<number>(K).fill(0);
    const weights = this.publishedWeights();
    const records: OutcomeRecord[] = [];
    let otherMode = 0;
    for (const o of batch) {
      if (o.mode !== this.mode) {
        otherMode++;
        continue;
      }
      const awake = this.awakeCategories(o);
      if (awake === null) continue;
      records.push(this.record(o, awake, weights));
      for (const { k, s, c } of awake) {
        lossSum[k] += categoryLoss(s, c, o.outcome, this.outcomeScale);
        lossN[k]++;
      }
    }
    if (records.length === 0) return { version: this.version, applied: 0, otherMode, records };
    this.step(lossSum, lossN);
    this.outcomes += records.length;
    this.rounds++;
    this.version++;
    return { version: this.version, applied: records.length, otherMode, records };
  }

  /** Published weights with counts and the learned-versus-uniform result (module comment). */
  weights(): HedgeWeights {
    const w = this.publishedWeights();
    const categories = this.categories.map((category, k): CategoryWeightReport => {
      const learned = this.seen[k] >= this.floor;
      return { category, weight: w[k], p: this.p[k], n: this.seen[k], status: learned ? "learned" : "not enough data", needed: learned ? 0 : this.floor - this.seen[k] };
    });
    return {
      mode: this.mode,
      version: this.version,
      rounds: this.rounds,
      outcomes: this.outcomes,
      weights: Object.fromEntries(categories.map((c) => [c.category, c.weight])),
      categories,
      vsUniform: this.versusUniform(),
    };
  }

  /** Counts of outcome parts rejected so far (never replaced by a default). */
  rejected(): HedgeRejected {
    return { ...this.rejectedCounts };
  }

  toJSON(): HedgeState {
    return {
      v: 1,
      mode: this.mode,
      categories: [...this.categories],
      learningRate: this.learningRate,
      share: this.share,
      floor: this.floor,
      outcomeScale: this.outcomeScale,
      p: [...this.p],
      seen: [...this.seen],
      version: this.version,
      rounds: this.rounds,
      outcomes: this.outcomes,
      gain: { ...this.gain },
      rejected: { ...this.rejectedCounts },
    };
  }

  /** Restores a learner from `toJSON()` output (after a JSON round trip); throws naming a bad field. */
  static fromJSON(json: unknown): HedgeLearner {
    const s = json as HedgeState;
    if (s === null || typeof s !== "object" || s.v !== 1) throw new Error("HedgeLearner.fromJSON: not a v1 learner state");
    const learner = new HedgeLearner({ mode: s.mode, categories: s.categories, learningRate: s.learningRate, share: s.share, floor: s.floor, outcomeScale: s.outcomeScale });
    const K = learner.categories.length;
    if (!Array.isArray(s.p) || s.p.length !== K || !s.p.every((x) => Number.isFinite(x) && x > 0)) throw new Error(`HedgeLearner.fromJSON: p must be ${K} positive numbers`);
    if (!Array.isArray(s.seen) || s.seen.length !== K || !s.seen.every(isCount)) throw new Error(`HedgeLearner.fromJSON: seen must be ${K} counts`);
    for (const f of ["version", "rounds", "outcomes"] as const) if (!isCount(s[f])) throw new Error(`HedgeLearner.fromJSON: ${f} must be a count`);
    if (!isCount(s.gain?.n) || !Number.isFinite(s.gain.sum) || !Number.isFinite(s.gain.sumSq)) throw new Error("HedgeLearner.fromJSON: gain must be {n, sum, sumSq}");
    learner.p = [...s.p];
    learner.seen = [...s.seen];
    learner.version = s.version;
    learner.rounds = s.rounds;
    learner.outcomes = s.outcomes;
    learner.gain = { n: s.gain.n, sum: s.gain.sum, sumSq: s.gain.sumSq };
    for (const key of Object.keys(learner.rejectedCounts) as (keyof HedgeRejected)[]) {
      const v = s.rejected?.[key];
      if (!isCount(v)) throw new Error(`HedgeLearner.fromJSON: rejected.${key} must be a count`);
      learner.rejectedCounts[key] = v;
    }
    return learner;
  }

  private publishedWeights(): number[] {
    let massF = 0;
    let countF = 0;
    for (let k = 0; k < this.p.length; k++) {
      if (this.seen[k] < this.floor) continue;
      massF += this.p[k];
      countF++;
    }
    return this.p.map((p, k) => (this.seen[k] >= this.floor ? (countF * p) / massF : 1));
  }

  /** Valid, known, distinct categories of an outcome; null (counted) when there are none or y is bad. */
  private awakeCategories(o: LearnerOutcome): { k: number; s: number; c: number }[] | null {
    if (!Number.isFinite(o.outcome) || !Number.isFinite(o.ts)) {
      this.rejectedCounts.invalidOutcome++;
      return null;
    }
    const out: { k: number; s: number; c: number }[] = [];
    const taken = new Set<number>();
    for (const { category, score, confidence } of o.categories) {
      const k = this.index.get(category);
      if (k === undefined) this.rejectedCounts.unknownCategory++;
      else if (!(score >= -1 && score <= 1 && confidence >= 0 && confidence <= 1)) this.rejectedCounts.invalidCategory++;
      else if (taken.has(k)) this.rejectedCounts.duplicateCategory++;
      else {
        taken.add(k);
        out.push({ k, s: score, c: confidence });
      }
    }
    if (out.length === 0) {
      this.rejectedCounts.noCategories++;
      return null;
    }
    return out;
  }

  private record(o: LearnerOutcome, awake: readonly { k: number; s: number; c: number }[], weights: readonly number[]): OutcomeRecord {
    let num = 0;
    let wSum = 0;
    let uni = 0;
    for (const { k, s, c } of awake) {
      num += weights[k] * c * s;
      wSum += weights[k];
      uni += c * s;
    }
    const learned = wSum > 0 ? num / wSum : 0;
    const uniform = uni / awake.length;
    const g = (learned - uniform) * o.outcome;
    this.gain.n++;
    this.gain.sum += g;
    this.gain.sumSq += g * g;
    return { ts: o.ts, outcome: o.outcome, learned: learned + 0, uniform: uniform + 0 };
  }

  /** Sleeping-experts Hedge on the awake set, then fixed share; counts the floor. */
  private step(lossSum: readonly number[], lossN: readonly number[]): void {
    const K = this.p.length;
    let before = 0;
    let after = 0;
    const v = [...this.p];
    // Losses are shifted by their minimum so a large η cannot underflow every exp to 0.
    let minLoss = Infinity;
    for (let k = 0; k < K; k++) if (lossN[k] > 0) minLoss = Math.min(minLoss, lossSum[k] / lossN[k]);
    for (let k = 0; k < K; k++) {
      if (lossN[k] === 0) continue;
      before += this.p[k];
      v[k] = this.p[k] * Math.exp(-this.learningRate * (lossSum[k] / lossN[k] - minLoss));
      after += v[k];
    }
    const scale = before / after;
    for (let k = 0; k < K; k++) {
      const pk = lossN[k] === 0 ? this.p[k] : v[k] * scale;
      this.p[k] = (1 - this.share) * pk + this.share / K;
      this.seen[k] += lossN[k];
    }
  }

  private versusUniform(): VersusUniform {
    const { n, sum, sumSq } = this.gain;
    if (n < GAIN_FLOOR) return { status: "not enough data", n, needed: GAIN_FLOOR - n };
    const mean = sum / n;
    const variance = Math.max(0, (sumSq - n * mean * mean) / (n - 1));
    return { status: "ok", n, meanGain: mean, se: Math.sqrt(variance / n) };
  }
}

/** η* = √(8 ln K / T): the learning rate minimizing Hedge's regret bound ln K/η + ηT/8. */
export function defaultLearningRate(categoryCount: number, horizonRounds: number): number {
  return Math.sqrt((8 * Math.log(Math.max(2, categoryCount))) / horizonRounds);
}

/** ℓ = (1 + clip(−s·c·y / Y, −1, 1)) / 2 ∈ [0, 1]: 0 when the category called the move in full. */
export function categoryLoss(score: number, confidence: number, outcome: number, outcomeScale: number): number {
  const raw = (-score * confidence * outcome) / outcomeScale;
  return (1 + (raw < -1 ? -1 : raw > 1 ? 1 : raw)) / 2;
}

function checkRange(field: string, x: number, lo: number, hi: number): void {
  if (!(Number.isFinite(x) && x >= lo && x <= hi)) throw new Error(`HedgeLearner: ${field} must be a finite number >= ${lo === Number.MIN_VALUE ? "0 (exclusive)" : String(lo)} (got ${String(x)})`);
}

function isCount(x: unknown): x is number {
  return typeof x === "number" && Number.isInteger(x) && x >= 0;
}
