/**
 * The dashboard (`/`): the 21 symbols with live price, bias per mode, cascade risk and the
 * last liquidations; a market strip; the scorecard (scorecard-view.ts); and the embed snippet generator. First paint from
 * `GET /v1/symbols`, then live over one stream: `*:bias` and every `SYMBOL:liquidations`.
 *
 * Honest display: the header's clock badge (clock-badge.ts) says replay or live and the event
 * time with its date; a score below the weak-confidence threshold (format.ts `confidenceStyle`)
 * is dimmed with its confidence in words; a symbol without data says so for its whole row
 * instead of a row of dashes; the market strip and the rows use the same event-time formatter
 * and the strip names what its time is (the end of its windows).
 */
import { ALL_BIAS } from "../channels.js";
import { EMBED_DEFAULTS, EMBED_MODES, EMBED_SIZES, EMBED_THEMES, embedPagePath, embedSnippet, IFRAME_SIZE, parseEmbedOptions } from "../embed.js";
import { isNotAvailable, LiqflowHttp } from "../http.js";
import { LiqflowStream } from "../stream.js";
import type { Bias, BiasData, CascadeRisk, LiquidationsData, LiquidationTotals, Market, Mode, StoredLiquidation, SymbolsList } from "../types.js";
import { mountClockBadge, type ClockBadge } from "./clock-badge.js";
import { byId, connectionLabel, el, setText } from "./dom.js";
import { confidenceStyle, directionArrow, formatDateTimeUtc, formatPct, formatPrice, formatScore, formatTimeUtc, formatUsd, noDataText, scoreStrength, type ClockInfo } from "./format.js";
import { defineScoreElement, SCORE_ELEMENT } from "./score-element.js";
import { startScorecard } from "./scorecard-view.js";

const MODES: readonly Mode[] = EMBED_MODES;
const LAST_LIQUIDATIONS = 3;
const CASCADE_POLL_MS = 15_000;
const CASCADE_PROBE_MS = 60_000;
/** Before any symbol has data, look again this soon. */
const CASCADE_WAIT_FOR_DATA_MS = 5_000;
/** The market strip and the clock badge share this poll. */
const MARKET_POLL_MS = 10_000;

const origin = location.origin;
const http = new LiqflowHttp(origin);
const stream = new LiqflowStream(origin);
defineScoreElement({ origin, stream: () => stream });

interface BiasCell {
  td: HTMLTableCellElement;
  arrow: HTMLElement;
  score: HTMLElement;
  conf: HTMLElement;
}

interface Row {
  symbol: string;
  tr: HTMLTableRowElement;
  price: HTMLTableCellElement;
  bias: Record<Mode, BiasCell>;
  cascade: HTMLTableCellElement;
  liqs: HTMLTableCellElement;
  updated: HTMLTableCellElement;
  /** Stands in for the data cells while the symbol has none (see {@link renderNoData}). */
  empty: HTMLTableCellElement;
  cells: HTMLTableCellElement[];
  hasData: boolean;
  lastPrice: number | null;
  liquidations: StoredLiquidation[];
}

const rows = new Map<string, Row>();
let updates = 0;
let clock: ClockBadge | null = null;

function makeRow(symbol: string): Row {
  const bias = {} as Record<Mode, BiasCell>;
  const cells = MODES.map((mode) => {
    const c: BiasCell = { td: el("td", { class: "bias none" }), arrow: el("span", { class: "arrow" }), score: el("span", { class: "score", text: "–" }), conf: el("span", { class: "conf" }) };
    c.td.dataset.mode = mode;
    c.td.append(c.arrow, c.score, c.conf);
    bias[mode] = c;
    return c.td;
  });
  const link = el("a", { text: symbol, attrs: { href: `/s/${symbol}` } });
  const row: Row = {
    symbol,
    tr: el("tr"),
    price: el("td", { class: "price num", text: "–" }),
    bias,
    cascade: el("td", { class: "cascade num", text: "–" }),
    liqs: el("td", { class: "liqs", text: "–" }),
    updated: el("td", { class: "updated num", text: "–" }),
    empty: el("td", { class: "nodata muted", attrs: { colspan: String(MODES.length + 5) } }),
    cells: [],
    hasData: true,
    lastPrice: null,
    liquidations: [],
  };
  row.cells = [row.price, ...cells, row.cascade, row.liqs, row.updated];
  row.tr.dataset.symbol = symbol;
  row.tr.append(el("td", { class: "sym" }, link), ...row.cells);
  return row;
}

/** A row whose symbol has no data yet reads as one sentence saying why; its cells come back with the first data. */
function renderNoData(row: Row, noData: boolean): void {
  if (noData) setText(row.empty, noDataText(clock?.mode ?? null));
  if (noData === !row.hasData) return;
  row.hasData = !noData;
  row.tr.classList.toggle("nodata", noData);
  row.tr.replaceChildren(row.tr.firstElementChild!, ...(noData ? [row.empty] : row.cells));
}

function renderPrice(row: Row, price: number | null): void {
  if (price === null) {
    if (row.lastPrice === null) {
      setText(row.price, "no price yet", "price num none");
      row.price.title = "no trade of this symbol has reached the engine yet";
    }
    return;
  }
  row.price.title = "";
  const move = row.lastPrice === null || price === row.lastPrice ? "" : price > row.lastPrice ? " up" : " down";
  row.lastPrice = price;
  setText(row.price, formatPrice(price), `price num${move}`);
  row.tr.dataset.price = String(price);
}

function renderBias(cell: BiasCell, mode: Mode, b: Pick<Bias, "score" | "confidence" | "direction" | "ts"> | null): void {
  if (!b) {
    setText(cell.arrow, "");
    setText(cell.score, "no bias yet");
    setText(cell.conf, "");
    cell.td.className = "bias none";
    delete cell.td.dataset.confidence;
    cell.td.title = `no ${mode} bias yet: the first one comes after a full ${mode} window of this symbol's events`;
    return;
  }
  const conf = confidenceStyle(b.confidence);
  setText(cell.arrow, directionArrow(b.direction));
  setText(cell.score, formatScore(b.score));
  setText(cell.conf, conf.weak ? `weak ${formatPct(b.confidence)}` : formatPct(b.confidence));
  cell.td.className = `bias ${b.direction} ${conf.className}${conf.weak ? "" : ` s${scoreStrength(b.score)}`}`;
  cell.td.dataset.confidence = String(b.confidence);
  cell.td.title = `${mode}: score ${b.score.toFixed(3)}, ${b.direction}, ${conf.label}, computed at ${formatDateTimeUtc(b.ts)} UTC`;
}

function renderUpdated(row: Row, ts: number | null): void {
  if (ts === null) return;
  setText(row.updated, formatDateTimeUtc(ts));
  row.tr.dataset.ts = String(ts);
}

function renderLiquidations(row: Row, totals?: LiquidationTotals): void {
  const shown = row.liquidations.slice(0, LAST_LIQUIDATIONS);
  if (shown.length === 0) {
    row.liqs.replaceChildren(el("span", { class: "muted", text: "none yet" }));
  } else {
    row.liqs.replaceChildren(
      ...shown.map((l) =>
        el("span", {
          class: `liq ${l.side}`,
          text: `${l.side === "long" ? "L" : "S"} ${formatUsd(l.notionalUsd)}`,
          title: `${l.side} position liquidated on ${l.venue} at ${formatPrice(l.price)}: ${l.qty} (${formatUsd(l.notionalUsd)}) · ${formatDateTimeUtc(l.ts)} UTC`,
        }),
      ),
      el("span", { class: "ago", text: formatTimeUtc(shown[0].ts) }),
    );
  }
  if (totals) row.liqs.title = `stored: ${totals.long.count} longs (${formatUsd(totals.long.notionalUsd)}), ${totals.short.count} shorts (${formatUsd(totals.short.notionalUsd)}) liquidated`;
}

function onBias(data: BiasData): void {
  const row = rows.get(data.symbol);
  if (!row) return;
  updates++;
  renderNoData(row, false);
  renderPrice(row, data.price);
  for (const mode of MODES) renderBias(row.bias[mode], mode, data.bias[mode]);
  renderUpdated(row, data.ts);
}

function onLiquidations(type: "snapshot" | "update", data: LiquidationsData): void {
  const row = rows.get(data.symbol);
  if (!row) return;
  row.liquidations = type === "snapshot" ? data.liquidations.slice(0, LAST_LIQUIDATIONS) : [...data.liquidations, ...row.liquidations].slice(0, LAST_LIQUIDATIONS);
  renderLiquidations(row, data.totals);
}

// ── cascade risk: from /v1/symbols/:s/cascade where the engine serves it ─────────────────

function renderCascade(row: Row, risk: CascadeRisk | null, why: string): void {
  if (!risk || !risk.available) {
    setText(row.cascade, "unavailable", "cascade num none");
    row.cascade.title = risk && !risk.available ? risk.reason : why;
    return;
  }
  const band = risk.bands.find((b) => b.bandPct === 1) ?? risk.bands[0];
  if (!band) {
    setText(row.cascade, "no band", "cascade num none");
    row.cascade.title = "the engine served no ±1% band";
    return;
  }
  const up = band.up.ratio;
  const down = band.down.ratio;
  const worst = Math.max(up ?? 0, down ?? 0);
  const text =
    up === null && down === null ? `↑${formatUsd(band.up.levelsUsd)} ↓${formatUsd(band.down.levelsUsd)}` : `↑${(up ?? 0).toFixed(2)}× ↓${(down ?? 0).toFixed(2)}×`;
  setText(row.cascade, text, `cascade num ${worst >= 1 ? "high" : worst >= 0.5 ? "mid" : "low"}`);
  row.cascade.title =
    `±${band.bandPct}% band: estimated liquidations ${formatUsd(band.up.levelsUsd)} above / ${formatUsd(band.down.levelsUsd)} below ` +
    `against book depth ${formatUsd(band.up.depthUsd)} / ${formatUsd(band.down.depthUsd)} (estimated)`;
}

async function pollCascade(): Promise<void> {
  // Only symbols with data: the maps of a symbol without events are 503 no_data, and asking
  // anyway fills the console with failed requests.
  const symbols = [...rows.values()].filter((r) => r.hasData).map((r) => r.symbol);
  if (symbols.length === 0) {
    setTimeout(pollCascade, CASCADE_WAIT_FOR_DATA_MS);
    return;
  }
  try {
    await http.cascade(symbols[0]);
  } catch (err) {
    const why = isNotAvailable(err) ? "cascade risk is not served by this engine yet" : `cascade risk: ${(err as Error).message}`;
    for (const row of rows.values()) renderCascade(row, null, why);
    setTimeout(pollCascade, CASCADE_PROBE_MS);
    return;
  }
  await Promise.all(
    symbols.map(async (s) => {
      const row = rows.get(s)!;
      try {
        renderCascade(row, await http.cascade(s), "");
      } catch (err) {
        renderCascade(row, null, (err as Error).message);
      }
    }),
  );
  setTimeout(pollCascade, CASCADE_POLL_MS);
}

// ── market strip ────────────────────────────────────────────────────────────────────────

async function pollMarket(): Promise<void> {
  const strip = byId("market");
  try {
    const m: Market & { clock?: ClockInfo | null } = await http.market();
    clock?.render(m);
    for (const row of rows.values()) if (!row.hasData) renderNoData(row, true);
    const parts: Node[] = [];
    for (const w of m.liquidations) {
      parts.push(
        el(
          "span",
          {
            class: "stat",
            title:
              `liquidated positions over the last ${w.window} of event time, all venues` +
              (w.total.sampling === "sampled" ? "; sampled: Binance and OKX publish at most one liquidation per symbol per second, so the figures are a lower bound" : ""),
          },
          el("b", { text: `liquidations ${w.window}` }),
          el("span", { class: "long", text: ` longs ${formatUsd(w.total.long.notionalUsd)} (${w.total.long.count})` }),
          el("span", { class: "short", text: ` shorts ${formatUsd(w.total.short.notionalUsd)} (${w.total.short.count})` }),
          ...(w.total.sampling === "sampled" ? [el("span", { class: "sampled", text: " sampled" })] : []),
        ),
      );
    }
    const day = m.breadth.day;
    if (day) {
      parts.push(
        el(
          "span",
          { class: "stat", title: "how many symbols lean each way in day mode" },
          el("b", { text: "day breadth" }),
          el("span", { class: "long", text: ` ${day.long} long` }),
          el("span", { class: "short", text: ` ${day.short} short` }),
          el("span", { text: ` ${day.neutral} neutral` }),
        ),
      );
    }
    // The windows end at the newest event any symbol reported; a row's time is its own last cycle (every 10 s of event time).
    if (m.ts !== null) {
      parts.push(el("span", { class: "stat muted", text: `windows end ${formatDateTimeUtc(m.ts)} UTC`, title: "the newest event time any symbol reported; each row's time is that symbol's last 10 s cycle" }));
      strip.dataset.ts = String(m.ts);
    }
    strip.replaceChildren(...parts);
  } catch (err) {
    clock?.fail((err as Error).message);
    strip.replaceChildren(el("span", { class: "stat muted", text: isNotAvailable(err) ? "" : `market overview unavailable: ${(err as Error).message}` }));
  }
  setTimeout(pollMarket, MARKET_POLL_MS);
}

// ── snippet generator ───────────────────────────────────────────────────────────────────

function setupSnippets(symbols: readonly string[]): void {
  const fill = (id: string, values: readonly string[], selected: string) => {
    const select = byId<HTMLSelectElement>(id);
    select.replaceChildren(...values.map((v) => el("option", { text: v, attrs: v === selected ? { value: v, selected: "" } : { value: v } })));
    return select;
  };
  const inputs = [
    fill("sn-symbol", symbols, symbols[0] ?? "BTCUSDT"),
    fill("sn-mode", EMBED_MODES, EMBED_DEFAULTS.mode),
    fill("sn-theme", EMBED_THEMES, "dark"),
    fill("sn-size", EMBED_SIZES, EMBED_DEFAULTS.size),
    fill("sn-kind", ["script", "iframe"], "script"),
  ];
  const key = byId<HTMLInputElement>("sn-key");
  const code = byId("sn-code");
  const preview = byId("sn-preview");
  const status = byId("sn-status");
  const render = () => {
    const kind = byId<HTMLSelectElement>("sn-kind").value === "iframe" ? "iframe" : "script";
    const parsed = parseEmbedOptions({
      symbol: byId<HTMLSelectElement>("sn-symbol").value,
      mode: byId<HTMLSelectElement>("sn-mode").value,
      theme: byId<HTMLSelectElement>("sn-theme").value,
      size: byId<HTMLSelectElement>("sn-size").value,
      key: kind === "iframe" ? key.value.trim() : "",
    });
    key.disabled = kind !== "iframe";
    if (!parsed.ok) {
      code.textContent = "";
      status.textContent = parsed.message;
      return;
    }
    status.textContent = "";
    const o = parsed.options;
    code.textContent = embedSnippet(origin, o, kind);
    if (kind === "script") {
      const widget = document.createElement(SCORE_ELEMENT);
      for (const [k, v] of Object.entries({ symbol: o.symbol, mode: o.mode, theme: o.theme, size: o.size })) widget.setAttribute(k, v);
      preview.replaceChildren(widget);
    } else {
      const { width, height } = IFRAME_SIZE[o.size];
      preview.replaceChildren(el("iframe", { attrs: { src: embedPagePath(o), title: "widget preview", width: String(width), height: String(height), style: "border:0" } }));
    }
  };
  for (const i of inputs) i.addEventListener("change", render);
  key.addEventListener("input", render);
  byId("sn-copy").addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(code.textContent ?? "");
      status.textContent = "copied";
    } catch {
      const range = document.createRange();
      range.selectNodeContents(code);
      getSelection()?.removeAllRanges();
      getSelection()?.addRange(range);
      status.textContent = "selected: press Ctrl+C / ⌘C";
    }
    setTimeout(() => (status.textContent = ""), 2_000);
  });
  render();
}

// ── start ───────────────────────────────────────────────────────────────────────────────

async function loadSymbols(): Promise<SymbolsList> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await http.symbols();
    } catch (err) {
      setText(byId("conn"), `API unreachable (${(err as Error).message}); retrying…`, "conn error");
      await new Promise((r) => setTimeout(r, Math.min(10_000, 1_000 * 2 ** attempt)));
    }
  }
}

async function main(): Promise<void> {
  const conn = byId("conn");
  clock = mountClockBadge({ before: conn, http, poll: false });
  stream.on("state", (state, info) => {
    setText(conn, connectionLabel(state, info), `conn ${state}`);
    conn.dataset.state = state;
  });
  const { symbols } = await loadSymbols();
  const body = byId("symbols").querySelector("tbody")!;
  for (const s of symbols) {
    const row = makeRow(s.symbol);
    rows.set(s.symbol, row);
    renderPrice(row, s.price);
    for (const mode of MODES) renderBias(row.bias[mode], mode, s.bias[mode] ?? null);
    renderUpdated(row, s.ts);
    renderNoData(row, s.price === null && s.ts === null && MODES.every((mode) => !s.bias[mode]));
  }
  body.replaceChildren(...[...rows.values()].map((r) => r.tr));
  setupSnippets(symbols.map((s) => s.symbol));

  stream.subscribe(ALL_BIAS, (m) => onBias(m.data));
  stream.subscribe(
    symbols.map((s) => `${s.symbol}:liquidations`),
    (m) => onLiquidations(m.type, m.data as LiquidationsData),
  );
  stream.on("gap", (g) => console.info(`liqflow: missed updates on ${g.channel} (expected seq ${g.expected}, got ${g.received}); resyncing`));
  setInterval(() => (byId("updates").textContent = `${updates} updates`), 1_000);
  void pollCascade();
  void pollMarket();
  startScorecard({ http, section: byId("scorecard") });
}

void main();
