/**
 * `positioning.crowding`: open interest building while funding says which side pays for it.
 *
 * New open interest is new leverage; funding above the neutral rate says longs are paying to
 * hold it (the long side is crowded), below it that shorts are. Leverage piling onto the side
 * that already pays is the crowded trade that tends to be squeezed, so the card is contrarian:
 * open interest rising with rich funding leans bearish, with negative funding bullish. The
 * long/short account ratios venues show on their websites are published on no feed liqflow
 * has; the crowded side is inferred from funding, never from such ratios. A judgment, not
 * calibrated.
 *
 * - d = 100 · ΔOI / OI_start (base, matched venues, open-interest/oi-measures.ts)
 * - e = funding excess over fundingBaselineRate, bps per 8 h (coverage-weighted window mean of the
 *   8-hour-equivalent rates, positioning/funding-excess.ts)
 * - x = −max(0, d) · e (a falling open interest adds no crowding: 0)
 * - score = tanh(z(x)), center 0, prior σ 0.25 (1m), 0.6 (5m), 2.5 (1h) %·bps (σ_d · σ_e / 2 with
 *   σ_e = 5 bps, the prior of funding.rate, and σ_d = 0.1, 0.25, 1 %)
 * - confidence = OI confidence · funding coverage of the window; value = x
 * - unavailable when open interest is stale or unknown at the window start, or no funding rate is known
 */
import { directional, unavailable, type CardDefinition } from "../card.js";
import { oiChange } from "../open-interest/oi-measures.js";
import { fundingExcess } from "./funding-excess.js";

export const positioningCrowding: CardDefinition = {
  id: "positioning.crowding",
  category: "positioning",
  formula:
    "x = −max(0, d) · e, d = ΔOI % (base, matched venues), e = window funding − fundingBaselineRate in bps per 8 h; score = tanh(z(x)) (contrarian); " +
    "confidence = OI confidence · funding coverage; value = x",
  units: "% · bps (OI growth × funding excess, sign flipped)",
  differs:
    "Funding backed by new open interest: funding.rate reads the rate alone whether or not positions are being added, oi.change the build-up without saying which side pays for it.",
  scale: { center: 0, prior: { "1m": 0.25, "5m": 0.6, "1h": 2.5 } },
  feeds: ["oi", "mark"],
  compute(input, self) {
    const c = oiChange(input);
    if (typeof c === "string") return unavailable(c);
    const f = fundingExcess(input);
    if (typeof f === "string") return unavailable(f);
    const x = -Math.max(0, 100 * c.change) * (1e4 * f.mean);
    return directional(self, x, c.confidence * f.coverage);
  },
};
