/**
 * `flow.acceleration`: the taker imbalance of the latest window-length of minutes against the
 * one before it: is buying (or selling) building up or fading?
 *
 * Trade `side` is the aggressor. A lean that grows from one span to the next is flow joining a
 * move; one that shrinks is a move running out of aggressors even while `flow.cvd` still leans
 * the same way. A judgment, not calibrated.
 *
 * - W = window minutes (1, 5, 60); recent = the last W complete minute bars, before = the W bars
 *   before them (bars lag the boundary by up to 50 s: complete minutes only)
 * - imb(span) = (buyQty − sellQty) / (buyQty + sellQty), 0 without trades
 * - x = imb(recent) − imb(before), in [−2, 2]
 * - score = tanh(z(x)), center 0, prior σ 0.4 (1m), 0.3 (5m), 0.15 (1h): about √2 × flow.cvd's
 * - confidence = min(1, trades of the thinner span / tradeFullConfidenceCount): a span without
 *   trades gives confidence 0; value = x
 * - unavailable "warming up: k of 2W minutes of bars" until the bars reach back 2W minutes since
 *   the first traded minute
 */
import { directional, imbalance, support, unavailable, type CardDefinition } from "../card.js";
import type { BarSeries } from "../../inputs/bar-ring.js";
import { MINUTE_MS } from "../../inputs/bar-ring.js";
import { warmingUp, barSideUnknown } from "../bar-window.js";

/** Taker qty imbalance and trade count of bars [from, to). */
function spanFlow(bars: BarSeries, from: number, to: number): { imb: number; trades: number } {
  let buy = 0;
  let sell = 0;
  let trades = 0;
  for (let i = from; i < to; i++) {
    buy += bars.buyQty[i];
    sell += bars.sellQty[i];
    trades += bars.trades[i];
  }
  return { imb: imbalance(buy, sell), trades };
}

export const flowAcceleration: CardDefinition = {
  id: "flow.acceleration",
  category: "order-flow",
  formula:
    "x = imb(last W complete minutes) − imb(the W minutes before), imb = (buyQty − sellQty) / (buyQty + sellQty), W = window minutes; score = tanh(z(x)); " +
    "confidence = min(1, trades of the thinner span / tradeFullConfidenceCount); value = x",
  units: "change in taker imbalance (recent − before)",
  differs:
    "The change of the taker imbalance from one span to the next, not its level (flow.cvd) nor its steadiness (flow.persistence): it turns before the level does.",
  scale: { center: 0, prior: { "1m": 0.4, "5m": 0.3, "1h": 0.15 } },
  feeds: ["trade"],
  compute({ bars, windowMs, params }, self) {
    const w = Math.max(1, Math.round(windowMs / MINUTE_MS));
    const cold = warmingUp(bars, 2 * w);
    if (cold !== null) return unavailable(cold);
    const blind = barSideUnknown(bars, bars.length - 2 * w, bars.length);
    if (blind !== null) return unavailable(blind);
    const recent = spanFlow(bars, bars.length - w, bars.length);
    const before = spanFlow(bars, bars.length - 2 * w, bars.length - w);
    const x = recent.imb - before.imb;
    return directional(self, x, support(Math.min(recent.trades, before.trades), params.tradeFullConfidenceCount), x);
  },
};
