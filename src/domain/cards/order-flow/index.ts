/** The `order-flow` cards, in output order. */
import type { CardDefinition } from "../card.js";
import { flowCvd } from "./cvd.js";

export const CARDS: readonly CardDefinition[] = [flowCvd];
