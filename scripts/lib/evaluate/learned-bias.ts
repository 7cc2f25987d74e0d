/**
 * The learned bias of one prediction, by the engine's own formula: `computeBias`
 * (src/domain/bias/compute.ts) over the very cards the engine read at that boundary, with the
 * mode's learned category weights in place of the defaults. Nothing of the formula is copied
 * here: with every weight 1 this gives back the bias the engine published (the evaluation tests
 * check it), so learned − uniform differs by the weights alone.
 *
 * `categoryCards` is for outcome streams that carry categories but no cards (the synthetic
 * markets of the tests): one card per category, available on every timeframe with the
 * category's score and confidence. The bias of those cards is Σ w·c·s / Σ w over the categories
 * (τ sums to 1 and coverage is 1), the bias the engine computes when each category is one card
 * seen on all three timeframes.
 */
import { computeBias } from "../../../src/domain/bias.js";
import type { CategoryWeights } from "../../../src/domain/cards/categories.js";
import type { EngineConfig } from "../../../src/domain/config.js";
import type { CategoryPrediction, ScoreAndConfidence } from "../../../src/domain/learning/predictions.js";
import { TIMEFRAMES, type Card, type CardValue, type Mode, type Timeframe } from "../../../src/protocol/snapshot.js";

/** The parts of the engine config the bias reads. */
export type BiasConfig = Pick<EngineConfig, "modeTimeframe" | "modeTimeframeWeights" | "biasNeutralBand">;

/** Learned weights of one mode: category id → weight (missing: 1). */
export type ModeWeights = Readonly<Record<string, number>>;

/** The bias of `mode` at `ts` over `cards` with `weights` (score and confidence of `computeBias`). */
export function learnedBias(mode: Mode, ts: number, cards: readonly Card[], config: BiasConfig, weights: ModeWeights): ScoreAndConfidence {
  const bias = computeBias({
    mode,
    ts,
    timeframe: config.modeTimeframe[mode],
    timeframeWeights: config.modeTimeframeWeights[mode],
    cards,
    weights: { [mode]: weights } as CategoryWeights,
    neutralBand: config.biasNeutralBand,
  });
  return { score: bias.score, confidence: bias.confidence };
}

/** One directional card per category, available on every timeframe with the category's score and confidence. */
export function categoryCards(categories: readonly CategoryPrediction[]): Card[] {
  return categories.map(({ category, score, confidence }) => {
    const value: CardValue = { available: true, score, strength: Math.abs(score), confidence, value: score };
    const timeframes = Object.fromEntries(TIMEFRAMES.map((tf) => [tf, value])) as Record<Timeframe, CardValue>;
    return { id: `${category}.synthetic`, category, kind: "directional", timeframes, state: "neutral", transition: "none" };
  });
}
