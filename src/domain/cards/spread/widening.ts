/**
 * `spread.widening`: the spread now against the window's time-weighted spread.
 *
 * A spread that has just opened up against the one that held through the window is makers
 * stepping back in real time, before any average notices: a stress reading with no direction.
 * Relative, so it means the same on any symbol.
 *
 * - per venue with both: S_now = its latest spread (bps, null when its top is stale), S_w = its
 *   spread time-weighted over the window
 * - x = Σ S_now / Σ S_w − 1 over those venues; strength = tanh(max(z(x), 0)), center 0,
 *   prior σ 0.5 (half as wide again)
 * - confidence = covered time of those venues / (venues · window); value = Σ S_now / count (bps)
 * - unavailable when no venue has both a fresh top and a known window spread, or when the
 *   window's spread was zero (a locked book)
 *
 * Cost: O(venues) after the shared top-of-book view.
 */
import { stress, unavailable, type CardDefinition } from "../card.js";

export const spreadWidening: CardDefinition = {
  id: "spread.widening",
  category: "spread",
  kind: "stress",
  formula:
    "x = Σ latest spread / Σ time-weighted window spread − 1 over venues with both; strength = tanh(max(z(x), 0)); " +
    "confidence = covered time / (venues · window); value = mean latest spread (bps)",
  units: "bps of mid (latest spread, venue mean)",
  differs:
    "Now against this window, on the symbol's own scale: spread.level compares the window with the symbol's usual and so lags a spread that just opened.",
  scale: { center: 0, prior: 0.5 },
  feeds: ["book"],
  compute({ top, windowMs }, self) {
    let now = 0;
    let mean = 0;
    let covered = 0;
    let venues = 0;
    for (const v of top) {
      const w = v.windowSpreadBps;
      if (v.spreadBps === null || w.mean === null || w.coveredMs === 0) continue;
      now += v.spreadBps;
      mean += w.mean;
      covered += w.coveredMs;
      venues++;
    }
    if (venues === 0) return unavailable("no fresh top of book with a known window spread");
    if (mean <= 0) return unavailable("spread was zero over the window");
    return stress(self, now / mean - 1, covered / (venues * windowMs), now / venues);
  },
};
