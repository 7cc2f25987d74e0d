/** The `smart-money` cards, in output order. */
import type { CardDefinition } from "../card.js";
import { smartMoneyBlockFlow } from "./block-flow.js";
import { smartMoneyDivergence } from "./divergence.js";
import { smartMoneyIcebergs } from "./icebergs.js";
import { smartMoneyLargeFlow } from "./large-flow.js";
import { smartMoneyLargePersistence } from "./large-persistence.js";
import { smartMoneyStealth } from "./stealth.js";

export const CARDS: readonly CardDefinition[] = [
  smartMoneyLargeFlow,
  smartMoneyLargePersistence,
  smartMoneyDivergence,
  smartMoneyBlockFlow,
  smartMoneyStealth,
  smartMoneyIcebergs,
];
