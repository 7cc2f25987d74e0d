/** The `microstructure` cards, in output order. */
import type { CardDefinition } from "../card.js";
import { microArrivalRate } from "./arrival-rate.js";
import { microRateAcceleration } from "./rate-acceleration.js";
import { microClustering } from "./clustering.js";
import { microTradeSize } from "./trade-size.js";
import { microKyleLambda } from "./kyle-lambda.js";
import { microImpactAsymmetry } from "./impact-asymmetry.js";
import { microRollSpread } from "./roll-spread.js";
import { microTickDirection } from "./tick-direction.js";

export const CARDS: readonly CardDefinition[] = [
  microArrivalRate,
  microRateAcceleration,
  microClustering,
  microTradeSize,
  microKyleLambda,
  microImpactAsymmetry,
  microRollSpread,
  microTickDirection,
];
