/**
 * `funding.breadth`: how many venues charge the long side above the baseline, less how many charge
 * it below — the consensus of crowding across venues, read contrarian.
 *
 * `funding.rate` averages magnitudes, so one venue at an extreme rate can carry it while the others
 * sit at the baseline; breadth counts venues instead: every venue's crowd leaning long is a broader
 * crowding than one venue's. A venue within `PINNED_TOLERANCE_8H` of the baseline is pinned (the
 * premium inside the clamp band) and counts neither way. A judgment, not calibrated.
 *
 * - s_v = +1 if r̄_v > fundingBaselineRate + tolerance, −1 if r̄_v < baseline − tolerance, else 0,
 *   r̄_v = time-weighted 8-hour-equivalent rate of venue v over the window
 * - B = Σ_v s_v / n over the n venues with a rate in the window
 * - x = −B; score = tanh(z(x)), center 0, prior σ 0.5
 * - confidence = Σ covered_v / (venues · window); value = B
 * - unavailable until a mark carried a funding rate, and when no venue's rate is known in the window
 */
import { directional, unavailable, type CardDefinition } from "../card.js";
import { NO_FUNDING_REASON } from "./funding-terms.js";

/**
 * Distance from the baseline within which a venue's funding counts as pinned, fraction per 8 h
 * (0.001 %, a tenth of the 0.01 % baseline): an hourly rate of 0.00125 % is exactly the baseline in
 * 8-hour terms up to rounding, and venues publish rates to 4–8 decimals.
 */
export const PINNED_TOLERANCE_8H = 0.00001;

export const fundingBreadth: CardDefinition = {
  id: "funding.breadth",
  category: "funding",
  formula:
    "x = −B, B = (venues with window funding above baseline + 0.001 % − venues below baseline − 0.001 %) / venues with a rate; score = tanh(z(x)) (broad long crowding: bearish); " +
    "confidence = covered time / (venues · window); value = B",
  units: "share of venues (net, −1 to 1)",
  differs:
    "A count of venues leaning each way, not the size of the rate (funding.rate) nor the gap between venues (funding.spread): one extreme venue moves the level, not the breadth.",
  scale: { center: 0, prior: 0.5 },
  feeds: ["mark"],
  compute({ funding, windowMs, params }, self) {
    if (funding.length === 0) return unavailable(NO_FUNDING_REASON);
    let net = 0;
    let venues = 0;
    let covered = 0;
    for (const f of funding) {
      const m = f.window8h.mean;
      if (m === null) continue;
      const d = m - params.fundingBaselineRate;
      net += d > PINNED_TOLERANCE_8H ? 1 : d < -PINNED_TOLERANCE_8H ? -1 : 0;
      venues++;
      covered += f.window8h.coveredMs;
    }
    if (venues === 0) return unavailable("no funding rate known within the window");
    const breadth = net / venues;
    return directional(self, -breadth, covered / (funding.length * windowMs), breadth);
  },
};
