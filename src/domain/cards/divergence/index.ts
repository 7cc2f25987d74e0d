/** The `divergence` cards, in output order. */
import type { CardDefinition } from "../card.js";
import { divergenceCvd } from "./cvd.js";
import { divergenceVolume } from "./volume.js";
import { divergenceMomentum } from "./momentum.js";
import { divergenceHidden } from "./hidden.js";
import { divergenceTimeframes } from "./timeframes.js";
import { divergenceOi } from "./oi.js";
import { divergenceLiquidations } from "./liquidations.js";
import { divergencePremium } from "./premium.js";

export const CARDS: readonly CardDefinition[] = [
  divergenceCvd,
  divergenceVolume,
  divergenceMomentum,
  divergenceHidden,
  divergenceTimeframes,
  divergenceOi,
  divergenceLiquidations,
  divergencePremium,
];
