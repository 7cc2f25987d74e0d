/** The `liquidation` cards, in output order. */
import type { CardDefinition } from "../card.js";
import { liqImbalance } from "./imbalance.js";
import { liqIntensity } from "./intensity.js";
import { liqAcceleration } from "./acceleration.js";
import { liqLargestShare } from "./largest-share.js";
import { liqStreak } from "./streak.js";
import { liqSweep } from "./sweep.js";
import { liqClusterProximity } from "./cluster-proximity.js";
import { liqInsuranceFund } from "./insurance-fund.js";

export const CARDS: readonly CardDefinition[] = [liqImbalance, liqIntensity, liqAcceleration, liqLargestShare, liqStreak, liqSweep, liqClusterProximity, liqInsuranceFund];
