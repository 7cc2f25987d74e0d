/**
 * A symbol's page (`/s/:symbol`): a symbol switcher, live price and bias per mode with its
 * explanation (components and weights), the candlestick chart (chart.ts: `/candles`) with the
 * realized liquidation heatmap, the estimated levels, clusters and zones over it and the
 * liquidations per candle below, with window / time bin / price bin controls, the cluster map,
 * cascade risk, the DataCards grouped by category, the recent liquidations, and the
 * support/resistance zones with their liquidity traps (bands on the chart and a table). Live over
 * the stream (`SYMBOL:bias`, `:cards`, `:liquidations`, `:zones`, and the heatmap and levels as
 * `:heatmap` / `:levels`, a snapshot then merge patches); candles, the cluster map and cascade
 * risk are polled from their endpoints, and say why where the engine has nothing to serve.
 * The heatmap comes from the stream at the engine's defaults (24 h, 1 min, 10 bps) and from
 * `/heatmap?window=&timeBin=&priceBin=` once a control differs from them.
 */
import { SYMBOL_PATTERN } from "../channels.js";
import { EMBED_MODES } from "../embed.js";
import { isNotAvailable, LiqflowError, LiqflowHttp, type Candle, type CandlesResponse } from "../http.js";
import { LiqflowStream } from "../stream.js";
import type {
  Bias,
  BiasData,
  Card,
  CardsData,
  CascadeRisk,
  LiquidationClusters,
  LiquidationHeatmap,
  LiquidationLevels,
  LiquidationsData,
  Mode,
  StoredLiquidation,
  SymbolSnapshot,
  Zones,
} from "../types.js";
import { SymbolChart } from "./chart.js";
import { symbolFacts } from "./symbol-facts.js";
import { heatmapCells, levelBins, zoneBands } from "./chart-model.js";
import { chartRequests, currentPriceLine, isStreamedHeatmap, isStreamedLevels, STREAMED_HEATMAP, type ChartControls } from "./chart-series.js";
import { byId, connectionLabel, el, setText } from "./dom.js";
import { mountClockBadge } from "./clock-badge.js";
import { confidenceStyle, directionArrow, formatDateTimeUtc, formatPct, formatPrice, formatRangeUtc, formatScore, formatTimeUtc, formatUsd, scoreStrength } from "./format.js";

const MODES: readonly Mode[] = EMBED_MODES;
const MAPS_POLL_MS = 10_000;
/** An endpoint the engine does not serve is asked again less often. */
const MAPS_PROBE_MS = 60_000;
const MAX_LIQUIDATION_ROWS = 30;

const symbol = decodeURIComponent(location.pathname.split("/")[2] ?? "").toUpperCase();
const origin = location.origin;
const http = new LiqflowHttp(origin);
const stream = new LiqflowStream(origin);

let selectedMode: Mode = "day";
let latestBias: BiasData | null = null;
let liquidations: StoredLiquidation[] = [];
let controls: ChartControls = { ...STREAMED_HEATMAP };
/** Why the last snapshot drew no price line (a stale price names its date); the stream's null price reuses it. */
let priceLineReason = "no current price";

// A heatmap newer than the candles (or, for a heatmap read over HTTP, older) is not drawn until the two share a span: ask again.
const chart = new SymbolChart(byId("chart"), byId("chart-readout"), (span) => {
  if (span === "candles-behind" || (span === "heatmap-behind" && !isStreamedHeatmap(controls))) refreshChart();
});
/** Candles are asked again at each new cycle of the stream, at most once per CANDLES_MIN_GAP_MS of wall time, and every CANDLES_POLL_MS without one. */
const CANDLES_POLL_MS = 10_000;
const CANDLES_MIN_GAP_MS = 1_000;

// ── header: price, mark, funding ────────────────────────────────────────────────────────

function renderPrice(price: number | null, ts: number): void {
  if (price !== null) {
    const node = byId("price");
    const prev = Number(node.dataset.price);
    setText(node, formatPrice(price), `price ${Number.isFinite(prev) && prev !== price ? (price > prev ? "up" : "down") : ""}`);
    node.dataset.price = String(price);
    chart.setPriceLine({ price, ts });
  } else {
    chart.setPriceLine({ price: null, reason: priceLineReason });
  }
  setText(byId("updated"), `${formatDateTimeUtc(ts)} UTC`);
  byId("updated").dataset.ts = String(ts);
}

/** The last snapshot read (its latest open interest and funding are said beside the pane's history). */
let lastSnapshot: SymbolSnapshot | null = null;
/** What the last candles held of open interest and funding. */
let oiFundingCounts: { candles: number; oi: number; funding: number; lastOi: Candle | null; lastFunding: Candle | null } | null = null;

function renderSnapshot(s: SymbolSnapshot): void {
  const line = currentPriceLine(s);
  if (line.price === null) priceLineReason = line.reason;
  chart.setPriceLine(line);
  lastSnapshot = s;
  renderOiFunding(null, s);
  byId("facts").replaceChildren(
    ...symbolFacts(s).map((f) => el("span", { class: f.stale ? "fact stale" : "fact", attrs: { "data-stale": String(f.stale) } }, el("span", { class: "k", text: f.key }), el("span", { class: "v", text: f.value }))),
  );
}

// ── bias per mode and its explanation ───────────────────────────────────────────────────

function renderBias(data: BiasData): void {
  latestBias = data;
  const tiles = byId("modes");
  tiles.replaceChildren(
    ...MODES.map((mode) => {
      const b = data.bias[mode];
      // A score at low confidence reads as weak: dimmed, its confidence written beside it.
      const conf = confidenceStyle(b?.confidence);
      const tile = el(
        "button",
        {
          class: `mode-tile ${b ? b.direction : "none"} ${b ? conf.className : ""} s${b && !conf.weak ? scoreStrength(b.score) : 0}${mode === selectedMode ? " selected" : ""}`,
          attrs: { type: "button", "aria-pressed": String(mode === selectedMode) },
        },
        el("span", { class: "mode-name", text: `${mode} · ${b?.timeframe ?? ""}` }),
        el("span", { class: "mode-score", text: b ? `${directionArrow(b.direction)} ${formatScore(b.score)}` : "–" }),
        el("span", { class: "mode-meta", text: b ? `${b.direction} · ${conf.label} · ${formatDateTimeUtc(b.ts)} UTC` : "not computed yet" }),
      );
      tile.dataset.mode = mode;
      tile.addEventListener("click", () => {
        selectedMode = mode;
        if (latestBias) renderBias(latestBias);
      });
      return tile;
    }),
  );
  renderExplanation(data.bias[selectedMode]);
}

function renderExplanation(b: Bias | null): void {
  const box = byId("explain");
  if (!b) {
    box.replaceChildren(el("p", { class: "status", text: `No ${selectedMode} bias yet.` }));
    return;
  }
  const rows = b.components.slice().sort((a, z) => Math.abs(z.contribution) - Math.abs(a.contribution));
  const reads = (["1m", "5m", "1h"] as const).map((tf) => `${tf} ×${b.timeframes[tf].weight}`).join(", ");
  const bar = (v: number) => {
    const wrap = el("span", { class: "dbar" });
    const fill = el("span", { class: `dfill ${v > 0 ? "long" : v < 0 ? "short" : "neutral"}` });
    fill.style.width = `${Math.min(50, Math.abs(v) * 50)}%`;
    wrap.append(fill);
    return wrap;
  };
  box.replaceChildren(
    el("p", {
      class: "formula",
      text:
        `${selectedMode} reads ${reads}. score = raw × √coverage = ${formatScore(b.raw)} × √${formatPct(b.coverage)} = ${formatScore(b.score)} ` +
        `(${b.direction}, ${b.state}, ${b.transition}); raw = Σ w·c·s / Σ w over ${b.available.categories} of ${b.available.of} categories (${b.available.cards} cards), ` +
        `so a missing or unsure category pulls it toward 0. confidence ${formatPct(b.confidence)} = evidence × agreement, so it falls when categories disagree.`,
    }),
    el(
      "table",
      { class: "components" },
      el("thead", {}, el("tr", {}, el("th", { text: "category" }), ...["weight w", "confidence c", "score s", "contribution"].map((h) => el("th", { class: "num", text: h })), el("th"))),
      el(
        "tbody",
        {},
        ...rows.map((c) =>
          el(
            "tr",
            {},
            el("td", { text: c.category }),
            el("td", { class: "num", text: c.weight.toFixed(2) }),
            el("td", { class: "num", text: formatPct(c.confidence) }),
            el("td", { class: `num ${c.score > 0 ? "long" : c.score < 0 ? "short" : ""}`, text: formatScore(c.score) }),
            el("td", { class: "num", text: formatScore(c.contribution) }),
            el("td", {}, bar(c.contribution)),
          ),
        ),
      ),
    ),
  );
}

// ── cards grouped by category ───────────────────────────────────────────────────────────

/**
 * A card's timeframe rows: one row each, except that timeframes unavailable for the same reason
 * share one row ("1m · 5m · 1h" and the reason once, not three times).
 */
function timeframeRows(card: Card): Array<{ tf: string; v: Card["timeframes"]["1m"] }> {
  const tfs = ["1m", "5m", "1h"] as const;
  const off = tfs.filter((tf) => !card.timeframes[tf]?.available);
  const reasons = new Set(off.map((tf) => card.timeframes[tf]?.reason ?? "unavailable"));
  if (off.length < 2 || reasons.size !== 1) return tfs.map((tf) => ({ tf, v: card.timeframes[tf] }));
  const rows: Array<{ tf: string; v: Card["timeframes"]["1m"] }> = tfs.filter((tf) => !off.includes(tf)).map((tf) => ({ tf, v: card.timeframes[tf] }));
  rows.push({ tf: off.join(" · "), v: card.timeframes[off[0]] });
  return rows;
}

function renderCards(data: CardsData): void {
  const groups = new Map<string, Card[]>();
  for (const card of data.cards) {
    let list = groups.get(card.category);
    if (!list) groups.set(card.category, (list = []));
    list.push(card);
  }
  const box = byId("cards");
  box.replaceChildren(
    ...[...groups].map(([category, cards]) =>
      el(
        "div",
        { class: "category", attrs: { "data-category": category } },
        el("h3", { text: category }),
        ...cards.map((card) => {
          const node = el(
            "div",
            { class: `card ${card.state}` },
            el(
              "div",
              { class: "card-head" },
              el("span", { class: "card-id", text: card.id }),
              el("span", { class: `state ${card.state}`, text: card.state }),
              card.transition !== "none" && el("span", { class: `transition ${card.transition}`, text: card.transition }),
            ),
            ...timeframeRows(card).map(({ tf, v }) => {
              if (!v || !v.available) return el("div", { class: "tf off" }, el("span", { class: "tf-name", text: tf }), el("span", { class: "tf-why", text: v?.reason ?? "unavailable" }));
              const fill = el("span", { class: `dfill ${v.score > 0 ? "long" : v.score < 0 ? "short" : "neutral"}` });
              fill.style.width = `${Math.min(50, Math.abs(v.score) * 50)}%`;
              return el(
                "div",
                { class: `tf ${confidenceStyle(v.confidence).className}`, title: `value ${v.value ?? "–"} · strength ${v.strength.toFixed(2)} · ${confidenceStyle(v.confidence).label}` },
                el("span", { class: "tf-name", text: tf }),
                el("span", { class: "dbar" }, fill),
                el("span", { class: "num", text: formatScore(v.score) }),
              );
            }),
          );
          node.dataset.card = card.id;
          return node;
        }),
      ),
    ),
  );
  setText(byId("cards-ts"), `cycle ${formatDateTimeUtc(data.ts)} UTC`);
}

// ── liquidations list ───────────────────────────────────────────────────────────────────

function renderLiquidations(data: LiquidationsData, type: "snapshot" | "update"): void {
  liquidations = type === "snapshot" ? data.liquidations.slice(0, MAX_LIQUIDATION_ROWS) : [...data.liquidations, ...liquidations].slice(0, MAX_LIQUIDATION_ROWS);
  const t = data.totals;
  setText(
    byId("liq-totals"),
    `stored: ${t.long.count} longs liquidated (${formatUsd(t.long.notionalUsd)}) · ${t.short.count} shorts liquidated (${formatUsd(t.short.notionalUsd)})`,
  );
  const body = byId("liqs").querySelector("tbody")!;
  if (liquidations.length === 0) {
    body.replaceChildren(el("tr", {}, el("td", { class: "status", text: "No liquidations stored yet.", attrs: { colspan: "5" } })));
    return;
  }
  body.replaceChildren(
    ...liquidations.map((l) =>
      el(
        "tr",
        {},
        el("td", { class: "num", text: formatDateTimeUtc(l.ts) }),
        el("td", { class: `side ${l.side}`, text: `${l.side} liquidated` }),
        el("td", { class: "num", text: formatPrice(l.price) }),
        el("td", { class: "num", text: formatUsd(l.notionalUsd) }),
        el("td", { text: `${l.venue} · ${l.sampling}` }),
      ),
    ),
  );
}

// ── liquidation maps (where the engine serves them) ─────────────────────────────────────

function unavailableText(what: string, err: unknown): string {
  return isNotAvailable(err) ? `${what}: not available yet (this engine does not serve it).` : `${what}: ${(err as Error).message}`;
}

/** What the chart's status line says about each map; the stream fills these in. */
const mapStatus = { candles: "", heatmap: "Liquidation heatmap: waiting for the stream…", levels: "Estimated levels: waiting for the stream…" };
let mapPatches = 0;

function renderMapStatus(): void {
  const chartStatus = byId("chart-status");
  chartStatus.replaceChildren(...[mapStatus.candles, mapStatus.heatmap, mapStatus.levels].filter((t) => t !== "").map((text) => el("span", { text })));
  chartStatus.dataset.patches = String(mapPatches);
}

function renderHeatmap(h: LiquidationHeatmap, patched: boolean): void {
  renderVenues(h);
  chart.setCells(heatmapCells(h));
  if (patched) mapPatches++;
  mapStatus.heatmap =
    `Realized heatmap (measured, ${h.sampling}): ${h.cells.length} cells, ${formatUsd(h.totals.long.notionalUsd)} longs / ${formatUsd(h.totals.short.notionalUsd)} shorts liquidated, ` +
    `${formatRangeUtc(h.fromTs, h.toTs)}.`;
  byId("chart-status").dataset.heatmap = "available";
  renderMapStatus();
}

function renderLevels(l: LiquidationLevels, patched: boolean): void {
  renderTiers(l);
  chart.setLevels(levelBins(l));
  if (patched) mapPatches++;
  mapStatus.levels = l.available
    ? `Estimated levels (estimated${l.tierFilter !== undefined ? `, ${l.tierFilter.map((lev) => `${lev}x`).join(", ")} tier only` : ""}): ${formatUsd(l.totals.longUsd)} longs below, ${formatUsd(l.totals.shortUsd)} shorts above` +
      (l.magnets.up ? `; magnet up ${formatPrice(l.magnets.up.price)}` : "") +
      (l.magnets.down ? `; magnet down ${formatPrice(l.magnets.down.price)}` : "") +
      "."
    : `Estimated levels${controls.tier !== "all" ? ` (${controls.tier}x tier)` : ""}: unavailable (${l.reason}).`;
  renderMapStatus();
}

async function pollMaps(): Promise<void> {
  const [clusters, cascade] = await Promise.allSettled([http.clusters(symbol), http.cascade(symbol)]);
  renderClusters(clusters);
  renderCascade(cascade);
  const anyServed = [clusters, cascade].some((r) => r.status === "fulfilled" || !isNotAvailable(r.reason));
  setTimeout(pollMaps, anyServed ? MAPS_POLL_MS : MAPS_PROBE_MS);
}

const ZONE_SOURCE_LABEL: Record<string, string> = {
  "volume-node": "volume node",
  "swing-low": "swing low",
  "swing-high": "swing high",
  "bid-wall": "bid wall",
  "ask-wall": "ask wall",
  "liq-cluster": "realized liquidations",
  "liq-levels": "estimated liquidation levels",
};

/** What the zone's direction is made of (docs/zones.md, step 8), for the cell's tooltip. */
function zoneDirectionTitle(d: Zones["zones"][number]["direction"]): string {
  const part = (name: string, v: number | null) => `${name} ${v === null ? "unavailable" : formatScore(v)}`;
  return `${part("liquidity held", d.liquidity)}, ${part("drawn to it", d.draw)}, ${part("sweep reversed", d.sweep)}`;
}

/** The zones as chart bands and a table; nothing user-supplied reaches the DOM as HTML. */
function renderZones(z: Zones): void {
  chart.setZones(zoneBands(z));
  const box = byId("zones");
  box.dataset.state = "available";
  box.dataset.zones = String(z.zones.length);
  box.dataset.traps = String(z.zones.filter((x) => x.trap).length);
  const missing = Object.entries(z.inputs)
    .filter(([, v]) => v === "unavailable")
    .map(([k]) => k);
  const note = el("p", {
    class: "status",
    text:
      `Estimated at ${formatTimeUtc(z.ts)} UTC from ${z.price === null ? "no trades yet" : `price ${formatPrice(z.price)}`}; merge width ${z.model.mergeBps.toFixed(1)} bps.` +
      (missing.length > 0 ? ` Unavailable inputs (no candidates, no trap checks from them): ${missing.join(", ")}.` : ""),
  });
  if (z.zones.length === 0) {
    box.replaceChildren(note, el("p", { class: "status", text: "No zone within 3 % of price yet." }));
    return;
  }
  const rows = z.zones.map((x) =>
    el(
      "tr",
      { class: x.trap ? "trap" : "" },
      el("td", { class: `zone-kind ${x.kind}`, text: x.kind }),
      el("td", { class: "num", text: `${formatPrice(x.low)} – ${formatPrice(x.high)}` }),
      el("td", { class: "num", text: x.strength.toFixed(2) }),
      el("td", { text: [...new Set(x.sources.map((s) => ZONE_SOURCE_LABEL[s.kind] ?? s.kind))].join(", ") }),
      el("td", { class: "num", text: `${x.touches} / ${x.holds}` }),
      el("td", {
        class: `num zone-direction ${x.direction.score > 0 ? "long" : x.direction.score < 0 ? "short" : ""}`,
        title: zoneDirectionTitle(x.direction),
        text: x.direction.confidence > 0 ? `${formatScore(x.direction.score)} (${formatPct(x.direction.confidence)})` : "–",
      }),
      el("td", { class: x.trap ? "zone-trap" : "muted", text: x.trap ? `trap: ${x.trapReason ?? x.trapReasons.join(", ")}` : x.flipped ? "flipped" : "—" }),
    ),
  );
  box.replaceChildren(
    note,
    el(
      "div",
      { class: "table-wrap" },
      el(
        "table",
        {},
        el("thead", {}, el("tr", {}, ...["kind", "range", "strength", "from", "touches / holds", "direction (conf.)", "trap"].map((h) => el("th", { text: h })))),
        el("tbody", {}, ...rows),
      ),
    ),
  );
}

function renderClusters(result: PromiseSettledResult<LiquidationClusters>): void {
  const box = byId("clusters");
  if (result.status === "rejected") {
    box.replaceChildren(el("p", { class: "status", text: unavailableText("Cluster map", result.reason) }));
    box.dataset.state = "unavailable";
    return;
  }
  const { clusters, sampling } = result.value;
  chart.setClusters(clusters.map((c) => ({ low: c.priceLow, high: c.priceHigh, side: c.side, notionalUsd: c.notionalUsd })));
  box.dataset.state = "available";
  if (clusters.length === 0) {
    box.replaceChildren(el("p", { class: "status", text: "No realized clusters in the retained window." }));
    return;
  }
  const max = Math.max(...clusters.map((c) => c.notionalUsd));
  const sorted = [...clusters].sort((a, b) => b.pricePeak - a.pricePeak);
  box.replaceChildren(
    el("p", { class: "status", text: `Where realized liquidations concentrate by price (measured, ${sampling}); bar length is notional.` }),
    ...sorted.map((c) => {
      const longBar = el("span", { class: "cbar long" });
      const shortBar = el("span", { class: "cbar short" });
      longBar.style.width = `${(c.longUsd / max) * 100}%`;
      shortBar.style.width = `${(c.shortUsd / max) * 100}%`;
      return el(
        "div",
        { class: "cluster", title: `${formatPrice(c.priceLow)} – ${formatPrice(c.priceHigh)} · ${c.count} liquidations · ${c.venues.join(", ")} · last ${formatDateTimeUtc(c.lastTs)} UTC` },
        el("span", { class: "num", text: formatPrice(c.pricePeak) }),
        el("span", { class: "cbars" }, longBar, shortBar),
        el("span", { class: "num", text: formatUsd(c.notionalUsd) }),
        el("span", { class: `side ${c.side}`, text: c.side }),
      );
    }),
  );
}

function renderCascade(result: PromiseSettledResult<CascadeRisk>): void {
  const box = byId("cascade");
  if (result.status === "rejected") {
    box.replaceChildren(el("p", { class: "status", text: unavailableText("Cascade risk", result.reason) }));
    return;
  }
  const r = result.value;
  if (!r.available) {
    box.replaceChildren(el("p", { class: "status", text: `Cascade risk: unavailable (${r.reason}).` }));
    return;
  }
  const ratio = (v: number | null) => (v === null ? "–" : `${v.toFixed(2)}×`);
  box.replaceChildren(
    el("p", { class: "status", text: `Estimated liquidation notional near ${formatPrice(r.referencePrice)} against resting book depth in the same band${r.bookSynced ? "" : " (book not synced)"}.` }),
    el(
      "table",
      { class: "components" },
      el("thead", {}, el("tr", {}, el("th", { text: "band" }), ...["levels above", "asks", "ratio ↑", "levels below", "bids", "ratio ↓"].map((h) => el("th", { class: "num", text: h })))),
      el(
        "tbody",
        {},
        ...r.bands.map((b) =>
          el(
            "tr",
            {},
            el("td", { text: `±${b.bandPct}%` }),
            el("td", { class: "num", text: formatUsd(b.up.levelsUsd) }),
            el("td", { class: "num", text: formatUsd(b.up.depthUsd) }),
            el("td", { class: "num", text: ratio(b.up.ratio) }),
            el("td", { class: "num", text: formatUsd(b.down.levelsUsd) }),
            el("td", { class: "num", text: formatUsd(b.down.depthUsd) }),
            el("td", { class: "num", text: ratio(b.down.ratio) }),
          ),
        ),
      ),
    ),
  );
}

// ── chart: candles, controls, filters, open interest and funding, symbol switcher ────────

let candlesTimer: ReturnType<typeof setTimeout> | undefined;
let candlesInFlight = false;
let candlesAgain = false;
let lastCycleTs = -1;
/** The stream's heatmap (engine defaults), kept to redraw when the controls return to them. */
let streamedHeatmap: LiquidationHeatmap | null = null;
/** The stream's levels (every tier), kept to redraw when the tier filter returns to all tiers. */
let streamedLevels: LiquidationLevels | null = null;

/**
 * Asks the candles again (and the heatmap when the controls differ from the stream's): one request
 * at a time; one asked while another is out runs after it, CANDLES_MIN_GAP_MS later. So the
 * candles follow the stream's event time (a replay moves through a day in minutes), and the
 * forming candle moves every cycle like the heatmap over it.
 */
function refreshChart(): void {
  if (candlesInFlight) {
    candlesAgain = true;
    return;
  }
  clearTimeout(candlesTimer);
  candlesInFlight = true;
  void pollCandles().finally(() => {
    candlesInFlight = false;
    if (candlesAgain) {
      candlesAgain = false;
      candlesTimer = setTimeout(refreshChart, CANDLES_MIN_GAP_MS);
    } else candlesTimer = setTimeout(refreshChart, CANDLES_POLL_MS);
  });
}

/** A new cycle on the stream: the candles are asked again (refreshChart throttles). */
function onCycle(ts: number): void {
  if (ts <= lastCycleTs) return;
  lastCycleTs = ts;
  refreshChart();
}

/**
 * Candles for the controls' window and time bin (and the heatmap, when the controls differ from
 * the stream's); a 503 before the symbol's first bar says so in the status line. An answer to
 * controls that changed meanwhile is dropped.
 */
async function pollCandles(): Promise<void> {
  const asked = controls;
  const requests = chartRequests(asked);
  const status = byId("chart-status");
  try {
    const r = await http.candles(symbol, requests.candles);
    if (asked === controls) {
      chart.setCandles(r);
      renderOiFunding(r);
      status.dataset.candles = "available";
      if (mapStatus.candles !== "") {
        mapStatus.candles = "";
        renderMapStatus();
      }
    }
  } catch (err) {
    if (asked === controls) {
      chart.clearCandles();
      status.dataset.candles = "unavailable";
      mapStatus.candles =
        err instanceof LiqflowError && err.status === 503 ? `Candles: no one-minute bar for ${symbol} yet (${err.message}).` : `Candles: ${(err as Error).message}`;
      renderMapStatus();
    }
  }
  if (!isStreamedHeatmap(asked) && asked === controls) {
    try {
      const h = await http.heatmap(symbol, requests.heatmap);
      if (asked === controls) renderHeatmap(h, false);
    } catch (err) {
      if (asked === controls) {
        chart.setCells([]);
        byId("chart-status").dataset.heatmap = "unavailable";
        mapStatus.heatmap = unavailableText("Liquidation heatmap", err);
        renderMapStatus();
      }
    }
  }
  if (requests.levels !== null && asked === controls) {
    try {
      const l = await http.levels(symbol, requests.levels);
      if (asked === controls) renderLevels(l, false);
    } catch (err) {
      if (asked === controls) {
        chart.setLevels([]);
        mapStatus.levels = unavailableText(`Estimated levels (${asked.tier}x tier)`, err);
        renderMapStatus();
      }
    }
  }
}

function startChartControls(): void {
  const form = byId<HTMLFormElement>("chart-controls");
  form.addEventListener("submit", (e) => e.preventDefault());
  form.addEventListener("change", () => {
    const data = new FormData(form);
    controls = {
      window: String(data.get("window")),
      timeBin: String(data.get("timeBin")),
      priceBin: String(data.get("priceBin")),
      venue: String(data.get("venue") ?? "all"),
      tier: String(data.get("tier") ?? "all"),
    } as ChartControls;
    if (isStreamedHeatmap(controls) && streamedHeatmap !== null) renderHeatmap(streamedHeatmap, false);
    if (isStreamedLevels(controls) && streamedLevels !== null) renderLevels(streamedLevels, false);
    refreshChart();
  });
}

const filterNote: { tiers: string | null; venues: string | null } = { tiers: null, venues: null };

/**
 * The leverage tiers the level model spreads open interest over, as the tier filter's options
 * (the chosen one kept), and what the drawn levels hold beside the filters.
 */
function renderTiers(l: LiquidationLevels): void {
  if (!l.available) return;
  const select = byId("chart-controls").querySelector<HTMLSelectElement>('select[name="tier"]')!;
  const tiers = l.model.leverageTiers;
  const values = ["all", ...tiers.map((t) => String(t.leverage))];
  if ([...select.options].map((o) => o.value).join() !== values.join()) {
    const chosen = select.value;
    select.replaceChildren(
      el("option", { text: "all tiers", attrs: { value: "all" } }),
      ...tiers.map((t) => el("option", { text: `${t.leverage}x (${Math.round(t.weight * 100)} %)`, attrs: { value: String(t.leverage) } })),
    );
    select.value = values.includes(chosen) ? chosen : "all";
  }
  const weight = (lev: number) => Math.round((tiers.find((t) => t.leverage === lev)?.weight ?? 0) * 100);
  filterNote.tiers =
    l.tierFilter !== undefined
      ? `levels: ${l.tierFilter.map((lev) => `${lev}x`).join(", ")} tier only (${l.tierFilter.reduce((s, lev) => s + weight(lev), 0)} % of the model's open interest)`
      : `levels sum the model's tiers ${tiers.map((t) => `${t.leverage}x`).join(", ")}`;
  renderFilterNote();
}

/** The venues the heatmap holds (after the venue filter, when one is chosen): said beside the filters. */
function renderVenues(h: LiquidationHeatmap): void {
  const held = h.venues.map((v) => v.venue).join(", ");
  filterNote.venues = h.venueFilter !== undefined ? `heatmap: ${h.venueFilter.join(", ")} only${held === "" ? " (nothing in the window)" : ""}` : held === "" ? null : `heatmap: ${held}`;
  renderFilterNote();
}

function renderFilterNote(): void {
  const known = [filterNote.tiers, filterNote.venues].filter((x) => x !== null).join("; ");
  setText(byId("chart-filters"), known === "" ? "" : `${known}.`);
}

/**
 * What the third pane holds: open interest and funding per candle from `/candles`, or why it is
 * empty (no update in these candles), with the latest values and their age from the snapshot.
 */
function renderOiFunding(r: CandlesResponse | null, s: SymbolSnapshot | null = lastSnapshot): void {
  const box = byId("oi-funding");
  if (r !== null) {
    const oi = r.candles.filter((c) => c.openInterestUsd !== null);
    const funding = r.candles.filter((c) => c.funding8h !== null);
    oiFundingCounts = { candles: r.candles.length, oi: oi.length, funding: funding.length, lastOi: oi.at(-1) ?? null, lastFunding: funding.at(-1) ?? null };
  }
  const k = oiFundingCounts;
  if (k === null) return;
  const latest =
    s === null
      ? ""
      : ` Latest: open interest ${s.carried.oi === null ? "never received" : `updated ${formatDateTimeUtc(s.carried.oi.ts)} UTC${s.carried.oi.stale ? " (stale)" : ""}`}, ` +
        `funding ${s.mark?.fundingRate == null ? (s.carried.mark?.stale ? "stale" : "not received") : `${(s.mark.fundingRate * 100).toFixed(4)}%`}.`;
  box.dataset.state = k.oi + k.funding > 0 ? "drawn" : "no-data";
  box.dataset.oiCandles = String(k.oi);
  box.dataset.fundingCandles = String(k.funding);
  setText(
    box,
    k.oi + k.funding > 0
      ? `Open interest and funding (lowest pane): open interest in ${k.oi} of ${k.candles} candles` +
          (k.lastOi ? ` (last ${formatUsd(k.lastOi.openInterestUsd!)}, ${k.lastOi.oiVenues} venue${k.lastOi.oiVenues === 1 ? "" : "s"})` : "") +
          `, funding in ${k.funding}` +
          (k.lastFunding ? ` (last ${(k.lastFunding.funding8h! * 100).toFixed(4)}% per 8 h, ${k.lastFunding.fundingVenues} venue${k.lastFunding.fundingVenues === 1 ? "" : "s"})` : "") +
          "; a candle without an update has no point." +
          latest
      : `Open interest and funding: no update in these ${k.candles} candles (the recording's feeds for this span carry none).${latest}`,
  );
}

/** The tracked symbols in a select; choosing one opens its page. */
async function fillSymbolSwitch(): Promise<void> {
  const select = byId<HTMLSelectElement>("symbol-switch");
  select.replaceChildren(el("option", { text: symbol, attrs: { value: symbol } }));
  select.addEventListener("change", () => {
    if (select.value !== symbol) location.assign(`/s/${encodeURIComponent(select.value)}`);
  });
  try {
    const { symbols } = await http.symbols();
    select.replaceChildren(...symbols.map((x) => el("option", { text: x.symbol, attrs: { value: x.symbol, ...(x.symbol === symbol ? { selected: "" } : {}) } })));
  } catch {
    // Keep the one option: the page still works, only the switcher cannot list the others.
  }
}

// ── start ───────────────────────────────────────────────────────────────────────────────

function main(): void {
  document.title = `${symbol} · liqflow`;
  setText(byId("symbol"), symbol);
  if (!SYMBOL_PATTERN.test(symbol)) {
    byId("page-error").textContent = "This is not a symbol page: open /s/BTCUSDT, for example.";
    return;
  }
  const conn = byId("conn");
  mountClockBadge({ before: conn, http });
  stream.on("state", (state, info) => {
    setText(conn, connectionLabel(state, info), `conn ${state}`);
    conn.dataset.state = state;
  });
  const refused = (err: { code: string; message: string }) => {
    byId("page-error").textContent = err.code === "unknown_symbol" ? `${symbol} is not a tracked symbol.` : err.message;
  };
  stream.subscribe(
    `${symbol}:bias`,
    (m) => {
      renderPrice(m.data.price, m.data.ts);
      renderBias(m.data);
      onCycle(m.data.ts);
    },
    { onError: refused },
  );
  stream.subscribe(`${symbol}:cards`, (m) => renderCards(m.data), { onError: refused });
  stream.subscribe(`${symbol}:liquidations`, (m) => renderLiquidations(m.data, m.type), { onError: refused });
  stream.subscribe(
    `${symbol}:heatmap`,
    (m) => {
      streamedHeatmap = m.data;
      if (isStreamedHeatmap(controls)) renderHeatmap(m.data, m.patch !== undefined);
    },
    { onError: refused },
  );
  stream.subscribe(
    `${symbol}:levels`,
    (m) => {
      streamedLevels = m.data;
      if (isStreamedLevels(controls)) renderLevels(m.data, m.patch !== undefined);
    },
    { onError: refused },
  );
  stream.subscribe(`${symbol}:zones`, (m) => renderZones(m.data), { onError: refused });
  const refreshSnapshot = () =>
    http.snapshot(symbol).then(renderSnapshot, (err: Error) => setText(byId("facts"), err.message)).finally(() => setTimeout(refreshSnapshot, 15_000));
  void refreshSnapshot();
  void pollMaps();
  startChartControls();
  refreshChart();
  void fillSymbolSwitch();
}

main();
