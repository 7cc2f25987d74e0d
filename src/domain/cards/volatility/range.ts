/**
 * `vol.range` (stress): range expansion. The window's high–low range against the usual range of a
 * span that long over the day. A range far wider than usual is a market repricing (a breakout, a
 * liquidation run), whatever its direction: a stress card. A compressed range reads as x < 0 and
 * no strength (compression as a setup is the trend cards' inside range).
 *
 * The reference is the day's own spans of the same length, not a √time scaling of the minute
 * range: a span's range grows with its drift as well as with its σ, and spans of that length are
 * what the window is compared with.
 *
 * - R = 10⁴ · ln(max high / min low) over the window's last N complete minute bars (N = 1, 5, 60)
 * - R̄ = mean R of the day's non-overlapping N-minute spans ending at the window's end, wholly after
 *   the first traded minute (≤ 24 h; the window is one of them; quiet spans count as 0)
 * - x = ln(max(R, 0.1) / max(R̄, 0.1)), ranges floored at 0.1 bp (below any listed tick)
 * - strength = tanh(max(z(x), 0)), center 0, prior σ 0.7 (1m), 0.6 (5m), 0.5 (1h): the RMS of x on
 *   the month of AVAX and LINK one-minute bars; score 0
 * - confidence = min(1, trades in the window's minutes / tradeFullConfidenceCount, spans / 24);
 *   value = R
 * - unavailable while fewer than max(60, 4N) minutes of bars exist (four spans at least); a
 *   window without a trade is a measured value with confidence 0
 *
 * Cost: O(N) per call; R̄ is O(bars) once per bar series and N (`usualRange`).
 */
import { stress, support, unavailable, type CardDefinition } from "../card.js";
import { MIN_BASELINE_MINUTES, MIN_MINUTE_RANGE_BPS, warmingUp, windowMinutes } from "../bar-window.js";
import { spanRangeBps, usualRange } from "./minute-path.js";

/** Day spans at which the usual range reaches full confidence (a full day of hours). */
const FULL_SPANS = 24;

/** Fewest spans of the window's length before the usual range means anything. */
const MIN_SPANS = 4;

export const volRange: CardDefinition = {
  id: "vol.range",
  kind: "stress",
  category: "volatility",
  formula:
    "x = ln(R / R̄), R = 10⁴·ln(high/low) of the window's minute bars, R̄ = mean R of the day's non-overlapping spans of the same length (ranges ≥ 0.1 bp); " +
    "strength = tanh(max(z(x), 0)); confidence = min(1, trades / tradeFullConfidenceCount, spans / 24); value = R",
  units: "bps (the window's high–low range)",
  differs:
    "The ground the whole window covered, drift included, against the day's spans of the same length: vol.realized reads the σ per minute against the symbol's usual, " +
    "so a steady one-way run that widens the range without unusual minutes reads here only.",
  scale: { center: 0, prior: { "1m": 0.7, "5m": 0.6, "1h": 0.5 } },
  feeds: ["trade"],
  compute({ bars, windowMs, params }, self) {
    const n = windowMinutes(windowMs);
    const cold = warmingUp(bars, Math.max(MIN_BASELINE_MINUTES, MIN_SPANS * n));
    if (cold !== null) return unavailable(cold);
    let trades = 0;
    for (let i = bars.length - n; i < bars.length; i++) trades += bars.trades[i];
    const range = spanRangeBps(bars, bars.length - n, bars.length);
    const usual = usualRange(bars, n);
    const x = Math.log(Math.max(range, MIN_MINUTE_RANGE_BPS) / Math.max(usual.meanBps, MIN_MINUTE_RANGE_BPS));
    const confidence = Math.min(support(trades, params.tradeFullConfidenceCount), support(usual.spans, FULL_SPANS));
    return stress(self, x, confidence, range);
  },
};
