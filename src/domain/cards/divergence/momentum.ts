/**
 * `divergence.momentum`: the classic oscillator divergence on minute closes. Price closes at a new
 * high in the later half of the lookback while the momentum oscillator stands lower there than at
 * the earlier high: the move is still extending but each push carries less of the minutes' moves
 * (bearish). A new low with a higher oscillator is bullish.
 *
 * Regular divergence between price and an oscillator warns of a reversal (Murphy, "Technical
 * Analysis of the Financial Markets", 1999, ch. 10; Wilder 1978 on RSI). A practitioners' pattern
 * read at minute scale: a judgment, not calibrated.
 *
 * - lookback: the last N = divergenceMinutes[tf] complete minute bars, halves A and B (swing.ts)
 * - M(i) = Σ r / Σ |r| of the 14 minute returns ending at minute i (oscillator.ts; RSI / 50 − 1)
 * - bear = M(high A) − M(high B) when B closed at a higher high and that is > 0, else 0;
 *   bull = M(low B) − M(low A) when B closed at a lower low and that is > 0, else 0
 * - x = bull − bear ∈ [−2, 2]; score = tanh(z(x)), center 0, prior σ 0.08 (1m), 0.13 (5m), 0.15 (1h)
 *   (the root mean square of x on the shared month of Binance bars, AVAX and LINK, 2026-02)
 * - confidence = min(1, trades in the lookback / tradeFullConfidenceCount); value = x
 * - unavailable while fewer than N + 14 minutes of bars exist (the oscillator at the lookback's
 *   first minute reads 14 returns before it); a lookback without trades is a measured zero
 */
import { directional, support, unavailable, type CardDefinition } from "../card.js";
import { warmingUp } from "../bar-window.js";
import { minuteMomentum, MOMENTUM_MINUTES } from "./oscillator.js";
import { swingMinutes, swingOf, tradesIn } from "./swing.js";

export const divergenceMomentum: CardDefinition = {
  id: "divergence.momentum",
  category: "divergence",
  formula:
    "x = bull − bear over the last divergenceMinutes[tf] minute bars split in halves A, B: bear = M(high A) − M(high B) > 0 when B closed at a higher high, bull = M(low B) − M(low A) > 0 when B closed at a lower low, " +
    "M = Σ r / Σ |r| of the 14 minute returns ending there (RSI / 50 − 1); score = tanh(z(x)); confidence = min(1, trades / tradeFullConfidenceCount); value = x",
  units: "oscillator points (M from −1 to 1; + = a new low on rising momentum)",
  differs:
    "The oscillator compared at two swing extremes, only when price makes a new one (reversal): mr.rsi fades the oscillator's level, exhaustion.failing-momentum the halves' returns at the day's extreme, divergence.hidden the pullback's extreme (continuation), divergence.cvd taker flow instead of price moves.",
  scale: { center: 0, prior: { "1m": 0.08, "5m": 0.13, "1h": 0.15 } },
  feeds: ["trade"],
  compute(input, self) {
    const { bars, params } = input;
    const n = swingMinutes(input);
    const cold = warmingUp(bars, n + MOMENTUM_MINUTES);
    if (cold !== null) return unavailable(cold);
    const s = swingOf(bars, n);
    const bear = s.higherHigh ? Math.max(0, minuteMomentum(bars, s.hiA) - minuteMomentum(bars, s.hiB)) : 0;
    const bull = s.lowerLow ? Math.max(0, minuteMomentum(bars, s.loB) - minuteMomentum(bars, s.loA)) : 0;
    return directional(self, bull - bear, support(tradesIn(bars, s.from, s.to), params.tradeFullConfidenceCount));
  },
};
