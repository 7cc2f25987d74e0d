/**
 * Cascade risk and magnets: pure reads of an estimated level view against the book.
 *
 * Cascade risk per band b (percent) and side, at reference price P:
 * - up:   short-level notional with price in (P, P·(1 + b/100)] against the ask notional
 *         resting in the same band (forced buys against the liquidity that absorbs them);
 * - down: long-level notional in [P·(1 − b/100), P) against the bid notional in the band;
 * - ratio = levels / depth (null without a synced book or with empty depth).
 * Volatility sweep share: σ = stdev of 10 s log returns over the last hour, scaled to the
 * horizon by √(horizon/10 s); a move of k·σ_h up sweeps the short levels in (P, P·e^{kσ_h}],
 * down the long levels in [P·e^{−kσ_h}, P); share = that / all estimated notional of the side.
 */
import type { BookView } from "../book.js";
import type { CascadeRisk, Magnet } from "../../protocol/liquidation.js";
import { lowerBound, type LevelView } from "./level-view.js";

/** Price bins of width `binWidth` anchored at multiples of it: `k = floor(price / width)`. */
export interface BinnedLevels {
  k0: number;
  width: number;
  longUsd: number[];
  shortUsd: number[];
}

/** Levels of `view` within ±rangePct of `ref`, binned by `binBps` of `ref`. O(levels in range). */
export function binLevels(view: LevelView, ref: number, rangePct: number, binBps: number): BinnedLevels {
  const width = (ref * binBps) / 10_000;
  const lo = ref * (1 - rangePct / 100);
  const hi = ref * (1 + rangePct / 100);
  const k0 = Math.floor(lo / width);
  const n = Math.floor(hi / width) - k0 + 1;
  const longUsd = new Array<number>(n).fill(0);
  const shortUsd = new Array<number>(n).fill(0);
  const fill = (px: Float64Array, base: Float64Array, out: number[]) => {
    // px is ascending: only the levels inside [lo, hi] are visited
    let i = lowerBound(px, lo);
    for (; i < px.length && px[i] <= hi; i++) out[Math.floor(px[i] / width) - k0] += base[i];
    for (let j = 0; j < out.length; j++) out[j] *= view.scale;
  };
  fill(view.longPx, view.longBaseUsd, longUsd);
  fill(view.shortPx, view.shortBaseUsd, shortUsd);
  return { k0, width, longUsd, shortUsd };
}

/**
 * The nearest large cluster on each side of `ref`: from the bin holding `ref` outward, the
 * first bin whose notional (short levels above, long levels below) is at least `minShare` of
 * that side's notional in the binned range, extended over the adjacent bins that also
 * qualify. Price = notional-weighted bin centre.
 */
export function findMagnets(b: BinnedLevels, ref: number, minShare: number): { up: Magnet | null; down: Magnet | null } {
  const refBin = Math.floor(ref / b.width) - b.k0;
  const pick = (usd: number[], dir: 1 | -1): Magnet | null => {
    let total = 0;
    for (let i = 0; i < usd.length; i++) {
      const center = (b.k0 + i + 0.5) * b.width;
      if (dir > 0 ? center >= ref : center <= ref) total += usd[i];
    }
    if (total <= 0) return null;
    const min = minShare * total;
    for (let i = refBin; i >= 0 && i < usd.length; i += dir) {
      if (usd[i] <= 0 || usd[i] < min) continue;
      let j = i;
      let sum = 0;
      let weighted = 0;
      for (; j >= 0 && j < usd.length && usd[j] > 0 && usd[j] >= min; j += dir) {
        sum += usd[j];
        weighted += usd[j] * (b.k0 + j + 0.5) * b.width;
      }
      const last = j - dir;
      const a = Math.min(i, last);
      const z = Math.max(i, last);
      const price = weighted / sum;
      return { priceLow: (b.k0 + a) * b.width, priceHigh: (b.k0 + z + 1) * b.width, price, notionalUsd: sum, distancePct: ((price - ref) / ref) * 100 };
    }
    return null;
  };
  return { up: pick(b.shortUsd, 1), down: pick(b.longUsd, -1) };
}

export interface CascadeInput {
  symbol: string;
  ts: number;
  ref: number;
  view: LevelView;
  book: BookView;
  bandsPct: readonly number[];
  volatility: { sigma: number | null; returns: number };
  bucketMs: number;
  horizonMs: number;
  ks: readonly number[];
}

/** Cascade risk (formulas in the module comment). O(bands · (log levels + book levels in band)). */
export function computeCascade(c: CascadeInput): CascadeRisk & { available: true } {
  const { view, ref } = c;
  const bands = c.bandsPct.map((bandPct) => {
    const depth = c.book.synced ? c.book.depthWithin(bandPct) : null;
    const upLevels = view.sumUsd("short", nextUp(ref), ref * (1 + bandPct / 100));
    const downLevels = view.sumUsd("long", ref * (1 - bandPct / 100), nextDown(ref));
    const side = (levelsUsd: number, depthUsd: number | null) => ({
      levelsUsd,
      depthUsd,
      ratio: depthUsd !== null && depthUsd > 0 ? levelsUsd / depthUsd : null,
    });
    return { bandPct, up: side(upLevels, depth?.askNotionalUsd ?? null), down: side(downLevels, depth?.bidNotionalUsd ?? null) };
  });
  const sigma = c.volatility.sigma;
  const sigmaHorizon = sigma === null ? null : sigma * Math.sqrt(c.horizonMs / c.bucketMs);
  const totalShort = view.totalUsd("short");
  const totalLong = view.totalUsd("long");
  const sweepShare = sigmaHorizon === null
    ? []
    : c.ks.map((k) => {
        const move = k * sigmaHorizon;
        const up = view.sumUsd("short", nextUp(ref), ref * Math.exp(move));
        const down = view.sumUsd("long", ref * Math.exp(-move), nextDown(ref));
        return { k, movePct: move * 100, up: totalShort > 0 ? up / totalShort : 0, down: totalLong > 0 ? down / totalLong : 0 };
      });
  return {
    symbol: c.symbol,
    kind: "cascade-risk",
    estimated: true,
    available: true,
    ts: c.ts,
    referencePrice: ref,
    bookSynced: c.book.synced,
    bands,
    volatility: {
      method: `stdev of ${c.bucketMs / 1000} s log returns over the last ${c.horizonMs / 60_000} min, scaled by √(horizon / bucket)`,
      sigmaPerBucket: sigma,
      sigmaHorizon,
      horizonMs: c.horizonMs,
      returns: c.volatility.returns,
      sweepShare,
    },
  };
}

/** A double just above / below x (one relative epsilon): bands that exclude the reference price itself. */
export function nextUp(x: number): number {
  return x + Math.max(Number.MIN_VALUE, Math.abs(x) * Number.EPSILON);
}

export function nextDown(x: number): number {
  return x - Math.max(Number.MIN_VALUE, Math.abs(x) * Number.EPSILON);
}
