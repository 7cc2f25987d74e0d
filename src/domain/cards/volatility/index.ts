/** The `volatility` cards, in output order. */
import type { CardDefinition } from "../card.js";
import { volRealized } from "./realized.js";
import { volRange } from "./range.js";
import { volTermStructure } from "./term-structure.js";
import { volOfVol } from "./of-vol.js";
import { volJumpShare } from "./jump-share.js";
import { volSemivariance } from "./semivariance.js";
import { volSeasonal } from "./seasonal.js";
import { volRejection } from "./rejection.js";

export const CARDS: readonly CardDefinition[] = [volRealized, volRange, volTermStructure, volSeasonal, volOfVol, volJumpShare, volSemivariance, volRejection];
