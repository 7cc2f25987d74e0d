/** The `cross-venue` cards, in output order. */
import type { CardDefinition } from "../card.js";

export const CARDS: readonly CardDefinition[] = [];
