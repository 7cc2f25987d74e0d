/** The `levels` cards, in output order. */
import type { CardDefinition } from "../card.js";
import { levelsMagnet } from "./magnet.js";
import { levelsDistance } from "./distance.js";

export const CARDS: readonly CardDefinition[] = [levelsMagnet, levelsDistance];
