/**
 * The symbol chart's liquidation data, as the chart draws it: the realized liquidation heatmap
 * (`/heatmap` cells as time × price boxes), the estimated liquidation levels (`/levels` bins,
 * drawn as a profile on the right edge), the support/resistance zones (`/zones`, horizontal
 * bands; traps outlined), and the one colour scheme they are painted in. Pure; the layout in
 * pixels is liquidation-layout.ts, the drawing chart.ts and liquidation-layer.ts.
 */
import type { LiquidationHeatmap, LiquidationLevels, Zones } from "../types.js";

/** A realized heatmap cell: liquidated notional in a time × price box. */
export interface HeatCell {
  t0: number;
  t1: number;
  p0: number;
  p1: number;
  longUsd: number;
  shortUsd: number;
  count: number;
}

/** An estimated level bin: notional that would be force-sold (long) / force-bought (short) in [p0, p1). */
export interface LevelBin {
  p0: number;
  p1: number;
  longUsd: number;
  shortUsd: number;
}

/** A support/resistance zone as drawn: a price band across the plot. */
export interface ZoneBand {
  id: string;
  low: number;
  high: number;
  kind: "support" | "resistance";
  trap: boolean;
  strength: number;
}

/** Zone colours: supports blue, resistances violet; a trap's outline amber. */
export const SUPPORT_RGB = [106, 168, 255] as const;
export const RESISTANCE_RGB = [190, 130, 255] as const;
export const TRAP_RGB = [245, 185, 74] as const;

/** The zones of `/zones` (or the `SYMBOL:zones` channel) as bands. */
export function zoneBands(z: Zones): ZoneBand[] {
  return z.zones.map((x) => ({ id: x.id, low: x.low, high: x.high, kind: x.kind, trap: x.trap, strength: x.strength }));
}

/**
 * Colours: one scheme on every page, the colour follows the word (public/assets/app.css `--long`
 * green, `--short` red): a long bias and liquidated longs are green, a short bias and liquidated
 * shorts red. (Before, the chart painted liquidated longs red while the table painted them green.)
 */
export const LONG_RGB = [47, 209, 122] as const;
export const SHORT_RGB = [255, 90, 79] as const;

/** The heatmap's sparse `[timeIndex, priceIndex, longUsd, shortUsd, count]` cells as boxes. */
export function heatmapCells(h: LiquidationHeatmap): HeatCell[] {
  const out: HeatCell[] = [];
  for (const [ti, pi, longUsd, shortUsd, count] of h.cells) {
    const t0 = h.time.starts[ti];
    const p0 = h.price.edges[pi];
    const p1 = h.price.edges[pi + 1];
    if (t0 === undefined || p0 === undefined || p1 === undefined) continue;
    out.push({ t0, t1: t0 + h.time.binMs, p0, p1, longUsd, shortUsd, count });
  }
  return out;
}

/** The estimated levels' bins (empty when the map is unavailable). */
export function levelBins(l: LiquidationLevels): LevelBin[] {
  if (!l.available) return [];
  const out: LevelBin[] = [];
  for (let i = 0; i < l.price.centers.length; i++) {
    const longUsd = l.longUsd[i] ?? 0;
    const shortUsd = l.shortUsd[i] ?? 0;
    if (longUsd <= 0 && shortUsd <= 0) continue;
    out.push({ p0: l.price.edges[i], p1: l.price.edges[i + 1], longUsd, shortUsd });
  }
  return out;
}

/** Blend of the two side colours by the long share, alpha by intensity in [0, 1]. */
export function cellFill(longUsd: number, shortUsd: number, intensity: number): string {
  const total = longUsd + shortUsd;
  const share = total > 0 ? longUsd / total : 0.5;
  const c = LONG_RGB.map((l, i) => Math.round(l * share + SHORT_RGB[i] * (1 - share)));
  const alpha = Math.round((0.18 + 0.8 * Math.max(0, Math.min(1, intensity))) * 100) / 100;
  return `rgba(${c[0]},${c[1]},${c[2]},${alpha})`;
}
