/**
 * `trend.inside-range` (stress): how long price has stayed inside the trend span's range, making
 * neither a new high nor a new low: a consolidation, the coil a breakout comes out of.
 *
 * Both Aroon lines low (Chande 1995) is the classic reading of a market in consolidation: the
 * span's high and low were both set a while ago and price has travelled between them since. It
 * has no side; the break that ends it is what the directional cards (trend.breakout) read. A
 * judgment, not calibrated.
 *
 * - S = trendSpanMinutes[tf] (20, 60, 240) complete minute bars; t_H, t_L = minutes since the
 *   latest minute at the span's highest high, lowest low (0 = the last minute)
 * - x = min(t_H, t_L) / S, in [0, 1): the share of the span spent since the last new extreme
 * - strength = tanh(max(z(x), 0)), center rolling (from 0.2), prior σ 0.2 (mean 0.19, 0.22, 0.25
 *   and σ 0.21, 0.21, 0.23 measured on five alts in 2026-02); score 0
 * - confidence = traded minutes / S; value = min(t_H, t_L) (minutes)
 * - unavailable while fewer than S minutes of bars exist
 */
import { stress, support, unavailable, type CardDefinition } from "../card.js";
import { warmingUp } from "../bar-window.js";
import { spanStats, tradedMinutes } from "./span.js";

export const trendInsideRange: CardDefinition = {
  id: "trend.inside-range",
  kind: "stress",
  category: "trend",
  formula:
    "x = min(t_H, t_L) / S, t_H, t_L = minutes since the highest high and the lowest low of the last S = trendSpanMinutes[tf] minute bars; strength = tanh(max(z(x), 0)); " +
    "confidence = traded minutes / S; value = min(t_H, t_L)",
  units: "minutes since the last new high or low of the span",
  differs:
    "How long price has been contained, not how wide it moves: vol.range reads the size of the window's range against the day, exhaustion.range-contraction shrinking minute ranges at an extreme, trend.aroon the difference of the same two times as a direction.",
  scale: { center: "rolling", priorCenter: 0.2, prior: 0.2 },
  feeds: ["trade"],
  compute({ bars, timeframe, params }, self) {
    const span = params.trendSpanMinutes[timeframe];
    const cold = warmingUp(bars, span);
    if (cold !== null) return unavailable(cold);
    const end = bars.length;
    const s = spanStats(bars, end - span, end);
    const value = Math.min(s.sinceHigh, s.sinceLow);
    return stress(self, value / span, support(tradedMinutes(bars, end - span, end), span), value);
  },
};
