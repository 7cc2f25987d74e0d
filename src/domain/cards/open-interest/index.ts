/** The `open-interest` cards, in output order. */
import type { CardDefinition } from "../card.js";
import { oiChangeCard } from "./change.js";
import { oiQuadrant } from "./quadrant.js";
import { oiAcceleration } from "./acceleration.js";
import { oiOpeningFlow } from "./opening-flow.js";
import { oiTurnover } from "./turnover.js";
import { oiVenueRotation } from "./venue-rotation.js";
import { oiFlush } from "./flush.js";

export const CARDS: readonly CardDefinition[] = [oiChangeCard, oiQuadrant, oiAcceleration, oiOpeningFlow, oiTurnover, oiVenueRotation, oiFlush];
