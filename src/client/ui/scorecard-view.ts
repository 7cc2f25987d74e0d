/**
 * The scorecard section of the dashboard: per mode, each category's learned weight and its record
 * against outcomes (n, hit rate and rank IC with 95 % intervals, mean outcome per unit of score),
 * "not enough data" written out with how many outcomes are still needed, and the cards of each
 * category in a fold. Reads `GET /v1/weights` and `GET /v1/scorecard` (the aggregate of every
 * symbol); everything is written with textContent.
 */
import type { ScorecardResponse, WeightsResponse } from "../../protocol/http.js";
import type { Mode } from "../types.js";
import type { LiqflowHttp } from "../http.js";
import { el } from "./dom.js";

type ModeScorecard = ScorecardResponse["modes"][number];
type Row = ModeScorecard["categories"][number];
type ModeWeights = WeightsResponse["modes"][Mode];

const MINUS = "\u2212";

/** A signed number with a true minus: `+0.045`, `−0.040`. */
export function signed(x: number, digits: number): string {
  const s = x.toFixed(digits);
  if (Number(s) === 0) return (0).toFixed(digits);
  return x > 0 ? `+${s}` : `${MINUS}${s.slice(1)}`;
}

/** What a statistic cell shows: the value and its 95 % interval, or why there is none. */
export function statText(stat: Row["ic"] | Row["hitRate"] | Row["slope"], kind: "hit" | "signed"): { text: string; title: string; className: string } {
  if (stat.status === "not enough data") {
    return { text: "not enough data", title: `${stat.n} outcomes (n_eff ${stat.nEff.toFixed(1)}); needs ${stat.needed} more`, className: "muted" };
  }
  if (stat.status === "undefined") return { text: "undefined", title: stat.reason, className: "muted" };
  const fmt = (v: number) => (kind === "hit" ? `${(v * 100).toFixed(1)}%` : signed(v, 3));
  const above = kind === "hit" ? stat.lo > 0.5 : stat.lo > 0;
  const below = kind === "hit" ? stat.hi < 0.5 : stat.hi < 0;
  const verdict = above || below ? "significant" : "not distinguishable from noise";
  return {
    text: `${fmt(stat.value)} [${fmt(stat.lo)}, ${fmt(stat.hi)}]`,
    title: `95 % interval over n_eff ${stat.nEff.toFixed(1)}: ${verdict}`,
    className: above ? "long" : below ? "short" : "",
  };
}

function statCell(stat: Row["ic"] | Row["hitRate"] | Row["slope"], kind: "hit" | "signed"): HTMLTableCellElement {
  const t = statText(stat, kind);
  return el("td", { class: `num ${t.className}`.trim(), text: t.text, title: t.title });
}

function weightCell(weights: ModeWeights | undefined, category: string | null): HTMLTableCellElement {
  const w = weights?.categories.find((c) => c.category === category);
  if (w === undefined) return el("td", { class: "num muted", text: "–" });
  if (w.status === "not enough data") return el("td", { class: "num muted", text: "1 · not enough data", title: `${w.n} outcomes; the learner needs ${w.needed} more before it weighs this category` });
  return el("td", { class: `num ${w.weight > 1 ? "long" : w.weight < 1 ? "short" : ""}`.trim(), text: w.weight.toFixed(2), title: `learned from ${w.n} outcomes (uniform = 1)` });
}

function row(r: Row, weights: ModeWeights | undefined, showWeight: boolean): HTMLTableRowElement {
  const tr = el(
    "tr",
    {},
    el("td", { text: r.id }),
    showWeight ? weightCell(weights, r.category) : el("td", { class: "num muted", text: "" }),
    el("td", { class: "num", text: `${r.n}`, title: `n_eff = n / overlap = ${r.nEff.toFixed(1)}` }),
    statCell(r.hitRate, "hit"),
    statCell(r.ic, "signed"),
    statCell(r.slope, "signed"),
  );
  tr.dataset.id = r.id;
  tr.dataset.status = r.status;
  return tr;
}

function table(rows: readonly HTMLTableRowElement[], first: string): HTMLElement {
  const head = el(
    "tr",
    {},
    el("th", { text: first }),
    el("th", { class: "num", text: "weight" }),
    el("th", { class: "num", text: "n" }),
    el("th", { class: "num", text: "hit rate [95 %]", title: "share of calls (|score| above the threshold) whose sign matched the outcome's" }),
    el("th", { class: "num", text: "IC [95 %]", title: "rank correlation of score and outcome" }),
    el("th", { class: "num", text: "σ per unit score [95 %]", title: "mean outcome, in σ of the horizon, per unit of score" }),
  );
  return el("div", { class: "table-wrap" }, el("table", { class: "grid compact" }, el("thead", {}, head), el("tbody", {}, ...rows)));
}

function versusUniformText(w: ModeWeights | undefined): string {
  if (w === undefined) return "";
  const v = w.versusUniform;
  if (v.status === "not enough data") return `learned vs uniform: not enough data (${v.rounds} rounds; needs ${v.needed} more)`;
  const verdict = v.significant ? (v.meanGain > 0 ? "learned ahead" : "learned behind") : "not distinguishable from uniform";
  return `learned vs uniform: ${signed(v.meanGain, 4)} σ [${signed(v.lo, 4)}, ${signed(v.hi, 4)}], ${verdict}`;
}

/** The section's content for one mode. */
export function renderMode(card: ModeScorecard, weights: ModeWeights | undefined): HTMLElement {
  const minutes = card.horizonMs / 60_000;
  const summary = el(
    "p",
    { class: "status" },
    `${card.mode}: outcome = return over ${minutes >= 60 ? `${minutes / 60} h` : `${minutes} min`} in σ units; ` +
      `${card.bias.n} outcomes; overlap ${card.overlap} (intervals use n / ${card.overlap}); ` +
      (weights ? `weights version ${weights.version}, ${weights.rounds} rounds; ${versusUniformText(weights)}` : "weights unavailable"),
  );
  const categoryRows = [row(card.bias, weights, false), ...card.categories.map((c) => row(c, weights, true))];
  const cardRows = card.cards.map((c) => row(c, weights, false));
  const cards = el("details", {}, el("summary", { class: "muted small", text: `cards (${card.cards.length})` }), cardRows.length > 0 ? table(cardRows, "card") : el("p", { class: "muted small", text: "no card scored yet" }));
  return el("div", {}, summary, table(categoryRows, "category"), cards);
}

export interface ScorecardViewOptions {
  http: LiqflowHttp;
  /** The section to fill. */
  section: HTMLElement;
  pollMs?: number;
}

/** Fills `section` with mode tabs and the selected mode's scorecard, refreshed every `pollMs`. */
export function startScorecard(options: ScorecardViewOptions): void {
  const modes: Mode[] = ["scalp", "day", "swing"];
  let selected: Mode = "day";
  let data: { weights: WeightsResponse | null; scorecard: ScorecardResponse } | null = null;
  const tabs = el("div", { class: "modes" });
  const body = el("div", {}, el("p", { class: "muted", text: "Loading the scorecard…" }));
  const note = el("p", { class: "note" });
  options.section.replaceChildren(el("h2", { text: "Scorecard: does each signal predict?" }), tabs, body, note);

  const render = () => {
    tabs.replaceChildren(
      ...modes.map((m) => {
        const b = el("button", { class: `mode-tile${m === selected ? " selected" : ""}`, attrs: { type: "button" } }, el("span", { class: "mode-name", text: m }));
        b.addEventListener("click", () => {
          selected = m;
          render();
        });
        return b;
      }),
    );
    if (data === null) return;
    const card = data.scorecard.modes.find((m) => m.mode === selected);
    body.replaceChildren(card ? renderMode(card, data.weights?.modes[selected]) : el("p", { class: "muted", text: `no ${selected} scorecard` }));
    note.textContent = data.scorecard.intervals;
  };

  const poll = async () => {
    try {
      const [scorecard, weights] = await Promise.all([
        options.http.get<ScorecardResponse>("/v1/scorecard"),
        options.http.get<WeightsResponse>("/v1/weights").catch(() => null),
      ]);
      data = { scorecard, weights };
    } catch (err) {
      if (data === null) body.replaceChildren(el("p", { class: "muted", text: `scorecard unavailable: ${(err as Error).message}` }));
    }
    render();
    setTimeout(poll, options.pollMs ?? 60_000);
  };
  render();
  void poll();
}
