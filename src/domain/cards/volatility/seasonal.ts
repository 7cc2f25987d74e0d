/**
 * `vol.seasonal` (stress): the volatility the clock says is coming, against the volatility now.
 * Intraday volatility in crypto follows the trading sessions (the US open, the European open,
 * funding settlements and the daily candle close raise it at the same clock times every day:
 * Eross, McGroarty, Urquhart & Wolfe 2019, "The intraday dynamics of bitcoin"; Andersen & Bollerslev
 * 1997 on intraday periodicity), so the minutes that followed this clock time yesterday say what
 * the next minutes usually hold. A calm window before a usually violent time of day reads as stress
 * ahead. No side: a stress card.
 *
 * The bars hold exactly the last 24 h, so the N minutes that followed this clock time a day ago are
 * the ring's oldest N minutes.
 *
 * - σ = 10⁴ · √(mean Garman–Klass variance per minute), on each minute's path from the previous
 *   close (as `vol.realized`), at least 0.1 bp
 * - σ_next = σ of the N minutes from 24 h before the window's end (yesterday, just after this
 *   clock time); σ_now = σ of the window's last N complete minutes (N = 1, 5, 60)
 * - x = ln(σ_next / σ_now)
 * - strength = tanh(max(z(x), 0)), center 0, prior σ 0.9 (1m), 0.65 (5m), 0.55 (1h): the RMS of x on
 *   the month of AVAX and LINK one-minute bars; score 0
 * - confidence = min(1, trades in the thinner of the two spans / tradeFullConfidenceCount);
 *   value = σ_next / σ_now
 * - unavailable until a day of bars exists (`warming up: k of 1440 minutes of bars`; a ring
 *   shorter than a day never warms up)
 */
import { stress, support, unavailable, type CardDefinition } from "../card.js";
import { warmingUp, windowMinutes } from "../bar-window.js";
import { gkSpan, sigmaBps } from "./minute-path.js";

/** Minutes in a day. */
export const DAY_MINUTES = 1_440;

export const volSeasonal: CardDefinition = {
  id: "vol.seasonal",
  kind: "stress",
  category: "volatility",
  formula:
    "x = ln(σ_next / σ_now), σ = Garman–Klass σ per minute (bps, ≥ 0.1) of the N minutes that followed this clock time 24 h ago and of the window's N minutes; " +
    "strength = tanh(max(z(x), 0)); confidence = min(1, trades of the thinner span / tradeFullConfidenceCount); value = σ_next / σ_now",
  units: "ratio (yesterday's coming σ / σ now)",
  differs:
    "What the time of day usually brings next, against now: vol.term-structure and regime.volatility compare now with the recent hour or the day, " +
    "momentum.seasonal reads the direction of yesterday's coming move, volume.seasonal the volume at this clock time.",
  scale: { center: 0, prior: { "1m": 0.9, "5m": 0.65, "1h": 0.55 } },
  feeds: ["trade"],
  compute({ bars, windowMs, params }, self) {
    const cold = warmingUp(bars, DAY_MINUTES);
    if (cold !== null) return unavailable(cold);
    const n = windowMinutes(windowMs);
    const from = bars.length - DAY_MINUTES;
    const next = gkSpan(bars, from, from + n);
    const now = gkSpan(bars, bars.length - n, bars.length);
    const ratio = sigmaBps(next.variance) / sigmaBps(now.variance);
    return stress(self, Math.log(ratio), support(Math.min(next.trades, now.trades), params.tradeFullConfidenceCount), ratio);
  },
};
