/**
 * `micro.impact-asymmetry`: whether buying or selling moves price more per dollar. When net
 * selling minutes move price down less per dollar than net buying minutes move it up, the bid
 * side is the deeper one (passive buyers absorb the selling, the offers give way): bullish; the
 * mirror is bearish. Asymmetric price impact of buys and sells is documented since Holthausen,
 * Leftwich & Mayers (1987) and Chan & Lakonishok (1993); reading it as a direction for the next
 * move is a judgment, not calibrated.
 *
 * - minutes: the window's last N complete one-minute bars (N = 5, 60); per minute q = buyUsd −
 *   sellUsd, r = close-to-close log return
 * - λ_buy = Σ_{q>0} r / Σ_{q>0} q, λ_sell = Σ_{q<0} r / Σ_{q<0} q: the move per dollar of net flow
 *   in each kind of minute (positive when price moved with the flow)
 * - x = (λ_buy − λ_sell) / (|λ_buy| + |λ_sell|), in [−1, 1]; 0 when both are 0
 * - score = tanh(z(x)), center 0, prior σ 0.5 (5m), 0.35 (1h)
 * - confidence = min(1, min(buying minutes, selling minutes) / 15); value = x
 * - unavailable on the 1m window (one minute has one side), while fewer than N minutes of bars
 *   exist, and when the window has net buying minutes only or net selling minutes only (nothing to
 *   compare); a window without trades is a measured zero
 */
import { directional, support, unavailable, type CardDefinition } from "../card.js";
import { minuteReturn, REGRESSION_FULL_MINUTES, tooFewMinutes, warmingUp, windowMinutes, barSideUnknown } from "../bar-window.js";

export const microImpactAsymmetry: CardDefinition = {
  id: "micro.impact-asymmetry",
  category: "microstructure",
  formula:
    "x = (λ_buy − λ_sell)/(|λ_buy| + |λ_sell|), λ_side = Σ r / Σ q over the window's minute bars whose net taker flow q = buyUsd − sellUsd has that sign, r = close-to-close return; " +
    "score = tanh(z(x)); confidence = min(1, min(buying, selling minutes) / 15); value = x",
  units: "ratio (buying impact − selling impact, per dollar)",
  differs:
    "Compares the price response per dollar of the two sides: micro.kyle-lambda reads both sides together with no direction, absorption.flow reads the window's net flow against its net move.",
  scale: { center: 0, prior: { "1m": 0.5, "5m": 0.5, "1h": 0.35 } },
  feeds: ["trade"],
  compute({ bars, windowMs }, self) {
    const n = windowMinutes(windowMs);
    const few = tooFewMinutes(n) ?? warmingUp(bars, n);
    if (few !== null) return unavailable(few);
    const blind = barSideUnknown(bars, bars.length - n, bars.length);
    if (blind !== null) return unavailable(blind);
    let buyR = 0;
    let buyQ = 0;
    let buyMinutes = 0;
    let sellR = 0;
    let sellQ = 0;
    let sellMinutes = 0;
    for (let i = bars.length - n; i < bars.length; i++) {
      const q = bars.buyUsd[i] - bars.sellUsd[i];
      if (q > 0) {
        buyR += minuteReturn(bars, i);
        buyQ += q;
        buyMinutes++;
      } else if (q < 0) {
        sellR += minuteReturn(bars, i);
        sellQ += q;
        sellMinutes++;
      }
    }
    if (buyMinutes + sellMinutes === 0) return directional(self, 0, 0, 0);
    if (sellMinutes === 0) return unavailable("only net-buying minutes in the window: no selling impact to compare");
    if (buyMinutes === 0) return unavailable("only net-selling minutes in the window: no buying impact to compare");
    const up = buyR / buyQ;
    const down = sellR / sellQ;
    const total = Math.abs(up) + Math.abs(down);
    const x = total > 0 ? (up - down) / total : 0;
    return directional(self, x, support(Math.min(buyMinutes, sellMinutes), REGRESSION_FULL_MINUTES / 2), x);
  },
};
