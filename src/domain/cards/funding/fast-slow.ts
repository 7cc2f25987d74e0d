/**
 * `funding.fast-slow`: the funding of the venues that settle most often against the venues that
 * settle least often, as 8-hour equivalents — funding's term structure across venues.
 *
 * A venue's published funding averages the premium since its last settlement: Hyperliquid's
 * (hourly) reflects the last hour, an 8-hourly venue's up to the last eight. Fast funding above
 * slow funding means the premium of the recent hour is above the interval's: crowding built up
 * lately, which leans bearish by `funding.rate`'s argument; below, crowding is easing (bullish).
 * Only 8-hour equivalents compare (src/domain/inputs/funding.ts). A judgment, not calibrated.
 *
 * - fast = venues with the shortest settlement interval, slow = venues with the longest, among the
 *   venues with a rate in the window; r̄ = time-weighted 8-hour-equivalent rate over the window,
 *   averaged within each group by coverage
 * - K = r̄_fast − r̄_slow; x = −K; score = tanh(z(x)), center 0, prior σ 0.02 % per 8 h
 * - confidence = Σ covered of both groups / (venues · window); value = K
 * - unavailable until a mark carried a funding rate, and when the venues with a rate in the window
 *   all settle at the same interval
 */
import { directional, unavailable, type CardDefinition } from "../card.js";
import { NO_FUNDING_REASON } from "./funding-terms.js";

export const fundingFastSlow: CardDefinition = {
  id: "funding.fast-slow",
  category: "funding",
  formula:
    "x = −K, K = coverage-weighted window funding (8 h eq) of the shortest-interval venues − of the longest-interval venues; score = tanh(z(x)) (recent crowding above the interval's: bearish); " +
    "confidence = covered time / (venues · window); value = K",
  units: "fraction per 8 h",
  differs:
    "Signed gap between hourly-settling and 8-hourly funding, a recent-against-interval reading across venues; funding.spread is the unsigned gap between any venues, funding.drift the change within each venue.",
  scale: { center: 0, prior: 0.0002 },
  feeds: ["mark"],
  compute({ funding, windowMs }, self) {
    if (funding.length === 0) return unavailable(NO_FUNDING_REASON);
    let shortest = Number.POSITIVE_INFINITY;
    let longest = 0;
    for (const f of funding) {
      if (f.window8h.mean === null) continue;
      if (f.intervalMs < shortest) shortest = f.intervalMs;
      if (f.intervalMs > longest) longest = f.intervalMs;
    }
    if (!(shortest < longest)) return unavailable("fewer than two settlement intervals among the venues with funding in the window");
    let fast = 0;
    let fastMs = 0;
    let slow = 0;
    let slowMs = 0;
    for (const f of funding) {
      const m = f.window8h.mean;
      if (m === null) continue;
      if (f.intervalMs === shortest) {
        fast += m * f.window8h.coveredMs;
        fastMs += f.window8h.coveredMs;
      } else if (f.intervalMs === longest) {
        slow += m * f.window8h.coveredMs;
        slowMs += f.window8h.coveredMs;
      }
    }
    const gap = fast / fastMs - slow / slowMs;
    return directional(self, -gap, (fastMs + slowMs) / (funding.length * windowMs), gap);
  },
};
