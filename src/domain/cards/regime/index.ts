/** The `regime` cards, in output order. */
import type { CardDefinition } from "../card.js";
import { regimeEfficiency } from "./efficiency.js";
import { regimeTrendStrength } from "./trend-strength.js";
import { regimeChoppiness } from "./choppiness.js";
import { regimeVarianceRatio } from "./variance-ratio.js";
import { regimeAutocorrelation } from "./autocorrelation.js";
import { regimeHurst } from "./hurst.js";
import { regimeVolatility } from "./volatility.js";

export const CARDS: readonly CardDefinition[] = [
  regimeEfficiency,
  regimeTrendStrength,
  regimeChoppiness,
  regimeVarianceRatio,
  regimeAutocorrelation,
  regimeHurst,
  regimeVolatility,
];
