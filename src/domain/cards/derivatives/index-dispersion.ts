/**
 * `derivatives.index-dispersion` (stress): how far apart the venues' index prices are right now.
 *
 * Every venue prices its perpetual's funding, mark and so its liquidations against its own index: a
 * weighted average or median of spot prices on a basket of exchanges (Binance's index, Bybit's
 * index, Hyperliquid's oracle price). Normally they agree within a few basis points; when they
 * part, a spot venue in some basket is dislocated (thin, halted, manipulated), and the perps marked
 * on it can liquidate positions the other venues would not. A spot-side stress with no direction.
 * The usual gap differs by symbol (basket construction), so the center is the symbol's own.
 *
 * - the latest index of each venue with a fresh premium whose reading is within `SAME_MOMENT_MS`
 *   (10 s) of the newest one (older readings compare two moments, not two baskets)
 * - x = (max − min) / mean of those indexes · 10⁴ (bps); strength = tanh(max(z(x), 0)), center
 *   rolling (prior center 2 bps), prior σ 2 bps
 * - confidence = venues used / venues that send an index; value = x
 * - a reading of the moment: every timeframe sees the same x, and differs only by the history it
 *   learns its usual level and dispersion from
 * - unavailable until a mark carried an index price, and below two venues with an index within
 *   10 s of each other
 */
import { stress, unavailable, type CardDefinition } from "../card.js";
import { NO_INDEX_REASON, SAME_MOMENT_MS } from "./premium-path.js";

export const derivativesIndexDispersion: CardDefinition = {
  id: "derivatives.index-dispersion",
  category: "derivatives",
  kind: "stress",
  formula:
    "x = (max − min) / mean of the venues' latest index prices read within 10 s of each other, bps; strength = tanh(max(z(x), 0)) against the symbol's usual gap; " +
    "confidence = venues used / venues with an index; value = x",
  units: "bps of index",
  differs:
    "The spot baskets disagreeing, whatever the perps do; derivatives.premium-dispersion mixes it with each perp's richness, cross-venue reads the perps' own traded prices.",
  scale: { center: "rolling", priorCenter: 2, prior: 2 },
  feeds: ["mark"],
  compute({ premium }, self) {
    if (premium.length === 0) return unavailable(NO_INDEX_REASON);
    let newest = Number.NEGATIVE_INFINITY;
    for (const p of premium) if (p.bps !== null && p.ts > newest) newest = p.ts;
    let hi = Number.NEGATIVE_INFINITY;
    let lo = Number.POSITIVE_INFINITY;
    let sum = 0;
    let venues = 0;
    for (const p of premium) {
      if (p.bps === null || newest - p.ts > SAME_MOMENT_MS) continue;
      if (p.indexPrice > hi) hi = p.indexPrice;
      if (p.indexPrice < lo) lo = p.indexPrice;
      sum += p.indexPrice;
      venues++;
    }
    if (venues < 2) return unavailable("fewer than two venues have a fresh index within 10 s of each other");
    return stress(self, ((hi - lo) / (sum / venues)) * 1e4, venues / premium.length);
  },
};
