/**
 * `xv.price-dispersion` (stress): how far apart the venues' perpetuals trade right now.
 *
 * The same contract trades on every venue and arbitrageurs keep the prices within a few basis
 * points; when the last trades of the venues part, arbitrage is not keeping up (a fast move, a
 * venue-local sweep, a venue whose feed or matching engine lags) and the market is fragmented: a
 * state with no direction by itself. Some venues always trade a little apart (USDC- against
 * USDT-margined contracts, tick sizes), so the center is the symbol's own usual gap.
 *
 * - the latest trade of each venue, when it is inside the window and within `SAME_MOMENT_MS` (5 s)
 *   of the newest of them (a last trade older than that compares two moments: the gap would be a
 *   price move, not a dislocation)
 * - x = (max − min) / mean of those prices · 10⁴ (bps); strength = tanh(max(z(x), 0)), center
 *   rolling (prior center 2 bps), prior σ 2 bps; score 0
 * - confidence = venues used / venues that deliver trades; value = x
 * - a reading of the moment: every timeframe sees the same prices; the window only bounds how old a
 *   last trade may be, and each timeframe learns its own usual gap
 * - unavailable below two venues delivering trades, and below two whose last trades are in the
 *   window within 5 s of each other (a quiet window has no price to compare: not a gap of 0)
 *
 * A judgment, not calibrated. Cost: O(venues).
 */
import { stress, unavailable, type CardDefinition } from "../card.js";
import { FEWER_THAN_TWO_TRADING, tradingVenues } from "./venues.js";

/**
 * Largest time between two venues' last trades compared as one moment, ms. Liquid perpetuals
 * trade several times a second on every venue; a second-tier venue on a small symbol may go a few
 * seconds without a print. Five seconds of a liquid symbol move it about 2 bps (one-second σ about
 * 1 bps): the gap then mixes a little move with the dislocation, which the rolling center absorbs.
 */
export const SAME_MOMENT_MS = 5_000;

export const xvPriceDispersion: CardDefinition = {
  id: "xv.price-dispersion",
  category: "cross-venue",
  kind: "stress",
  formula:
    "x = (max − min) / mean of the venues' last trade prices in the window within 5 s of the newest, bps; strength = tanh(max(z(x), 0)) against the symbol's usual gap; " +
    "confidence = venues used / venues delivering trades; value = x",
  units: "bps of price",
  differs:
    "The perpetuals' own traded prices against each other; derivatives.premium-dispersion compares each venue's mark with its own index, derivatives.index-dispersion the spot baskets, spread.venue-dispersion the width of the venues' spreads, not where they sit.",
  scale: { center: "rolling", priorCenter: 2, prior: 2 },
  feeds: ["trade"],
  compute({ venues, ts, windowMs }, self) {
    const delivering = tradingVenues(venues);
    if (delivering < 2) return unavailable(FEWER_THAN_TWO_TRADING);
    let newest = Number.NEGATIVE_INFINITY;
    for (const v of venues) if (v.last !== null && v.last.ts >= ts - windowMs && v.last.ts > newest) newest = v.last.ts;
    let hi = Number.NEGATIVE_INFINITY;
    let lo = Number.POSITIVE_INFINITY;
    let sum = 0;
    let used = 0;
    for (const v of venues) {
      if (v.last === null || v.last.ts < ts - windowMs || newest - v.last.ts > SAME_MOMENT_MS) continue;
      hi = Math.max(hi, v.last.price);
      lo = Math.min(lo, v.last.price);
      sum += v.last.price;
      used++;
    }
    if (used < 2) return unavailable("fewer than two venues traded in the window within 5 s of each other");
    return stress(self, ((hi - lo) / (sum / used)) * 1e4, used / delivering);
  },
};
