/**
 * `micro.tick-direction`: the share of the window's trading that happened in up-minutes against
 * down-minutes. The tick test (Lee & Ready 1991) signs a trade by the last price change; at minute
 * resolution, weighting each minute's direction by its trade count asks whether the busy minutes
 * go up or down: price rising on the active minutes and falling on the quiet ones is demand
 * leading, whatever the net change.
 *
 * - minutes: the window's last N complete one-minute bars (N = 1, 5, 60)
 * - per minute: w = trades, s = sign of the close-to-close return (from its own open after a
 *   minute without price)
 * - x = Σ w · s / Σ w, in [−1, 1]
 * - score = tanh(z(x)), center 0, prior σ 0.8 (1m: one minute, x is −1, 0 or 1), 0.45 (5m), 0.2 (1h)
 * - confidence = min(1, Σ w / tradeFullConfidenceCount); value = x
 * - unavailable while fewer than N minutes of bars exist; a window without trades is a measured zero
 */
import { directional, support, unavailable, type CardDefinition } from "../card.js";
import { minuteStart, warmingUp, windowMinutes } from "../bar-window.js";

export const microTickDirection: CardDefinition = {
  id: "micro.tick-direction",
  category: "microstructure",
  formula:
    "x = Σ trades_m · sign(r_m) / Σ trades_m over the window's minute bars, r_m = close-to-close return; score = tanh(z(x)); " +
    "confidence = min(1, trades / tradeFullConfidenceCount); value = x",
  units: "share of trades (up-minutes − down-minutes)",
  differs:
    "Counts direction per minute weighted by activity, ignoring how far each minute moved: momentum.return reads the net move, order-flow cards the aggressor side rather than the price change.",
  scale: { center: 0, prior: { "1m": 0.8, "5m": 0.45, "1h": 0.2 } },
  feeds: ["trade"],
  compute({ bars, windowMs, params }, self) {
    const n = windowMinutes(windowMs);
    const cold = warmingUp(bars, n);
    if (cold !== null) return unavailable(cold);
    let trades = 0;
    let signed = 0;
    for (let i = bars.length - n; i < bars.length; i++) {
      const w = bars.trades[i];
      if (w === 0) continue;
      trades += w;
      signed += w * Math.sign(bars.close[i] - minuteStart(bars, i));
    }
    if (trades === 0) return directional(self, 0, 0, 0);
    const x = signed / trades;
    return directional(self, x, support(trades, params.tradeFullConfidenceCount), x);
  },
};
