/** The `spread` cards, in output order. */
import type { CardDefinition } from "../card.js";
import { spreadLevel } from "./level.js";
import { spreadWidening } from "./widening.js";
import { spreadVenueDispersion } from "./venue-dispersion.js";
import { spreadVolRatio } from "./vol-ratio.js";
import { spreadTouchDepth } from "./touch-depth.js";
import { spreadUpdateRate } from "./update-rate.js";
import { spreadChurn } from "./churn.js";

export const CARDS: readonly CardDefinition[] = [spreadLevel, spreadWidening, spreadVenueDispersion, spreadVolRatio, spreadTouchDepth, spreadUpdateRate, spreadChurn];
