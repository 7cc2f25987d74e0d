/** The `absorption` cards, in output order. */
import type { CardDefinition } from "../card.js";
import { absorptionFlow } from "./flow.js";
import { absorptionMinutes } from "./minutes.js";
import { absorptionExtremes } from "./extremes.js";
import { absorptionStoppingVolume } from "./stopping-volume.js";
import { absorptionLargePrints } from "./large-prints.js";
import { absorptionLiquidations } from "./liquidations.js";
import { absorptionEffortResult } from "./effort-result.js";

export const CARDS: readonly CardDefinition[] = [
  absorptionFlow,
  absorptionMinutes,
  absorptionExtremes,
  absorptionStoppingVolume,
  absorptionLargePrints,
  absorptionLiquidations,
  absorptionEffortResult,
];
