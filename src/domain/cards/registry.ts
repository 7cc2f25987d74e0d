/**
 * The card registry and the framework that runs cards every cycle.
 *
 * Adding a card: write `src/domain/cards/<prefix>-<name>.ts` exporting a `CardDefinition`
 * and add it to `DEFAULT_CARDS` below. The registry rejects duplicate ids, unknown
 * categories, unknown feeds and ids whose prefix is not their category's id or alias.
 *
 * Per cycle each card is computed on every timeframe (1m, 5m, 1h). Then:
 * - a timeframe's direction is +1 when score > neutralBand, −1 when score < −neutralBand, else 0;
 * - `state` is `conflicted` when available timeframes have both +1 and −1, else `bullish`
 *   (some +1), `bearish` (some −1) or `neutral` (none, or nothing available);
 * - the card's cycle score is the mean score of its available timeframes;
 * - `transition` against the previous cycle (a card with no previous cycle counts as neutral):
 *   `emerging` neutral/conflicted → bullish/bearish, `flipped` bullish ↔ bearish,
 *   `decelerating` same direction but |cycle score| fell, otherwise `none`.
 */
import { EVENT_KINDS, type EventKind } from "../events.js";
import { TIMEFRAMES, type Card, type CardState, type CardTransition, type CardValue, type Timeframe } from "../../protocol/snapshot.js";
import { category } from "./categories.js";
import { unavailable, type CardDefinition, type CardInput } from "./card.js";
import { flowCvd } from "./flow-cvd.js";
import { fundingRate } from "./funding-rate.js";
import { liqCascadeRiskDown } from "./liq-cascade-risk-down.js";
import { liqCascadeRiskUp } from "./liq-cascade-risk-up.js";
import { liqClusterProximity } from "./liq-cluster-proximity.js";
import { liqDistance } from "./liq-distance.js";
import { liqImbalance } from "./liq-imbalance.js";
import { liqInsuranceFund } from "./liq-insurance-fund.js";
import { liqIntensity } from "./liq-intensity.js";
import { liqMagnet } from "./liq-magnet.js";
import { liqSweep } from "./liq-sweep.js";
import { momentumReturn } from "./momentum-return.js";
import { orderbookImbalance } from "./orderbook-imbalance.js";

export type { CardDefinition, CardInput } from "./card.js";

/** Every shipped card, in output order. */
export const DEFAULT_CARDS: readonly CardDefinition[] = [
  liqImbalance,
  liqCascadeRiskUp,
  liqCascadeRiskDown,
  liqMagnet,
  liqSweep,
  liqClusterProximity,
  liqIntensity,
  liqDistance,
  liqInsuranceFund,
  flowCvd,
  orderbookImbalance,
  fundingRate,
  momentumReturn,
];

const ID_PATTERN = /^[a-z0-9]+(-[a-z0-9]+)*\.[a-z0-9]+(-[a-z0-9]+)*$/;

/** What the framework remembers of a card from one cycle to the next. */
export interface CardMemory {
  state: CardState;
  /** Mean score of the available timeframes. */
  score: number;
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
      if (prefix !== cat.id && prefix !== cat.alias) {
        const allowed = cat.alias === undefined ? `"${cat.id}"` : `"${cat.id}" or "${cat.alias}"`;
        throw new Error(`CardRegistry: card "${card.id}" must start with ${allowed} (its category "${cat.id}")`);
      }
      if (card.feeds.length === 0) throw new Error(`CardRegistry: card "${card.id}" must list at least one feed`);
      for (const feed of card.feeds) {
        if (!EVENT_KINDS.includes(feed)) throw new Error(`CardRegistry: card "${card.id}" has unknown feed "${feed}"`);
      }
      if (card.description.trim() === "") throw new Error(`CardRegistry: card "${card.id}" needs a description`);
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

/** One card on one timeframe: unavailable (`no <feed> feed`) when a feed never delivered, else `compute`. */
export function computeCardValue(card: CardDefinition, input: CardInput): CardValue {
  for (const feed of card.feeds) {
    if (!input.feeds[feed]) return unavailable(card.missingFeedReason?.[feed] ?? `no ${feed} feed`);
  }
  return card.compute(input, input.timeframe);
}

/** Direction of one score: +1, −1 or 0 inside the neutral band. */
export function direction(score: number, neutralBand: number): -1 | 0 | 1 {
  return score > neutralBand ? 1 : score < -neutralBand ? -1 : 0;
}

/** State and cycle score of a card from its timeframe values (see the module comment). */
export function cardState(values: Readonly<Record<Timeframe, CardValue>>, neutralBand: number): CardMemory {
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
export function cardTransition(previous: CardMemory | undefined, current: CardMemory): CardTransition {
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
 * against `previous`. Returns the cards (registry order) and the memory for the next cycle.
 * O(cards × timeframes).
 */
export function computeCards(
  registry: CardRegistry,
  inputs: Readonly<Record<Timeframe, CardInput>>,
  previous: ReadonlyMap<string, CardMemory>,
  neutralBand: number,
): { cards: Card[]; memory: Map<string, CardMemory> } {
  const cards: Card[] = [];
  const memory = new Map<string, CardMemory>();
  for (const def of registry.cards) {
    const timeframes = {} as Record<Timeframe, CardValue>;
    for (const tf of TIMEFRAMES) timeframes[tf] = computeCardValue(def, inputs[tf]);
    const current = cardState(timeframes, neutralBand);
    cards.push({
      id: def.id,
      category: def.category,
      timeframes,
      state: current.state,
      transition: cardTransition(previous.get(def.id), current),
    });
    memory.set(def.id, current);
  }
  return { cards, memory };
}
