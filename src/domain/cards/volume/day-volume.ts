/**
 * What the volume cards share: the notional of a span of minute bars and the day's median minute.
 *
 * Volume is traded notional, USD: taker buys, taker sells and the volume of unknown side that bars
 * of some venues carry (`minuteUsd`), all venues together. The day is every complete minute since
 * the first traded one, at most the bar ring's 24 h, quiet minutes included (as 0).
 *
 * Cost: `spanUsd` O(minutes read); `dayMedianUsd` O(bars) once per bar series (quickselect; cached per
 * `BarSeries`, which the bar ring builds once per minute and the three timeframes share).
 */
import type { BarSeries } from "../../inputs/bar-ring.js";
import { coveredMinutes } from "../bar-window.js";
import { minuteUsd } from "../price-series.js";

/** Minutes of bars at which a day's baseline backs a card fully (as `flow.pressure`). */
export const BASELINE_FULL_MINUTES = 240;

/**
 * A tenth of a usual window of volume added to both sides of a volume ratio so that an empty span
 * keeps it finite and a thin one cannot make an extreme (as `micro.arrival-rate` adds a trade).
 */
export const PSEUDO_WINDOW_SHARE = 0.1;

/** Traded notional of the minutes `[from, to)`, USD. */
export function spanUsd(bars: BarSeries, from: number, to: number): number {
  let usd = 0;
  for (let i = from; i < to; i++) usd += minuteUsd(bars, i);
  return usd;
}

const medians = new WeakMap<BarSeries, number>();

/** Median traded notional per minute over the day (quiet minutes as 0), USD; NaN before any trade. */
export function dayMedianUsd(bars: BarSeries): number {
  let m = medians.get(bars);
  if (m === undefined) {
    const n = coveredMinutes(bars);
    const usd = new Float64Array(n);
    for (let k = 0; k < n; k++) usd[k] = minuteUsd(bars, bars.length - n + k);
    const upper = Math.floor(n / 2);
    if (n === 0) m = Number.NaN;
    else if (n % 2 === 1) m = selectKth(usd, upper);
    else {
      // after selecting the upper middle, the lower middle is the largest value left of it
      const hi = selectKth(usd, upper);
      let lo = usd[0];
      for (let k = 1; k < upper; k++) if (usd[k] > lo) lo = usd[k];
      m = (lo + hi) / 2;
    }
    medians.set(bars, m);
  }
  return m;
}

/**
 * The `k`-th smallest value of `a` (0-based), partially reordering `a` so that everything before
 * index k is ≤ it (Hoare's quickselect with a middle pivot): O(n) on average, against a sort's
 * O(n log n), for the day's 1 440 minutes once a minute.
 */
export function selectKth(a: Float64Array, k: number): number {
  let lo = 0;
  let hi = a.length - 1;
  while (lo < hi) {
    const pivot = a[(lo + hi) >>> 1];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        const t = a[i];
        a[i] = a[j];
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k];
  }
  return a[k];
}
