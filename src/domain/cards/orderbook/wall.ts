/**
 * `orderbook.wall`: the single largest resting level near the price, its side, size and distance.
 *
 * A level far larger than its neighbours close to the price is read as a floor (a bid wall) or a
 * ceiling (an ask wall): price tends to stall at it, and it stops mattering as it gets farther
 * away or smaller against the band. Walls are also pulled or eaten, so the reading is a
 * judgment, not calibrated.
 *
 * - band b = bookBandPct[tf] around the primary venue's mid, cut where the held levels end
 *   sooner (`primary-band.ts`); the wall is the level with the largest size (base units) among
 *   both sides' levels in the band (on equal sizes the bid, then the nearer level)
 * - share = wall size / (bid size + ask size in the band); proximity = 1 − |p − mid| / (mid · b / 100)
 * - x = ±share · proximity (+ for a bid wall) ∈ [−1, 1]; score = tanh(z(x)), center 0, prior σ 0.1
 * - confidence = min(1, levels in band / bookFullConfidenceLevels)
 * - value = wall size, signed (+ bid, − ask), base units
 * - unavailable while no book is synced or a side is empty; a band with no level is unavailable
 *   ("no level within ±b % of mid")
 *
 * Cost: O(1) after the band's one pass over its levels, shared by the primary-book cards (`primary-band.ts`).
 */
import { directional, support, unavailable, type CardDefinition } from "../card.js";
import { primaryBand } from "./primary-band.js";

export const orderbookWall: CardDefinition = {
  id: "orderbook.wall",
  category: "orderbook",
  formula:
    "x = ±(largest level's size / both sides' size in ±bookBandPct[tf] %) · (1 − its distance from mid / band), + for a bid (primary book); " +
    "score = tanh(z(x)); confidence = min(1, levels in band / bookFullConfidenceLevels); value = signed wall size",
  units: "base units (wall size, + bid, − ask)",
  differs:
    "One level against the band: orderbook.imbalance sums every level, orderbook.depth-gradient averages where they sit; a wall can face a band whose totals are balanced.",
  scale: { center: 0, prior: 0.1 },
  feeds: ["book"],
  compute(input, self) {
    const b = primaryBand(input);
    if (typeof b === "string") return unavailable(b);
    if (b.bid.n + b.ask.n === 0) return unavailable(`no level within ±${b.configuredPct} % of mid`);
    const w = b.bid.wallQty >= b.ask.wallQty ? b.bid : b.ask;
    const sign = w === b.bid ? 1 : -1;
    const x = sign * (w.wallQty / (b.bid.qty + b.ask.qty)) * (1 - Math.abs(w.wallPrice - b.mid) / b.halfWidth);
    return directional(self, x, support(b.bid.n + b.ask.n, input.params.bookFullConfidenceLevels), sign * w.wallQty);
  },
};
