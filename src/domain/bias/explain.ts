/**
 * The explanation of a bias: how its score splits over categories and cards.
 *
 * With f = √coverage / Σ_A ω (src/domain/bias/compute.ts) the score is Σ_A ω·cs·f, so:
 *
 *   card j of category k on timeframe t:  w_k·τ_t·c_j·s_j / n_{k,t} · f
 *   category k:                           Σ over its cards and timeframes  (= w_k·Σ_t τ_t·cs_{k,t}·f)
 *
 * and the contributions sum to the score. A component's confidence is Σ_t τ_t·c_{k,t} / Σ_t τ_t
 * and its score Σ_t τ_t·cs_{k,t} / Σ_t τ_t·c_{k,t}, both over the timeframes (τ_t > 0) where it
 * is available; a card's are the same over its own readings. `top`: up to 3 categories with the
 * score's sign and up to 3 against it, by |contribution| (ties in `CATEGORIES` order);
 * `agreeing`: categories with the score's sign (none when the score is 0).
 */
import { TIMEFRAMES, type Timeframe } from "../vocabulary.js";
import type { Bias, BiasCard, BiasComponent } from "../../protocol/snapshot.js";
import type { CardEvidence, CategoryEvidence, Evidence } from "./evidence.js";

/** Top categories listed on each side. */
export const BIAS_TOP_N = 3;

/** What turns evidence into score units. */
export interface Scaled {
  tau: Readonly<Record<Timeframe, number>>;
  /** √coverage / Σ_A ω (0 when nothing is available). */
  factor: number;
  /** The bias score, for the sides of `top` and `agreeing`. */
  score: number;
}

export interface Explanation {
  components: BiasComponent[];
  /** Cards listed over all components. */
  cards: number;
  agreeing: number;
  top: Bias["top"];
}

/** Components, card contributions, top lists and agreeing count. `weights[i]` is the weight of `evidence.categories[i]`. */
export function explain(evidence: Evidence, weights: readonly number[], scaled: Scaled): Explanation {
  const components: BiasComponent[] = [];
  let cards = 0;
  evidence.categories.forEach((cat, i) => {
    const component = explainCategory(cat, weights[i], scaled);
    if (component === null) return;
    components.push(component);
    cards += component.cards.length;
  });
  const side = Math.sign(scaled.score);
  const pick = (sign: number) =>
    components
      .filter((c) => side !== 0 && Math.sign(c.contribution) === sign)
      .sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution))
      .slice(0, BIAS_TOP_N)
      .map((c) => ({ category: c.category, contribution: c.contribution }));
  const contributing = pick(side);
  return {
    components,
    cards,
    agreeing: side === 0 ? 0 : components.filter((c) => Math.sign(c.contribution) === side).length,
    top: { contributing, opposing: pick(-side) },
  };
}

/** One category's component, or null when it is available on no timeframe the mode weighs. */
function explainCategory(cat: CategoryEvidence, w: number, { tau, factor }: Scaled): BiasComponent | null {
  let tauSum = 0;
  let conf = 0;
  let cs = 0;
  for (const tf of TIMEFRAMES) {
    const cell = cat.cells[tf];
    if (cell === undefined || tau[tf] <= 0) continue;
    tauSum += tau[tf];
    conf += (tau[tf] * cell.confSum) / cell.n;
    cs += (tau[tf] * cell.weighted) / cell.n;
  }
  if (tauSum === 0) return null;
  const cards: BiasCard[] = [];
  for (const card of cat.cards) {
    const entry = explainCard(card, cat, w, tau, factor);
    if (entry !== null) cards.push(entry);
  }
  return {
    category: cat.id,
    weight: w + 0,
    score: conf > 0 ? unit(cs / conf) : 0,
    confidence: unit(conf / tauSum),
    contribution: unit(w * cs * factor),
    cards,
  };
}

function explainCard(card: CardEvidence, cat: CategoryEvidence, w: number, tau: Readonly<Record<Timeframe, number>>, factor: number): BiasCard | null {
  let tauSum = 0;
  let conf = 0;
  let cs = 0;
  let contribution = 0;
  let only: Timeframe | undefined;
  let count = 0;
  for (const tf of TIMEFRAMES) {
    const r = card.readings[tf];
    if (r === undefined || tau[tf] <= 0) continue;
    tauSum += tau[tf];
    conf += tau[tf] * r.confidence;
    cs += tau[tf] * r.confidence * r.score;
    contribution += (w * tau[tf] * r.confidence * r.score * factor) / (cat.cells[tf] as { n: number }).n;
    only = tf;
    count++;
  }
  if (tauSum === 0) return null;
  const head = count === 1 ? { id: card.id, timeframe: only as Timeframe } : { id: card.id };
  return { ...head, score: conf > 0 ? unit(cs / conf) : 0, confidence: unit(conf / tauSum), contribution: unit(contribution) };
}

/** Clamps to [−1, 1] (rounding can step past) and turns −0 into 0. */
function unit(x: number): number {
  return (x < -1 ? -1 : x > 1 ? 1 : x) + 0;
}
