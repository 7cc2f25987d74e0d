/**
 * Composite bias per trading mode.
 *
 * A mode reads all three timeframes with weights τ_t (Σ τ_t = 1; defaults in
 * src/domain/config.ts `modeTimeframeWeights`: scalp 1m .6 / 5m .3 / 1h .1, day .2 / .6 / .2,
 * swing .1 / .3 / .6). Evidence per category k and timeframe t (src/domain/bias/evidence.ts):
 * mean confidence c_{k,t} and cs_{k,t} = c_{k,t}·s_{k,t} of its available directional cards.
 * With w_k the mode's category weight (1 until learned), ω_{k,t} = w_k·τ_t, A the available
 * (k, t) pairs and D the categories with any directional card (available or not):
 *
 *   raw        = Σ_A ω·cs / Σ_A ω                  (0 when Σ_A ω = 0)
 *   coverage   = Σ_A ω / Σ_D w_k                   (0 when Σ_D w_k = 0)
 *   score      = raw · √coverage,  strength = |score|
 *   agreement  = |Σ_k x_k| / Σ_k |x_k|,  x_k = Σ_t ω_{k,t}·cs_{k,t}   (1 when every x_k = 0)
 *   confidence = (Σ_A ω·c / Σ_D w_k) · agreement
 *   direction  = long if score > band, short if score < −band, else neutral
 *
 * Why this score. The old score Σ w·c·s / Σ w·c divided confidence back out: one category at 9 %
 * confidence read +1.00. Here an unsure category counts as a vote for 0 in `raw` (missing
 * confidence pulls toward 0) and disagreeing categories cancel in the sum. Coverage then enters
 * as √coverage: if each available category is an independent noisy reading of the same
 * direction, the signal-to-noise of a mean of m of M equally weighted categories is √(m/M) that
 * of all M, so score ∝ the z-statistic of the vote, scaled to equal `raw` at full coverage. A
 * linear factor (each missing category a confident 0) would keep a symbol without a second
 * venue or market context from ever reading strong even when all it can see agrees; no factor
 * would let one category speak for 25. One category at 9 % confidence of 25 gives
 * 0.09 · √(1/25) = 0.018: neutral.
 *
 * Per timeframe t the same formulas with τ = 1 on t alone give `timeframes[t].score` (null when
 * nothing is available on t). `state` is `conflicted` when two timeframes with τ_t > 0 score
 * beyond the band on opposite sides, else bullish / bearish / neutral from the direction;
 * `transition` is the cards' rule (src/domain/cards/registry.ts `cardTransition`) against the
 * previous bias of the mode. Contributions (src/domain/bias/explain.ts) split the score exactly
 * over categories and cards. O(cards × timeframes).
 */
import { TIMEFRAMES, type CardState, type Mode, type Timeframe } from "../vocabulary.js";
import type { Bias, Card } from "../../protocol/snapshot.js";
import { cardTransition } from "../cards/registry.js";
import { gatherEvidence } from "./evidence.js";
import { explain, type Scaled } from "./explain.js";
import { categoryWeight, type CategoryWeights } from "./weights.js";

/** What the transition needs of the previous bias; `state` may be missing in checkpoints written before it. */
export interface PreviousBias {
  score: number;
  direction: Bias["direction"];
  state?: CardState;
}

export interface BiasInput {
  mode: Mode;
  /** Cycle boundary, event time ms. */
  ts: number;
  /** The mode's leading timeframe (published as `timeframe`). */
  timeframe: Timeframe;
  /** τ per timeframe: each finite and >= 0, summing to 1. */
  timeframeWeights: Readonly<Record<Timeframe, number>>;
  cards: readonly Card[];
  weights: CategoryWeights;
  /** Version of `weights` when learned; null or absent: defaults. */
  weightsVersion?: number | null;
  neutralBand: number;
  /** The mode's previous bias (null or absent: none yet, counted as neutral). */
  previous?: PreviousBias | null;
}

/** The composite bias of one mode (formulas in the module comment). Throws on bad timeframe weights or version. */
export function computeBias(input: BiasInput): Bias {
  const { mode, ts, timeframe, timeframeWeights: tau, cards, weights, neutralBand } = input;
  checkInput(input);
  const evidence = gatherEvidence(cards);
  let totalW = 0;
  let availW = 0;
  let confW = 0;
  let num = 0;
  let absNum = 0;
  const perTf = Object.fromEntries(TIMEFRAMES.map((tf) => [tf, { w: 0, num: 0, any: false }])) as Record<Timeframe, { w: number; num: number; any: boolean }>;
  const categoryWeights: number[] = [];
  for (const cat of evidence.categories) {
    const w = categoryWeight(weights, mode, cat.id);
    categoryWeights.push(w);
    totalW += w;
    let x = 0;
    for (const tf of TIMEFRAMES) {
      const cell = cat.cells[tf];
      if (cell === undefined) continue;
      const c = cell.confSum / cell.n;
      const cs = cell.weighted / cell.n;
      availW += w * tau[tf];
      confW += w * tau[tf] * c;
      x += w * tau[tf] * cs;
      const t = perTf[tf];
      t.w += w;
      t.num += w * cs;
      t.any = true;
    }
    num += x;
    absNum += Math.abs(x);
  }
  const raw = availW > 0 ? clamp(num / availW, -1) : 0;
  const coverage = totalW > 0 ? clamp(availW / totalW, 0) : 0;
  const shrink = Math.sqrt(coverage);
  const score = clamp(raw * shrink, -1);
  const agreement = absNum > 0 ? Math.abs(num) / absNum : 1;
  const confidence = totalW > 0 ? clamp((confW / totalW) * agreement, 0) : 0;
  const direction = score > neutralBand ? "long" : score < -neutralBand ? "short" : "neutral";
  const timeframes = {} as Bias["timeframes"];
  for (const tf of TIMEFRAMES) {
    const t = perTf[tf];
    const tfScore = !t.any ? null : t.w > 0 ? clamp((t.num / t.w) * Math.sqrt(t.w / totalW), -1) : 0;
    timeframes[tf] = { weight: tau[tf] + 0, score: tfScore };
  }
  const state = biasState(direction, timeframes, tau, neutralBand);
  const prev = input.previous ?? undefined;
  const transition = cardTransition(prev === undefined ? undefined : { state: prev.state ?? stateOf(prev.direction), score: prev.score }, { state, score });
  const scaled: Scaled = { tau, factor: availW > 0 ? shrink / availW : 0, score };
  const why = explain(evidence, categoryWeights, scaled);
  return {
    mode,
    ts,
    score,
    strength: Math.abs(score) + 0,
    confidence,
    direction,
    state,
    transition,
    timeframe,
    timeframes,
    raw,
    coverage,
    available: { categories: why.components.length, of: evidence.categories.length, cards: why.cards, invalid: evidence.invalid },
    agreeing: why.agreeing,
    top: why.top,
    weightsVersion: input.weightsVersion ?? null,
    components: why.components,
  };
}

/** `conflicted` when weighted timeframes lean opposite ways beyond the band, else from the direction. */
function biasState(direction: Bias["direction"], timeframes: Bias["timeframes"], tau: Readonly<Record<Timeframe, number>>, band: number): CardState {
  let up = false;
  let down = false;
  for (const tf of TIMEFRAMES) {
    const s = timeframes[tf].score;
    if (tau[tf] <= 0 || s === null) continue;
    if (s > band) up = true;
    else if (s < -band) down = true;
  }
  return up && down ? "conflicted" : stateOf(direction);
}

function stateOf(direction: Bias["direction"]): CardState {
  return direction === "long" ? "bullish" : direction === "short" ? "bearish" : "neutral";
}

function checkInput({ timeframe, timeframeWeights: tau, weightsVersion }: BiasInput): void {
  if (!TIMEFRAMES.includes(timeframe)) throw new Error(`computeBias: unknown timeframe "${timeframe}"`);
  let sum = 0;
  for (const tf of TIMEFRAMES) {
    const t = tau[tf];
    if (!(Number.isFinite(t) && t >= 0)) throw new Error(`computeBias: timeframeWeights.${tf} must be a finite number >= 0 (got ${String(t)})`);
    sum += t;
  }
  if (Math.abs(sum - 1) > 1e-9) throw new Error(`computeBias: timeframeWeights must sum to 1 (got ${sum})`);
  if (weightsVersion != null && !(Number.isInteger(weightsVersion) && weightsVersion >= 0)) {
    throw new Error(`computeBias: weightsVersion must be an integer >= 0 or null (got ${String(weightsVersion)})`);
  }
}

/** Clamps to [lo, 1] and turns −0 into 0. */
export function clamp(x: number, lo: number): number {
  return (x < lo ? lo : x > 1 ? 1 : x) + 0;
}
