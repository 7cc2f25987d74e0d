/** The `levels` cards, in output order. */
import type { CardDefinition } from "../card.js";
import { levelsMagnet } from "./magnet.js";
import { levelsDistance } from "./distance.js";
import { levelsDensitySkew } from "./density-skew.js";
import { levelsClearance } from "./clearance.js";
import { levelsBuildUp } from "./build-up.js";
import { levelsSweepRate } from "./sweep-rate.js";
import { levelsExposure } from "./exposure.js";

export const CARDS: readonly CardDefinition[] = [levelsMagnet, levelsDistance, levelsDensitySkew, levelsClearance, levelsBuildUp, levelsSweepRate, levelsExposure];
