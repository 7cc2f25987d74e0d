/**
 * `volume.relative` (stress): relative volume, the window's traded notional as a multiple of what
 * the symbol usually trades in a window that long over the day. Volume surges with information
 * arrival and disagreement (Karpoff 1987; Clark 1973, volume as the clock of price variance), so
 * unusually heavy trading flags a market being repriced, whichever way: a stress card.
 *
 * - V = traded notional of the window's last N complete minute bars (N = 1, 5, 60), USD, all
 *   venues (taker buys and sells and bar volume of unknown side)
 * - V̄ = the day's notional per minute (every complete minute since the first traded one, ≤ 24 h,
 *   quiet minutes and the window included); ρ = V / (N · V̄)
 * - x = ln((ρ + 0.1) / 1.1): the log of the relative volume with a tenth of a usual window added to
 *   both sides, so an empty window stays finite (x = ln(1/11)) and ρ = 1 gives 0
 * - strength = tanh(max(z(x), 0)), center 0, prior σ 0.9 (1m), 0.7 (5m), 0.5 (1h): the RMS of x on
 *   the month of AVAX and LINK one-minute bars; score 0
 * - confidence = min(1, minutes of bars / 240); value = ρ
 * - unavailable while fewer than max(N, 60) minutes of bars exist, or when the day traded nothing
 */
import { stress, support, unavailable, type CardDefinition } from "../card.js";
import { dayBaseline, MIN_BASELINE_MINUTES, warmingUp, windowMinutes } from "../bar-window.js";
import { BASELINE_FULL_MINUTES, PSEUDO_WINDOW_SHARE, spanUsd } from "./day-volume.js";

export const volumeRelative: CardDefinition = {
  id: "volume.relative",
  kind: "stress",
  category: "volume",
  formula:
    "x = ln((ρ + 0.1) / 1.1), ρ = window notional / (the day's notional per minute · window minutes); strength = tanh(max(z(x), 0)); " +
    "confidence = min(1, minutes of bars / 240); value = ρ",
  units: "multiple of the day's usual volume for the window's length",
  differs:
    "Notional traded against the day's average, without side: micro.arrival-rate counts prints (many small ones read alike there), flow.pressure nets the sides, " +
    "volume.seasonal compares with the same time yesterday, volume.climax reads the single heaviest minute.",
  scale: { center: 0, prior: { "1m": 0.9, "5m": 0.7, "1h": 0.5 } },
  feeds: ["trade"],
  compute({ bars, windowMs }, self) {
    const n = windowMinutes(windowMs);
    const cold = warmingUp(bars, Math.max(n, MIN_BASELINE_MINUTES));
    if (cold !== null) return unavailable(cold);
    const day = dayBaseline(bars);
    if (!(day.usd > 0)) return unavailable("no traded volume in the held bars");
    const rho = spanUsd(bars, bars.length - n, bars.length) / ((n * day.usd) / day.minutes);
    const x = Math.log((rho + PSEUDO_WINDOW_SHARE) / (1 + PSEUDO_WINDOW_SHARE));
    return stress(self, x, support(day.minutes, BASELINE_FULL_MINUTES), rho);
  },
};
