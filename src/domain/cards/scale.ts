/**
 * The one scaling convention of every card (docs/signals.md, "Scaling"), and the memory a card
 * keeps of its own past.
 *
 * A card measures a statistic `x`. Its score is `tanh(z)` with `z = (x − c) / σ`:
 *
 * - `c`, the center: the card's fixed neutral point, or (`center: "rolling"`) the symbol's own
 *   exponentially weighted mean of `x`, shrunk toward `priorCenter`:
 *   `c = (W·m + n₀·priorCenter) / (W + n₀)`;
 * - `σ`, the dispersion: the exponentially weighted root mean square of `x − c` over the card's
 *   own past samples on this timeframe, shrunk toward the card's prior `s₀`:
 *   `σ² = (Q + n₀·s₀²) / (W + n₀)`;
 * - `W = Σ αᵏ` and `Q = Σ αᵏ·(xₖ − c)²` over past samples k cycles ago (about the weighted mean
 *   `m` instead of `c` for a rolling center), with
 *   `α = 2^(−cycleMs / scaleHalfLifeMs)` (half-life 24 h: about the trailing day,
 *   the usual reference for a z-scored signal), and the prior weighs
 *   `n₀ = scalePriorMs[timeframe] / cycleMs` samples (30 min for 1m, 2 h for 5m, 6 h for 1h: long
 *   windows overlap heavily from one cycle to the next, so their samples say less). At the
 *   ceiling `W = 1/(1 − α)` (≈ 12,500 samples) the prior keeps about 1 %, 5 % and 15 % of the
 *   weight on 1m, 5m and 1h.
 *
 * On a fresh symbol `z = (x − c₀) / s₀`: the prior alone, documented per card. As the symbol's
 * own history grows, its own dispersion takes over, so a card means the same thing on BTC and on
 * a small alt: "how far is this from what is usual here". A sample joins only when the card was
 * available with confidence above 0 (a window without data is not evidence of calm).
 *
 * State per card and timeframe: W, the mean m, Q, and the card's last `historyCycles` values.
 * O(1) per card per cycle.
 */
import { TIMEFRAMES, type Timeframe } from "../vocabulary.js";
import type { CardScale } from "./card.js";

/** Plain JSON state of one card's memory: per timeframe `[W, m, Q]` and previous values (newest first). */
export interface CardScaleState {
  stats: Record<Timeframe, [number, number, number]>;
  previous: Record<Timeframe, (number | null)[]>;
}

export function emptyScaleState(): CardScaleState {
  return {
    stats: { "1m": [0, 0, 0], "5m": [0, 0, 0], "1h": [0, 0, 0] },
    previous: { "1m": [], "5m": [], "1h": [] },
  };
}

export interface ScaleSettings {
  /** Decay per cycle, α = 2^(−cycleMs / halfLifeMs). */
  alpha: number;
  /** Prior weight n₀ per timeframe, in samples. */
  priorWeight: Readonly<Record<Timeframe, number>>;
}

function priorOf(scale: CardScale, tf: Timeframe): number {
  return typeof scale.prior === "number" ? scale.prior : scale.prior[tf];
}

/** The center c and dispersion σ of a card's statistic on `tf` given its state (see the module comment). */
export function centerAndSpread(scale: CardScale, stats: readonly [number, number, number], n0: number, tf: Timeframe): { center: number; sigma: number } {
  const [w, m, q] = stats;
  const s0 = priorOf(scale, tf);
  const center = scale.center === "rolling" ? (w * m + n0 * (scale.priorCenter ?? 0)) / (w + n0) : scale.center;
  const sigma = Math.sqrt((q + n0 * s0 * s0) / (w + n0));
  return { center, sigma };
}

/** z of `x` (0 when σ is 0). */
export function zScore(scale: CardScale, stats: readonly [number, number, number], n0: number, tf: Timeframe, x: number): number {
  const { center, sigma } = centerAndSpread(scale, stats, n0, tf);
  return sigma > 0 ? (x - center) / sigma : 0;
}

/**
 * Adds sample `x` to the exponentially weighted statistics (West's weighted update for the
 * rolling center; squares about the fixed center otherwise). Mutates and returns `stats`.
 */
export function addSample(scale: CardScale, stats: [number, number, number], alpha: number, x: number): [number, number, number] {
  const w = alpha * stats[0] + 1;
  if (scale.center === "rolling") {
    const delta = x - stats[1];
    const m = stats[1] + delta / w;
    stats[2] = alpha * stats[2] + delta * (x - m);
    stats[1] = m;
  } else {
    const d = x - scale.center;
    stats[2] = alpha * stats[2] + d * d;
    stats[1] = stats[1] + (x - stats[1]) / w;
  }
  stats[0] = w;
  return stats;
}

/** Pushes `value` (null: unavailable) in front of `previous`, keeping at most `keep`. */
export function remember(previous: (number | null)[], value: number | null, keep: number): void {
  previous.unshift(value);
  if (previous.length > keep) previous.length = keep;
}

/** Prior weights in samples from the config's durations. */
export function scaleSettings(cycleMs: number, halfLifeMs: number, priorMs: Readonly<Record<Timeframe, number>>): ScaleSettings {
  const priorWeight = {} as Record<Timeframe, number>;
  for (const tf of TIMEFRAMES) priorWeight[tf] = priorMs[tf] / cycleMs;
  return { alpha: 2 ** (-cycleMs / halfLifeMs), priorWeight };
}
