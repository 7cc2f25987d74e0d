/**
 * `micro.arrival-rate` (stress): how fast trades arrive in the window against the symbol's usual
 * rate over the day. Trade intensity rises when information arrives (Easley & O'Hara 1992, "Time
 * and the process of security price adjustment"; Engle & Russell 1998, autoregressive conditional
 * duration): a burst of arrivals is a market that is busy repricing, whatever the direction.
 *
 * - n = trades in the window, all venues; n̄ = the day's trades per minute (every complete minute
 *   since the first trade, ≤ 24 h, this window included) × window minutes
 * - x = ln((n + 1) / (n̄ + 1)): the log rate ratio, with one pseudo-trade on each side so an empty
 *   window stays finite and a handful of trades cannot make a burst
 * - strength = tanh(max(z(x), 0)), center 0, prior σ 0.7 (1m), 0.55 (5m), 0.4 (1h); score 0
 * - confidence = min(1, n̄ / tradeFullConfidenceCount): how many trades the comparison expects
 *   (a quiet window against a busy day is well measured too)
 * - value = n / n̄ (the rate as a multiple of the usual; 0 for a window without trades)
 * - unavailable while fewer than 60 minutes of bars exist
 */
import { stress, support, unavailable, type CardDefinition, prints } from "../card.js";
import { dayBaseline, MIN_BASELINE_MINUTES, warmingUp, windowMinutes } from "../bar-window.js";

export const microArrivalRate: CardDefinition = {
  id: "micro.arrival-rate",
  kind: "stress",
  category: "microstructure",
  formula:
    "x = ln((n + 1)/(n̄ + 1)), n = trades in the window, n̄ = the day's trades per minute × window minutes; strength = tanh(max(z(x), 0)); " +
    "confidence = min(1, n̄ / tradeFullConfidenceCount); value = n / n̄",
  units: "multiple of the day's trade rate",
  differs:
    "The count of prints, not their notional (volume cards) nor their side (order-flow); micro.rate-acceleration compares the window with the one just before instead of with the day.",
  scale: { center: 0, prior: { "1m": 0.7, "5m": 0.55, "1h": 0.4 } },
  feeds: ["trade"],
  compute({ window: w, bars, windowMs, params }, self) {
    const cold = warmingUp(bars, MIN_BASELINE_MINUTES);
    if (cold !== null) return unavailable(cold);
    const day = dayBaseline(bars);
    const n = prints(w);
    const expected = (day.trades / day.minutes) * windowMinutes(windowMs);
    return stress(self, Math.log((n + 1) / (expected + 1)), support(expected, params.tradeFullConfidenceCount), n / expected);
  },
};
