/** The `liquidity` cards, in output order. */
import type { CardDefinition } from "../card.js";
import { liquidityDepth } from "./depth.js";
import { liquidityDepthFlow } from "./depth-flow.js";
import { liquidityPulled } from "./pulled.js";
import { liquidityAdded } from "./added.js";
import { liquidityCancelRatio } from "./cancel-ratio.js";
import { liquidityRefill } from "./refill.js";
import { liquidityTurnover } from "./turnover.js";

export const CARDS: readonly CardDefinition[] = [
  liquidityDepth,
  liquidityDepthFlow,
  liquidityPulled,
  liquidityAdded,
  liquidityCancelRatio,
  liquidityRefill,
  liquidityTurnover,
];
