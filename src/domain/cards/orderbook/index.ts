/** The `orderbook` cards, in output order. */
import type { CardDefinition } from "../card.js";
import { orderbookImbalance } from "./imbalance.js";
import { orderbookWeightedImbalance } from "./weighted-imbalance.js";
import { orderbookMicroprice } from "./microprice.js";
import { orderbookDepthGradient } from "./depth-gradient.js";
import { orderbookWall } from "./wall.js";
import { orderbookGap } from "./gap.js";
import { orderbookPressure } from "./pressure.js";

export const CARDS: readonly CardDefinition[] = [
  orderbookImbalance,
  orderbookWeightedImbalance,
  orderbookMicroprice,
  orderbookDepthGradient,
  orderbookWall,
  orderbookGap,
  orderbookPressure,
];
