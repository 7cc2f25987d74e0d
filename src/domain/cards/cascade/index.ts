/** The `cascade` cards, in output order. */
import type { CardDefinition } from "../card.js";
import { cascadeRiskUp } from "./risk-up.js";
import { cascadeRiskDown } from "./risk-down.js";

export const CARDS: readonly CardDefinition[] = [cascadeRiskUp, cascadeRiskDown];
