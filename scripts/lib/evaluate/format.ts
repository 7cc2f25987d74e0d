/**
 * The text report of `npm run evaluate`: one block per mode, fixed-width columns, every interval
 * 95 %. A statistic whose interval excludes no effect is marked `*`; one that includes it is
 * printed as it is, never called a weak effect. Deterministic: the same report gives the same text.
 */
import { CATEGORY_IDS } from "../../../src/domain/cards/categories.js";
import type { DiffStat, HitRateStat, IntervalStat } from "../../../src/domain/learning/scorecard.js";
import type { EvaluationReport, ModeReport } from "./evaluation.js";
import type { RunSummary } from "./run.js";
import type { DifferenceSummary, IntervalValue, KeyedScorecard, SignalSummary } from "./statistics.js";

/** The whole report as text (ends with a newline). */
export function formatReport(report: EvaluationReport, summary: RunSummary, train: number): string {
  const lines = [
    `evaluate: ${summary.files} file(s), ${summary.symbols} symbol(s), ${summary.events} events (${summary.bars} bars), cycle ${summary.cycleMs / 1000} s`,
    `span ${iso(summary.span.fromTs)} to ${iso(summary.span.toTs)}; test part: predictions from ${iso(report.splitTs)} (train ${train})`,
    "Out of sample: weights learned walk-forward (an outcome trains only after its horizon has ended, outcomes straddling the split never);",
    `intervals 95 %; bias intervals by bootstrap over UTC days (${report.bootstrap.B} draws, seed ${report.bootstrap.seed}, widened for few days); * = interval excludes no effect.`,
  ];
  for (const mode of report.modes) lines.push("", ...formatMode(mode));
  return `${lines.join("\n")}\n`;
}

/** One mode's block. */
export function formatMode(m: ModeReport): string[] {
  const c = m.counts;
  const out = [
    `== ${m.mode}: horizon ${duration(m.horizonMs)}, a prediction every ${duration(m.cadenceMs)} per symbol (overlap ${round(m.overlap, 1)}) ==`,
    `outcomes: ${c.outcomes} scored; train ${c.train}, test ${c.test} (${m.test.days} UTC days${m.test.fromTs === null ? "" : `, ${iso(m.test.fromTs)} to ${iso(m.test.toTs as number)}`}, ${m.test.symbols.length} symbols), ${c.unmatched} without a learned bias`,
    `learner: ${c.trained} outcomes trained in ${c.rounds} rounds, ${c.purged} purged at the split, ${c.late} late; η ${round(m.learner.learningRate, 4)}, share ${m.learner.share}, floor ${m.learner.floor}, weights version ${m.weights.version}`,
    "",
    row(["bias", "n", "days", "hit rate [95 %]", "IC [95 %]", "mean s·y [95 %]"], BIAS_WIDTHS),
    ...signalRows("uniform (published)", m.bias.uniform),
    ...signalRows("learned", m.bias.learned),
    ...differenceRows(m.bias.learnedMinusUniform),
    "",
    `categories (test part; scorecard intervals with n_eff = n / ${round(m.overlap, 1)}; weight and n_learned: the learner at the end)`,
    row(["category", "n", "n_eff", "hit rate [95 %]", "IC [95 %]", "weight", "n_learned", "status"], KEY_WIDTHS),
  ];
  const cards = new Map(m.categories.map((k) => [k.id, k]));
  const weights = new Map(m.weights.categories.map((w) => [w.category, w]));
  let silent = 0;
  for (const id of CATEGORY_IDS) {
    const card = cards.get(id);
    const w = weights.get(id);
    if (card === undefined && (w === undefined || w.n === 0)) {
      silent++;
      continue;
    }
    const weight = w === undefined ? "" : w.status === "learned" ? num(w.weight, 3, false) : "1 (floor)";
    out.push(row([id, ...scoreCells(card), weight, w === undefined ? "" : String(w.n), card?.status ?? "no test data"], KEY_WIDTHS));
  }
  if (silent > 0) out.push(`(${silent} categories never available in these recordings)`);
  out.push("", `cards at the mode's leading timeframe (test part, n_eff = n / ${round(m.overlap, 1)})`);
  out.push(row(["card", "n", "n_eff", "hit rate [95 %]", "IC [95 %]", "", "", "status"], KEY_WIDTHS));
  for (const card of m.cards) out.push(row([card.id, ...scoreCells(card), "", "", card.status], KEY_WIDTHS));
  if (m.cards.length === 0) out.push("(no card available in the test part)");
  return out;
}

const BIAS_WIDTHS = [22, 8, 6, 26, 28, 28];
const KEY_WIDTHS = [34, 8, 9, 26, 28, 10, 10, 0];

function signalRows(label: string, s: SignalSummary): string[] {
  if (s.status !== "ok") return [row([label, String(s.n), String(s.days), `not enough data: ${s.reason}`], BIAS_WIDTHS)];
  return [row([label, String(s.n), String(s.days), interval(s.hitRate, 3, false), interval(s.ic, 3, true), interval(s.meanScoreOutcome, 4, true)], BIAS_WIDTHS)];
}

function differenceRows(d: DifferenceSummary): string[] {
  if (d.status !== "ok") return [row(["learned − uniform", String(d.n), String(d.days), `not enough data: ${d.reason}`], BIAS_WIDTHS)];
  const cells = [d.hitRate, d.ic, d.meanScoreOutcome].map((x, i) => diff(x, i === 2 ? 4 : 3));
  return [
    row(["learned − uniform", String(d.n), String(d.days), ...cells], BIAS_WIDTHS),
    `verdict: hit rate ${d.hitRate.verdict}; IC ${d.ic.verdict}; mean s·y ${d.meanScoreOutcome.verdict}`,
  ];
}

function scoreCells(card: KeyedScorecard | undefined): string[] {
  if (card === undefined) return ["0", "0", "", ""];
  return [String(card.n), round(card.nEff, 1), stat(card.hitRate, 3, false), stat(card.ic, 3, true)];
}

function stat(s: HitRateStat | IntervalStat, digits: number, signed: boolean): string {
  if (s.status === "not enough data") return `n.e.d. (${s.needed} more)`;
  if (s.status === "undefined") return `undefined`;
  return `${num(s.value, digits, signed)} [${num(s.lo, digits, signed)}, ${num(s.hi, digits, signed)}]${s.significant ? " *" : ""}`;
}

function interval(s: IntervalValue, digits: number, signed: boolean): string {
  if (s.status !== "ok") return `undefined (${s.reason})`;
  return `${num(s.value, digits, signed)} [${num(s.lo, digits, signed)}, ${num(s.hi, digits, signed)}]${s.significant ? " *" : ""}`;
}

function diff(d: DiffStat, digits: number): string {
  if (d.status !== "ok") return `undefined (${d.reason})`;
  return `${num(d.estimate, digits, true)} [${num(d.lo, digits, true)}, ${num(d.hi, digits, true)}]${d.excludesZero ? " *" : ""}`;
}

function row(cells: readonly string[], widths: readonly number[]): string {
  return cells
    .map((c, i) => (i === 0 ? c.padEnd(widths[i]) : i === cells.length - 1 ? c : c.padEnd(widths[i])))
    .join(" ")
    .trimEnd();
}

function num(x: number, digits: number, signed: boolean): string {
  const s = (x + 0).toFixed(digits);
  return signed && x >= 0 ? `+${s}` : s;
}

function round(x: number, digits: number): string {
  return String(Number(x.toFixed(digits)));
}

function duration(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000} h`;
  if (ms % 60_000 === 0) return `${ms / 60_000} min`;
  return `${ms / 1000} s`;
}

function iso(ts: number): string {
  return new Date(ts).toISOString().replace(":00.000Z", "Z");
}
