/**
 * Scorecard statistics of a signal (a category, a card or the bias) against scored outcomes,
 * each with a 95 % interval and a "not enough data" below a floor, and a paired bootstrap of
 * the difference between two signals on the same outcomes (learned − uniform bias).
 * Follows docs EVALUATION.md ("Measuring whether a signal predicts anything").
 *
 * Input: pairs (score s ∈ [−1, 1], confidence c ∈ [0, 1], outcome y in σ units), or running
 * sums of them. A pair with c ≤ 0 carried no evidence and is left out (counted); a pair with a
 * non-finite field is rejected (counted). Statistics are on the score s.
 *
 *   hit rate  among pairs with |s| > minAbsScore (default 0.05) and y ≠ 0: hits = #{sign s = sign y};
 *             95 % Wilson interval (Wilson 1927), with p̂ = h/m, z = 1.959964:
 *               centre = (p̂ + z²/2m) / (1 + z²/m),  half = z·√(p̂(1−p̂)/m + z²/4m²) / (1 + z²/m)
 *             significant when the interval excludes ½.
 *   IC        Spearman ρ: Pearson correlation of mid-ranks (ties share their mean rank); 95 %
 *             interval by Fisher z: tanh(atanh ρ ± z·√(1.06 / (n − 3))), the variance 1.06/(n−3)
 *             of Fieller, Hartley & Pearson (1957) for Spearman's ρ.
 *   slope     mean outcome per unit of score, OLS through the origin: b = Σsy / Σs²,
 *             SE = √(σ̂² / Σs²), σ̂² = (Σy² − b·Σsy) / (n − 1); interval b ± z·SE.
 *   Each is `significant` only when its interval excludes no effect (0, or ½ for the hit rate).
 *
 * Overlap. Outcomes whose horizons overlap are near-copies (a 1 h horizon scored every 60 s
 * overlaps 60-fold). The analytic intervals take `overlap` (default 1) and use an effective
 * count n_eff = n / overlap: Wilson with (h/overlap, m/overlap), Fisher with n_eff − 3, the
 * slope's SE multiplied by √overlap; the floor (default 30) applies to n_eff. This is the
 * simple variance-inflation correction; the bootstrap below keeps the dependence instead.
 *
 * Bootstrap of a difference (`bootstrapDiff`). Signals A and B are scored on the same outcomes
 * (pairs aligned by index); every replicate draws one set of indices and computes
 * stat(A) − stat(B) on it, so the pairing is kept. Indices are drawn either
 *   - by group, when every pair has a `group` (e.g. the calendar date: all symbols of a date
 *     move together, EVALUATION.md): the G groups are drawn with replacement (cluster bootstrap); or
 *   - by moving blocks (Künsch 1989) of `block` consecutive pairs, default
 *     max(overlap, ⌈n^{1/3}⌉): a block spans at least one horizon so the near-copies of one
 *     outcome stay together, and n^{1/3} is the usual block rate for a mean (Hall, Horowitz &
 *     Jing 1995). Pairs must then be in time order.
 * The interval is the 2.5 % and 97.5 % percentiles of B replicates (default 1,000) from a
 * seeded mulberry32: the same inputs give the same interval. A replicate's ranks are computed
 * exactly from the multiplicity of each drawn pair (ties included), O(n) per replicate.
 *
 * Cost: O(n log n) to sort once, O(B·n) for a bootstrap. Memory O(n).
 */
import { mulberry32, randomIndex } from "./prng.js";

/** One scored observation of a signal. */
export interface ScorePair {
  score: number;
  confidence: number;
  /** Forward return over the horizon, σ units. */
  outcome: number;
  /** Resampling cluster for `bootstrapDiff`, e.g. the UTC date `2026-02-14`. */
  group?: string | number;
}

/** Running sums of (s, y) over pairs with c > 0, as kept by a running-statistics module. */
export interface ScoreSums {
  n: number;
  /** Pairs counted for the hit rate (|s| above the producer's threshold, y ≠ 0). */
  hitN: number;
  hits: number;
  sumXX: number;
  sumXY: number;
  sumYY: number;
  /** A sample of (s, y) for the rank correlation (e.g. a reservoir of the last K pairs); none: no IC. */
  rankSample?: readonly { score: number; outcome: number }[];
}

export interface ScorecardOptions {
  /** Minimum effective count for a statistic. Default 30. */
  floor?: number;
  /** How many outcomes one outcome's horizon overlaps (horizon / sampling interval). Default 1. */
  overlap?: number;
  /** Pairs with |s| ≤ this are not counted in the hit rate. Default 0.05. */
  minAbsScore?: number;
}

export const SCORECARD_DEFAULTS = { floor: 30, overlap: 1, minAbsScore: 0.05 } as const;

/** 97.5 % quantile of the standard normal. */
export const Z95 = 1.959963984540054;

export type NotEnoughData = { status: "not enough data"; n: number; nEff: number; needed: number };
/** The statistic exists in principle but the sample cannot define it (e.g. every score equal). */
export type Undefined = { status: "undefined"; n: number; reason: string };

export type HitRateStat = { status: "ok"; n: number; nEff: number; hits: number; value: number; lo: number; hi: number; significant: boolean } | NotEnoughData;
export type IntervalStat = { status: "ok"; n: number; nEff: number; value: number; lo: number; hi: number; significant: boolean } | NotEnoughData | Undefined;
export type SlopeStat = { status: "ok"; n: number; nEff: number; value: number; se: number; lo: number; hi: number; significant: boolean } | NotEnoughData | Undefined;

export interface Scorecard {
  /** Pairs used (c > 0, finite). */
  n: number;
  nEff: number;
  overlap: number;
  status: "ok" | "not enough data";
  hitRate: HitRateStat;
  ic: IntervalStat;
  slope: SlopeStat;
  excluded: { invalid: number; noConfidence: number };
}

/** The scorecard of a list of pairs (module comment). */
export function scorecard(pairs: readonly ScorePair[], options: ScorecardOptions = {}): Scorecard {
  const { minAbsScore } = resolve(options);
  const xs: number[] = [];
  const ys: number[] = [];
  let invalid = 0;
  let noConfidence = 0;
  const sums: ScoreSums = { n: 0, hitN: 0, hits: 0, sumXX: 0, sumXY: 0, sumYY: 0 };
  for (const { score: s, confidence: c, outcome: y } of pairs) {
    if (!Number.isFinite(s) || !Number.isFinite(c) || !Number.isFinite(y)) invalid++;
    else if (c <= 0) noConfidence++;
    else {
      xs.push(s);
      ys.push(y);
      addPair(sums, s, y, minAbsScore);
    }
  }
  const card = scorecardFromSums(sums, options);
  const ic = rankCorrelationStat(xs, ys, card.overlap, resolve(options).floor);
  return { ...card, ic, excluded: { invalid, noConfidence } };
}

/** The scorecard from running sums; the IC comes from `rankSample` when present. */
export function scorecardFromSums(sums: ScoreSums, options: ScorecardOptions = {}): Scorecard {
  const { floor, overlap } = resolve(options);
  const nEff = sums.n / overlap;
  const sample = sums.rankSample ?? [];
  const ic: IntervalStat =
    sums.rankSample === undefined
      ? { status: "undefined", n: 0, reason: "no rank sample" }
      : rankCorrelationStat(
          sample.map((p) => p.score),
          sample.map((p) => p.outcome),
          overlap,
          floor,
        );
  return {
    n: sums.n,
    nEff,
    overlap,
    status: nEff >= floor ? "ok" : "not enough data",
    hitRate: hitRateStat(sums.hits, sums.hitN, overlap, floor),
    ic,
    slope: slopeStat(sums, overlap, floor),
    excluded: { invalid: 0, noConfidence: 0 },
  };
}

/** 95 % (or `z`) Wilson score interval of a proportion `hits / n`; n > 0. */
export function wilsonInterval(hits: number, n: number, z: number = Z95): { lo: number; hi: number } {
  if (!(n > 0) || !(hits >= 0 && hits <= n)) throw new Error(`wilsonInterval: need 0 <= hits <= n and n > 0 (got ${hits}/${n})`);
  const p = hits / n;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denom;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denom;
  return { lo: Math.max(0, centre - half), hi: Math.min(1, centre + half) };
}

/** Spearman's ρ with mid-ranks for ties; NaN when either series is constant or shorter than 2. */
export function spearman(xs: readonly number[], ys: readonly number[]): number {
  if (xs.length !== ys.length) throw new Error(`spearman: series lengths differ (${xs.length} and ${ys.length})`);
  const ones = new Float64Array(xs.length).fill(1);
  return weightedSpearman(rankPlan(xs), rankPlan(ys), ones);
}

/** Spearman's ρ of the sample in which pair i appears `counts[i]` times (a bootstrap replicate); O(n) after sorting. */
export function spearmanWithCounts(xs: readonly number[], ys: readonly number[], counts: readonly number[]): number {
  if (xs.length !== ys.length || xs.length !== counts.length) throw new Error("spearmanWithCounts: series lengths differ");
  return weightedSpearman(rankPlan(xs), rankPlan(ys), Float64Array.from(counts));
}

/** 95 % Fisher-z interval of a Spearman ρ over `nEff` effective pairs (nEff > 3). */
export function spearmanInterval(rho: number, nEff: number, z: number = Z95): { lo: number; hi: number } {
  if (!(nEff > 3)) throw new Error(`spearmanInterval: nEff must be > 3 (got ${nEff})`);
  const centre = Math.atanh(Math.max(-1, Math.min(1, rho)));
  const half = z * Math.sqrt(1.06 / (nEff - 3));
  return { lo: Math.tanh(centre - half), hi: Math.tanh(centre + half) };
}

export interface BootstrapOptions {
  /** Replicates. Default 1,000. */
  B?: number;
  /** Moving-block length in pairs. Default max(overlap, ⌈n^{1/3}⌉). Ignored when pairs carry groups. */
  block?: number;
  /** Seed of the resampling. Default 1. */
  seed?: number;
  overlap?: number;
  minAbsScore?: number;
  /** Minimum effective count (n / overlap). Default 30. */
  floor?: number;
  /** Minimum number of groups for a group bootstrap. Default 10. */
  minGroups?: number;
}

/** stat(A) − stat(B): full-sample estimate and 95 % percentile interval over the replicates that define it. */
export type DiffStat = { status: "ok"; estimate: number; lo: number; hi: number; excludesZero: boolean; replicates: number } | Undefined;

export type BootstrapDiff =
  | {
      status: "ok";
      n: number;
      nEff: number;
      method: "block" | "group";
      /** Block length (block method) or number of groups (group method). */
      block: number;
      groups: number;
      B: number;
      seed: number;
      /** Difference in hit rate. */
      hitRate: DiffStat;
      /** Difference in Spearman IC. */
      ic: DiffStat;
      /** Difference in mean score·outcome (σ units per unit of score): the learned-versus-uniform gain. */
      gain: DiffStat;
      /** Index pairs dropped because a field of A or B was not finite. */
      invalid: number;
    }
  | (NotEnoughData & { invalid: number });

/**
 * Paired bootstrap of stat(A) − stat(B) on the same outcomes (module comment). Reads score,
 * outcome and group; confidence is not read (pass the pairs a published figure is made of).
 * An index whose A or B pair has a non-finite score or outcome is dropped from both (counted).
 */
export function bootstrapDiff(pairsA: readonly ScorePair[], pairsB: readonly ScorePair[], options: BootstrapOptions = {}): BootstrapDiff {
  if (pairsA.length !== pairsB.length) throw new Error(`bootstrapDiff: A and B must be aligned (lengths ${pairsA.length} and ${pairsB.length})`);
  const B = options.B ?? 1_000;
  const seed = options.seed ?? 1;
  const floor = options.floor ?? SCORECARD_DEFAULTS.floor;
  const overlap = options.overlap ?? SCORECARD_DEFAULTS.overlap;
  const minAbsScore = options.minAbsScore ?? SCORECARD_DEFAULTS.minAbsScore;
  if (!Number.isInteger(B) || B < 10) throw new Error(`bootstrapDiff: B must be an integer >= 10 (got ${String(B)})`);
  if (!(Number.isFinite(overlap) && overlap >= 1)) throw new Error(`bootstrapDiff: overlap must be a finite number >= 1 (got ${String(overlap)})`);
  if (!(Number.isFinite(floor) && floor > 3)) throw new Error(`bootstrapDiff: floor must be a finite number > 3 (got ${String(floor)})`);
  const a: ScorePair[] = [];
  const b: ScorePair[] = [];
  for (let i = 0; i < pairsA.length; i++) {
    if (finitePair(pairsA[i]) && finitePair(pairsB[i])) {
      a.push(pairsA[i]);
      b.push(pairsB[i]);
    }
  }
  const invalid = pairsA.length - a.length;
  const n = a.length;
  const nEff = n / overlap;
  const grouped = n > 0 && a.every((p) => p.group !== undefined);
  const groups = grouped ? groupIndices(a) : [];
  const minGroups = options.minGroups ?? 10;
  if (nEff < floor || (grouped && groups.length < minGroups)) {
    const needed = grouped && groups.length < minGroups ? minGroups - groups.length : Math.ceil(floor * overlap - n);
    return { status: "not enough data", n, nEff, needed: Math.max(1, needed), invalid };
  }
  const block = options.block ?? Math.max(Math.ceil(overlap), Math.ceil(Math.cbrt(n)));
  if (!grouped && !(Number.isInteger(block) && block >= 1 && block <= n)) throw new Error(`bootstrapDiff: block must be an integer in [1, ${n}] (got ${String(block)})`);

  const sideA = prepare(a, minAbsScore);
  const sideB = prepare(b, minAbsScore);
  const full = new Float64Array(n).fill(1);
  const estimate = statsDiff(sideA, sideB, full);
  const rng = mulberry32(seed);
  const m = new Float64Array(n);
  const reps = { hit: [] as number[], ic: [] as number[], gain: [] as number[] };
  for (let r = 0; r < B; r++) {
    m.fill(0);
    if (grouped) drawGroups(m, groups, rng);
    else drawBlocks(m, block, rng);
    const d = statsDiff(sideA, sideB, m);
    if (Number.isFinite(d.hit)) reps.hit.push(d.hit);
    if (Number.isFinite(d.ic)) reps.ic.push(d.ic);
    if (Number.isFinite(d.gain)) reps.gain.push(d.gain);
  }
  return {
    status: "ok",
    n,
    nEff,
    method: grouped ? "group" : "block",
    block: grouped ? 0 : block,
    groups: groups.length,
    B,
    seed,
    hitRate: diffStat(estimate.hit, reps.hit, n, "no pair above the hit threshold with a non-zero outcome"),
    ic: diffStat(estimate.ic, reps.ic, n, "a constant score or outcome"),
    gain: diffStat(estimate.gain, reps.gain, n, "no pairs"),
    invalid,
  };
}

/** The p-quantile of sorted values, linear interpolation between order statistics (type 7). */
export function quantileSorted(sorted: readonly number[], p: number): number {
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

function resolve(options: ScorecardOptions): Required<ScorecardOptions> {
  const floor = options.floor ?? SCORECARD_DEFAULTS.floor;
  const overlap = options.overlap ?? SCORECARD_DEFAULTS.overlap;
  const minAbsScore = options.minAbsScore ?? SCORECARD_DEFAULTS.minAbsScore;
  if (!(Number.isFinite(floor) && floor > 3)) throw new Error(`scorecard: floor must be a finite number > 3 (got ${String(floor)})`);
  if (!(Number.isFinite(overlap) && overlap >= 1)) throw new Error(`scorecard: overlap must be a finite number >= 1 (got ${String(overlap)})`);
  if (!(minAbsScore >= 0 && minAbsScore < 1)) throw new Error(`scorecard: minAbsScore must be in [0, 1) (got ${String(minAbsScore)})`);
  return { floor, overlap, minAbsScore };
}

function addPair(sums: ScoreSums, s: number, y: number, minAbsScore: number): void {
  sums.n++;
  sums.sumXX += s * s;
  sums.sumXY += s * y;
  sums.sumYY += y * y;
  if (Math.abs(s) > minAbsScore && y !== 0) {
    sums.hitN++;
    if (Math.sign(s) === Math.sign(y)) sums.hits++;
  }
}

function notEnough(n: number, overlap: number, floor: number): NotEnoughData {
  return { status: "not enough data", n, nEff: n / overlap, needed: Math.max(1, Math.ceil(floor * overlap - n)) };
}

function hitRateStat(hits: number, m: number, overlap: number, floor: number): HitRateStat {
  const nEff = m / overlap;
  if (nEff < floor) return notEnough(m, overlap, floor);
  const { lo, hi } = wilsonInterval(hits / overlap, nEff);
  return { status: "ok", n: m, nEff, hits, value: hits / m, lo, hi, significant: lo > 0.5 || hi < 0.5 };
}

function rankCorrelationStat(xs: readonly number[], ys: readonly number[], overlap: number, floor: number): IntervalStat {
  const n = xs.length;
  const nEff = n / overlap;
  if (nEff < floor) return notEnough(n, overlap, floor);
  const rho = spearman(xs, ys);
  if (!Number.isFinite(rho)) return { status: "undefined", n, reason: "a constant score or outcome" };
  const { lo, hi } = spearmanInterval(rho, nEff);
  return { status: "ok", n, nEff, value: rho, lo, hi, significant: lo > 0 || hi < 0 };
}

function slopeStat(sums: ScoreSums, overlap: number, floor: number): SlopeStat {
  const { n, sumXX, sumXY, sumYY } = sums;
  const nEff = n / overlap;
  if (nEff < floor) return notEnough(n, overlap, floor);
  if (!(sumXX > 0)) return { status: "undefined", n, reason: "every score is 0" };
  const b = sumXY / sumXX;
  const resid = Math.max(0, sumYY - b * sumXY) / (n - 1);
  const se = Math.sqrt((resid / sumXX) * overlap);
  const lo = b - Z95 * se;
  const hi = b + Z95 * se;
  return { status: "ok", n, nEff, value: b, se, lo, hi, significant: lo > 0 || hi < 0 };
}

/** Indices sorted by value, cut into runs of equal values (tie groups). */
interface RankPlan {
  order: Int32Array;
  /** Positions in `order` where a tie group starts, then `order.length`. */
  groupStarts: Int32Array;
}

function rankPlan(values: readonly number[]): RankPlan {
  const order = Int32Array.from(values.keys()).sort((i, j) => values[i] - values[j] || i - j);
  const starts: number[] = [];
  for (let j = 0; j < order.length; j++) if (j === 0 || values[order[j]] !== values[order[j - 1]]) starts.push(j);
  starts.push(order.length);
  return { order, groupStarts: Int32Array.from(starts) };
}

/** Mid-ranks of each index when index i appears m[i] times (m[i] = 0: absent, rank unused). */
function ranksWithMultiplicity(plan: RankPlan, m: Float64Array, out: Float64Array): void {
  const { order, groupStarts } = plan;
  let below = 0;
  for (let g = 0; g + 1 < groupStarts.length; g++) {
    let count = 0;
    for (let j = groupStarts[g]; j < groupStarts[g + 1]; j++) count += m[order[j]];
    const mid = below + (count + 1) / 2;
    for (let j = groupStarts[g]; j < groupStarts[g + 1]; j++) out[order[j]] = mid;
    below += count;
  }
}

function weightedSpearman(px: RankPlan, py: RankPlan, m: Float64Array): number {
  const n = m.length;
  const rx = new Float64Array(n);
  const ry = new Float64Array(n);
  ranksWithMultiplicity(px, m, rx);
  ranksWithMultiplicity(py, m, ry);
  let w = 0;
  let sx = 0;
  let sy = 0;
  for (let i = 0; i < n; i++) {
    w += m[i];
    sx += m[i] * rx[i];
    sy += m[i] * ry[i];
  }
  if (w < 2) return NaN;
  const mx = sx / w;
  const my = sy / w;
  let cxy = 0;
  let cxx = 0;
  let cyy = 0;
  for (let i = 0; i < n; i++) {
    if (m[i] === 0) continue;
    const dx = rx[i] - mx;
    const dy = ry[i] - my;
    cxy += m[i] * dx * dy;
    cxx += m[i] * dx * dx;
    cyy += m[i] * dy * dy;
  }
  return cxx > 0 && cyy > 0 ? cxy / Math.sqrt(cxx * cyy) : NaN;
}

interface Side {
  x: Float64Array;
  y: Float64Array;
  /** 1 when the pair counts for the hit rate, else 0. */
  counted: Float64Array;
  hit: Float64Array;
  px: RankPlan;
  py: RankPlan;
}

function prepare(pairs: readonly ScorePair[], minAbsScore: number): Side {
  const x = Float64Array.from(pairs, (p) => p.score);
  const y = Float64Array.from(pairs, (p) => p.outcome);
  const counted = x.map((s, i) => (Math.abs(s) > minAbsScore && y[i] !== 0 ? 1 : 0));
  const hit = x.map((s, i) => (counted[i] === 1 && Math.sign(s) === Math.sign(y[i]) ? 1 : 0));
  return { x, y, counted, hit, px: rankPlan(Array.from(x)), py: rankPlan(Array.from(y)) };
}

function sideStats(side: Side, m: Float64Array): { hit: number; ic: number; gain: number } {
  let w = 0;
  let c = 0;
  let h = 0;
  let g = 0;
  for (let i = 0; i < m.length; i++) {
    if (m[i] === 0) continue;
    w += m[i];
    c += m[i] * side.counted[i];
    h += m[i] * side.hit[i];
    g += m[i] * side.x[i] * side.y[i];
  }
  return { hit: c > 0 ? h / c : NaN, ic: weightedSpearman(side.px, side.py, m), gain: w > 0 ? g / w : NaN };
}

function statsDiff(a: Side, b: Side, m: Float64Array): { hit: number; ic: number; gain: number } {
  const sa = sideStats(a, m);
  const sb = sideStats(b, m);
  return { hit: sa.hit - sb.hit, ic: sa.ic - sb.ic, gain: sa.gain - sb.gain };
}

function diffStat(estimate: number, reps: number[], n: number, reason: string): DiffStat {
  if (!Number.isFinite(estimate) || reps.length === 0) return { status: "undefined", n, reason };
  reps.sort((p, q) => p - q);
  const lo = quantileSorted(reps, 0.025);
  const hi = quantileSorted(reps, 0.975);
  return { status: "ok", estimate, lo, hi, excludesZero: lo > 0 || hi < 0, replicates: reps.length };
}

function drawBlocks(m: Float64Array, block: number, rng: () => number): void {
  const n = m.length;
  let filled = 0;
  while (filled < n) {
    const start = randomIndex(rng, n - block + 1);
    for (let j = 0; j < block && filled < n; j++, filled++) m[start + j]++;
  }
}

function drawGroups(m: Float64Array, groups: readonly number[][], rng: () => number): void {
  for (let g = 0; g < groups.length; g++) for (const i of groups[randomIndex(rng, groups.length)]) m[i]++;
}

/** Indices per group, groups in order of first appearance. */
function groupIndices(pairs: readonly ScorePair[]): number[][] {
  const byGroup = new Map<string | number, number[]>();
  pairs.forEach((p, i) => {
    const key = p.group as string | number;
    const list = byGroup.get(key);
    if (list === undefined) byGroup.set(key, [i]);
    else list.push(i);
  });
  return [...byGroup.values()];
}

function finitePair(p: ScorePair): boolean {
  return Number.isFinite(p.score) && Number.isFinite(p.outcome);
}
