/**
 * The evidence a bias reads: the available directional cards, grouped by category and timeframe.
 *
 * Per category k and timeframe t over its available directional cards j (n_{k,t} of them):
 *
 *   c_{k,t}  = Σ c_j / n_{k,t}            (mean confidence)
 *   cs_{k,t} = Σ c_j·s_j / n_{k,t}        (= c_{k,t}·s_{k,t}, s_{k,t} the confidence-weighted mean score)
 *
 * Stress cards (`kind: "stress"`: a magnitude, score always 0) are not evidence of a direction
 * and would only pull their category to 0. A card value with a non-finite score or confidence
 * is left out and counted in `invalid`, never read as 0. O(cards × timeframes), memory O(cards).
 */
import { TIMEFRAMES, type Timeframe } from "../vocabulary.js";
import type { Card } from "../../protocol/snapshot.js";
import { CATEGORIES, type CategoryId } from "../cards/categories.js";

/** One card's reading on one timeframe. */
export interface Reading {
  score: number;
  confidence: number;
}

/** One category on one timeframe: its available directional cards, summed. */
export interface Cell {
  n: number;
  /** Σ c_j. */
  confSum: number;
  /** Σ c_j·s_j. */
  weighted: number;
}

/** An available directional card and its readings on the timeframes where it is available. */
export interface CardEvidence {
  id: string;
  readings: Partial<Record<Timeframe, Reading>>;
}

/** A category that has at least one directional card (available or not). */
export interface CategoryEvidence {
  id: CategoryId;
  /** Only timeframes with at least one available card. */
  cells: Partial<Record<Timeframe, Cell>>;
  /** Cards available on at least one timeframe, in input order. */
  cards: CardEvidence[];
}

export interface Evidence {
  /** Every category with a directional card, in `CATEGORIES` order. */
  categories: CategoryEvidence[];
  /** Card values (card × timeframe) left out for a non-finite score or confidence. */
  invalid: number;
}

/** Groups `cards` into evidence (see the module comment). Cards of unknown categories are ignored. */
export function gatherEvidence(cards: readonly Card[]): Evidence {
  const byCategory = new Map<string, CategoryEvidence>();
  let invalid = 0;
  for (const card of cards) {
    if (card.kind === "stress") continue;
    let cat = byCategory.get(card.category);
    if (cat === undefined) {
      cat = { id: card.category as CategoryId, cells: {}, cards: [] };
      byCategory.set(card.category, cat);
    }
    const readings: Partial<Record<Timeframe, Reading>> = {};
    let any = false;
    for (const tf of TIMEFRAMES) {
      const v = card.timeframes[tf];
      if (v === undefined || !v.available) continue;
      if (!Number.isFinite(v.score) || !Number.isFinite(v.confidence)) {
        invalid++;
        continue;
      }
      readings[tf] = { score: v.score, confidence: v.confidence };
      any = true;
      const cell = (cat.cells[tf] ??= { n: 0, confSum: 0, weighted: 0 });
      cell.n++;
      cell.confSum += v.confidence;
      cell.weighted += v.confidence * v.score;
    }
    if (any) cat.cards.push({ id: card.id, readings });
  }
  const categories: CategoryEvidence[] = [];
  for (const c of CATEGORIES) {
    const cat = byCategory.get(c.id);
    if (cat !== undefined) categories.push(cat);
  }
  return { categories, invalid };
}
