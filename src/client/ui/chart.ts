/**
 * Canvas drawing of the symbol chart laid out by chart-model.ts: heatmap cells, level profile,
 * price line with its last value, axes, and a hover readout. Crisp on HiDPI screens; redraws
 * on resize and at most once per animation frame. What was drawn is summarised in the canvas's
 * data attributes (`data-points`, `data-cells`, `data-levels`, `data-zones`, `data-last-price`).
 */
import { type ChartData, type HeatCell, type LevelBin, layoutChart, type Plot, type PricePoint, type ZoneBand } from "./chart-model.js";
import { formatDateTimeUtc, formatPrice, formatUsd } from "./format.js";

const MARGIN = { left: 8, right: 78, top: 10, bottom: 24 };

export class SymbolChart {
  private data: ChartData = { prices: [], cells: [], levels: [] };
  private frame = 0;
  private hover: { x: number; y: number } | null = null;

  constructor(
    private readonly canvas: HTMLCanvasElement,
    private readonly readout: HTMLElement,
  ) {
    new ResizeObserver(() => this.schedule()).observe(canvas);
    canvas.addEventListener("mousemove", (e) => {
      const r = canvas.getBoundingClientRect();
      this.hover = { x: e.clientX - r.left, y: e.clientY - r.top };
      this.schedule();
    });
    canvas.addEventListener("mouseleave", () => {
      this.hover = null;
      this.schedule();
    });
  }

  setPrices(prices: readonly PricePoint[]): void {
    this.data = { ...this.data, prices };
    this.schedule();
  }

  setCells(cells: readonly HeatCell[]): void {
    this.data = { ...this.data, cells };
    this.schedule();
  }

  setLevels(levels: readonly LevelBin[]): void {
    this.data = { ...this.data, levels };
    this.schedule();
  }

  setZones(zones: readonly ZoneBand[]): void {
    this.data = { ...this.data, zones };
    this.schedule();
  }

  private schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.draw();
    });
  }

  private draw(): void {
    const canvas = this.canvas;
    const cssW = canvas.clientWidth;
    const cssH = canvas.clientHeight;
    if (cssW === 0 || cssH === 0) return;
    const dpr = window.devicePixelRatio || 1;
    if (canvas.width !== Math.round(cssW * dpr) || canvas.height !== Math.round(cssH * dpr)) {
      canvas.width = Math.round(cssW * dpr);
      canvas.height = Math.round(cssH * dpr);
    }
    const ctx = canvas.getContext("2d");
    if (!ctx) return;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, cssW, cssH);

    const plot: Plot = { width: cssW, height: cssH, ...MARGIN };
    const layout = layoutChart(this.data, plot);
    const style = getComputedStyle(canvas);
    const grid = style.getPropertyValue("--chart-grid").trim() || "rgba(128,128,128,.15)";
    const text = style.getPropertyValue("--chart-text").trim() || "#8a93a6";
    const line = style.getPropertyValue("--chart-line").trim() || "#e6e9ef";
    const x1 = cssW - MARGIN.right;
    const y1 = cssH - MARGIN.bottom;

    ctx.font = "11px ui-monospace, SFMono-Regular, Menlo, monospace";
    ctx.lineWidth = 1;
    ctx.strokeStyle = grid;
    ctx.fillStyle = text;
    ctx.textBaseline = "middle";
    for (const t of layout.priceTicks) {
      ctx.beginPath();
      ctx.moveTo(MARGIN.left, Math.round(t.y) + 0.5);
      ctx.lineTo(x1, Math.round(t.y) + 0.5);
      ctx.stroke();
      ctx.fillText(t.label, x1 + 6, t.y);
    }
    ctx.textBaseline = "top";
    ctx.textAlign = "center";
    for (const t of layout.timeTicks) {
      ctx.beginPath();
      ctx.moveTo(Math.round(t.x) + 0.5, MARGIN.top);
      ctx.lineTo(Math.round(t.x) + 0.5, y1);
      ctx.stroke();
      ctx.fillText(t.label, t.x, y1 + 6);
    }
    ctx.textAlign = "left";

    ctx.save();
    ctx.beginPath();
    ctx.rect(MARGIN.left, MARGIN.top, x1 - MARGIN.left, y1 - MARGIN.top);
    ctx.clip();
    // Zones first: the heatmap and the price line stay readable on top of them.
    for (const z of layout.zones) {
      ctx.fillStyle = z.fill;
      ctx.fillRect(z.x, z.y, z.w, z.h);
      ctx.strokeStyle = z.stroke;
      ctx.setLineDash(z.dashed ? [5, 4] : []);
      ctx.strokeRect(z.x + 0.5, Math.round(z.y) + 0.5, z.w - 1, Math.max(1, Math.round(z.h) - 1));
    }
    ctx.setLineDash([]);
    for (const r of layout.cells) {
      ctx.fillStyle = r.fill;
      ctx.fillRect(r.x, r.y, r.w, r.h);
    }
    for (const r of layout.levels) {
      ctx.fillStyle = r.fill;
      ctx.fillRect(r.x, r.y, r.w, r.h);
    }
    if (layout.path.length > 0) {
      ctx.strokeStyle = line;
      ctx.lineWidth = 1.6;
      ctx.lineJoin = "round";
      ctx.beginPath();
      layout.path.forEach(([px, py], i) => (i === 0 ? ctx.moveTo(px, py) : ctx.lineTo(px, py)));
      ctx.stroke();
      if (layout.path.length === 1) {
        const [px, py] = layout.path[0];
        ctx.fillStyle = line;
        ctx.beginPath();
        ctx.arc(px, py, 2.5, 0, Math.PI * 2);
        ctx.fill();
      }
    }
    ctx.restore();

    if (layout.last) {
      const { y, price } = layout.last;
      ctx.setLineDash([3, 3]);
      ctx.strokeStyle = line;
      ctx.globalAlpha = 0.5;
      ctx.beginPath();
      ctx.moveTo(MARGIN.left, Math.round(y) + 0.5);
      ctx.lineTo(x1, Math.round(y) + 0.5);
      ctx.stroke();
      ctx.setLineDash([]);
      ctx.globalAlpha = 1;
      ctx.fillStyle = line;
      ctx.fillRect(x1 + 1, y - 9, MARGIN.right - 2, 18);
      ctx.fillStyle = style.getPropertyValue("--chart-bg").trim() || "#10141c";
      ctx.textBaseline = "middle";
      ctx.fillText(formatPrice(price), x1 + 5, y);
    }

    if (this.hover && this.hover.x >= MARGIN.left && this.hover.x <= x1 && this.hover.y >= MARGIN.top && this.hover.y <= y1) {
      const { x, y } = this.hover;
      ctx.strokeStyle = text;
      ctx.setLineDash([2, 3]);
      ctx.beginPath();
      ctx.moveTo(x + 0.5, MARGIN.top);
      ctx.lineTo(x + 0.5, y1);
      ctx.moveTo(MARGIN.left, y + 0.5);
      ctx.lineTo(x1, y + 0.5);
      ctx.stroke();
      ctx.setLineDash([]);
      const at = layout.invert(x, y);
      const cell = this.data.cells.find((c) => at.ts >= c.t0 && at.ts < c.t1 && at.price >= c.p0 && at.price < c.p1);
      const level = this.data.levels.find((l) => at.price >= l.p0 && at.price < l.p1);
      const zone = this.data.zones?.find((z) => at.price >= z.low && at.price <= z.high);
      const parts = [`${formatDateTimeUtc(at.ts)} UTC`, formatPrice(at.price)];
      if (cell) parts.push(`realized: longs ${formatUsd(cell.longUsd)}, shorts ${formatUsd(cell.shortUsd)} (${cell.count})`);
      if (level) parts.push(`estimated levels: longs ${formatUsd(level.longUsd)}, shorts ${formatUsd(level.shortUsd)}`);
      if (zone) parts.push(`${zone.trap ? "trap: " : ""}${zone.kind} ${formatPrice(zone.low)}–${formatPrice(zone.high)}`);
      this.readout.textContent = parts.join(" · ");
    } else {
      this.readout.textContent = "";
    }

    canvas.dataset.points = String(this.data.prices.length);
    canvas.dataset.cells = String(layout.cells.length);
    canvas.dataset.levels = String(layout.levels.length);
    canvas.dataset.zones = String(layout.zones.length);
    canvas.dataset.lastPrice = layout.last ? String(layout.last.price) : "";
  }
}
