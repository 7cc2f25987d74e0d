/** The `orderbook` cards, in output order. */
import type { CardDefinition } from "../card.js";
import { orderbookImbalance } from "./imbalance.js";

export const CARDS: readonly CardDefinition[] = [orderbookImbalance];
