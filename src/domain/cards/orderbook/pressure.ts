/**
 * `orderbook.pressure`: the window's taker flow against the resting depth it attacks.
 *
 * A taker buy removes ask depth; the price impact of flow scales with the depth it meets (Cont,
 * Kukanov & Stoikov 2014: the mid moves by order-flow imbalance over depth). The same buying is
 * strong against thin asks and weak against deep ones, so each side's aggression is measured in
 * units of the opposite side's resting depth near the price.
 *
 * - band b = bookBandPct[tf]; askUsd, bidUsd = resting notional within ±b % of mid at the
 *   boundary, summed over synced venue books
 * - x = buyUsd / askUsd − sellUsd / bidUsd: taker buy notional of the window in multiples of the
 *   ask depth, minus taker sells in multiples of the bid depth; score = tanh(z(x)), center 0,
 *   prior σ 0.3 (1m), 0.5 (5m), 2 (1h): longer windows trade many times the band's depth
 * - confidence = min(1, trades / tradeFullConfidenceCount); value = x
 * - a window without trades is a measured 0 (confidence 0)
 * - unavailable while no book is synced, when a side is empty, or when a side has no notional
 *   within the band ("no asks within ±b % of mid")
 *
 * Taker volume counts every venue, depth only the venues with a synced book: a venue that sends
 * trades and no book overstates the pressure.
 * Cost: O(1) after the shared inputs.
 */
import { directional, support, unavailable, type CardDefinition, prints, sideUnknown } from "../card.js";

export const orderbookPressure: CardDefinition = {
  id: "orderbook.pressure",
  category: "orderbook",
  formula:
    "x = taker buy USD / ask USD − taker sell USD / bid USD, depth within ±bookBandPct[tf] % of mid over synced books, flow over the window; " +
    "score = tanh(z(x)); confidence = min(1, trades / tradeFullConfidenceCount); value = x",
  units: "multiples of the band's resting depth (buy side minus sell side)",
  differs:
    "Flow in units of the depth it hits: flow.cvd reads the flow alone, orderbook.imbalance the depth alone; strong buying into deep asks reads weaker here than the same buying into thin ones.",
  scale: { center: 0, prior: { "1m": 0.3, "5m": 0.5, "1h": 2 } },
  feeds: ["book", "trade"],
  compute({ book, window: w, params, timeframe }, self) {
    if (!book.synced) return unavailable("book not synced");
    const blind = sideUnknown(w);
    if (blind !== null) return unavailable(blind);
    const band = params.bookBandPct[timeframe];
    const depth = book.depthWithin(band);
    if (depth === null) return unavailable("book side empty");
    if (depth.askNotionalUsd <= 0) return unavailable(`no asks within ±${band} % of mid`);
    if (depth.bidNotionalUsd <= 0) return unavailable(`no bids within ±${band} % of mid`);
    const x = w.buyNotionalUsd / depth.askNotionalUsd - w.sellNotionalUsd / depth.bidNotionalUsd;
    return directional(self, x, support(prints(w), params.tradeFullConfidenceCount));
  },
};
