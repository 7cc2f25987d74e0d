/** The `momentum` cards, in output order. */
import type { CardDefinition } from "../card.js";
import { momentumAcceleration } from "./acceleration.js";
import { momentumAgreement } from "./agreement.js";
import { momentumJumps } from "./jumps.js";
import { momentumLongReturn } from "./long-return.js";
import { momentumReturn } from "./return.js";
import { momentumSeasonal } from "./seasonal.js";
import { momentumTStat } from "./t-stat.js";

export const CARDS: readonly CardDefinition[] = [
  momentumReturn,
  momentumTStat,
  momentumLongReturn,
  momentumAcceleration,
  momentumAgreement,
  momentumJumps,
  momentumSeasonal,
];
