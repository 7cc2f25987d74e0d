/**
 * `xv.lone-extreme`: the part of the window's low or high that one venue printed alone.
 *
 * A stop run or a liquidation sweep on one venue's book prints a wick there that the other venues,
 * arbitraged to it within seconds, do not print: the forced flow was local and the market as a
 * whole did not accept the price. A low that only one venue reached is selling the market absorbed
 * (leans bullish: fade the unconfirmed drop), a high that only one venue reached is buying it did
 * not follow (leans bearish). The same idea as a non-confirmation between markets, applied to
 * venues of one contract. A judgment, not calibrated.
 *
 * - venues that traded in the window; H₁ ≥ H₂ the two highest venue highs, L₁ ≤ L₂ the two lowest
 *   venue lows; P̄ = mean of those venues' last prices in the window
 * - U = (H₁ − H₂) / P̄ · 10⁴ (the high no other venue confirmed, bps), D = (L₂ − L₁) / P̄ · 10⁴
 * - x = D − U (bps); score = tanh(z(x)), center 0, prior σ 2 bps (1m), 3 bps (5m), 4 bps (1h)
 * - confidence = min(1, trades / tradeFullConfidenceCount); value = x
 * - a window without trades is a measured 0 (confidence 0); unavailable below two venues delivering
 *   trades, and when only one venue traded in the window (nothing to confirm against)
 *
 * A venue with a wider spread prints both higher highs and lower lows (bid-ask bounce): they cancel
 * in D − U. Bars (one-minute highs and lows) serve as well as trades. Cost: O(venues).
 */
import { directional, prints, support, unavailable, type CardDefinition } from "../card.js";
import { FEWER_THAN_TWO_TRADING, tradingVenues } from "./venues.js";

export const xvLoneExtreme: CardDefinition = {
  id: "xv.lone-extreme",
  category: "cross-venue",
  formula:
    "x = (L₂ − L₁) − (H₁ − H₂) in bps of the venues' mean last price, H₁ ≥ H₂ the two highest and L₁ ≤ L₂ the two lowest venue highs and lows of the window; score = tanh(z(x)) (a lone low leans bullish); " +
    "confidence = min(1, trades / tradeFullConfidenceCount); value = x",
  units: "bps of price (lone low minus lone high)",
  differs:
    "The window's extremes that one venue printed alone, signed; xv.price-dispersion reads how far apart the venues trade now, whatever their extremes, trend.failed-breakout and exhaustion cards read the extremes of the merged tape.",
  scale: { center: 0, prior: { "1m": 2, "5m": 3, "1h": 4 } },
  feeds: ["trade"],
  compute({ venues, window: w, params }, self) {
    if (tradingVenues(venues) < 2) return unavailable(FEWER_THAN_TWO_TRADING);
    let h1 = Number.NEGATIVE_INFINITY;
    let h2 = Number.NEGATIVE_INFINITY;
    let l1 = Number.POSITIVE_INFINITY;
    let l2 = Number.POSITIVE_INFINITY;
    let closes = 0;
    let traded = 0;
    for (const { window: v } of venues) {
      if (v.high === null || v.low === null || v.close === null) continue;
      if (v.high > h1) {
        h2 = h1;
        h1 = v.high;
      } else if (v.high > h2) h2 = v.high;
      if (v.low < l1) {
        l2 = l1;
        l1 = v.low;
      } else if (v.low < l2) l2 = v.low;
      closes += v.close;
      traded++;
    }
    if (traded === 0) return directional(self, 0, 0);
    if (traded === 1) return unavailable("only one venue traded in the window");
    const mean = closes / traded;
    const x = (((l2 - l1) - (h1 - h2)) / mean) * 1e4;
    return directional(self, x, support(prints(w), params.tradeFullConfidenceCount));
  },
};
