/**
 * `exhaustion.taker-climax`: a buying climax at the top of a rise (or a selling climax at the bottom
 * of a fall): the taker buy share of the window's last minutes surging above the day's after an
 * extended move. Aggressors chasing hardest right after price has already run are late: the
 * marginal buyer is spent once they are filled, and the move tends to stall (Wyckoff's buying
 * climax read from the tape's aggressor side). The sign is a judgment, not calibrated.
 *
 * Trade `side` is the aggressor: a taker buy lifted the ask.
 *
 * - m = the window's move in day-σ units (exhaustion/move.ts)
 * - b_tail = buyUsd / (buyUsd + sellUsd) over the window's tail (its last ⌈N/5⌉ minutes: 1, 1, 12);
 *   b_day = the same over the day (volume of unknown side left out)
 * - x = −m · max(0, sgn(m) · (b_tail − b_day)): buying above the day's share after a rise, selling
 *   after a fall; 0 when the takers lean with less than their usual share
 * - score = tanh(z(x)), center 0, prior σ 0.22 (1m), 0.17 (5m), 0.075 (1h): the root mean square of x
 *   on the shared month of AVAX, LINK and DOT minute bars (a 12-minute tail nets out more)
 * - confidence = min(1, trades in the tail / tradeFullConfidenceCount); value = b_tail − b_day
 * - unavailable until N + 60 minutes of bars exist, and when a tail minute holds volume of unknown
 *   side; a tail without taker volume (or a day without a price change) is a measured zero
 */
import { directional, support, unavailable, type CardDefinition } from "../card.js";
import { barSideUnknown } from "../bar-window.js";
import { dayExtremes, exhaustionWindow, tailMinutes } from "./move.js";

export const exhaustionTakerClimax: CardDefinition = {
  id: "exhaustion.taker-climax",
  category: "exhaustion",
  formula:
    "x = −m · max(0, sgn(m)·(b_tail − b_day)), m = the window's move in day-σ units, b = taker buy share of USD over the window's last ⌈N/5⌉ minutes and over the day; " +
    "score = tanh(z(x)); confidence = min(1, tail trades / tradeFullConfidenceCount); value = b_tail − b_day",
  units: "share of taker notional (tail buy share − day's)",
  differs:
    "The aggressors' lean at the end of a move, faded and only when it exceeds the day's usual lean: flow cards follow the taker imbalance, volume cards read the buy " +
    "share's trend, exhaustion.volume-climax the volume without its side.",
  scale: { center: 0, prior: { "1m": 0.22, "5m": 0.17, "1h": 0.075 } },
  feeds: ["trade"],
  compute({ bars, windowMs, params }, self) {
    const w = exhaustionWindow(bars, windowMs);
    if (typeof w === "string") return unavailable(w);
    const from = bars.length - tailMinutes(w.n);
    const blind = barSideUnknown(bars, from, bars.length);
    if (blind !== null) return unavailable(blind);
    let buy = 0;
    let sell = 0;
    let trades = 0;
    for (let i = from; i < bars.length; i++) {
      buy += bars.buyUsd[i];
      sell += bars.sellUsd[i];
      trades += bars.trades[i];
    }
    const day = dayExtremes(bars);
    if (buy + sell === 0 || w.sigma === 0) return directional(self, 0, 0, 0);
    const surge = buy / (buy + sell) - day.buyUsd / (day.buyUsd + day.sellUsd);
    const x = -w.move * Math.max(0, Math.sign(w.move) * surge);
    return directional(self, x, support(trades, params.tradeFullConfidenceCount), surge);
  },
};
