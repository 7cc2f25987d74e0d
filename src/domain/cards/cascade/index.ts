/** The `cascade` cards, in output order. */
import type { CardDefinition } from "../card.js";
import { cascadeRiskUp } from "./risk-up.js";
import { cascadeRiskDown } from "./risk-down.js";
import { cascadeTriggerDistance } from "./trigger-distance.js";
import { cascadeConvexity } from "./convexity.js";
import { cascadeCushionPull } from "./cushion-pull.js";
import { cascadeInProgress } from "./in-progress.js";
import { cascadeApproach } from "./approach.js";

export const CARDS: readonly CardDefinition[] = [cascadeRiskUp, cascadeRiskDown, cascadeTriggerDistance, cascadeConvexity, cascadeCushionPull, cascadeInProgress, cascadeApproach];
