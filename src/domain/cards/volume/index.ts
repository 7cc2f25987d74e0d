/** The `volume` cards, in output order. */
import type { CardDefinition } from "../card.js";
import { volumeRelative } from "./relative.js";
import { volumeSeasonal } from "./seasonal.js";
import { volumeAcceleration } from "./acceleration.js";
import { volumeClimax } from "./climax.js";
import { volumeDryUp } from "./dry-up.js";
import { volumeHeavyReturn } from "./heavy-return.js";
import { volumeMoneyFlow } from "./money-flow.js";

export const CARDS: readonly CardDefinition[] = [volumeRelative, volumeSeasonal, volumeAcceleration, volumeClimax, volumeDryUp, volumeHeavyReturn, volumeMoneyFlow];
