/** The `trend` cards, in output order. */
import type { CardDefinition } from "../card.js";
import { trendAroon } from "./aroon.js";
import { trendBreakout } from "./breakout.js";
import { trendFailedBreakout } from "./failed-breakout.js";
import { trendInsideRange } from "./inside-range.js";
import { trendMaCross } from "./ma-cross.js";
import { trendRegression } from "./regression.js";
import { trendStructure } from "./structure.js";

export const CARDS: readonly CardDefinition[] = [
  trendMaCross,
  trendRegression,
  trendAroon,
  trendStructure,
  trendBreakout,
  trendFailedBreakout,
  trendInsideRange,
];
