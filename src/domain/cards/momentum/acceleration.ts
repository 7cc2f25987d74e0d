/**
 * `momentum.acceleration`: the return of the window's minutes minus the return of the same number
 * of minutes just before: whether the move is speeding up or slowing down.
 *
 * The second difference of price: a trend that accelerates has buyers (sellers) arriving faster,
 * one that decelerates is running out of them before it reverses (Ardila, Forró & Sornette
 * 2021, "The acceleration effect and Gamma factor in asset pricing": it adds to momentum's
 * predictive power in equities; on minute bars here, a judgment, not calibrated). Bullish when the
 * recent span rose more (or fell less) than the span before it.
 *
 * - N = window minutes (1, 5, 60); R₁ = ln(last close / price at the start of the last N minute
 *   bars), R₀ = the log return of the N minutes before them
 * - x = R₁ − R₀ (log return)
 * - score = tanh(z(x)), center 0, prior σ 0.0014 (1m), 0.0035 (5m), 0.014 (1h): √2 times the
 *   spread of a window return (0.0021, 0.0042, 0.0145 measured on five alts in 2026-02)
 * - confidence = min(1, trades of the quieter span / tradeFullConfidenceCount); value = x
 * - unavailable while fewer than 2N minutes of bars exist; two quiet spans are a measured zero
 */
import { directional, support, unavailable, type CardDefinition } from "../card.js";
import { minuteStart, warmingUp, windowMinutes } from "../bar-window.js";

export const momentumAcceleration: CardDefinition = {
  id: "momentum.acceleration",
  category: "momentum",
  formula:
    "x = R₁ − R₀, R₁ = log return of the window's N minute bars, R₀ = of the N minutes before; score = tanh(z(x)); " +
    "confidence = min(1, trades of the quieter span / tradeFullConfidenceCount); value = x",
  units: "log return (recent span − earlier span)",
  differs:
    "The change of the return from one span to the next, not its level (momentum.return) nor the taker flow's change (flow.acceleration); a steady trend reads 0 here.",
  scale: { center: 0, prior: { "1m": 0.0014, "5m": 0.0035, "1h": 0.014 } },
  feeds: ["trade"],
  compute({ bars, windowMs, params }, self) {
    const n = windowMinutes(windowMs);
    const cold = warmingUp(bars, 2 * n);
    if (cold !== null) return unavailable(cold);
    const end = bars.length;
    const mid = minuteStart(bars, end - n);
    const x = Math.log(bars.close[end - 1] / mid) - Math.log(mid / minuteStart(bars, end - 2 * n));
    let recent = 0;
    let earlier = 0;
    for (let i = end - n; i < end; i++) recent += bars.trades[i];
    for (let i = end - 2 * n; i < end - n; i++) earlier += bars.trades[i];
    return directional(self, x, support(Math.min(recent, earlier), params.tradeFullConfidenceCount), x);
  },
};
