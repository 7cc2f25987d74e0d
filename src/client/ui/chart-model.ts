/**
 * The price × time chart of a symbol's page, as data: the price line (cycle prices streamed
 * since the page opened), the realized liquidation heatmap (`/heatmap` cells) and the
 * estimated liquidation levels (`/levels` bins, drawn as a profile on the right edge), and the
 * support/resistance zones (`/zones`, horizontal bands; traps outlined). Pure:
 * `layoutChart` turns them into rectangles, a path and ticks in canvas pixels, so what is drawn
 * is unit-tested and the canvas code stays a loop over shapes.
 */
import type { LiquidationHeatmap, LiquidationLevels, Zones } from "../types.js";
import { formatPrice, formatTimeUtc } from "./format.js";

export interface PricePoint {
  ts: number;
  price: number;
}

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

export interface ChartData {
  prices: readonly PricePoint[];
  cells: readonly HeatCell[];
  levels: readonly LevelBin[];
  /** Absent: no zones drawn. Zones do not widen the price domain (a far zone is simply off the plot). */
  zones?: readonly ZoneBand[];
}

export interface Plot {
  width: number;
  height: number;
  /** Margins around the plot area (axes live there), px. */
  left: number;
  right: number;
  top: number;
  bottom: number;
}

export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
  fill: string;
}

/** A zone band in canvas px: filled by kind, outlined (dashed) when it is a liquidity trap. */
export interface ZoneRect extends Rect {
  id: string;
  stroke: string;
  dashed: boolean;
}

export interface ChartLayout {
  timeDomain: [number, number];
  priceDomain: [number, number];
  cells: Rect[];
  levels: Rect[];
  zones: ZoneRect[];
  path: [number, number][];
  last: { x: number; y: number; price: number } | null;
  timeTicks: { x: number; label: string }[];
  priceTicks: { y: number; label: string }[];
  /** Canvas px → data, for the hover readout. */
  invert: (x: number, y: number) => { ts: number; price: number };
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

/** Wall of a new chart segment: a jump in event time larger than this starts the line afresh. */
export const MAX_PRICE_GAP_MS = 30 * 60_000;
export const MAX_PRICE_POINTS = 2_000;

/**
 * Appends a cycle's price to the line: ignores repeats and out-of-order points; a jump of more
 * than MAX_PRICE_GAP_MS (the replay moving to another recording, or a long outage) starts a new
 * line, since one time axis cannot show both sides of such a jump. Returns the new array.
 */
export function appendPrice(points: readonly PricePoint[], next: PricePoint): PricePoint[] {
  if (!Number.isFinite(next.price) || !Number.isFinite(next.ts)) return points as PricePoint[];
  const last = points[points.length - 1];
  if (last && next.ts <= last.ts) return points as PricePoint[];
  if (last && next.ts - last.ts > MAX_PRICE_GAP_MS) return [next];
  const out = [...points, next];
  return out.length > MAX_PRICE_POINTS ? out.slice(out.length - MAX_PRICE_POINTS) : out;
}

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

const TIME_STEPS_MS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14_400, 21_600, 43_200, 86_400].map((s) => s * 1000);

function niceStep(span: number, target: number): number {
  const raw = span / Math.max(1, target);
  const mag = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * mag >= raw) return m * mag;
  return 10 * mag;
}

/**
 * Lays the chart out in a `plot.width × plot.height` canvas (CSS px). Domains: time covers the
 * price line and the heatmap (at least 2 minutes); price covers the line and the heatmap
 * cells with 8 % headroom (at least ±0.1 % around the price). Level bins outside the price
 * domain are not drawn. Cell alpha grows with √(notional / largest cell).
 */
export function layoutChart(data: ChartData, plot: Plot): ChartLayout {
  const x0 = plot.left;
  const x1 = plot.width - plot.right;
  const y0 = plot.top;
  const y1 = plot.height - plot.bottom;

  let tMin = Infinity;
  let tMax = -Infinity;
  let pMin = Infinity;
  let pMax = -Infinity;
  for (const p of data.prices) {
    tMin = Math.min(tMin, p.ts);
    tMax = Math.max(tMax, p.ts);
    pMin = Math.min(pMin, p.price);
    pMax = Math.max(pMax, p.price);
  }
  for (const c of data.cells) {
    tMin = Math.min(tMin, c.t0);
    tMax = Math.max(tMax, c.t1);
    pMin = Math.min(pMin, c.p0);
    pMax = Math.max(pMax, c.p1);
  }
  if (!Number.isFinite(tMin)) {
    tMin = 0;
    tMax = 120_000;
  }
  if (!Number.isFinite(pMin)) {
    pMin = 0;
    pMax = 1;
  }
  if (tMax - tMin < 120_000) tMin = tMax - 120_000;
  const mid = (pMin + pMax) / 2;
  const minHalf = Math.abs(mid) * 0.001 || 0.5;
  let half = Math.max((pMax - pMin) / 2, minHalf);
  half *= 1.08;
  const pLo = mid - half;
  const pHi = mid + half;

  const x = (ts: number) => x0 + ((ts - tMin) / (tMax - tMin)) * (x1 - x0);
  const y = (price: number) => y1 - ((price - pLo) / (pHi - pLo)) * (y1 - y0);

  const maxCell = data.cells.reduce((m, c) => Math.max(m, c.longUsd + c.shortUsd), 0);
  const cells: Rect[] = data.cells.map((c) => {
    const left = x(c.t0);
    const top = y(c.p1);
    return {
      x: left,
      y: top,
      w: Math.max(1, x(c.t1) - left),
      h: Math.max(1, y(c.p0) - top),
      fill: cellFill(c.longUsd, c.shortUsd, maxCell > 0 ? Math.sqrt((c.longUsd + c.shortUsd) / maxCell) : 0),
    };
  });

  const visible = data.levels.filter((l) => l.p1 > pLo && l.p0 < pHi);
  const maxLevel = visible.reduce((m, l) => Math.max(m, l.longUsd + l.shortUsd), 0);
  const profileWidth = (x1 - x0) * 0.18;
  const levels: Rect[] = visible.map((l) => {
    const top = y(Math.min(l.p1, pHi));
    const h = Math.max(1, y(Math.max(l.p0, pLo)) - top);
    const w = maxLevel > 0 ? Math.max(1, ((l.longUsd + l.shortUsd) / maxLevel) * profileWidth) : 1;
    return { x: x1 - w, y: top, w, h, fill: cellFill(l.longUsd, l.shortUsd, 0.35) };
  });

  const zones: ZoneRect[] = (data.zones ?? [])
    .filter((z) => z.high > pLo && z.low < pHi)
    .map((z) => {
      const top = y(Math.min(z.high, pHi));
      const h = Math.max(2, y(Math.max(z.low, pLo)) - top);
      const rgb = z.kind === "support" ? SUPPORT_RGB : RESISTANCE_RGB;
      const alpha = 0.08 + 0.22 * Math.min(1, Math.max(0, z.strength));
      return {
        id: z.id,
        x: x0,
        y: top,
        w: x1 - x0,
        h,
        fill: `rgba(${rgb[0]}, ${rgb[1]}, ${rgb[2]}, ${alpha.toFixed(3)})`,
        stroke: z.trap ? `rgb(${TRAP_RGB.join(", ")})` : `rgba(${rgb[0]}, ${rgb[1]}, ${rgb[2]}, 0.6)`,
        dashed: z.trap,
      };
    });

  const path = data.prices.map((p) => [x(p.ts), y(p.price)] as [number, number]);
  const lastPoint = data.prices[data.prices.length - 1];
  const last = lastPoint ? { x: x(lastPoint.ts), y: y(lastPoint.price), price: lastPoint.price } : null;

  const tSpan = tMax - tMin;
  const tStep = TIME_STEPS_MS.find((s) => tSpan / s <= 6) ?? 86_400_000;
  const timeTicks: ChartLayout["timeTicks"] = [];
  for (let t = Math.ceil(tMin / tStep) * tStep; t <= tMax; t += tStep) {
    const label = formatTimeUtc(t);
    timeTicks.push({ x: x(t), label: tStep >= 60_000 ? label.slice(0, 5) : label });
  }
  const pStep = niceStep(pHi - pLo, 5);
  const priceTicks: ChartLayout["priceTicks"] = [];
  for (let p = Math.ceil(pLo / pStep) * pStep; p <= pHi; p += pStep) priceTicks.push({ y: y(p), label: formatPrice(p) });

  return {
    timeDomain: [tMin, tMax],
    priceDomain: [pLo, pHi],
    cells,
    levels,
    zones,
    path,
    last,
    timeTicks,
    priceTicks,
    invert: (px, py) => ({ ts: tMin + ((px - x0) / (x1 - x0)) * (tMax - tMin), price: pLo + ((y1 - py) / (y1 - y0)) * (pHi - pLo) }),
  };
}
