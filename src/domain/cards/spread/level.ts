/**
 * `spread.level`: the window's bid-ask spread against the symbol's usual.
 *
 * Market makers quote wider when they expect to be picked off or when volatility rises (Glosten
 * & Milgrom 1985; Wyart et al. 2008): a spread above its usual level is a stress reading with no
 * direction. Spreads differ by symbol (tick size, liquidity), hence the rolling center.
 *
 * - per venue: the spread (ask − bid) / mid · 1e4, time-weighted over the part of the window its
 *   top was known (`input.top`); venues averaged weighted by that time
 * - x = that mean (bps); strength = tanh(max(z(x), 0)), center rolling (the symbol's usual, from
 *   2 bps), prior σ 1 bps
 * - confidence = covered time / (covering venues · window); value = x
 * - unavailable when no venue's top was known during the window
 *
 * Cost: O(venues · window buckets) for the shared top-of-book view.
 */
import { stress, unavailable, type CardDefinition } from "../card.js";
import { NO_TOP, windowSpread } from "./window-spread.js";

export const spreadLevel: CardDefinition = {
  id: "spread.level",
  category: "spread",
  kind: "stress",
  formula:
    "x = time-weighted (ask − bid) / mid · 1e4 over the window, venues weighted by covered time; strength = tanh(max(z(x), 0)) against the symbol's usual; " +
    "confidence = covered time / (venues · window); value = x",
  units: "bps of mid",
  differs:
    "The window's average spread against its usual level: spread.widening compares the latest spread with this window's, spread.venue-dispersion venues with each other, spread.vol-ratio the spread with the volatility.",
  scale: { center: "rolling", priorCenter: 2, prior: 1 },
  feeds: ["book"],
  compute({ top, windowMs }, self) {
    const s = windowSpread(top, windowMs);
    if (s === null) return unavailable(NO_TOP);
    return stress(self, s.meanBps, s.coverage);
  },
};
