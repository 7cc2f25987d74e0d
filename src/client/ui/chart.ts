/**
 * The symbol page's chart, on lightweight-charts (TradingView, Apache-2.0): candlesticks from
 * `/candles` with the liquidation layer over them (liquidation-layer.ts: heatmap cells, estimated
 * levels on the right edge, zones and clusters as bands), the current price line only while the
 * price is current (chart-series.ts `currentPriceLine`), and a second pane with the liquidated
 * notional per candle per side (longs below zero, shorts above) and each side's running total
 * since the first candle shown (left scale).
 *
 * Candles are neutral greys so green and red keep one meaning on the page: longs liquidated
 * (green, `--long`) and shorts liquidated (red, `--short`). What is drawn is summarised in the
 * container's data attributes (`data-candles`, `data-points`, `data-last-price`, `data-tf`,
 * `data-price-line`, `data-price-line-reason`, `data-cells`, `data-levels`, `data-zones`,
 * `data-clusters`, `data-span`, `data-largest-cell`), which the browser tests read.
 *
 * While the view shows the newest bar (the reader has not panned away from it), each new
 * `/candles` answer moves it to the newest bars again: a replay or a quiet market moves the
 * candles by hours at once, and a view left on bar indices of the old series shows nothing.
 */
import {
  CandlestickSeries,
  createChart,
  CrosshairMode,
  HistogramSeries,
  LineSeries,
  type IChartApi,
  type IPriceLine,
  type ISeriesApi,
  type Logical,
  type Time,
  type UTCTimestamp,
} from "lightweight-charts";
import type { CandlesResponse } from "../http.js";
import { LONG_RGB, SHORT_RGB, type HeatCell, type LevelBin, type ZoneBand } from "./chart-model.js";
import { chartSeries, type ChartSeries, type PriceLine } from "./chart-series.js";
import { formatDateTimeUtc, formatPrice, formatUsd } from "./format.js";
import { LiquidationLayer, type ClusterBand, type LayerDrawn, type SpanState } from "./liquidation-layer.js";

const TEXT = "#8a93a6";
const GRID = "rgba(138,147,166,0.14)";
const LONG = `rgba(${LONG_RGB.join(",")},0.85)`;
const SHORT = `rgba(${SHORT_RGB.join(",")},0.85)`;
/** Open interest and funding: neither long nor short, so neither of their colours. */
const OI_COLOR = "rgb(110,160,255)";
const FUNDING_COLOR = "rgb(230,180,80)";
/** Candle greys: light for a close above the open, dark below (never the liquidation colours). */
export const CANDLE_UP_RGB = [214, 219, 229] as const;
export const CANDLE_DOWN_RGB = [96, 104, 122] as const;
/** Bars shown when a series of a new time bin first arrives (the rest is a scroll away). */
const INITIAL_BARS = 240;

const at = (s: number) => s as UTCTimestamp;
const rgb = (c: readonly number[]) => `rgb(${c.join(",")})`;

/** The price pane with its liquidation layer and the liquidations pane below it. */
export class SymbolChart {
  private readonly chart: IChartApi;
  private readonly candles: ISeriesApi<"Candlestick">;
  private readonly longLiq: ISeriesApi<"Histogram">;
  private readonly shortLiq: ISeriesApi<"Histogram">;
  private readonly longCum: ISeriesApi<"Line">;
  private readonly shortCum: ISeriesApi<"Line">;
  private readonly openInterest: ISeriesApi<"Line">;
  private readonly funding: ISeriesApi<"Line">;
  private readonly layer: LiquidationLayer;
  private priceLine: IPriceLine | null = null;
  private series: ChartSeries | null = null;
  private cells: readonly HeatCell[] = [];
  private levels: readonly LevelBin[] = [];
  private shownTf = "";
  private span: SpanState = "no-candles";

  /**
   * @param container the element the chart fills (its size follows the element's).
   * @param readout where the hovered time, price, cell and level are written.
   * @param onSpan called when the heatmap's cells stop or start lying in the candles' span
   *   (`candles-behind`: ask the candles again; `heatmap-behind`: ask the heatmap again).
   */
  constructor(
    private readonly container: HTMLElement,
    private readonly readout: HTMLElement,
    private readonly onSpan: (state: SpanState) => void = () => {},
  ) {
    this.chart = createChart(container, {
      autoSize: true,
      layout: { background: { color: "transparent" }, textColor: TEXT, fontSize: 11, panes: { separatorColor: GRID } },
      grid: { vertLines: { color: GRID }, horzLines: { color: GRID } },
      crosshair: { mode: CrosshairMode.Normal },
      timeScale: { timeVisible: true, secondsVisible: false, borderColor: GRID },
      rightPriceScale: { borderColor: GRID },
      // An explicit locale: the library formats with navigator.language, which some browsers report
      // as a tag Intl refuses (headless Chromium under LANG=C: "en-US@posix"), and then draws nothing.
      localization: { locale: "en-US", timeFormatter: (t: Time) => formatDateTimeUtc((t as number) * 1000) },
    });
    this.candles = this.chart.addSeries(CandlestickSeries, {
      upColor: rgb(CANDLE_UP_RGB),
      downColor: rgb(CANDLE_DOWN_RGB),
      borderUpColor: rgb(CANDLE_UP_RGB),
      borderDownColor: "rgb(140,148,166)",
      wickUpColor: "rgb(170,176,190)",
      wickDownColor: "rgb(120,128,146)",
      // The last candle's close is not "the price": the current price line is drawn only while current.
      lastValueVisible: false,
      priceLineVisible: false,
    });
    this.layer = new LiquidationLayer((d) => this.report(d));
    this.candles.attachPrimitive(this.layer);
    const side = { priceFormat: { type: "custom" as const, formatter: (v: number) => formatUsd(Math.abs(v)) }, lastValueVisible: false, priceLineVisible: false };
    this.longLiq = this.chart.addSeries(HistogramSeries, { ...side, color: LONG, title: "longs liq." }, 1);
    this.shortLiq = this.chart.addSeries(HistogramSeries, { ...side, color: SHORT, title: "shorts liq." }, 1);
    this.longCum = this.chart.addSeries(LineSeries, { ...side, color: LONG, lineWidth: 1, priceScaleId: "left" }, 1);
    this.shortCum = this.chart.addSeries(LineSeries, { ...side, color: SHORT, lineWidth: 1, priceScaleId: "left" }, 1);
    this.chart.priceScale("left", 1).applyOptions({ visible: true, borderColor: GRID });
    this.chart.panes()[1]?.setStretchFactor(0.35);
    // Third pane: open interest (right scale, USD) and funding (left scale, % per 8 h), one point per candle with an update.
    const quiet = { lastValueVisible: false, priceLineVisible: false, lineWidth: 1 as const };
    this.openInterest = this.chart.addSeries(LineSeries, { ...quiet, color: OI_COLOR, title: "open interest", priceFormat: { type: "custom", formatter: (v: number) => formatUsd(v) } }, 2);
    this.funding = this.chart.addSeries(
      LineSeries,
      { ...quiet, color: FUNDING_COLOR, title: "funding % / 8h", priceScaleId: "left", priceFormat: { type: "custom", formatter: (v: number) => `${v.toFixed(4)}%` } },
      2,
    );
    this.chart.priceScale("left", 2).applyOptions({ visible: true, borderColor: GRID });
    this.chart.panes()[2]?.setStretchFactor(0.3);
    this.chart.subscribeCrosshairMove((p) => this.hover(p.point ?? null, (p.time as number | undefined) ?? null));
  }

  /** Draws a `/candles` answer: the candles, the liquidations per candle and the running totals. */
  setCandles(r: CandlesResponse): void {
    const s = chartSeries(r.candles, r.tfMs);
    const scale = this.chart.timeScale();
    const shown = scale.getVisibleLogicalRange();
    const prev = this.series?.times ?? [];
    // Follow the newest bars unless the reader moved the view; a series that does not overlap the
    // last one (a replay loop, a jump over a quiet span) is shown from its newest bars either way.
    const jumped = prev.length === 0 || s.times.length === 0 || s.times[0] > prev[prev.length - 1] || s.times[s.times.length - 1] < prev[0];
    // The reader follows the newest bars while the last one is in view (its right edge at or past it).
    const following = this.shownTf !== r.tf || jumped || shown === null || shown.to >= prev.length - 1;
    this.series = s;
    this.candles.setData(s.candles.map((c) => ({ ...c, time: at(c.time) })));
    this.longLiq.setData(s.longLiq.map((b) => ({ ...b, time: at(b.time) })));
    this.shortLiq.setData(s.shortLiq.map((b) => ({ ...b, time: at(b.time) })));
    this.longCum.setData(s.longCumulative.map((b) => ({ ...b, time: at(b.time) })));
    this.shortCum.setData(s.shortCumulative.map((b) => ({ ...b, time: at(b.time) })));
    this.openInterest.setData(s.openInterest.map((b) => ({ ...b, time: at(b.time) })));
    this.funding.setData(s.funding.map((b) => ({ ...b, time: at(b.time) })));
    this.container.dataset.oiPoints = String(s.oiPoints);
    this.container.dataset.fundingPoints = String(s.fundingPoints);
    this.layer.set({ times: s.times, tfMs: s.tfMs });
    this.shownTf = r.tf;
    if (following) {
      const n = s.times.length;
      scale.setVisibleLogicalRange({ from: Math.max(-0.5, n - INITIAL_BARS) as Logical, to: (n - 0.5 + 3) as Logical });
    }
    const last = [...r.candles].reverse().find((c) => c.close !== null);
    const ds = this.container.dataset;
    ds.candles = String(r.candles.length);
    ds.points = String(r.candles.filter((c) => c.close !== null).length);
    ds.lastPrice = last?.close != null ? String(last.close) : "";
    ds.tf = r.tf;
  }

  /** Drops the candles (a symbol with no bar yet): the status line says why. */
  clearCandles(): void {
    this.candles.setData([]);
    for (const s of [this.longLiq, this.shortLiq]) s.setData([]);
    for (const s of [this.longCum, this.shortCum]) s.setData([]);
    this.series = null;
    this.shownTf = "";
    this.layer.set({ times: [] });
    const ds = this.container.dataset;
    ds.candles = "0";
    ds.points = "0";
    ds.lastPrice = "";
  }

  setCells(cells: readonly HeatCell[]): void {
    this.cells = cells;
    this.layer.set({ cells });
  }

  setLevels(levels: readonly LevelBin[]): void {
    this.levels = levels;
    this.layer.set({ levels });
  }

  setZones(zones: readonly ZoneBand[]): void {
    this.layer.set({ zones });
  }

  setClusters(clusters: readonly ClusterBand[]): void {
    this.layer.set({ clusters });
  }

  /** The current price line, or none (its reason in `data-price-line-reason`) for a stale or missing price. */
  setPriceLine(line: PriceLine): void {
    if (this.priceLine) this.candles.removePriceLine(this.priceLine);
    this.priceLine = null;
    const ds = this.container.dataset;
    if (line.price === null) {
      ds.priceLine = "none";
      ds.priceLineReason = line.reason;
      return;
    }
    this.priceLine = this.candles.createPriceLine({ price: line.price, color: "#e6e9ef", lineWidth: 1, lineStyle: 2, axisLabelVisible: true, title: "price" });
    ds.priceLine = String(line.price);
    delete ds.priceLineReason;
  }

  private report(d: LayerDrawn): void {
    const ds = this.container.dataset;
    ds.cells = String(d.cells);
    ds.levels = String(d.levels);
    ds.zones = String(d.zones);
    ds.clusters = String(d.clusters);
    ds.span = d.span;
    if (d.span !== this.span) {
      this.span = d.span;
      this.onSpan(d.span);
    }
    const l = d.largest;
    ds.largestCell = l ? JSON.stringify({ x: l.x, y: l.y, w: l.w, h: l.h, p0: l.cell.p0, p1: l.cell.p1, t0: l.cell.t0, t1: l.cell.t1, centrePrice: d.largestCentrePrice }) : "";
  }

  private hover(point: { x: number; y: number } | null, time: number | null): void {
    const ds = this.readout.dataset;
    if (point === null || this.series === null) {
      this.readout.textContent = "";
      delete ds.price;
      delete ds.cell;
      return;
    }
    const price = this.candles.coordinateToPrice(point.y);
    if (price === null) return;
    const ts = time === null ? null : time * 1000;
    const parts = [ts === null ? "" : `${formatDateTimeUtc(ts)} UTC`, formatPrice(price)].filter((p) => p !== "");
    // The crosshair's time is the hovered candle's open: the cell whose time bin overlaps that candle.
    const tfMs = this.series.tfMs;
    const cell = ts === null ? undefined : this.cells.find((c) => c.t0 < ts + tfMs && c.t1 > ts && price >= c.p0 && price < c.p1);
    const level = this.levels.find((l) => price >= l.p0 && price < l.p1);
    if (cell) parts.push(`realized: longs ${formatUsd(cell.longUsd)}, shorts ${formatUsd(cell.shortUsd)} (${cell.count})`);
    if (level) parts.push(`estimated levels: longs ${formatUsd(level.longUsd)}, shorts ${formatUsd(level.shortUsd)}`);
    const i = ts === null ? -1 : this.series.times.indexOf(ts);
    const oi = i < 0 ? undefined : this.series.openInterest[i];
    const funding = i < 0 ? undefined : this.series.funding[i];
    if (oi !== undefined && "value" in oi) parts.push(`open interest ${formatUsd(oi.value as number)}`);
    if (funding !== undefined && "value" in funding) parts.push(`funding ${(funding.value as number).toFixed(4)}% / 8h`);
    this.readout.textContent = parts.join(" · ");
    ds.price = String(price);
    if (cell) ds.cell = `${cell.p0}:${cell.p1}`;
    else delete ds.cell;
  }
}
