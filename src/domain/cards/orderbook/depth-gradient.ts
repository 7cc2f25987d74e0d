/**
 * `orderbook.depth-gradient`: which side's resting size sits closer to the price.
 *
 * Within the band, the size-weighted mean distance of each side's depth from mid says where that
 * side's liquidity is: bids stacked close under the price with asks spread thin and far make an
 * up-move meet little resistance and a down-move meet support at once, whatever the totals. The
 * depth beyond the best level carries information about the next moves (Cao, Hansch & Wang 2009,
 * "The information content of an open limit-order book"); that closeness predicts direction this
 * way is a judgment, not calibrated.
 *
 * - band b = bookBandPct[tf] (0.1 %, 0.25 %, 1 %) around the primary venue's mid, cut where the
 *   held levels end sooner (`primary-band.ts`)
 * - d_bid = Σ q_i (mid − p_i) / Σ q_i over bids in the band, d_ask = Σ q_i (p_i − mid) / Σ q_i
 *   over asks (bps of mid)
 * - x = (d_ask − d_bid) / (d_ask + d_bid) ∈ [−1, 1]: > 0 when bids sit closer; score = tanh(z(x)),
 *   center 0, prior σ 0.2
 * - confidence = min(1, levels in band / bookFullConfidenceLevels); value = d_ask − d_bid (bps)
 * - unavailable while no book is synced, when a side is empty, or when the band holds no level
 *   ("no bids within ±b % of mid": the best levels are equally far from mid, so both sides go
 *   empty together)
 *
 * Primary venue only: each venue's depth is placed against its own mid, and the summed depth
 * (`depthWithin`) would mix mids a bp apart into distances of a few bps.
 * Cost: O(1) after the band's one pass over its levels, shared by the primary-book cards (`primary-band.ts`).
 */
import { directional, support, unavailable, type CardDefinition } from "../card.js";
import { primaryBand } from "./primary-band.js";

export const orderbookDepthGradient: CardDefinition = {
  id: "orderbook.depth-gradient",
  category: "orderbook",
  formula:
    "x = (d_ask − d_bid) / (d_ask + d_bid), d_side = size-weighted mean distance of the side's levels from mid within ±bookBandPct[tf] % (primary book); " +
    "score = tanh(z(x)); confidence = min(1, levels in band / bookFullConfidenceLevels); value = d_ask − d_bid (bps)",
  units: "bps of mid (how much closer the bids sit than the asks)",
  differs:
    "Where each side's size sits, not how much there is: orderbook.imbalance compares the totals in the same band, orderbook.wall the single largest level.",
  scale: { center: 0, prior: 0.2 },
  feeds: ["book"],
  compute(input, self) {
    const b = primaryBand(input);
    if (typeof b === "string") return unavailable(b);
    if (b.bid.n === 0) return unavailable(`no bids within ±${b.configuredPct} % of mid`);
    if (b.ask.n === 0) return unavailable(`no asks within ±${b.configuredPct} % of mid`);
    const dBid = (b.bid.qtyDistance / b.bid.qty / b.mid) * 1e4;
    const dAsk = (b.ask.qtyDistance / b.ask.qty / b.mid) * 1e4;
    return directional(self, (dAsk - dBid) / (dAsk + dBid), support(b.bid.n + b.ask.n, input.params.bookFullConfidenceLevels), dAsk - dBid);
  },
};
