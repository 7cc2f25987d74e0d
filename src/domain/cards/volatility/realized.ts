/**
 * `vol.realized` (stress): the window's realized volatility, as the σ of a one-minute return.
 *
 * One level estimator for the category: Garman & Klass (1980) on each minute bar, which uses the
 * bar's high, low and close and is about 7 times as efficient as the close-to-close variance of the
 * same minutes. Parkinson (1980, high–low only) and the σ of minute returns estimate the same σ
 * from less of each bar: a card for each would repeat this one. Volatility has no side: a stress
 * card, read against the symbol's own usual level (it differs by symbol: a rolling center).
 *
 * - per minute of the window (its last N complete minute bars, N = 1, 5, 60), on the path from the
 *   previous close O (high H and low L widened to include it, close C):
 *   v = ½·ln(H/L)² − (2 ln 2 − 1)·ln(C/O)²; a quiet minute counts as 0 (no trade, no move)
 * - x = 10⁴ · √(mean v), at least 0.1 bp: the σ of a one-minute log return, bps
 * - strength = tanh(max(z(x), 0)), center rolling (starts at 7 bps), prior σ 5 (1m), 4.5 (5m),
 *   4 (1h) bps: on the month of AVAX and LINK one-minute bars x had a median of 6–8 bps and a
 *   standard deviation of 6–7.5 bps over the whole month (less within a day); score 0
 * - confidence = min(1, trades in the window's minutes / tradeFullConfidenceCount); value = x
 * - unavailable while fewer than N minutes of bars exist; a window without a trade is a measured
 *   0.1 bp with confidence 0
 */
import { stress, support, unavailable, type CardDefinition } from "../card.js";
import { warmingUp, windowMinutes } from "../bar-window.js";
import { gkSpan, sigmaBps } from "./minute-path.js";

export const volRealized: CardDefinition = {
  id: "vol.realized",
  kind: "stress",
  category: "volatility",
  formula:
    "x = 10⁴ · √(mean over the window's minutes of ½·ln(H/L)² − (2 ln 2 − 1)·ln(C/O)²) (Garman–Klass, O = previous close, H, L widened to it), ≥ 0.1 bp; " +
    "strength = tanh(max(z(x), 0)) against the symbol's usual; confidence = min(1, trades / tradeFullConfidenceCount); value = x",
  units: "bps (σ of a one-minute return)",
  differs:
    "The level of volatility per minute, from every minute's high, low and close; Parkinson or close-to-close σ would estimate the same σ less efficiently. " +
    "vol.range reads the window's net high–low against the usual for its length, vol.term-structure the window against the hour, " +
    "regime.volatility the close-to-close σ of its span against the day's as a calm or stressed state.",
  scale: { center: "rolling", priorCenter: 7, prior: { "1m": 5, "5m": 4.5, "1h": 4 } },
  feeds: ["trade"],
  compute({ bars, windowMs, params }, self) {
    const n = windowMinutes(windowMs);
    const cold = warmingUp(bars, n);
    if (cold !== null) return unavailable(cold);
    const { variance, trades } = gkSpan(bars, bars.length - n, bars.length);
    const x = sigmaBps(variance);
    return stress(self, x, support(trades, params.tradeFullConfidenceCount), x);
  },
};
