/** The `funding` cards, in output order. */
import type { CardDefinition } from "../card.js";
import { fundingRate } from "./rate.js";

export const CARDS: readonly CardDefinition[] = [fundingRate];
