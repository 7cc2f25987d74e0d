/**
 * `liq.acceleration`: whether forced flow of one side is picking up or fading inside the window.
 * The window is cut in two halves; the net forced buying (liquidated shorts − liquidated longs,
 * USD) of the recent half is compared with that of the earlier half.
 *
 * - H = window / 2; N_recent, N_earlier = Σ shortUsd − Σ longUsd of the realized liquidations with
 *   ts in [t − H, t) and [t − 2H, t − H)
 * - x = (N_recent − N_earlier) / (total liquidated notional of the window), in [−1, 1]; 0 without
 *   liquidations
 * - score = tanh(z(x)), center 0, prior σ 0.5; value = N_recent − N_earlier (USD)
 * - confidence = min(1, liquidations in the window / liqFullConfidenceCount), 0 without any; the
 *   value is labelled `sampled` when a venue in the window publishes at most one per second
 *
 * Why: liquidations cluster in time (each forced order moves price into the next level), so a side
 * whose forced flow is growing is a cascade under way, and a side whose forced flow is fading is a
 * flush running out of positions (forced selling that stops is bullish). A judgment, not calibrated.
 * A window without liquidations on a live feed is a measured zero (confidence 0), not unavailable.
 * Cost: O(liquidations in the window).
 */
import { directional, liquidationSampling, support, type CardDefinition } from "../card.js";

export const liqAcceleration: CardDefinition = {
  id: "liq.acceleration",
  category: "liquidation",
  formula:
    "x = (N_recent − N_earlier) / window liquidation notional, N = shortUsd − longUsd of the realized liquidations in each half of the window; score = tanh(z(x)); " +
    "confidence = min(1, liquidations / liqFullConfidenceCount); value = N_recent − N_earlier",
  units: "USD (change of net forced buying, recent half − earlier half)",
  differs:
    "The change of net forced flow between the two halves of the window; liq.imbalance reads its level over the whole window, liq.intensity its size against history.",
  scale: { center: 0, prior: 0.5 },
  feeds: ["liquidation"],
  compute({ liq, ts, windowMs, venues, params }, self) {
    const half = ts - windowMs / 2;
    let recent = 0;
    let earlier = 0;
    let total = 0;
    const records = liq.records(windowMs);
    for (const r of records) {
      const net = r.side === "short" ? r.notionalUsd : -r.notionalUsd;
      if (r.ts >= half) recent += net;
      else earlier += net;
      total += r.notionalUsd;
    }
    const x = total > 0 ? (recent - earlier) / total : 0;
    return directional(self, x, support(records.length, params.liqFullConfidenceCount), recent - earlier, liquidationSampling(venues));
  },
};
