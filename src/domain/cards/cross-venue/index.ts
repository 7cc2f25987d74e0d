/** The `cross-venue` cards, in output order. */
import type { CardDefinition } from "../card.js";
import { xvPriceDispersion } from "./price-dispersion.js";
import { xvLoneExtreme } from "./lone-extreme.js";
import { xvLead } from "./lead.js";
import { xvLeadStability } from "./lead-stability.js";
import { xvSync } from "./sync.js";
import { xvFlowDivergence } from "./flow-divergence.js";
import { xvFlowDispersion } from "./flow-dispersion.js";
import { xvVolumeShift } from "./volume-shift.js";
import { xvLiquidationVenue } from "./liquidation-venue.js";

export const CARDS: readonly CardDefinition[] = [
  xvPriceDispersion,
  xvLoneExtreme,
  xvLead,
  xvLeadStability,
  xvSync,
  xvFlowDivergence,
  xvFlowDispersion,
  xvVolumeShift,
  xvLiquidationVenue,
];
