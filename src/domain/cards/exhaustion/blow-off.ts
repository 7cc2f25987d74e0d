/**
 * `exhaustion.blow-off`: the day's most violent minute, in the direction of the window's move, at the
 * window's end. A move that ends in its steepest minute of the day is going vertical: the last
 * stops and late entrants are being filled at any price, the blow-off top (or selling-climax
 * bottom) of chart reading, after which the move usually runs out of buyers (sellers). Faded; the
 * sign is a judgment, not calibrated.
 *
 * - m = the window's move (exhaustion/move.ts); s = sgn(m)
 * - r* = the largest minute log return in the direction s within the window's tail (its last ⌈N/5⌉
 *   minutes: 1, 1, 12), 0 when no tail minute moved that way
 * - ρ = s·r* / the day's largest minute return in the direction s (≤ 1; 1 when the tail holds the
 *   day's steepest minute that way)
 * - x = −ρ · r* / σ_day: the final thrust in day σ, weighted by how close it is to the day's steepest
 * - score = tanh(z(x)), center 0, prior σ 0.5 (1m), 0.45 (5m), 1.3 (1h): the root mean square of x on
 *   the shared month of AVAX, LINK and DOT minute bars
 * - confidence = min(1, trades in the window's minutes / tradeFullConfidenceCount); value = x
 * - unavailable until N + 60 minutes of bars exist; a window without trades or without a move (or
 *   a day without a price change) is a measured zero
 */
import { directional, support, unavailable, type CardDefinition } from "../card.js";
import { logReturns } from "../price-series.js";
import { dayExtremes, exhaustionWindow, tailMinutes } from "./move.js";

export const exhaustionBlowOff: CardDefinition = {
  id: "exhaustion.blow-off",
  category: "exhaustion",
  formula:
    "x = −ρ · r*/σ_day, r* = largest minute return in the window move's direction within its last ⌈N/5⌉ minutes, ρ = r* / the day's largest minute return that way; " +
    "score = tanh(z(x)); confidence = min(1, trades / tradeFullConfidenceCount); value = x",
  units: "day σ (final thrust, weighted by its rank in the day; + = after a fall)",
  differs:
    "A single vertical minute at the end of the move, against the day's steepest: mean-reversion cards fade the stretch of price from a mean, exhaustion.gap " +
    "a jump that already stalled, exhaustion.volume-climax the volume rather than the return.",
  scale: { center: 0, prior: { "1m": 0.5, "5m": 0.45, "1h": 1.3 } },
  feeds: ["trade"],
  compute({ bars, windowMs, params }, self) {
    const w = exhaustionWindow(bars, windowMs);
    if (typeof w === "string") return unavailable(w);
    const s = Math.sign(w.ret);
    if (w.trades === 0 || w.sigma === 0 || s === 0) return directional(self, 0, 0, 0);
    const r = logReturns(bars);
    let thrust = 0;
    for (let i = bars.length - tailMinutes(w.n); i < bars.length; i++) thrust = Math.max(thrust, s * r[i]);
    const day = dayExtremes(bars);
    const steepest = s > 0 ? day.upMax : -day.downMax;
    const x = thrust > 0 ? (-s * (thrust / steepest) * thrust) / w.sigma : 0;
    return directional(self, x, support(w.trades, params.tradeFullConfidenceCount), x);
  },
};
