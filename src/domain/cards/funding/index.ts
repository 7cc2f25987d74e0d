/** The `funding` cards, in output order. */
import type { CardDefinition } from "../card.js";
import { fundingRate } from "./rate.js";
import { fundingDrift } from "./drift.js";
import { fundingImplied } from "./implied.js";
import { fundingSettlement } from "./settlement.js";
import { fundingBreadth } from "./breadth.js";
import { fundingFastSlow } from "./fast-slow.js";
import { fundingSpread } from "./spread.js";

export const CARDS: readonly CardDefinition[] = [fundingRate, fundingDrift, fundingImplied, fundingSettlement, fundingBreadth, fundingFastSlow, fundingSpread];
