/**
 * `vol.term-structure` (stress): the volatility term structure over the last hour. The σ per
 * minute of the most recent minutes against the σ per minute of the whole hour they end: above 1
 * (inverted) is volatility arriving now, a shock not yet in the longer average; below 1 is a market
 * calming down. Realized volatility clusters (Andersen, Bollerslev, Diebold & Labys 2003; Corsi
 * 2009, HAR-RV: the next period's volatility loads on the short, medium and long horizons apart),
 * so a short horizon above the long one says more volatility is coming. No side: a stress card.
 *
 * It is also the category's volatility trend: since σ_60² = (S·σ_S² + (60 − S)·σ_E²) / 60, the σ of
 * the recent S minutes against the earlier 60 − S (σ_S / σ_E) is a one-to-one function of x, so a
 * separate trend card (recent against earlier) would repeat it.
 *
 * - short span S = the last 1 (1m), 5 (5m) or 15 (1h) complete minutes; long span = the last 60
 * - σ = 10⁴ · √(mean Garman–Klass variance per minute) over each span, on each minute's path from
 *   the previous close (as `vol.realized`), at least 0.1 bp
 * - x = ln(σ_S / σ_60)
 * - strength = tanh(max(z(x), 0)), center 0, prior σ 0.6 (1m), 0.35 (5m), 0.23 (1h): the RMS of x
 *   on the month of AVAX and LINK one-minute bars; score 0
 * - confidence = min(1, trades in the short span / tradeFullConfidenceCount); value = σ_S / σ_60
 * - unavailable while fewer than 60 minutes of bars exist; a short span without a trade is a
 *   measured value with confidence 0
 */
import { stress, support, unavailable, type CardDefinition } from "../card.js";
import type { Timeframe } from "../../vocabulary.js";
import { warmingUp } from "../bar-window.js";
import { gkSpan, sigmaBps } from "./minute-path.js";

/** Minutes of the short span per timeframe (the 1h window reads its last quarter against itself). */
export const TERM_SHORT_MINUTES: Readonly<Record<Timeframe, number>> = { "1m": 1, "5m": 5, "1h": 15 };

/** Minutes of the long span. */
export const TERM_LONG_MINUTES = 60;

export const volTermStructure: CardDefinition = {
  id: "vol.term-structure",
  kind: "stress",
  category: "volatility",
  formula:
    "x = ln(σ_S / σ_60), σ = Garman–Klass σ per minute (bps, ≥ 0.1) of the last S = 1 (1m), 5 (5m), 15 (1h) and of the last 60 complete minutes; " +
    "strength = tanh(max(z(x), 0)); confidence = min(1, trades in the short span / tradeFullConfidenceCount); value = σ_S / σ_60",
  units: "ratio (short σ / hour σ)",
  differs:
    "Volatility now against the hour it ends, on the symbol's own clock: vol.realized compares the level with the symbol's usual over a day, " +
    "so a calm symbol waking up reads here before its level is unusual; it also stands for the volatility trend (recent against earlier), which it determines.",
  scale: { center: 0, prior: { "1m": 0.6, "5m": 0.35, "1h": 0.23 } },
  feeds: ["trade"],
  compute({ bars, timeframe, params }, self) {
    const cold = warmingUp(bars, TERM_LONG_MINUTES);
    if (cold !== null) return unavailable(cold);
    const s = TERM_SHORT_MINUTES[timeframe];
    const short = gkSpan(bars, bars.length - s, bars.length);
    const long = gkSpan(bars, bars.length - TERM_LONG_MINUTES, bars.length);
    const ratio = sigmaBps(short.variance) / sigmaBps(long.variance);
    return stress(self, Math.log(ratio), support(short.trades, params.tradeFullConfidenceCount), ratio);
  },
};
