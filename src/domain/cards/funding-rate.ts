/**
 * `funding.rate`: contrarian read of the funding rate sampled in the window.
 *
 * Positive funding means longs pay shorts: longs are crowded, which leans mildly bearish
 * (a crowded side is the one that gets squeezed); funding below the baseline leans bullish.
 * The baseline is the neutral rate venues charge when the premium is zero (Binance's
 * interest component, 0.01 % per 8 h interval).
 *
 * - value = mean funding rate of the samples in the window (fraction per funding interval)
 * - score = −clamp((value − fundingBaselineRate) / fundingScaleRate, −1, 1)
 * - strength = |score|
 * - confidence = min(1, samples / fundingFullConfidenceSamples)
 * - unavailable (`no funding rate in mark feed`) until some mark event carried a funding rate
 *
 * Rates are averaged as each venue states them, per its own funding interval; a venue with
 * a shorter interval (Hyperliquid, hourly) contributes a smaller number.
 */
import { available, clamp, unavailable, type CardDefinition } from "./card.js";

export const fundingRate: CardDefinition = {
  id: "funding.rate",
  category: "funding",
  description:
    "Mean funding rate of the window's mark samples (fraction per interval), read contrarian: " +
    "score = −clamp((rate − fundingBaselineRate) / fundingScaleRate, −1, 1); strength = |score|; " +
    "confidence = min(1, samples / fundingFullConfidenceSamples); value = mean rate.",
  feeds: ["mark"],
  compute({ window: w, params, fundingSeen }) {
    if (!fundingSeen) return unavailable("no funding rate in mark feed");
    if (w.fundingCount === 0) return available(0, 0, 0, 0);
    const rate = w.fundingSum / w.fundingCount;
    const score = -clamp((rate - params.fundingBaselineRate) / params.fundingScaleRate, -1, 1);
    return available(score, Math.abs(score), w.fundingCount / params.fundingFullConfidenceSamples, rate);
  },
};
