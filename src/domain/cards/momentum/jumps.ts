/**
 * `momentum.jumps`: the window's minutes that moved more than four of the day's minute standard
 * deviations, summed with their signs: which way the jumps went.
 *
 * A minute beyond a few standard deviations is a jump rather than diffusion (the threshold tests of
 * Lee & Mykland 2008, "Jumps in Financial Markets"): information or a forced flow arriving at once.
 * The card follows the jumps: news that the market under-reacts to keeps drifting its way. That
 * jumps on one-minute bars of crypto perpetuals continue more often than they revert is a
 * judgment, not calibrated (exhaustion.gap fades the ones that stall).
 *
 * - minutes: the window's last N complete one-minute bars (N = 1, 5, 60); r = close-to-close log
 *   return; σ = sample σ of the day's minute returns (`daySigma`)
 * - x = Σ r / σ over the minutes with |r| > 4σ (day σ units); 0 without a jump
 * - score = tanh(z(x)), center 0, prior σ 0.45 (1m), 1 (5m), 3.6 (1h) (RMS of x measured on five
 *   alts in 2026-02: a jump in 0.6 % of minutes)
 * - confidence = min(1, trades / tradeFullConfidenceCount); value = Σ r over the jumps (log return)
 * - unavailable while fewer than max(N, 60) minutes of bars exist (the day's σ needs an hour); a
 *   window without trades, or a day that never moved, is a measured zero
 */
import { directional, support, unavailable, type CardDefinition } from "../card.js";
import { MIN_BASELINE_MINUTES, minuteReturn, warmingUp, windowMinutes } from "../bar-window.js";
import { daySigma, logReturns } from "../price-series.js";

/** A minute is a jump beyond this many day σ. */
export const JUMP_SIGMAS = 4;

export const momentumJumps: CardDefinition = {
  id: "momentum.jumps",
  category: "momentum",
  formula:
    "x = Σ r / σ_day over the window's minute bars with |r| > 4σ_day, r = close-to-close log return, σ_day = σ of the day's minute returns; score = tanh(z(x)); " +
    "confidence = min(1, trades / tradeFullConfidenceCount); value = Σ r over the jumps",
  units: "log return (of the jump minutes)",
  differs:
    "Only the minutes that jumped, with their direction: momentum.return and momentum.t-stat read the whole path, vol.jump-share how much of the variance jumps carry without a side, exhaustion.gap and exhaustion.blow-off fade the largest minute when it stalls or comes late.",
  scale: { center: 0, prior: { "1m": 0.45, "5m": 1, "1h": 3.6 } },
  feeds: ["trade"],
  compute({ bars, windowMs, params }, self) {
    const n = windowMinutes(windowMs);
    const cold = warmingUp(bars, Math.max(n, MIN_BASELINE_MINUTES));
    if (cold !== null) return unavailable(cold);
    const { sigma } = daySigma(bars);
    const rs = logReturns(bars);
    let jumps = 0;
    let trades = 0;
    for (let i = bars.length - n; i < bars.length; i++) {
      trades += bars.trades[i];
      // the cached close-to-close return; the first traded minute (no close before it) from its own open
      const r = Number.isNaN(rs[i]) ? minuteReturn(bars, i) : rs[i];
      if (Math.abs(r) > JUMP_SIGMAS * sigma) jumps += r;
    }
    if (!(sigma > 0)) return directional(self, 0, 0, 0);
    return directional(self, jumps / sigma, support(trades, params.tradeFullConfidenceCount), jumps);
  },
};
