/**
 * `divergence.cvd`: a new price extreme that cumulative volume delta does not confirm. Price closes
 * at a new high in the later half of the lookback while the cumulative taker delta stands lower
 * there than at the earlier high: the push to the new high was made while takers were net
 * selling, so aggressive buyers did not carry it (bearish). A new low on a rising cumulative delta
 * is bullish. The card leans the way the delta points.
 *
 * Trade `side` is the aggressor. Net taker flow moves price (Kyle 1985; Cont, Kukanov & Stoikov
 * 2014, "The price impact of order book events"); a new extreme the flow did not make is read as
 * one without follow-through, the order-flow trader's "delta divergence". A judgment, not calibrated.
 *
 * - lookback: the last N = divergenceMinutes[tf] complete minute bars, halves A and B (swing.ts)
 * - CVD(i) = Σ (buyUsd − sellUsd) from the lookback's first minute to minute i
 * - bear = CVD(hiA) − CVD(hiB) when B made a higher close high and that is > 0, else 0: the net
 *   taker selling between the two highs (USD); bull = CVD(loB) − CVD(loA) when B made a lower close
 *   low and that is > 0, else 0
 * - x = (bull − bear) / V, V = Σ (buyUsd + sellUsd) over the lookback (0 when V = 0)
 * - score = tanh(z(x)), center 0, prior σ 0.05 (1m), 0.035 (5m), 0.025 (1h)
 *   (the root mean square of x on the shared month of Binance bars, AVAX and LINK, 2026-02)
 * - confidence = min(1, trades in the lookback / tradeFullConfidenceCount); value = bull − bear (USD)
 * - unavailable while fewer than N minutes of bars exist, and when a minute of the lookback holds
 *   volume of unknown taker side; a lookback without trades is a measured zero (confidence 0)
 */
import { directional, support, unavailable, type CardDefinition } from "../card.js";
import { barSideUnknown, warmingUp } from "../bar-window.js";
import { swingMinutes, swingOf, tradesIn } from "./swing.js";

export const divergenceCvd: CardDefinition = {
  id: "divergence.cvd",
  category: "divergence",
  formula:
    "x = (bull − bear) / V over the last divergenceMinutes[tf] minute bars split in halves A, B: bear = CVD(high A) − CVD(high B) > 0 when B closed at a higher high, bull = CVD(low B) − CVD(low A) > 0 when B closed at a lower low, " +
    "CVD = cumulative buyUsd − sellUsd, V = taker USD of the lookback; score = tanh(z(x)); confidence = min(1, trades / tradeFullConfidenceCount); value = bull − bear (USD)",
  units: "USD (taker delta against the new extreme: + = net buying into a new low, − = net selling into a new high)",
  differs:
    "Taker delta read at two swing extremes, only when price makes a new one: absorption.flow and absorption.minutes read the same pair inside one window as absorbed flow (leaning against the flow), flow.cvd reads the delta whatever price did.",
  scale: { center: 0, prior: { "1m": 0.05, "5m": 0.035, "1h": 0.025 } },
  feeds: ["trade"],
  compute(input, self) {
    const { bars, params } = input;
    const n = swingMinutes(input);
    const cold = warmingUp(bars, n);
    if (cold !== null) return unavailable(cold);
    const s = swingOf(bars, n);
    const blind = barSideUnknown(bars, s.from, s.to);
    if (blind !== null) return unavailable(blind);
    let cvd = 0;
    let volume = 0;
    let atHiA = 0;
    let atHiB = 0;
    let atLoA = 0;
    let atLoB = 0;
    for (let i = s.from; i < s.to; i++) {
      cvd += bars.buyUsd[i] - bars.sellUsd[i];
      volume += bars.buyUsd[i] + bars.sellUsd[i];
      if (i === s.hiA) atHiA = cvd;
      if (i === s.hiB) atHiB = cvd;
      if (i === s.loA) atLoA = cvd;
      if (i === s.loB) atLoB = cvd;
    }
    const bear = s.higherHigh ? Math.max(0, atHiA - atHiB) : 0;
    const bull = s.lowerLow ? Math.max(0, atLoB - atLoA) : 0;
    const x = volume > 0 ? (bull - bear) / volume : 0;
    return directional(self, x, support(tradesIn(bars, s.from, s.to), params.tradeFullConfidenceCount), bull - bear);
  },
};
