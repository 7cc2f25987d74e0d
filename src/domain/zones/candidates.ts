/**
 * Steps 2 and 3 of the zone pipeline: candidate levels from each input, and their merge into
 * zones. Pure functions of their arguments; every candidate weight is in [0, 1] and relative to
 * its own kind (formulas on each function). Candidates farther than `rangePct` from price are
 * left out.
 */
import type { Level } from "../events.js";
import type { ZoneSource } from "../../protocol/zones.js";
import type { LevelView } from "../liquidation/level-view.js";
import { binLevels } from "../liquidation/cascade.js";
import { findClusters } from "../liquidation/clusters.js";
import type { ZoneConfig } from "./config.js";
import { MINUTE_MS, MinuteBars, type Bar } from "./series.js";

export type Candidate = ZoneSource;

const inRange = (p: number, price: number, rangePct: number) => Math.abs(p - price) <= (price * rangePct) / 100;

/**
 * Volume nodes: peaks of the profile smoothed over ±1 bin (`findClusters`) whose own bin holds at
 * least `nodeMinRatio` × the mean non-empty bin; the `maxNodes` largest, weight = bin / largest node bin.
 */
export function volumeNodes(bins: readonly [number, number][], centre: (k: number) => number, price: number, c: ZoneConfig): Candidate[] {
  if (bins.length < 3) return [];
  const mass = new Map(bins);
  const mean = bins.reduce((s, b) => s + b[1], 0) / bins.length;
  const peaks = findClusters(bins.map(([index, m]) => ({ index, mass: m })), 1)
    .map((cl) => ({ k: cl.peakIndex, usd: mass.get(cl.peakIndex) ?? 0 }))
    .filter((p) => p.usd >= c.nodeMinRatio * mean && inRange(centre(p.k), price, c.rangePct))
    .sort((a, b) => b.usd - a.usd || a.k - b.k)
    .slice(0, c.maxNodes);
  const top = peaks[0]?.usd ?? 0;
  return peaks.map((p) => ({ kind: "volume-node", price: centre(p.k), weight: p.usd / top, notionalUsd: p.usd }));
}

/** Swing lows / highs of the closed bars, `maxPivotsPerSide` newest; weight = 0.5^(age / pivotHalfLifeMs). */
export function swings(bars: readonly Bar[], ts: number, price: number, c: ZoneConfig): Candidate[] {
  const { lows, highs } = MinuteBars.pivots(bars, c.pivotBars);
  const out: Candidate[] = [];
  const take = (list: Bar[], kind: "swing-low" | "swing-high") => {
    for (const b of list.slice(0, c.maxPivotsPerSide)) {
      const p = kind === "swing-low" ? b.low : b.high;
      if (!inRange(p, price, c.rangePct)) continue;
      const age = Math.max(0, ts - (b.id + 1) * MINUTE_MS);
      out.push({ kind, price: p, weight: Math.pow(0.5, age / c.pivotHalfLifeMs), notionalUsd: null });
    }
  };
  take(lows, "swing-low");
  take(highs, "swing-high");
  return out;
}

export interface Wall {
  side: "bid" | "ask";
  price: number;
  qty: number;
  /** Consecutive cycles the wall has been seen at this price (1 when new). */
  cycles: number;
}

/**
 * Book walls: levels within range whose quantity is at least `wallMinRatio` × the median visible
 * quantity of their side (in range), the `maxWallsPerSide` largest; weight = 1 − minRatio / (2·ratio)
 * (0.5 at the threshold, → 1 for a wall far above it).
 */
export function walls(bids: readonly Level[], asks: readonly Level[], price: number, c: ZoneConfig): { walls: Wall[]; candidates: Candidate[] } {
  const found: Wall[] = [];
  const candidates: Candidate[] = [];
  for (const [side, levels] of [["bid", bids], ["ask", asks]] as const) {
    const near = levels.filter((l) => inRange(l[0], price, c.rangePct));
    if (near.length < 3) continue;
    const qtys = near.map((l) => l[1]).sort((a, b) => a - b);
    const m = qtys.length >> 1;
    const median = qtys.length % 2 === 1 ? qtys[m] : (qtys[m - 1] + qtys[m]) / 2;
    if (median <= 0) continue;
    const big = near
      .filter((l) => l[1] >= c.wallMinRatio * median)
      .sort((a, b) => b[1] - a[1] || a[0] - b[0])
      .slice(0, c.maxWallsPerSide);
    for (const [p, q] of big) {
      found.push({ side, price: p, qty: q, cycles: 1 });
      candidates.push({ kind: side === "bid" ? "bid-wall" : "ask-wall", price: p, weight: 1 - c.wallMinRatio / (2 * (q / median)), notionalUsd: p * q });
    }
  }
  return { walls: found, candidates };
}

/** Realized liquidation clusters in range; weight = notional / the largest in range. */
export function liqClusters(clusters: readonly { pricePeak: number; notionalUsd: number }[], price: number, c: ZoneConfig): Candidate[] {
  const near = clusters.filter((cl) => cl.notionalUsd > 0 && inRange(cl.pricePeak, price, c.rangePct));
  const top = near.reduce((m, cl) => Math.max(m, cl.notionalUsd), 0);
  return near.map((cl) => ({ kind: "liq-cluster", price: cl.pricePeak, weight: cl.notionalUsd / top, notionalUsd: cl.notionalUsd }));
}

/**
 * Peaks of the estimated level map binned by `levelBinBps` of price (long levels below price,
 * short levels above): bins holding ≥ `levelMinShare` of their side's in-range notional and not
 * below either neighbour, the `maxLevelPeaksPerSide` largest per side; weight = bin / largest peak.
 */
export function levelPeaks(view: LevelView, price: number, c: ZoneConfig): Candidate[] {
  const b = binLevels(view, price, c.rangePct, c.levelBinBps);
  const out: Candidate[] = [];
  for (const [usd, below] of [[b.longUsd, true], [b.shortUsd, false]] as const) {
    const centreOf = (i: number) => (b.k0 + i + 0.5) * b.width;
    const onSide = (i: number) => (below ? centreOf(i) < price : centreOf(i) > price);
    let total = 0;
    for (let i = 0; i < usd.length; i++) if (onSide(i)) total += usd[i];
    if (total <= 0) continue;
    const peaks: number[] = [];
    for (let i = 0; i < usd.length; i++) {
      if (!onSide(i) || usd[i] < c.levelMinShare * total || usd[i] <= 0) continue;
      if ((i > 0 && usd[i - 1] > usd[i]) || (i + 1 < usd.length && usd[i + 1] > usd[i])) continue;
      peaks.push(i);
    }
    peaks.sort((x, y) => usd[y] - usd[x] || x - y);
    const top = peaks.length > 0 ? usd[peaks[0]] : 0;
    for (const i of peaks.slice(0, c.maxLevelPeaksPerSide)) out.push({ kind: "liq-levels", price: centreOf(i), weight: usd[i] / top, notionalUsd: usd[i] });
  }
  return out;
}

/** A merged group of candidates: the zone it would draw. */
export interface Group {
  low: number;
  high: number;
  mid: number;
  sources: Candidate[];
}

/**
 * Step 3: candidates sorted by price join the current group while within `mergeBps` of its
 * highest price and within `maxZoneBps` of its lowest. The zone spans the group's prices padded by
 * mergeBps/2 on each side (so a single candidate draws a band, not a line); mid = weight-weighted
 * mean price (plain mean when all weights are 0).
 */
export function mergeCandidates(cands: readonly Candidate[], mergeBps: number, maxZoneBps: number): Group[] {
  const sorted = cands.slice().sort((a, b) => a.price - b.price || a.kind.localeCompare(b.kind) || b.weight - a.weight);
  const groups: Candidate[][] = [];
  for (const cand of sorted) {
    const g = groups[groups.length - 1];
    if (g !== undefined && cand.price - g[g.length - 1].price <= (cand.price * mergeBps) / 10_000 && cand.price - g[0].price <= (cand.price * maxZoneBps) / 10_000) g.push(cand);
    else groups.push([cand]);
  }
  return groups.map((g) => {
    const lo = g[0].price;
    const hi = g[g.length - 1].price;
    const w = g.reduce((s, x) => s + x.weight, 0);
    const mid = w > 0 ? g.reduce((s, x) => s + x.weight * x.price, 0) / w : g.reduce((s, x) => s + x.price, 0) / g.length;
    const pad = (mid * mergeBps) / 20_000;
    return { low: lo - pad, high: hi + pad, mid, sources: g };
  });
}
