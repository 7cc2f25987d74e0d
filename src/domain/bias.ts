/**
 * Composite bias per trading mode.
 *
 * A mode reads one timeframe (scalp → 1m, day → 5m, swing → 1h by default). Stress cards
 * (`kind: "stress"`: a magnitude, never a direction) are not read. For each category k with at
 * least one available directional card on that timeframe:
 *
 *   c_k = mean confidence of its available cards
 *   s_k = Σ c·s / Σ c over those cards (confidence-weighted mean score; 0 when Σ c = 0)
 *   w_k = the mode's weight for k (default 1; from the coordinator)
 *
 * Then:
 *
 *   score      = Σ w_k·c_k·s_k / Σ w_k·c_k                         (0 when Σ w_k·c_k = 0)
 *   agreement  = |Σ w_k·c_k·s_k| / Σ w_k·c_k·|s_k|                  (1 when every s_k = 0)
 *   confidence = (Σ w_k·c_k / Σ w_k) · agreement                   (0 when Σ w_k·c_k = 0)
 *   direction  = long if score > band, short if score < −band, else neutral
 *
 * Agreement is 1 when all categories lean the same way and falls to 0 when they cancel,
 * so confidence falls when categories disagree. Components list each contributing category
 * in `CATEGORIES` order.
 */
import { z } from "zod";
import { TIMEFRAMES, type Bias, type Card, type Mode, type Timeframe } from "../protocol/snapshot.js";
import { CATEGORIES, CATEGORY_IDS, type CategoryId, type CategoryWeights } from "./cards/categories.js";

export type { CategoryWeights } from "./cards/categories.js";

const weight = z
  .number({ error: (iss) => `must be a finite number (got ${typeof iss.input === "number" ? String(iss.input) : typeof iss.input})` })
  .gte(0, { error: (iss) => `must be >= 0 (got ${String(iss.input)})` });
const modeWeights = z.strictObject(Object.fromEntries(CATEGORY_IDS.map((id) => [id, weight.optional()])) as Record<CategoryId, z.ZodOptional<typeof weight>>);
const CategoryWeightsSchema = z.strictObject({ scalp: modeWeights.optional(), day: modeWeights.optional(), swing: modeWeights.optional() });

/** Validates weights; throws naming each bad field (`weights.scalp.flow must be >= 0 (got -1)`). */
export function parseCategoryWeights(weights: unknown): CategoryWeights {
  const result = CategoryWeightsSchema.safeParse(weights ?? {}, { reportInput: true });
  if (result.success) return stripUndefined(result.data as CategoryWeights);
  const issues = result.error.issues.map((iss) => {
    const path = ["weights", ...iss.path.map(String)].join(".");
    if (iss.code === "unrecognized_keys") {
      const what = iss.path.length === 0 ? "mode" : "category";
      return iss.keys.map((k) => `${path}.${k} is not a known ${what}`).join("; ");
    }
    return `${path} ${iss.message}`;
  });
  throw new Error(`invalid category weights: ${issues.join("; ")}`);
}

/** Weight of `category` in `mode`: the configured one, else 1. */
export function categoryWeight(weights: CategoryWeights, mode: Mode, category: string): number {
  return weights[mode]?.[category as CategoryId] ?? 1;
}

export interface BiasInput {
  mode: Mode;
  /** Cycle boundary, event time ms. */
  ts: number;
  timeframe: Timeframe;
  cards: readonly Card[];
  weights: CategoryWeights;
  neutralBand: number;
}

/** The composite bias of one mode (formulas in the module comment). O(cards). */
export function computeBias({ mode, ts, timeframe, cards, weights, neutralBand }: BiasInput): Bias {
  if (!TIMEFRAMES.includes(timeframe)) throw new Error(`computeBias: unknown timeframe "${timeframe}"`);
  const byCategory = new Map<string, { confSum: number; weighted: number; n: number }>();
  for (const card of cards) {
    // A stress card has no direction: its score is always 0 and would only pull its category to 0.
    if (card.kind === "stress") continue;
    const v = card.timeframes[timeframe];
    if (v === undefined || !v.available) continue;
    let acc = byCategory.get(card.category);
    if (acc === undefined) {
      acc = { confSum: 0, weighted: 0, n: 0 };
      byCategory.set(card.category, acc);
    }
    acc.confSum += v.confidence;
    acc.weighted += v.confidence * v.score;
    acc.n++;
  }
  const components: Bias["components"] = [];
  let num = 0;
  let den = 0;
  let absNum = 0;
  let weightSum = 0;
  for (const cat of CATEGORIES) {
    const acc = byCategory.get(cat.id);
    if (acc === undefined) continue;
    const s = acc.confSum > 0 ? acc.weighted / acc.confSum : 0;
    const c = acc.confSum / acc.n;
    const w = categoryWeight(weights, mode, cat.id);
    components.push({ category: cat.id, weight: w, score: s + 0, confidence: c + 0 });
    num += w * c * s;
    den += w * c;
    absNum += w * c * Math.abs(s);
    weightSum += w;
  }
  let score = 0;
  let confidence = 0;
  if (den > 0) {
    score = clampUnit(num / den, -1);
    const agreement = absNum > 0 ? Math.abs(num) / absNum : 1;
    confidence = clampUnit((den / weightSum) * agreement, 0);
  }
  const direction = score > neutralBand ? "long" : score < -neutralBand ? "short" : "neutral";
  return { mode, ts, score, confidence, direction, timeframe, components };
}

function clampUnit(x: number, lo: number): number {
  return (x < lo ? lo : x > 1 ? 1 : x) + 0;
}

function stripUndefined(w: CategoryWeights): CategoryWeights {
  const out: CategoryWeights = {};
  for (const mode of ["scalp", "day", "swing"] as const) {
    const m = w[mode];
    if (m === undefined) continue;
    const clean: Partial<Record<CategoryId, number>> = {};
    for (const id of CATEGORY_IDS) if (m[id] !== undefined) clean[id] = m[id];
    out[mode] = clean;
  }
  return out;
}
