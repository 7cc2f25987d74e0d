/** The `positioning` cards, in output order. */
import type { CardDefinition } from "../card.js";
import { positioningCrowding } from "./crowding.js";
import { positioningSqueeze } from "./squeeze.js";
import { positioningTrapped } from "./trapped.js";
import { positioningCapitulation } from "./capitulation.js";
import { positioningFundingOi } from "./funding-oi.js";
import { positioningChase } from "./chase.js";
import { positioningLeverageBuild } from "./leverage-build.js";

export const CARDS: readonly CardDefinition[] = [
  positioningCrowding,
  positioningSqueeze,
  positioningTrapped,
  positioningCapitulation,
  positioningFundingOi,
  positioningChase,
  positioningLeverageBuild,
];
