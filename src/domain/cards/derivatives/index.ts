/** The `derivatives` cards, in output order. */
import type { CardDefinition } from "../card.js";
import { derivativesPremium } from "./premium.js";
import { derivativesPremiumChange } from "./premium-change.js";
import { derivativesPremiumAcceleration } from "./premium-acceleration.js";
import { derivativesMarkGap } from "./mark-gap.js";
import { derivativesPerpLed } from "./perp-led.js";
import { derivativesPremiumDispersion } from "./premium-dispersion.js";
import { derivativesIndexDispersion } from "./index-dispersion.js";

export const CARDS: readonly CardDefinition[] = [
  derivativesPremium,
  derivativesPremiumChange,
  derivativesPremiumAcceleration,
  derivativesMarkGap,
  derivativesPerpLed,
  derivativesPremiumDispersion,
  derivativesIndexDispersion,
];
