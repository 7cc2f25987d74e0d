/**
 * `absorption.effort-result` (stress): Wyckoff's effort versus result. Notional traded per basis
 * point of price range in the window, against the same ratio over the day: far more volume than
 * usual for the ground covered means resting liquidity is absorbing the trading on both sides
 * (a contest that has not resolved yet, often before a range breaks). It has no side: a stress
 * card.
 *
 * Ranges are summed minute by minute so that windows of any length compare with the day (a sum
 * of minute ranges grows with time like volume does; one window range would not). The inverse
 * of Amihud's (2002) illiquidity ratio |return| / volume, read against the symbol's own day.
 *
 * - minutes: the window's last N complete one-minute bars (N = 1, 5, 60), traded ones only
 * - E = Σ (buyUsd + sellUsd) / Σ range_m, range_m = ln(high/low) of the minute in bps, at least
 *   0.1 bp (src/domain/cards/microstructure/minute-bars.ts)
 * - x = ln(E_window / E_day), E_day over every minute since the first trade (≤ 24 h, this
 *   window included)
 * - strength = tanh(max(z(x), 0)), center 0, prior σ 0.6 (1m), 0.45 (5m), 0.3 (1h); score 0
 * - confidence = min(1, trades in the window's minutes / tradeFullConfidenceCount); value = E_window
 * - unavailable while fewer than max(N, 60) minutes of bars exist; no traded minute in the
 *   window is a measured zero (confidence 0, value 0)
 */
import { stress, support, unavailable, type CardDefinition } from "../card.js";
import { dayBaseline, MIN_BASELINE_MINUTES, minuteRangeBps, warmingUp, windowMinutes } from "../bar-window.js";

export const absorptionEffortResult: CardDefinition = {
  id: "absorption.effort-result",
  kind: "stress",
  category: "absorption",
  formula:
    "x = ln(E_window / E_day), E = Σ minute notional / Σ minute range (bps, ≥ 0.1) over the window's minute bars and over the day's; strength = tanh(max(z(x), 0)); " +
    "confidence = min(1, trades / tradeFullConfidenceCount); value = E_window",
  units: "USD per bp of minute range",
  differs:
    "Gross volume for the ground covered, with no side: volume cards read volume alone, volatility cards range alone, micro.kyle-lambda how net flow (not gross) moves price.",
  scale: { center: 0, prior: { "1m": 0.6, "5m": 0.45, "1h": 0.3 } },
  feeds: ["trade"],
  compute({ bars, windowMs, params }, self) {
    const n = windowMinutes(windowMs);
    const cold = warmingUp(bars, Math.max(n, MIN_BASELINE_MINUTES));
    if (cold !== null) return unavailable(cold);
    let usd = 0;
    let range = 0;
    let trades = 0;
    for (let i = bars.length - n; i < bars.length; i++) {
      if (bars.trades[i] === 0) continue;
      trades += bars.trades[i];
      usd += bars.buyUsd[i] + bars.sellUsd[i];
      range += minuteRangeBps(bars, i);
    }
    if (trades === 0) return stress(self, 0, 0, 0);
    const day = dayBaseline(bars);
    const effort = usd / range;
    return stress(self, Math.log(effort / (day.usd / day.rangeBps)), support(trades, params.tradeFullConfidenceCount), effort);
  },
};
