/**
 * `orderbook.wall`: the single largest resting level near the price, its side, size and distance.
 *
 * A level far larger than its neighbours close to the price is read as a floor (a bid wall) or a
 * ceiling (an ask wall): price tends to stall at it, and it stops mattering as it gets farther
 * away or smaller against the band. Walls are also pulled or eaten, so the reading is a
 * judgment, not calibrated.
 *
 * - band b = bookBandPct[tf] around the primary venue's mid; the wall is the level with the
 *   largest size (base units) among both sides' levels in the band (on equal sizes the bid, then
 *   the nearer level)
 * - share = wall size / (bid size + ask size in the band); proximity = 1 − distance / b, distance
 *   = |p − mid| / mid · 100 (%)
 * - x = ±share · proximity (+ for a bid wall) ∈ [−1, 1]; score = tanh(z(x)), center 0, prior σ 0.1
 * - confidence = min(1, levels in band / bookFullConfidenceLevels)
 * - value = wall size, signed (+ bid, − ask), base units
 * - unavailable while no book is synced or a side is empty; a band with no level is unavailable
 *   ("no level within ±b % of mid")
 *
 * Cost: O(levels in band).
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
    if (b.nBid + b.nAsk === 0) return unavailable(`no level within ±${b.bandPct} % of mid`);
    let total = 0;
    let size = -1;
    let price = 0;
    let sign = 0;
    for (let i = 0; i < b.nBid; i++) {
      total += b.bids[i][1];
      if (b.bids[i][1] > size) {
        size = b.bids[i][1];
        price = b.bids[i][0];
        sign = 1;
      }
    }
    for (let i = 0; i < b.nAsk; i++) {
      total += b.asks[i][1];
      if (b.asks[i][1] > size) {
        size = b.asks[i][1];
        price = b.asks[i][0];
        sign = -1;
      }
    }
    const distancePct = (Math.abs(price - b.mid) / b.mid) * 100;
    const x = sign * (size / total) * (1 - distancePct / b.bandPct);
    return directional(self, x, support(b.nBid + b.nAsk, input.params.bookFullConfidenceLevels), sign * size);
  },
};
