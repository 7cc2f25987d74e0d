/**
 * `divergence.volume`: a new price extreme made on less volume than the leg before it. When the
 * later half of the lookback closes at a higher high on less traded notional than the earlier half,
 * fewer participants are paying up for the new high (bearish); a lower low on shrinking volume is
 * selling drying up (bullish). A new extreme on expanding volume is confirmed: 0.
 *
 * Volume should expand in the direction of the trend (Dow theory; Granville; Murphy, "Technical
 * Analysis of the Financial Markets", 1999, ch. 7); volume and the size of price changes move
 * together (Karpoff 1987, "The relation between price changes and trading volume"). A new extreme
 * on thinning volume is read as one without participation. A judgment, not calibrated.
 *
 * - lookback: the last N = divergenceMinutes[tf] complete minute bars, halves A and B (swing.ts)
 * - V_A, V_B = traded notional per minute of each half (taker buy + sell + volume of unknown side,
 *   USD; per minute so that an odd N, whose later half is a minute longer, compares alike)
 * - g = ln(V_A / V_B) when V_B < V_A (volume shrank), else 0
 * - x = g · ([B closed at a lower low] − [B closed at a higher high]); an expanding range that made
 *   both nets to 0
 * - score = tanh(z(x)), center 0, prior σ 0.35 (1m), 0.3 (5m), 0.25 (1h)
 *   (the root mean square of x on the shared month of Binance bars, AVAX and LINK, 2026-02)
 * - confidence = min(1, trades in the lookback / tradeFullConfidenceCount); value = x
 * - unavailable while fewer than N minutes of bars exist; a lookback without a new extreme or
 *   without volume is a measured zero. Reads volume without its side, so bars without a taker
 *   split count in full.
 */
import { directional, support, unavailable, type CardDefinition } from "../card.js";
import { warmingUp } from "../bar-window.js";
import { minuteUsd } from "../price-series.js";
import { swingMinutes, swingOf, tradesIn } from "./swing.js";

export const divergenceVolume: CardDefinition = {
  id: "divergence.volume",
  category: "divergence",
  formula:
    "x = g · ([B closed at a lower low] − [B closed at a higher high]) over the last divergenceMinutes[tf] minute bars split in halves A, B, g = ln(V_A / V_B) when V_B < V_A else 0, V = traded USD per minute of the half; " +
    "score = tanh(z(x)); confidence = min(1, trades / tradeFullConfidenceCount); value = x",
  units: "log ratio of the halves' volume (+ = a new low on shrinking volume)",
  differs:
    "Volume compared between the two legs, only when price makes a new extreme, signed against it: volume.acceleration reads the change between two spans with no side, exhaustion.volume-climax volume swelling into a climax, divergence.cvd the side of the flow rather than its amount.",
  scale: { center: 0, prior: { "1m": 0.35, "5m": 0.3, "1h": 0.25 } },
  feeds: ["trade"],
  compute(input, self) {
    const { bars, params } = input;
    const n = swingMinutes(input);
    const cold = warmingUp(bars, n);
    if (cold !== null) return unavailable(cold);
    const s = swingOf(bars, n);
    let early = 0;
    let late = 0;
    for (let i = s.from; i < s.to; i++) {
      if (i < s.mid) early += minuteUsd(bars, i);
      else late += minuteUsd(bars, i);
    }
    const perEarly = early / (s.mid - s.from);
    const perLate = late / (s.to - s.mid);
    const g = perLate > 0 && perLate < perEarly ? Math.log(perEarly / perLate) : 0;
    const x = g * ((s.lowerLow ? 1 : 0) - (s.higherHigh ? 1 : 0));
    return directional(self, x, support(tradesIn(bars, s.from, s.to), params.tradeFullConfidenceCount));
  },
};
