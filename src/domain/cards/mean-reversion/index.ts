/** The `mean-reversion` cards, in output order. */
import type { CardDefinition } from "../card.js";
import { mrZscore } from "./zscore.js";
import { mrWilliamsR } from "./williams-r.js";
import { mrPercentile } from "./percentile.js";
import { mrRsi } from "./rsi.js";
import { mrStreak } from "./streak.js";
import { mrTrendResidual } from "./trend-residual.js";
import { mrOuPull } from "./ou-pull.js";

export const CARDS: readonly CardDefinition[] = [mrZscore, mrWilliamsR, mrPercentile, mrRsi, mrStreak, mrTrendResidual, mrOuPull];
