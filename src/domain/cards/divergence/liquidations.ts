/**
 * `divergence.liquidations`: a new price extreme reached with less forced flow than the earlier
 * one. When the later half of the lookback closes at a lower low while fewer longs were liquidated
 * in it than in the earlier half, the fall is no longer fed by forced selling (bullish: the
 * liquidation cascade is spent). A higher high with fewer shorts liquidated than before is
 * bearish: the squeeze that drove the first high has run out.
 *
 * Liquidation `side` is the liquidated position: a liquidated long is a forced sell. The venues'
 * liquidation engines close positions with price-insensitive orders, so forced flow pushes price
 * the way it goes and cascades feed on themselves; an extreme that no longer brings them is read
 * as the cascade ending. A judgment, not calibrated.
 *
 * - lookback: the last N = divergenceMinutes[tf] complete minute bars, halves A and B (swing.ts)
 * - L_A, L_B = long-liquidation USD in each half; S_A, S_B = short-liquidation USD
 * - bull = (L_A − L_B) / (L_A + L_B) when B closed at a lower low and L_B < L_A, else 0;
 *   bear = (S_A − S_B) / (S_A + S_B) when B closed at a higher high and S_B < S_A, else 0
 * - x = bull − bear ∈ [−1, 1]; score = tanh(z(x)), center 0, prior σ 0.5
 * - confidence = min(1, minutes of the lookback with a liquidation / liqFullConfidenceCount) (bars
 *   keep notional, not counts: a minute counts once however many it held);
 *   value = (L_A − L_B) − (S_A − S_B) of the readings taken (USD of forced flow that faded)
 * - labelled `sampled` when a venue that publishes at most one liquidation per second had
 *   liquidations in the longest window (which holds the lookback)
 * - unavailable while fewer than N minutes of bars exist; a lookback without liquidations is a
 *   measured zero (confidence 0)
 */
import { directional, liquidationSampling, support, unavailable, type CardDefinition } from "../card.js";
import { warmingUp } from "../bar-window.js";
import { longestTimeframe, swingMinutes, swingOf } from "./swing.js";

export const divergenceLiquidations: CardDefinition = {
  id: "divergence.liquidations",
  category: "divergence",
  formula:
    "x = bull − bear over the last divergenceMinutes[tf] minute bars split in halves A, B: bull = (L_A − L_B)/(L_A + L_B) when B closed at a lower low with L_B < L_A, bear = (S_A − S_B)/(S_A + S_B) when B closed at a higher high with S_B < S_A, " +
    "L, S = long, short liquidation USD of the half; score = tanh(z(x)); confidence = min(1, minutes with liquidations / liqFullConfidenceCount); value = USD of the fade",
  units: "USD (forced flow that faded at the new extreme: + = fewer longs liquidated into a new low)",
  differs:
    "Forced flow compared between two legs, only when price makes a new extreme: liq.imbalance and liq.intensity follow the window's forced flow, liq.acceleration compares its halves whatever price did, exhaustion.liquidation-spike fades a flush at its peak, absorption.liquidations reads forced flow that failed to move price inside one window.",
  scale: { center: 0, prior: 0.5 },
  feeds: ["liquidation", "trade"],
  compute(input, self) {
    const { bars, params } = input;
    const n = swingMinutes(input);
    const cold = warmingUp(bars, n);
    if (cold !== null) return unavailable(cold);
    const s = swingOf(bars, n);
    let longA = 0;
    let longB = 0;
    let shortA = 0;
    let shortB = 0;
    let minutes = 0;
    for (let i = s.from; i < s.to; i++) {
      const l = bars.longLiqUsd[i];
      const sh = bars.shortLiqUsd[i];
      if (l + sh > 0) minutes++;
      if (i < s.mid) {
        longA += l;
        shortA += sh;
      } else {
        longB += l;
        shortB += sh;
      }
    }
    const bullish = s.lowerLow && longB < longA;
    const bearish = s.higherHigh && shortB < shortA;
    const x = (bullish ? (longA - longB) / (longA + longB) : 0) - (bearish ? (shortA - shortB) / (shortA + shortB) : 0);
    const value = (bullish ? longA - longB : 0) - (bearish ? shortA - shortB : 0);
    return directional(self, x, support(minutes, params.liqFullConfidenceCount), value, liquidationSampling(input.timeframes[longestTimeframe(input)].venues));
  },
};
