/**
 * `micro.kyle-lambda` (stress): how strongly net taker flow moves price across the window's
 * minutes. Kyle's (1985) λ is the price move per unit of net order flow; Hasbrouck (1991) and
 * Cont, Kukanov & Stoikov (2014) measure it by regressing returns on signed flow. A high λ means
 * a thin or informed market where every dollar of aggression moves price; a low λ means the flow
 * is being absorbed. It has no side: a stress card.
 *
 * λ in bps per dollar differs by orders of magnitude between BTC and a small alt, so the card
 * scores it standardized by the window's own dispersion of returns and flow: the regression slope
 * times RMS(q) / RMS(r), which is the (uncentered) correlation of returns with flow, comparable
 * across symbols.
 *
 * - minutes: the window's last N complete one-minute bars (N = 5, 60); per minute q = buyUsd −
 *   sellUsd, r = close-to-close log return
 * - λ = Σ r·q / Σ q² (regression through the origin)
 * - x = Σ r·q / √(Σ r² · Σ q²) = λ · RMS(q) / RMS(r), in [−1, 1]; 0 when price never moved
 * - strength = tanh(max(z(x), 0)), center rolling (starts at 0.4: minute returns typically share
 *   about a sixth of their variance with trade flow, a judgment), prior σ 0.35 (5m), 0.2 (1h)
 * - confidence = min(1, traded minutes / 30); value = λ in bps per 1 M USD of net taker flow
 * - unavailable on the 1m window (one minute is no regression) and while fewer than N minutes of
 *   bars exist; minutes without net flow are a measured zero (confidence 0, value 0)
 */
import { stress, support, unavailable, type CardDefinition } from "../card.js";
import { minuteReturn, REGRESSION_FULL_MINUTES, tooFewMinutes, warmingUp, windowMinutes, barSideUnknown } from "../bar-window.js";

export const microKyleLambda: CardDefinition = {
  id: "micro.kyle-lambda",
  kind: "stress",
  category: "microstructure",
  formula:
    "x = Σ r·q / √(Σ r² · Σ q²) over the window's minute bars, r = close-to-close return, q = buyUsd − sellUsd (Kyle's λ = Σ r·q / Σ q², standardized); strength = tanh(max(z(x), 0)); " +
    "confidence = min(1, traded minutes / 30); value = λ in bps per 1 M USD",
  units: "bps per 1 M USD of net taker flow",
  differs:
    "How much net aggression moves price, from minute to minute: absorption.effort-result reads gross volume against range with no side, micro.impact-asymmetry compares buying minutes with selling minutes.",
  scale: { center: "rolling", priorCenter: 0.4, prior: { "1m": 0.35, "5m": 0.35, "1h": 0.2 } },
  feeds: ["trade"],
  compute({ bars, windowMs }, self) {
    const n = windowMinutes(windowMs);
    const few = tooFewMinutes(n) ?? warmingUp(bars, n);
    if (few !== null) return unavailable(few);
    const blind = barSideUnknown(bars, bars.length - n, bars.length);
    if (blind !== null) return unavailable(blind);
    let rq = 0;
    let rr = 0;
    let qq = 0;
    let traded = 0;
    for (let i = bars.length - n; i < bars.length; i++) {
      if (bars.trades[i] === 0) continue;
      traded++;
      const q = bars.buyUsd[i] - bars.sellUsd[i];
      const r = minuteReturn(bars, i);
      rq += r * q;
      rr += r * r;
      qq += q * q;
    }
    if (qq === 0) return stress(self, 0, 0, 0);
    const x = rr > 0 ? rq / Math.sqrt(rr * qq) : 0;
    return stress(self, x, support(traded, REGRESSION_FULL_MINUTES), (rq / qq) * 1e10);
  },
};
