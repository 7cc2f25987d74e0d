/**
 * `divergence.hidden`: the continuation divergence. In an uptrend of the lookback (the later half
 * closed at both a higher high and a higher low than the earlier one) the pullback's low sits
 * above the earlier low while the momentum oscillator at it dropped below its reading at the
 * earlier low: the dip was sharp yet bought above the last low, so the trend leans to resume
 * (bullish). The mirror in a downtrend (lower high, lower low, oscillator higher at the later high)
 * is bearish.
 *
 * "Hidden" divergence, Cardwell's positive and negative reversals (Brown, "Technical Analysis for
 * the Trading Professional", 1999): the oscillator overshoots on a pullback that price does not
 * follow. A practitioners' pattern read at minute scale: a judgment, not calibrated.
 *
 * - lookback: the last N = divergenceMinutes[tf] complete minute bars, halves A and B (swing.ts)
 * - M(i) = Σ r / Σ |r| of the 14 minute returns ending at minute i (oscillator.ts)
 * - bull = M(low A) − M(low B) when B closed at a higher high and a higher low and that is > 0;
 *   bear = M(high B) − M(high A) when B closed at a lower high and a lower low and that is > 0;
 *   at most one of them is non-zero
 * - x = bull − bear ∈ [−2, 2]; score = tanh(z(x)), center 0, prior σ 0.075 (1m), 0.15 (5m), 0.21 (1h)
 *   (the root mean square of x on the shared month of Binance bars, AVAX and LINK, 2026-02)
 * - confidence = min(1, trades in the lookback / tradeFullConfidenceCount); value = x
 * - unavailable while fewer than N + 14 minutes of bars exist; a lookback without trades (or
 *   without a trend of both highs and lows) is a measured zero
 */
import { directional, support, unavailable, type CardDefinition } from "../card.js";
import { warmingUp } from "../bar-window.js";
import { minuteMomentum, MOMENTUM_MINUTES } from "./oscillator.js";
import { swingMinutes, swingOf, tradesIn } from "./swing.js";

export const divergenceHidden: CardDefinition = {
  id: "divergence.hidden",
  category: "divergence",
  formula:
    "x = bull − bear over the last divergenceMinutes[tf] minute bars split in halves A, B: bull = M(low A) − M(low B) > 0 when B closed at a higher high and a higher low, bear = M(high B) − M(high A) > 0 when B closed at a lower high and a lower low, " +
    "M = Σ r / Σ |r| of the 14 minute returns ending there; score = tanh(z(x)); confidence = min(1, trades / tradeFullConfidenceCount); value = x",
  units: "oscillator points (M from −1 to 1; + = an uptrend's pullback on falling momentum)",
  differs:
    "Continuation: the pullback's extreme against the oscillator inside a trend of higher highs and higher lows (or lower and lower); divergence.momentum reads the new extreme against it (reversal), so on one tape the two can lean opposite ways; mr.rsi reads the oscillator's level, momentum.return the net move.",
  scale: { center: 0, prior: { "1m": 0.075, "5m": 0.15, "1h": 0.21 } },
  feeds: ["trade"],
  compute(input, self) {
    const { bars, params } = input;
    const n = swingMinutes(input);
    const cold = warmingUp(bars, n + MOMENTUM_MINUTES);
    if (cold !== null) return unavailable(cold);
    const s = swingOf(bars, n);
    const bull = s.higherHigh && s.higherLow ? Math.max(0, minuteMomentum(bars, s.loA) - minuteMomentum(bars, s.loB)) : 0;
    const bear = s.lowerHigh && s.lowerLow ? Math.max(0, minuteMomentum(bars, s.hiB) - minuteMomentum(bars, s.hiA)) : 0;
    return directional(self, bull - bear, support(tradesIn(bars, s.from, s.to), params.tradeFullConfidenceCount));
  },
};
