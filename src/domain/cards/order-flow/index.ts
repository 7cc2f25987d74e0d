/** The `order-flow` cards, in output order. */
import type { CardDefinition } from "../card.js";
import { flowAcceleration } from "./acceleration.js";
import { flowCountImbalance } from "./count-imbalance.js";
import { flowCvd } from "./cvd.js";
import { flowPersistence } from "./persistence.js";
import { flowPressure } from "./pressure.js";
import { flowToxicity } from "./toxicity.js";
import { flowVenueBreadth } from "./venue-breadth.js";
import { flowVoluntary } from "./voluntary.js";

export const CARDS: readonly CardDefinition[] = [
  flowCvd,
  flowPressure,
  flowVoluntary,
  flowCountImbalance,
  flowPersistence,
  flowAcceleration,
  flowVenueBreadth,
  flowToxicity,
];
