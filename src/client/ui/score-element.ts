/**
 * `<liqflow-score symbol="BTCUSDT" mode="day" theme="light|dark" size="compact|full">`: a live
 * bias score in a Shadow DOM (styles neither leak out nor in: `:host { all: initial }`).
 * Everything shown is set with textContent; attribute values are validated by
 * `parseEmbedOptions` and never rendered as HTML.
 *
 * What it says honestly:
 * - **No data.** A symbol without data is answered `nodata` by the stream: the widget shows
 *   "no data for SOLUSDT yet" (`data-status="nodata"`, the server's reason as the title), and
 *   the score once the first value comes.
 * - **Weak scores look weak.** Below WEAK_CONFIDENCE (0.3, format.ts, the threshold the
 *   dashboard uses) the score is dimmed and smaller (`data-weak`), and its confidence is written
 *   beside it ("weak · 9%") in every size.
 * - **Old data shows its date.** The event time is shown in the viewer's time zone; when it is
 *   not from the viewer's today (a replay of 2023–2025 recordings, a stalled feed) the date is
 *   shown too. Its title is the ISO time, UTC.
 * - **One long/short scheme.** `--long`, `--short` and `--weak-opacity` are the dashboard's
 *   custom properties (public/assets/app.css); the dark theme uses its colours, the light theme
 *   darker shades of the same hues for contrast on white.
 */
import { type EmbedOptions, eventTimeLabel, parseEmbedOptions } from "../embed.js";
import type { LiqflowStream, StreamState, Subscription } from "../stream.js";
import type { BiasData } from "../types.js";
import { confidenceStyle, directionArrow, formatPct, formatPrice, formatScore, scoreStrength } from "./format.js";

export const SCORE_ELEMENT = "liqflow-score";

const CSS = `
:host { all: initial; display: inline-block; vertical-align: middle; contain: content;
  font: 13px/1.35 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  --fg: #1d2330; --muted: #6b7280; --bg: #ffffff; --border: #e3e6ec; --track: #eef0f4;
  --long: #0a7d38; --short: #b3261e; --neutral: #6b7280; --weak-opacity: .45; color: var(--fg); }
:host([hidden]) { display: none; }
:host([theme="dark"]) { --fg: #e6e9ef; --muted: #9aa3b2; --bg: #151a23; --border: #2a3140; --track: #232a37;
  --long: #2fd17a; --short: #ff5a4f; --neutral: #9aa3b2; }
.w { box-sizing: border-box; background: var(--bg); border: 1px solid var(--border); border-radius: 8px; padding: 8px 10px; min-width: 200px; }
.head, .main, .meta, .foot { display: flex; align-items: baseline; gap: 6px; }
.head { justify-content: space-between; color: var(--muted); font-size: 11px; text-transform: uppercase; letter-spacing: .04em; }
.sym { color: var(--fg); font-weight: 600; letter-spacing: 0; text-transform: none; font-size: 12px; }
.main { margin-top: 2px; }
.arrow { font-size: 14px; }
.score { font: 600 22px/1.15 ui-monospace, SFMono-Regular, Menlo, monospace; font-variant-numeric: tabular-nums; }
.dir { font-size: 12px; font-weight: 600; text-transform: uppercase; }
.cf { font-size: 11px; color: var(--muted); font-variant-numeric: tabular-nums; white-space: nowrap; }
:host([data-weak]) .arrow, :host([data-weak]) .score, :host([data-weak]) .dir, :host([data-weak]) .fill { opacity: var(--weak-opacity); }
:host([data-weak]) .score { font-size: 17px; } :host([size="compact"][data-weak]) .score { font-size: 13px; }
.long { color: var(--long); } .short { color: var(--short); } .neutral { color: var(--neutral); }
.bar { position: relative; height: 4px; background: var(--track); border-radius: 2px; margin: 6px 0 4px; overflow: hidden; }
.bar::after { content: ""; position: absolute; left: 50%; top: 0; bottom: 0; width: 1px; background: var(--border); }
.fill { position: absolute; top: 0; bottom: 0; }
.fill.long { background: var(--long); left: 50%; } .fill.short { background: var(--short); right: 50%; } .fill.neutral { background: var(--neutral); left: 50%; }
.meta, .foot { justify-content: space-between; color: var(--muted); font-size: 11px; font-variant-numeric: tabular-nums; }
.brand { color: var(--muted); text-decoration: none; } .brand:hover { text-decoration: underline; }
.msg { color: var(--muted); font-size: 12px; }
.msg:empty { display: none; }
:host([size="compact"]) .w { display: flex; align-items: center; gap: 8px; padding: 5px 9px; min-width: 0; }
:host([size="compact"]) .head { font-size: 11px; } :host([size="compact"]) .mode { display: none; }
:host([size="compact"]) .main { margin: 0; } :host([size="compact"]) .score { font-size: 15px; }
:host([size="compact"]) .bar, :host([size="compact"]) .meta, :host([size="compact"]) .foot .brand { display: none; }
:host([size="compact"]) .foot { font-size: 10px; }
:host(:not([data-status="live"])) .main, :host(:not([data-status="live"])) .bar, :host(:not([data-status="live"])) .meta { display: none; }
:host([data-status="error"]) .head, :host([data-status="error"]) .foot { display: none; }
.flash { animation: flash .6s ease-out; }
@keyframes flash { from { opacity: .35; } to { opacity: 1; } }
@media (prefers-reduced-motion: reduce) { .flash { animation: none; } }
`;

type Status = "idle" | "connecting" | "live" | "nodata" | "error";

export interface ScoreElementContext {
  /** The stream the elements share (one connection per page and origin). */
  stream: () => LiqflowStream;
  /** The engine's origin (for the brand link). */
  origin: string;
}

/** Defines `<liqflow-score>` once per page (a second definition is ignored). */
export function defineScoreElement(context: ScoreElementContext): void {
  if (typeof customElements === "undefined" || customElements.get(SCORE_ELEMENT)) return;

  let sheet: CSSStyleSheet | null = null;
  const styleFor = (root: ShadowRoot) => {
    // Constructable stylesheets are not inline styles, so a host page's CSP does not block them.
    if ("adoptedStyleSheets" in root && typeof CSSStyleSheet === "function" && "replaceSync" in CSSStyleSheet.prototype) {
      sheet ??= new CSSStyleSheet();
      if (sheet.cssRules.length === 0) sheet.replaceSync(CSS);
      root.adoptedStyleSheets = [sheet];
    } else {
      const style = document.createElement("style");
      style.textContent = CSS;
      root.append(style);
    }
  };

  class LiqflowScoreElement extends HTMLElement {
    static observedAttributes = ["symbol", "mode", "theme", "size"];

    private readonly ui: Record<"sym" | "mode" | "arrow" | "score" | "dir" | "cf" | "fill" | "conf" | "price" | "ts" | "msg", HTMLElement>;
    private readonly main: HTMLElement;
    private options: EmbedOptions | null = null;
    private subscription: Subscription | null = null;
    private subscribedTo = "";
    private latest: BiasData | null = null;
    private status: Status = "idle";
    private offState: (() => void) | null = null;

    constructor() {
      super();
      const root = this.attachShadow({ mode: "open" });
      styleFor(root);
      const make = (tag: string, className: string, part?: string) => {
        const el = document.createElement(tag);
        el.className = className;
        if (part) el.setAttribute("part", part);
        return el;
      };
      const w = make("div", "w", "widget");
      const head = make("div", "head");
      const main = make("div", "main");
      const bar = make("div", "bar");
      const meta = make("div", "meta");
      const foot = make("div", "foot");
      this.ui = {
        sym: make("span", "sym", "symbol"),
        mode: make("span", "mode", "mode"),
        arrow: make("span", "arrow", "arrow"),
        score: make("span", "score", "score"),
        dir: make("span", "dir", "direction"),
        cf: make("span", "cf", "strength"),
        fill: make("span", "fill"),
        conf: make("span", "conf", "confidence"),
        price: make("span", "price", "price"),
        ts: make("span", "ts", "time"),
        msg: make("div", "msg", "message"),
      };
      const brand = make("a", "brand") as HTMLAnchorElement;
      brand.href = context.origin;
      brand.target = "_blank";
      brand.rel = "noopener";
      brand.textContent = "liqflow";
      head.append(this.ui.sym, this.ui.mode);
      main.append(this.ui.arrow, this.ui.score, this.ui.dir, this.ui.cf);
      bar.append(this.ui.fill);
      meta.append(this.ui.conf, this.ui.price);
      foot.append(this.ui.ts, brand);
      w.append(head, main, bar, meta, foot, this.ui.msg);
      root.append(w);
      this.main = main;
    }

    connectedCallback(): void {
      this.offState ??= context.stream().on("state", (state) => this.onStreamState(state));
      this.configure();
    }

    disconnectedCallback(): void {
      this.subscription?.unsubscribe();
      this.subscription = null;
      this.subscribedTo = "";
      this.offState?.();
      this.offState = null;
    }

    attributeChangedCallback(): void {
      if (this.isConnected) this.configure();
    }

    private configure(): void {
      const parsed = parseEmbedOptions({
        symbol: this.getAttribute("symbol"),
        mode: this.getAttribute("mode"),
        theme: this.getAttribute("theme"),
        size: this.getAttribute("size"),
      });
      if (!parsed.ok) {
        this.options = null;
        this.subscription?.unsubscribe();
        this.subscription = null;
        this.subscribedTo = "";
        this.setStatus("error", `liqflow: ${parsed.message}`);
        return;
      }
      this.options = parsed.options;
      const channel = `${parsed.options.symbol}:bias` as const;
      if (channel !== this.subscribedTo) {
        this.subscription?.unsubscribe();
        this.latest = null;
        this.subscribedTo = channel;
        this.setStatus("connecting", "connecting…");
        this.subscription = context.stream().subscribe(channel, (m) => this.onBias(m.data), {
          onError: (err) => this.setStatus("error", err.code === "unknown_symbol" ? `liqflow: ${parsed.options.symbol} is not tracked` : `liqflow: ${err.message}`),
          onNoData: (info) => this.onNoData(info.reason),
        });
      }
      this.render(false);
    }

    /** Keeps the last value on screen while the stream reconnects, and says so. */
    private onStreamState(state: StreamState): void {
      if (this.status === "error") return;
      if (state === "reconnecting") this.ui.msg.textContent = "reconnecting…";
      else if (state === "open") this.ui.msg.textContent = this.status === "connecting" ? "waiting for data…" : this.status === "live" ? "" : this.ui.msg.textContent;
    }

    /** The stream has no value for the symbol yet: say so (the value follows when data arrives). */
    private onNoData(reason: string): void {
      if (!this.options || this.status === "error") return;
      this.latest = null;
      this.setStatus("nodata", `no data for ${this.options.symbol} yet`);
      this.ui.msg.title = reason;
    }

    private onBias(data: BiasData): void {
      if (!this.options || data?.symbol !== this.options.symbol) return;
      this.latest = data;
      this.render(true);
    }

    private render(flash: boolean): void {
      const o = this.options;
      if (!o) return;
      this.ui.sym.textContent = o.symbol;
      this.ui.mode.textContent = o.mode;
      const data = this.latest;
      const bias = data?.bias?.[o.mode] ?? null;
      if (!data) return;
      if (!bias) {
        this.setStatus("nodata", `no ${o.mode} bias yet`);
        return;
      }
      this.setStatus("live", "");
      const dir = bias.direction;
      this.ui.arrow.textContent = directionArrow(dir);
      this.ui.arrow.className = `arrow ${dir}`;
      this.ui.score.textContent = formatScore(bias.score);
      this.ui.score.className = `score ${dir}`;
      this.ui.dir.textContent = dir;
      this.ui.dir.className = `dir ${dir}`;
      this.ui.fill.className = `fill ${dir}`;
      this.ui.fill.style.width = `${Math.min(50, Math.abs(bias.score) * 50)}%`;
      const confidence = confidenceStyle(bias.confidence);
      this.toggleAttribute("data-weak", confidence.weak);
      this.ui.cf.textContent = confidence.weak ? `weak · ${formatPct(bias.confidence)}` : formatPct(bias.confidence);
      this.ui.cf.title = confidence.label;
      this.ui.conf.textContent = `confidence ${formatPct(bias.confidence)}`;
      this.ui.price.textContent = data.price === null ? "" : formatPrice(data.price);
      const time = eventTimeLabel(bias.ts, Date.now());
      this.ui.ts.textContent = time.text;
      this.ui.ts.title = time.title;
      this.toggleAttribute("data-old", !time.today);
      this.setAttribute(
        "aria-label",
        `${o.symbol} ${o.mode} bias ${formatScore(bias.score)} ${dir}, ${confidence.label}, strength ${scoreStrength(bias.score)} of 3, as of ${time.title}`,
      );
      if (flash) {
        this.main.classList.remove("flash");
        void this.main.offsetWidth;
        this.main.classList.add("flash");
      }
    }

    private setStatus(status: Status, message: string): void {
      this.status = status;
      this.setAttribute("data-status", status);
      this.ui.msg.textContent = message;
      this.ui.msg.title = "";
      if (status !== "live") {
        // Nothing of an earlier value stays on screen as if it were current.
        for (const k of ["arrow", "score", "dir", "cf", "conf", "price", "ts"] as const) this.ui[k].textContent = "";
        this.ui.fill.style.width = "0";
        this.removeAttribute("data-weak");
        this.removeAttribute("data-old");
        if (status === "error") this.ui.sym.textContent = "";
      }
    }
  }

  customElements.define(SCORE_ELEMENT, LiqflowScoreElement);
}

