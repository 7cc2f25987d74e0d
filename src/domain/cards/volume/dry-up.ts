/**
 * `volume.dry-up` (stress): how much of the window traded far below the symbol's usual minute.
 * Liquidity that dries up leaves a market where a modest order moves price a long way, and a
 * drought of volume in a tightening range often comes before a break (Wyckoff's "no supply / no
 * demand" bars; Amihud 2002 on illiquidity and price impact; a judgment, not calibrated). No side:
 * a stress card.
 *
 * It counts dry minutes rather than taking the window's total: one heavy minute in an otherwise
 * dead hour makes an ordinary total (volume.relative) and still reads dry here.
 *
 * - M = the day's median notional per minute (every complete minute since the first traded one,
 *   ≤ 24 h, quiet minutes as 0)
 * - x = share of the window's last N complete minute bars (N = 5, 60) whose notional is below M / 2
 * - strength = tanh(max(z(x), 0)), center rolling (starts at 0.22), prior σ 0.28 (5m), 0.18 (1h): on
 *   the month of AVAX and LINK one-minute bars x averaged 0.21–0.24 with a standard deviation of
 *   0.27 (5m) and 0.18 (1h); score 0
 * - confidence = min(1, minutes of bars / 240); value = dry minutes
 * - unavailable on the 1m window (a share of one minute is a switch), while fewer than max(N, 60)
 *   minutes of bars exist, and when the day's median minute traded nothing
 */
import { stress, support, unavailable, type CardDefinition } from "../card.js";
import { coveredMinutes, MIN_BASELINE_MINUTES, tooFewMinutes, warmingUp, windowMinutes } from "../bar-window.js";
import { minuteUsd } from "../price-series.js";
import { BASELINE_FULL_MINUTES, dayMedianUsd } from "./day-volume.js";

/** A minute is dry below this share of the day's median minute (a judgment). */
export const DRY_SHARE_OF_MEDIAN = 0.5;

export const volumeDryUp: CardDefinition = {
  id: "volume.dry-up",
  kind: "stress",
  category: "volume",
  formula:
    "x = share of the window's minute bars trading under half the day's median notional per minute; strength = tanh(max(z(x), 0)) against the symbol's usual; " +
    "confidence = min(1, minutes of bars / 240); value = dry minutes",
  units: "minutes (below half the day's median minute)",
  differs:
    "How many minutes went dry, not the window's total (volume.relative, which one heavy minute fills) nor its peak (volume.climax); " +
    "spread and liquidity cards read the book thinning, this the tape.",
  scale: { center: "rolling", priorCenter: 0.22, prior: { "1m": 0.28, "5m": 0.28, "1h": 0.18 } },
  feeds: ["trade"],
  compute({ bars, windowMs }, self) {
    const n = windowMinutes(windowMs);
    const few = tooFewMinutes(n) ?? warmingUp(bars, Math.max(n, MIN_BASELINE_MINUTES));
    if (few !== null) return unavailable(few);
    const median = dayMedianUsd(bars);
    if (!(median > 0)) return unavailable("the day's median minute traded nothing");
    let dry = 0;
    for (let i = bars.length - n; i < bars.length; i++) if (minuteUsd(bars, i) < DRY_SHARE_OF_MEDIAN * median) dry++;
    return stress(self, dry / n, support(coveredMinutes(bars), BASELINE_FULL_MINUTES), dry);
  },
};
