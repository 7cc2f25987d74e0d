/**
 * `exhaustion.volume-climax`: a climactic minute of volume after an extended move, read against the
 * move. Heavy volume at the end of a run is the crowd arriving late (the last buyers of a rise, the
 * panicked sellers of a fall) and often marks its end: Wyckoff's buying and selling climaxes;
 * Gervais, Kaniel and Mingelgrin (2001) and Llorente et al. (2002) on high volume and subsequent
 * returns. The sign (fade the move) is a judgment, not calibrated.
 *
 * - m = the window's move in day-σ units (exhaustion/move.ts): ln(c_end / c_0) / (σ_day · √N)
 * - v = notional of the window's heaviest minute / the day's mean notional per minute
 *   (`dayBaseline`: Σ USD / covered minutes, volume of unknown side included)
 * - x = −m · max(0, ln v): 0 without a heavier-than-usual minute or without a move
 * - score = tanh(z(x)), center 0, prior σ 1.1 (1m), 1.7 (5m), 2.3 (1h): the root mean square of x on
 *   the shared month of AVAX, LINK and DOT minute bars
 * - confidence = min(1, trades in the window's minutes / tradeFullConfidenceCount); value = x
 * - unavailable until N + 60 minutes of bars exist; a window without trades (or a day without a
 *   price change) is a measured zero
 */
import { directional, support, unavailable, type CardDefinition } from "../card.js";
import { dayBaseline } from "../bar-window.js";
import { minuteUsd } from "../price-series.js";
import { exhaustionWindow } from "./move.js";

export const exhaustionVolumeClimax: CardDefinition = {
  id: "exhaustion.volume-climax",
  category: "exhaustion",
  formula:
    "x = −m · max(0, ln v), m = ln(c_end/c_0) / (σ_day·√N) of the window's minute bars, v = heaviest minute's notional / the day's mean per minute; " +
    "score = tanh(z(x)); confidence = min(1, trades / tradeFullConfidenceCount); value = x",
  units: "σ × ln(volume ratio) (+ = climax after a fall)",
  differs:
    "Volume as the climax of a move, signed against the move: volume cards read volume without a side, absorption.stopping-volume whether the heaviest minute's " +
    "taker side moved price, mean-reversion cards fade the stretch whatever the volume.",
  scale: { center: 0, prior: { "1m": 1.1, "5m": 1.7, "1h": 2.3 } },
  feeds: ["trade"],
  compute({ bars, windowMs, params }, self) {
    const w = exhaustionWindow(bars, windowMs);
    if (typeof w === "string") return unavailable(w);
    if (w.trades === 0 || w.sigma === 0) return directional(self, 0, 0, 0);
    let heaviest = 0;
    for (let i = w.from; i < bars.length; i++) heaviest = Math.max(heaviest, minuteUsd(bars, i));
    const day = dayBaseline(bars);
    const v = heaviest / (day.usd / day.minutes);
    const x = -w.move * Math.max(0, Math.log(v));
    return directional(self, x, support(w.trades, params.tradeFullConfidenceCount), x);
  },
};
