/**
 * `spread.venue-dispersion`: how far the widest venue's spread is from the narrowest.
 *
 * Venues quote the same contract; when one venue's spread opens far beyond the others its makers
 * have stepped back (a feed or matching-engine problem, or local stress) and its price leads or
 * lags the rest. Some venues are always wider (tick size, maker rebates), hence the log ratio and
 * the rolling center. A stress reading with no direction.
 *
 * - per venue with a known spread in the window: S_v = its time-weighted spread (bps), S_v > 0
 * - x = ln(max_v S_v / min_v S_v); strength = tanh(max(z(x), 0)), center rolling (the symbol's
 *   usual, from ln 2), prior σ 0.5
 * - confidence = covered time / (those venues · window); value = max_v S_v (bps, the widest venue)
 * - unavailable with fewer than two such venues
 *
 * Cost: O(venues) after the shared top-of-book view.
 */
import { stress, unavailable, type CardDefinition } from "../card.js";

export const spreadVenueDispersion: CardDefinition = {
  id: "spread.venue-dispersion",
  category: "spread",
  kind: "stress",
  formula:
    "x = ln(widest / narrowest venue spread), time-weighted over the window; strength = tanh(max(z(x), 0)) against the symbol's usual; " +
    "confidence = covered time / (venues · window); value = the widest venue's spread (bps)",
  units: "bps of mid (widest venue's spread)",
  differs:
    "Venues against each other, whatever the level: spread.level averages the venues, so one venue's spread opening while the others hold barely moves it.",
  scale: { center: "rolling", priorCenter: Math.LN2, prior: 0.5 },
  feeds: ["book"],
  compute({ top, windowMs }, self) {
    let widest = 0;
    let narrowest = Number.POSITIVE_INFINITY;
    let covered = 0;
    let venues = 0;
    for (const v of top) {
      const w = v.windowSpreadBps;
      if (w.mean === null || w.coveredMs === 0 || !(w.mean > 0)) continue;
      widest = Math.max(widest, w.mean);
      narrowest = Math.min(narrowest, w.mean);
      covered += w.coveredMs;
      venues++;
    }
    if (venues < 2) return unavailable("fewer than two venues deliver top of book");
    return stress(self, Math.log(widest / narrowest), covered / (venues * windowMs), widest);
  },
};
