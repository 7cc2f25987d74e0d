/**
 * `volume.money-flow`: Chaikin money flow on the window's minute bars. Each minute's volume is
 * credited to buyers or sellers by where it closed in its range: a close at the high puts all of
 * it on the buying side, at the low on the selling side (Chaikin's close location value). Summed
 * over the window as a share of volume, closes near the highs on heavy minutes are accumulation:
 * bullish. It needs no taker side, so it reads the bars of every venue alike; a judgment on
 * one-minute bars, not calibrated.
 *
 * - per minute of the window's last N complete bars (N = 1, 5, 60): CLV = ((C − L) − (H − C)) /
 *   (H − L) from the bar's own high, low and close (0 when H = L), V = traded notional, USD
 * - x = Σ CLV·V / Σ V, in [−1, 1]
 * - score = tanh(z(x)), center 0, prior σ 0.68 (1m), 0.33 (5m), 0.12 (1h): the RMS of x on the month
 *   of AVAX and LINK one-minute bars
 * - confidence = min(1, trades in the window's minutes / tradeFullConfidenceCount); value = x
 * - unavailable while fewer than N minutes of bars exist; a window without volume is a measured 0
 *   with confidence 0
 */
import { directional, support, unavailable, type CardDefinition } from "../card.js";
import { warmingUp, windowMinutes } from "../bar-window.js";
import { minuteUsd } from "../price-series.js";

export const volumeMoneyFlow: CardDefinition = {
  id: "volume.money-flow",
  category: "volume",
  formula:
    "x = Σ CLV·V / Σ V over the window's minute bars, CLV = ((C − L) − (H − C)) / (H − L) of the bar (0 if H = L), V = notional; score = tanh(z(x)); " +
    "confidence = min(1, trades / tradeFullConfidenceCount); value = x",
  units: "share of volume (close-location weighted)",
  differs:
    "Buying and selling inferred from where each minute closed, weighted by its volume: flow.cvd reads the taker side itself (and is blind to bars without it), " +
    "volume.heavy-return the minutes' returns, vol.rejection the minutes' shadows without their volume.",
  scale: { center: 0, prior: { "1m": 0.68, "5m": 0.33, "1h": 0.12 } },
  feeds: ["trade"],
  compute({ bars, windowMs, params }, self) {
    const n = windowMinutes(windowMs);
    const cold = warmingUp(bars, n);
    if (cold !== null) return unavailable(cold);
    let flow = 0;
    let volume = 0;
    let trades = 0;
    for (let i = bars.length - n; i < bars.length; i++) {
      const usd = minuteUsd(bars, i);
      const range = bars.high[i] - bars.low[i];
      if (range > 0) flow += ((2 * bars.close[i] - bars.high[i] - bars.low[i]) / range) * usd;
      volume += usd;
      trades += bars.trades[i];
    }
    if (volume === 0) return directional(self, 0, 0, 0);
    const x = flow / volume;
    return directional(self, x, support(trades, params.tradeFullConfidenceCount), x);
  },
};
