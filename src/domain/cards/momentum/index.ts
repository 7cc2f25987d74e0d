/** The `momentum` cards, in output order. */
import type { CardDefinition } from "../card.js";
import { momentumReturn } from "./return.js";

export const CARDS: readonly CardDefinition[] = [momentumReturn];
