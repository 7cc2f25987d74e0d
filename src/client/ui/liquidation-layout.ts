/**
 * The liquidation layer's shapes, as data: the realized heatmap cells, the estimated level
 * profile on the right edge, and the zone and cluster bands, turned into rectangles in the price
 * pane's CSS pixels through the chart's own scales (`x(ts)`, `y(price)`, handed in). Pure, so the
 * mapping from cells to rectangles is unit-tested without a browser; liquidation-layer.ts only
 * paints what this returns.
 *
 * Colours follow the page's one scheme (chart-model.ts `cellFill`: longs liquidated green,
 * shorts liquidated red, blended by each cell's long share); a cell's alpha grows with
 * √(its notional / the largest cell's), so a single large print does not wash the rest out.
 */
import { cellFill, LONG_RGB, RESISTANCE_RGB, SHORT_RGB, SUPPORT_RGB, TRAP_RGB, type HeatCell, type LevelBin, type ZoneBand } from "./chart-model.js";
import { logicalOf } from "./chart-series.js";

/** A realized cluster as a band: where liquidation mass concentrated by price. */
export interface ClusterBand {
  low: number;
  high: number;
  side: "long" | "short" | "mixed";
  notionalUsd: number;
}

/** The pane's scales: event time (ms) and price to CSS px; null where the chart cannot place it yet. */
export interface PaneScales {
  x(ts: number): number | null;
  y(price: number): number | null;
  /** Width of the pane's drawing area, CSS px. */
  width: number;
}

export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface CellRect extends Box {
  fill: string;
  cell: HeatCell;
}

export interface LevelRect extends Box {
  fill: string;
  level: LevelBin;
}

export interface BandRect extends Box {
  fill: string;
  stroke: string;
  /** Dash pattern of the outline: a trap or a realized cluster is dashed. */
  dash: number[];
  kind: "zone" | "cluster";
}

/**
 * The x of a fractional bar index, from the x of whole bar indices (`indexToX`, the chart's
 * `logicalToCoordinate`). lightweight-charts places whole indices only: a fractional one answers
 * 0 (TimeScale.indexToCoordinate), which drew every cell as a 1 px sliver at the pane's left edge;
 * so a fraction is interpolated between the two whole bars around it.
 */
export function logicalToX(logical: number, indexToX: (index: number) => number | null): number | null {
  const k = Math.floor(logical);
  const a = indexToX(k);
  if (a === null || logical === k) return a;
  const b = indexToX(k + 1);
  return b === null ? null : a + (logical - k) * (b - a);
}

/** Event time (ms) → x in the candles' bar axis (chart-series.ts `logicalOf`, then `logicalToX`); null without candles. */
export function timeToX(ts: number, times: readonly number[], tfMs: number, indexToX: (index: number) => number | null): number | null {
  const logical = logicalOf(ts, times, tfMs);
  return logical === null ? null : logicalToX(logical, indexToX);
}

/**
 * How the heatmap's cells stand against the candles they are drawn over:
 * - `same`: every cell lies in the candles' span (first candle's open to the last one's close);
 * - `candles-behind`: some cells are newer than the last candle (the candles are asked again);
 * - `heatmap-behind`: no cell in the span and some older than it (a replay loop or a time jump
 *   moved the candles on; the heatmap follows at its next read);
 * - `no-candles`, `no-cells`: one side is empty.
 */
export type SpanState = "same" | "candles-behind" | "heatmap-behind" | "no-candles" | "no-cells";

/**
 * The cells that lie wholly in the candles' span `[times[0], times[n−1] + tfMs)`: only these are
 * drawn, so candles and heatmap always share one time axis (a cell outside it would be placed by
 * extrapolation, against bars that are not there). Also the span state, for the page to refetch.
 */
export function cellsInSpan(cells: readonly HeatCell[], times: readonly number[], tfMs: number): { inside: HeatCell[]; state: SpanState } {
  if (times.length === 0) return { inside: [], state: "no-candles" };
  if (cells.length === 0) return { inside: [], state: "no-cells" };
  const from = times[0];
  const to = times[times.length - 1] + tfMs;
  const inside: HeatCell[] = [];
  let later = 0;
  let earlier = 0;
  for (const c of cells) {
    if (c.t0 >= from && c.t1 <= to) inside.push(c);
    else if (c.t1 > to) later++;
    else earlier++;
  }
  const state: SpanState = later > 0 ? "candles-behind" : inside.length === 0 && earlier > 0 ? "heatmap-behind" : "same";
  return { inside, state };
}

/** Share of the pane's width the largest estimated level bin spans. */
export const LEVEL_PROFILE_SHARE = 0.16;

/** The vertical px span of `[low, high]`: top is the high price's row; at least 1 px tall. */
export function priceRows(low: number, high: number, y: PaneScales["y"]): { y: number; h: number } | null {
  const top = y(high);
  const bottom = y(low);
  if (top === null || bottom === null) return null;
  return { y: top, h: Math.max(1, bottom - top) };
}

/**
 * The heatmap cells as rectangles, each spanning its time bin `[t0, t1)` and price bin
 * `[p0, p1)`; cells the scales cannot place or wholly outside `[0, width]` are left out. Also the
 * largest drawn cell by notional (the browser test checks its pixels and its price row).
 */
export function cellRects(cells: readonly HeatCell[], s: PaneScales): { rects: CellRect[]; largest: CellRect | null } {
  const max = cells.reduce((m, c) => Math.max(m, c.longUsd + c.shortUsd), 0);
  const rects: CellRect[] = [];
  let largest: CellRect | null = null;
  for (const cell of cells) {
    const x0 = s.x(cell.t0);
    const x1 = s.x(cell.t1);
    const rows = priceRows(cell.p0, cell.p1, s.y);
    if (x0 === null || x1 === null || rows === null || x1 < 0 || x0 > s.width) continue;
    const total = cell.longUsd + cell.shortUsd;
    const r: CellRect = { x: x0, y: rows.y, w: Math.max(1, x1 - x0), h: rows.h, fill: cellFill(cell.longUsd, cell.shortUsd, max > 0 ? Math.sqrt(total / max) : 0), cell };
    rects.push(r);
    if (largest === null || total > largest.cell.longUsd + largest.cell.shortUsd) largest = r;
  }
  return { rects, largest };
}

/** The estimated levels as a profile growing leftwards from the right edge, the largest bin LEVEL_PROFILE_SHARE of the width. */
export function levelRects(levels: readonly LevelBin[], s: PaneScales): LevelRect[] {
  const max = levels.reduce((m, l) => Math.max(m, l.longUsd + l.shortUsd), 0);
  const out: LevelRect[] = [];
  for (const level of levels) {
    const rows = priceRows(level.p0, level.p1, s.y);
    if (rows === null) continue;
    const w = max > 0 ? Math.max(1, ((level.longUsd + level.shortUsd) / max) * s.width * LEVEL_PROFILE_SHARE) : 1;
    out.push({ x: s.width - w, y: rows.y, w, h: rows.h, fill: cellFill(level.longUsd, level.shortUsd, 0.35), level });
  }
  return out;
}

/** Zones (support blue, resistance violet, a trap outlined amber and dashed) and realized clusters (dotted, tinted by side) as full-width bands. */
export function bandRects(zones: readonly ZoneBand[], clusters: readonly ClusterBand[], s: PaneScales): BandRect[] {
  const out: BandRect[] = [];
  for (const z of zones) {
    const rows = priceRows(z.low, z.high, s.y);
    if (rows === null) continue;
    const rgb = z.kind === "support" ? SUPPORT_RGB : RESISTANCE_RGB;
    out.push({
      x: 0,
      y: rows.y,
      w: s.width,
      h: rows.h,
      fill: `rgba(${rgb.join(",")},${(0.06 + 0.16 * Math.min(1, Math.max(0, z.strength))).toFixed(3)})`,
      stroke: z.trap ? `rgb(${TRAP_RGB.join(",")})` : `rgba(${rgb.join(",")},0.55)`,
      dash: z.trap ? [5, 4] : [],
      kind: "zone",
    });
  }
  for (const c of clusters) {
    const rows = priceRows(c.low, c.high, s.y);
    if (rows === null) continue;
    const rgb = c.side === "long" ? LONG_RGB : c.side === "short" ? SHORT_RGB : ([200, 200, 200] as const);
    out.push({ x: 0, y: rows.y, w: s.width, h: rows.h, fill: `rgba(${rgb.join(",")},0.07)`, stroke: "rgba(200,200,200,0.35)", dash: [2, 3], kind: "cluster" });
  }
  return out;
}
