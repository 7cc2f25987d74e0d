/** The `exhaustion` cards, in output order. */
import type { CardDefinition } from "../card.js";
import { exhaustionVolumeClimax } from "./volume-climax.js";
import { exhaustionTakerClimax } from "./taker-climax.js";
import { exhaustionLiquidationSpike } from "./liquidation-spike.js";
import { exhaustionBlowOff } from "./blow-off.js";
import { exhaustionGap } from "./gap.js";
import { exhaustionFailingMomentum } from "./failing-momentum.js";
import { exhaustionRangeContraction } from "./range-contraction.js";

export const CARDS: readonly CardDefinition[] = [
  exhaustionVolumeClimax,
  exhaustionTakerClimax,
  exhaustionLiquidationSpike,
  exhaustionBlowOff,
  exhaustionGap,
  exhaustionFailingMomentum,
  exhaustionRangeContraction,
];
