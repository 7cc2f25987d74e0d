/** The `vwap` cards, in output order. */
import type { CardDefinition } from "../card.js";
import { vwapDistance } from "./distance.js";
import { vwapSlope } from "./slope.js";
import { vwapVolumeAbove } from "./volume-above.js";
import { vwapSessionBand } from "./session-band.js";
import { vwapReclaim } from "./reclaim.js";
import { vwapAcceptance } from "./acceptance.js";
import { vwapAnchored } from "./anchored.js";

export const CARDS: readonly CardDefinition[] = [vwapDistance, vwapSlope, vwapVolumeAbove, vwapSessionBand, vwapReclaim, vwapAcceptance, vwapAnchored];
