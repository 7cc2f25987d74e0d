/**
 * The liquidation layer of the price chart: a lightweight-charts series primitive attached to the
 * candle series, so it shares the candles' price scale and time axis and moves with every pan and
 * zoom. It paints, bottom to top: support/resistance zones and realized clusters as horizontal
 * bands (under the candles), then the realized heatmap as price × time cells and the estimated
 * levels as a profile on the right edge (over the candles). The shapes come from
 * liquidation-layout.ts (pure); this file only places them through the chart's scales and paints.
 *
 * Times are placed through the candles' bar index (liquidation-layout.ts `timeToX`: the time axis
 * of lightweight-charts is an index of bars, and candles have gaps), prices through the series'
 * own `priceToCoordinate`. Only cells inside the candles' span are drawn (`cellsInSpan`): a
 * heatmap read from another span than the candles (a replay loop, a time jump, a candle read
 * behind the stream) is never placed against bars that are not there. After each paint the layer
 * reports what it drew (counts, the span state and the largest cell's rectangle) to `onDrawn`,
 * which the page exposes as data attributes.
 */
import type { AutoscaleInfo, IChartApi, IPrimitivePaneRenderer, IPrimitivePaneView, ISeriesApi, ISeriesPrimitive, Logical, PrimitivePaneViewZOrder, SeriesAttachedParameter, Time } from "lightweight-charts";
import type { HeatCell, LevelBin, ZoneBand } from "./chart-model.js";
import { logicalOf } from "./chart-series.js";
import { bandRects, cellRects, cellsInSpan, levelRects, timeToX, type BandRect, type CellRect, type ClusterBand, type PaneScales, type SpanState } from "./liquidation-layout.js";

export type { ClusterBand, SpanState } from "./liquidation-layout.js";

/** What one paint put on screen (CSS px of the price pane). */
export interface LayerDrawn {
  cells: number;
  levels: number;
  zones: number;
  clusters: number;
  /** How the heatmap's cells stand against the candles' span (only cells inside it are drawn). */
  span: SpanState;
  /** The largest drawn cell by notional: its box in px and its bin, for tests and the readout. */
  largest: CellRect | null;
  /** The price the chart's own scale gives the largest cell's centre row, at this paint (null without one). */
  largestCentrePrice: number | null;
}

/** Everything the layer draws, in data units (ms, price, USD). */
export interface LayerData {
  cells: readonly HeatCell[];
  levels: readonly LevelBin[];
  zones: readonly ZoneBand[];
  clusters: readonly ClusterBand[];
  /** Open times of the candles (ms, ascending): bar i of the chart is `times[i]`. */
  times: readonly number[];
  tfMs: number;
}

type Ctx = CanvasRenderingContext2D;

class View implements IPrimitivePaneView {
  constructor(
    private readonly layer: LiquidationLayer,
    private readonly order: PrimitivePaneViewZOrder,
  ) {}
  zOrder(): PrimitivePaneViewZOrder {
    return this.order;
  }
  renderer(): IPrimitivePaneRenderer {
    return {
      draw: (target) =>
        target.useMediaCoordinateSpace(({ context, mediaSize }) => (this.order === "bottom" ? this.layer.paintBands(context, mediaSize.width) : this.layer.paintCells(context, mediaSize.width))),
    };
  }
}

/** The heatmap, levels, zones and clusters as one series primitive over the candles. */
export class LiquidationLayer implements ISeriesPrimitive<Time> {
  private data: LayerData = { cells: [], levels: [], zones: [], clusters: [], times: [], tfMs: 60_000 };
  private chart: IChartApi | null = null;
  private series: ISeriesApi<"Candlestick"> | null = null;
  private requestUpdate: (() => void) | null = null;
  private readonly views = [new View(this, "bottom"), new View(this, "top")];
  private drawn: LayerDrawn = { cells: 0, levels: 0, zones: 0, clusters: 0, span: "no-candles", largest: null, largestCentrePrice: null };
  /** The cells inside the candles' span, recomputed when either changes. */
  private inSpan: { inside: HeatCell[]; state: SpanState } = { inside: [], state: "no-candles" };

  /** @param onDrawn called after every paint of the cells with what was drawn. */
  constructor(private readonly onDrawn: (d: LayerDrawn) => void) {}

  attached(param: SeriesAttachedParameter<Time>): void {
    this.chart = param.chart as IChartApi;
    this.series = param.series as ISeriesApi<"Candlestick">;
    this.requestUpdate = param.requestUpdate;
  }

  detached(): void {
    this.chart = this.series = this.requestUpdate = null;
  }

  paneViews(): readonly IPrimitivePaneView[] {
    return this.views;
  }

  /**
   * The price range of the heatmap cells in the visible bars, merged by the library with the
   * candles' own: liquidations printed away from the candles stay on screen instead of falling
   * off the scale. Levels and zones do not widen it (a far level is simply off the pane).
   */
  autoscaleInfo(start: Logical, end: Logical): AutoscaleInfo | null {
    let lo = Infinity;
    let hi = -Infinity;
    for (const c of this.inSpan.inside) {
      const a = logicalOf(c.t0, this.data.times, this.data.tfMs);
      const b = logicalOf(c.t1, this.data.times, this.data.tfMs);
      if (a === null || b === null || b < start || a > end) continue;
      lo = Math.min(lo, c.p0);
      hi = Math.max(hi, c.p1);
    }
    return Number.isFinite(lo) ? { priceRange: { minValue: lo, maxValue: hi } } : null;
  }

  /** Replaces part of what is drawn and asks the chart for a repaint. */
  set(patch: Partial<LayerData>): void {
    this.data = { ...this.data, ...patch };
    if (patch.cells !== undefined || patch.times !== undefined || patch.tfMs !== undefined) this.inSpan = cellsInSpan(this.data.cells, this.data.times, this.data.tfMs);
    this.requestUpdate?.();
  }

  private scales(width: number): PaneScales {
    return {
      width,
      x: (ts) => {
        const scale = this.chart?.timeScale();
        return scale ? timeToX(ts, this.data.times, this.data.tfMs, (i) => scale.logicalToCoordinate(i as Logical)) : null;
      },
      y: (price) => this.series?.priceToCoordinate(price) ?? null,
    };
  }

  /** Zones and clusters: full-width bands under the candles. */
  paintBands(ctx: Ctx, width: number): void {
    const bands = bandRects(this.data.zones, this.data.clusters, this.scales(width));
    for (const b of bands) paintBand(ctx, b);
    ctx.setLineDash([]);
    this.drawn = { ...this.drawn, zones: bands.filter((b) => b.kind === "zone").length, clusters: bands.filter((b) => b.kind === "cluster").length };
  }

  /** Heatmap cells over the candles, then the estimated levels on the right edge. */
  paintCells(ctx: Ctx, width: number): void {
    const s = this.scales(width);
    const { rects, largest } = cellRects(this.inSpan.inside, s);
    for (const r of rects) {
      ctx.fillStyle = r.fill;
      ctx.fillRect(r.x, r.y, r.w, r.h);
    }
    const levels = levelRects(this.data.levels, s);
    for (const r of levels) {
      ctx.fillStyle = r.fill;
      ctx.fillRect(r.x, r.y, r.w, r.h);
    }
    const largestCentrePrice = largest === null ? null : (this.series?.coordinateToPrice(largest.y + largest.h / 2) ?? null);
    this.drawn = { ...this.drawn, cells: rects.length, levels: levels.length, span: this.inSpan.state, largest, largestCentrePrice };
    this.onDrawn(this.drawn);
  }
}

function paintBand(ctx: Ctx, b: BandRect): void {
  ctx.fillStyle = b.fill;
  ctx.fillRect(b.x, b.y, b.w, b.h);
  ctx.strokeStyle = b.stroke;
  ctx.setLineDash(b.dash);
  ctx.strokeRect(b.x + 0.5, Math.round(b.y) + 0.5, b.w - 1, Math.max(1, Math.round(b.h) - 1));
}
