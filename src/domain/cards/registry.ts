/**
 * The card registry and the framework that runs cards every cycle.
 *
 * Adding a card: write `src/domain/cards/<category>/<name>.ts` exporting a `CardDefinition`
 * with id `<prefix>.<name>` and add it to that category's `index.ts`. The registry rejects
 * duplicate ids, unknown categories, unknown feeds, ids whose prefix is not their category's,
 * and cards without a formula, units, what sets them apart, or a valid scale prior.
 *
 * Per cycle each card is computed on every timeframe (1m, 5m, 1h). Then:
 * - a timeframe's direction is +1 when score > neutralBand, −1 when score < −neutralBand, else 0;
 * - `state` is `conflicted` when available timeframes have both +1 and −1, else `bullish`
 *   (some +1), `bearish` (some −1) or `neutral` (none, or nothing available);
 * - the card's cycle score is the mean score of its available timeframes;
 * - `transition` against the previous cycle (a card with no previous cycle counts as neutral):
 *   `emerging` neutral/conflicted → bullish/bearish, `flipped` bullish ↔ bearish,
 *   `decelerating` same direction but |cycle score| fell, otherwise `none`;
 * - the card's scale statistics and previous values move on (src/domain/cards/scale.ts).
 */
import { EVENT_KINDS } from "../events.js";
import { TIMEFRAMES, type CardState, type CardTransition, type CardValue, type Timeframe } from "../vocabulary.js";
import type { Card } from "../../protocol/snapshot.js";
import { CATEGORY_IDS, cardPrefix, category } from "./categories.js";
import { unavailable, type CardDefinition, type CardInput, type CardSelf } from "./card.js";
import { addSample, emptyScaleState, remember, zScore, type CardScaleState, type ScaleSettings } from "./scale.js";
import { CARDS_BY_CATEGORY } from "./all.js";

export type { CardDefinition, CardInput } from "./card.js";

/** Every shipped card, in output order (categories in `CATEGORIES` order). */
export const DEFAULT_CARDS: readonly CardDefinition[] = CATEGORY_IDS.flatMap((id) => CARDS_BY_CATEGORY[id]);

const ID_PATTERN = /^[a-z0-9]+(-[a-z0-9]+)*\.[a-z0-9]+(-[a-z0-9]+)*$/;

/** What the framework remembers of a card from one cycle to the next. */
export interface CardMemory {
  state: CardState;
  /** Mean score of the available timeframes. */
  score: number;
  /** Scale statistics and previous values; absent in checkpoints written before them. */
  scale?: CardScaleState;
}

/** Scaling and history settings the framework runs with. */
export interface CardRunSettings extends ScaleSettings {
  neutralBand: number;
  /** Previous values kept per card and timeframe. */
  historyCycles: number;
  /** False: no sample is kept, every card stays at its prior scale. */
  adapt: boolean;
}

function priorProblems(card: CardDefinition): string[] {
  const priors = typeof card.scale.prior === "number" ? [card.scale.prior] : TIMEFRAMES.map((tf) => (card.scale.prior as Record<Timeframe, number>)[tf]);
  const out: string[] = [];
  for (const p of priors) if (!(Number.isFinite(p) && p > 0)) out.push(`scale.prior must be a finite number > 0 (got ${String(p)})`);
  if (card.scale.center !== "rolling" && !Number.isFinite(card.scale.center)) out.push(`scale.center must be finite or "rolling"`);
  return out;
}

export class CardRegistry {
  readonly cards: readonly CardDefinition[];
  private readonly byId = new Map<string, CardDefinition>();

  constructor(cards: readonly CardDefinition[] = DEFAULT_CARDS) {
    for (const card of cards) {
      if (!ID_PATTERN.test(card.id)) {
        throw new Error(`CardRegistry: card id "${card.id}" must be "prefix.name" in lower-case kebab-case`);
      }
      const cat = category(card.category);
      if (cat === undefined) throw new Error(`CardRegistry: card "${card.id}" has unknown category "${card.category}"`);
      const prefix = card.id.slice(0, card.id.indexOf("."));
      if (prefix !== cardPrefix(cat)) {
        throw new Error(`CardRegistry: card "${card.id}" must start with "${cardPrefix(cat)}" (its category "${cat.id}")`);
      }
      if (card.feeds.length === 0) throw new Error(`CardRegistry: card "${card.id}" must list at least one feed`);
      for (const feed of card.feeds) {
        if (!EVENT_KINDS.includes(feed)) throw new Error(`CardRegistry: card "${card.id}" has unknown feed "${feed}"`);
      }
      for (const field of ["formula", "units", "differs"] as const) {
        if (card[field].trim() === "") throw new Error(`CardRegistry: card "${card.id}" needs ${field === "differs" ? "what sets it apart (differs)" : `a ${field}`}`);
      }
      const problems = priorProblems(card);
      if (problems.length > 0) throw new Error(`CardRegistry: card "${card.id}": ${problems.join("; ")}`);
      if (this.byId.has(card.id)) throw new Error(`CardRegistry: duplicate card id "${card.id}"`);
      this.byId.set(card.id, card);
    }
    this.cards = cards.slice();
  }

  get(id: string): CardDefinition | undefined {
    return this.byId.get(id);
  }
}

export const DEFAULT_REGISTRY = new CardRegistry();

/**
 * One card on one timeframe: unavailable (`no <feed> feed`) when a feed never delivered, else
 * `compute`. One-minute bars carry trades in summary, so they satisfy a card's `trade` feed,
 * except for a card that reads single trades (`singleTrades`: sizes, runs of prints).
 */
export function computeCardValue(card: CardDefinition, input: CardInput, self: CardSelf): CardValue {
  for (const feed of card.feeds) {
    if (input.feeds[feed]) continue;
    if (feed === "trade" && input.feeds.bar) {
      if (card.singleTrades === true) return unavailable("no single trades: this symbol's trades arrive as one-minute bars only");
      continue;
    }
    return unavailable(card.missingFeedReason?.[feed] ?? `no ${feed} feed`);
  }
  return card.compute(input, self);
}

/** Direction of one score: +1, −1 or 0 inside the neutral band. */
export function direction(score: number, neutralBand: number): -1 | 0 | 1 {
  return score > neutralBand ? 1 : score < -neutralBand ? -1 : 0;
}

/** State and cycle score of a card from its timeframe values (see the module comment). */
export function cardState(values: Readonly<Record<Timeframe, CardValue>>, neutralBand: number): Omit<CardMemory, "scale"> {
  let up = false;
  let down = false;
  let sum = 0;
  let n = 0;
  for (const tf of TIMEFRAMES) {
    const v = values[tf];
    if (!v.available) continue;
    sum += v.score;
    n++;
    const d = direction(v.score, neutralBand);
    if (d > 0) up = true;
    else if (d < 0) down = true;
  }
  const state: CardState = up && down ? "conflicted" : up ? "bullish" : down ? "bearish" : "neutral";
  return { state, score: n > 0 ? sum / n + 0 : 0 };
}

function sign(state: CardState): -1 | 0 | 1 {
  return state === "bullish" ? 1 : state === "bearish" ? -1 : 0;
}

/** Transition from the previous cycle's memory (undefined = first cycle, counted as neutral). */
export function cardTransition(previous: Omit<CardMemory, "scale"> | undefined, current: Omit<CardMemory, "scale">): CardTransition {
  const now = sign(current.state);
  if (now === 0) return "none";
  const before = previous === undefined ? 0 : sign(previous.state);
  if (before === 0) return "emerging";
  if (before !== now) return "flipped";
  if (Math.abs(current.score) < Math.abs((previous as CardMemory).score)) return "decelerating";
  return "none";
}

/**
 * Runs every card of `registry` on each timeframe's input and derives state and transition
 * against the card's memory of the previous cycle. `memory` is updated in place for the next cycle
 * (state, cycle score, scale statistics, previous values): the engine owns it and nothing else
 * reads it during a cycle. Returns the cards in registry order. O(cards × timeframes).
 */
export function computeCards(
  registry: CardRegistry,
  inputs: Readonly<Record<Timeframe, CardInput>>,
  memory: Map<string, CardMemory>,
  settings: CardRunSettings,
): Card[] {
  const cards: Card[] = [];
  for (const def of registry.cards) {
    let mem = memory.get(def.id);
    const before = mem === undefined ? undefined : { state: mem.state, score: mem.score };
    if (mem === undefined) {
      mem = { state: "neutral", score: 0 };
      memory.set(def.id, mem);
    }
    const scale = (mem.scale ??= emptyScaleState());
    const timeframes = {} as Record<Timeframe, CardValue>;
    for (const tf of TIMEFRAMES) {
      const stats = scale.stats[tf];
      const n0 = settings.priorWeight[tf];
      let sample: number | undefined;
      const self: CardSelf = {
        timeframe: tf,
        previous: scale.previous[tf],
        z(x: number): number {
          sample = x;
          return zScore(def.scale, stats, n0, tf, x);
        },
      };
      const value = computeCardValue(def, inputs[tf], self);
      timeframes[tf] = value;
      if (settings.adapt && value.available && value.confidence > 0 && sample !== undefined && Number.isFinite(sample)) addSample(def.scale, stats, settings.alpha, sample);
      if (def.history === true) remember(scale.previous[tf], value.available ? value.value : null, settings.historyCycles);
    }
    const current = cardState(timeframes, settings.neutralBand);
    cards.push({
      id: def.id,
      category: def.category,
      kind: def.kind ?? "directional",
      timeframes,
      state: current.state,
      transition: cardTransition(before, current),
    });
    mem.state = current.state;
    mem.score = current.score;
  }
  return cards;
}
