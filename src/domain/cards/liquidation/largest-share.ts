/**
 * `liq.largest-share`: how much of the window's forced flow came in its single largest
 * liquidation, signed by that liquidation's side (a liquidated short is a forced buy: +).
 *
 * - m = the largest realized liquidation of the window (USD; the latest to arrive on ties), T = all of them
 * - x = ±m / T: + when m liquidated a short, − a long; 0 without liquidations
 * - score = tanh(z(x)), center 0, prior σ 0.5; value = ±m (USD)
 * - confidence = min(1, liquidations / liqFullConfidenceCount); labelled `sampled` when a venue in
 *   the window publishes at most one liquidation per second (Binance and OKX: the largest order of a
 *   second may be the one not published, so on those venues m is a lower bound)
 *
 * Why: a venue's liquidation engine closes a position with one market order; one large forced
 * order walks deeper into the book at once than the same notional spread over many small ones
 * (price impact grows with the size of a single order), so one dominant print moves price more
 * than a trickle of equal total. A judgment, not calibrated. A window without liquidations on a
 * live feed is a measured zero (confidence 0). Cost: O(liquidations in the window).
 */
import { directional, liquidationSampling, support, type CardDefinition } from "../card.js";

export const liqLargestShare: CardDefinition = {
  id: "liq.largest-share",
  category: "liquidation",
  formula:
    "x = ±(largest realized liquidation of the window / window liquidation notional), + for a liquidated short (forced buy); score = tanh(z(x)); " +
    "confidence = min(1, liquidations / liqFullConfidenceCount); value = ± largest liquidation USD",
  units: "USD (signed size of the largest liquidation)",
  differs:
    "Concentration of the window's forced flow in one print and that print's side; liq.imbalance weighs all prints by notional, so one whale and many small ones of equal total read alike there.",
  scale: { center: 0, prior: 0.5 },
  feeds: ["liquidation"],
  compute({ liq, windowMs, venues, params }, self) {
    const records = liq.records(windowMs);
    let largest = 0;
    let signed = 0;
    let total = 0;
    for (const r of records) {
      total += r.notionalUsd;
      // records come newest arrival first: an earlier one of equal size does not replace it
      if (r.notionalUsd > largest) {
        largest = r.notionalUsd;
        signed = r.side === "short" ? r.notionalUsd : -r.notionalUsd;
      }
    }
    const x = total > 0 ? signed / total : 0;
    return directional(self, x, support(records.length, params.liqFullConfidenceCount), signed, liquidationSampling(venues));
  },
};
