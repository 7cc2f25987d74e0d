/**
 * `orderbook.microprice`: where the size at the touch leans the fair price, across venues.
 *
 * The microprice `(bid · askQty + ask · bidQty) / (bidQty + askQty)` sits between bid and ask,
 * closer to the side with less size: when the best bid queue is larger than the best ask queue
 * the next mid move is more likely up (Stoikov 2018, "The micro-price: a high-frequency
 * estimator of future prices"; Gould & Bonart 2016, "Queue imbalance as a one-tick-ahead price
 * predictor"). Its offset from mid is the queue imbalance times the half spread, so it also says
 * how far (in bps) the lean reaches: the queue imbalance alone would be the same signal on a
 * one-tick book and is not a card of its own.
 *
 * - per venue with a fresh top: offset_v = (microprice − mid) / mid · 1e4 (bps, `input.top`),
 *   weight w_v = bid · bidQty + ask · askQty (USD at the touch)
 * - x = Σ w_v · offset_v / Σ w_v (bps); score = tanh(z(x)), center 0, prior σ 0.5 bps
 * - confidence = venues with a fresh top / venues whose top was known at some point of the window
 * - value = x
 * - a state at the boundary: the same x on every timeframe, each scaled by its own history
 * - unavailable without a fresh top with size on any venue ("no fresh top of book")
 *
 * Cost: O(venues).
 */
import { directional, unavailable, type CardDefinition } from "../card.js";

export const orderbookMicroprice: CardDefinition = {
  id: "orderbook.microprice",
  category: "orderbook",
  formula:
    "x = Σ_v w_v · (microprice_v − mid_v) / mid_v · 1e4 / Σ_v w_v, microprice = (bid·askQty + ask·bidQty) / (bidQty + askQty), w_v = USD at the venue's touch; " +
    "score = tanh(z(x)); confidence = fresh tops / venues seen in the window; value = x",
  units: "bps of mid",
  differs:
    "Reads only the best bid and ask queues (and the spread they sit across), venue by venue; orderbook.imbalance and orderbook.weighted-imbalance read the depth behind them within a band.",
  scale: { center: 0, prior: 0.5 },
  feeds: ["book"],
  compute({ top }, self) {
    let sum = 0;
    let weight = 0;
    let fresh = 0;
    let seen = 0;
    for (const v of top) {
      if (v.top === null && v.windowSpreadBps.coveredMs === 0) continue;
      seen++;
      if (v.top === null || v.micropriceOffsetBps === null) continue;
      const w = v.top.bid * v.top.bidQty + v.top.ask * v.top.askQty;
      sum += w * v.micropriceOffsetBps;
      weight += w;
      fresh++;
    }
    if (weight === 0) return unavailable("no fresh top of book");
    return directional(self, sum / weight, fresh / seen);
  },
};
