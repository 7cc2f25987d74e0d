/**
 * The out-of-sample statistics of `npm run evaluate`, after ../shared/EVALUATION.md: every
 * interval 95 %, and one that includes no effect is "not distinguishable from noise".
 *
 * The bias, uniform and learned. Hit rate (|score| > 0.05, outcome ≠ 0), Spearman IC and mean
 * score·outcome, each with a percentile interval from a bootstrap over UTC days (`bootstrapDiff`
 * of src/domain/learning/scorecard.ts with `group` = the prediction's UTC date: all symbols and
 * all overlapping horizons of a day are drawn together). One signal's own interval is read from
 * the same bootstrap against its mirror image −A on the same outcomes:
 *
 *   hit(A) − hit(−A) = 2·hit(A) − 1     IC(A) − IC(−A) = 2·IC(A)     gain(A) − gain(−A) = 2·gain(A)
 *
 * (the counted pairs are the same, and mid-ranks of −s are n + 1 minus those of s), so
 * hit = (d + 1)/2 and IC = d/2 for the estimate and both percentiles: exactly the day bootstrap
 * of A alone, with no second resampler. The difference learned − uniform is the paired bootstrap
 * of the two on the same days (same seed, so the same draws as the single-signal intervals).
 *
 * Few days. A percentile bootstrap over G clusters is too narrow when G is small: on seeded null
 * streams with G = 10 test days (test/unit/evaluate) the plain intervals excluded 0 in 10–13 % of
 * runs instead of 5 %. Every bootstrap interval is therefore widened about its estimate by
 *
 *   k = √(G / (G − 1)) · t_{G−1, 0.975} / z_{0.975}      (G = 10: 1.215; G = 14: 1.144; G → ∞: 1)
 *
 * the usual few-clusters correction (degrees-of-freedom factor and t quantile with G − 1
 * degrees of freedom, as Cameron & Miller 2015 advise for cluster-robust inference), then clamped
 * to the statistic's range. t quantile: Cornish–Fisher expansion, Abramowitz & Stegun 26.7.5
 * (t_{9, 0.975} = 2.2622).
 *
 * Per category and per card: `scorecard` (Wilson hit rate, Fisher-z Spearman, slope) with
 * `overlap` = horizon / prediction cadence, the count of overlapping outcomes per symbol
 * (n_eff = n / overlap). It treats symbols of one moment as independent, so those intervals are
 * narrower than a day bootstrap would give: read a lone "significant" card with care.
 */
import { bootstrapDiff, scorecard, Z95, type DiffStat, type Scorecard, type ScorePair } from "../../../src/domain/learning/scorecard.js";
import type { KeyedPairs } from "./out-of-sample.js";

export interface BootstrapSettings {
  /** Replicates. Default 1,000. */
  B: number;
  /** Seed of the resampling. Default 1. */
  seed: number;
  /** Minimum number of UTC days. Default 10. */
  minGroups: number;
  /** Overlap of consecutive outcomes (horizon / cadence): the floor applies to n / overlap. */
  overlap: number;
}

export const BOOTSTRAP_DEFAULTS = { B: 1_000, seed: 1, minGroups: 10 } as const;

/** A statistic with its 95 % interval; `significant` when the interval excludes no effect. */
export type IntervalValue = { status: "ok"; value: number; lo: number; hi: number; significant: boolean } | { status: "undefined"; reason: string };

export type SignalSummary =
  | { status: "ok"; n: number; days: number; calls: number; hitRate: IntervalValue; ic: IntervalValue; meanScoreOutcome: IntervalValue }
  | { status: "not enough data"; n: number; days: number; needed: number; reason: string };

export type Verdict = "learned better" | "learned worse" | "not distinguishable from noise" | "undefined";

export type DifferenceSummary =
  | { status: "ok"; n: number; days: number; hitRate: DiffStat & { verdict: Verdict }; ic: DiffStat & { verdict: Verdict }; meanScoreOutcome: DiffStat & { verdict: Verdict } }
  | { status: "not enough data"; n: number; days: number; needed: number; reason: string };

/** One category's or card's scorecard on the test part. */
export interface KeyedScorecard extends Scorecard {
  id: string;
}

/** A UTC date `YYYY-MM-DD` of an event-time ms. */
export function utcDay(ts: number): string {
  return new Date(ts).toISOString().slice(0, 10);
}

/** Hit rate, IC and mean score·outcome of one signal with day-bootstrap intervals (module comment). */
export function signalSummary(pairs: readonly ScorePair[], settings: BootstrapSettings): SignalSummary {
  const mirror = pairs.map((p) => ({ ...p, score: -p.score }));
  const r = bootstrapDiff(pairs, mirror, bootstrapOptions(settings));
  const days = countGroups(pairs);
  if (r.status !== "ok") return { status: "not enough data", n: r.n, days, needed: r.needed, reason: shortfall(r.n, days, settings) };
  const calls = pairs.reduce((k, p) => k + (Math.abs(p.score) > 0.05 && p.outcome !== 0 ? 1 : 0), 0);
  const k = fewClustersFactor(r.groups);
  return {
    status: "ok",
    n: r.n,
    days: r.groups,
    calls,
    hitRate: halved(widened(r.hitRate, k, [-1, 1]), 1, 0.5),
    ic: halved(widened(r.ic, k, [-2, 2]), 0, 0),
    meanScoreOutcome: halved(widened(r.gain, k, [-Infinity, Infinity]), 0, 0),
  };
}

/** learned − uniform on the same outcomes, paired day bootstrap. */
export function differenceSummary(learned: readonly ScorePair[], uniform: readonly ScorePair[], settings: BootstrapSettings): DifferenceSummary {
  const r = bootstrapDiff(learned, uniform, bootstrapOptions(settings));
  const days = countGroups(learned);
  if (r.status !== "ok") return { status: "not enough data", n: r.n, days, needed: r.needed, reason: shortfall(r.n, days, settings) };
  const k = fewClustersFactor(r.groups);
  return {
    status: "ok",
    n: r.n,
    days: r.groups,
    hitRate: withVerdict(widened(r.hitRate, k, [-1, 1])),
    ic: withVerdict(widened(r.ic, k, [-2, 2])),
    meanScoreOutcome: withVerdict(widened(r.gain, k, [-Infinity, Infinity])),
  };
}

/** Scorecards of keyed pairs (categories or cards), in key order. */
export function keyedScorecards(keyed: readonly KeyedPairs[], overlap: number): KeyedScorecard[] {
  return keyed.map(({ key, pairs }) => ({ id: key, ...scorecard(pairs, { overlap }) }));
}

/** What a verdict on a difference says (EVALUATION.md: an interval including 0 is noise). */
export function verdictOf(d: DiffStat): Verdict {
  if (d.status !== "ok") return "undefined";
  if (!d.excludesZero) return "not distinguishable from noise";
  return d.lo > 0 ? "learned better" : "learned worse";
}

/** k = √(G/(G−1)) · t_{G−1, 0.975} / z_{0.975} for G ≥ 2 clusters (module comment). */
export function fewClustersFactor(groups: number): number {
  if (!(Number.isInteger(groups) && groups >= 2)) throw new Error(`fewClustersFactor: need an integer >= 2 groups (got ${String(groups)})`);
  return Math.sqrt(groups / (groups - 1)) * (tQuantile975(groups - 1) / Z95);
}

/** t_{ν, 0.975} by the Cornish–Fisher expansion in 1/ν (Abramowitz & Stegun 26.7.5); within 1e-3 for ν ≥ 5. */
export function tQuantile975(nu: number): number {
  const z = Z95;
  const z3 = z ** 3;
  const z5 = z ** 5;
  const z7 = z ** 7;
  const z9 = z ** 9;
  const g1 = (z3 + z) / 4;
  const g2 = (5 * z5 + 16 * z3 + 3 * z) / 96;
  const g3 = (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / 384;
  const g4 = (79 * z9 + 776 * z7 + 1482 * z5 - 1920 * z3 - 945 * z) / 92160;
  return z + g1 / nu + g2 / nu ** 2 + g3 / nu ** 3 + g4 / nu ** 4;
}

/** The interval stretched by k about the estimate, clamped to [min, max]. */
function widened(d: DiffStat, k: number, [min, max]: [number, number]): DiffStat {
  if (d.status !== "ok") return d;
  const lo = Math.max(min, d.estimate - k * (d.estimate - d.lo));
  const hi = Math.min(max, d.estimate + k * (d.hi - d.estimate));
  return { ...d, lo, hi, excludesZero: lo > 0 || hi < 0 };
}

function withVerdict(d: DiffStat): DiffStat & { verdict: Verdict } {
  return { ...d, verdict: verdictOf(d) };
}

/** (d + shift)/2 of a difference against the mirror: the signal's own statistic. */
function halved(d: DiffStat, shift: number, none: number): IntervalValue {
  if (d.status !== "ok") return { status: "undefined", reason: d.reason };
  const f = (x: number) => (x + shift) / 2 + 0;
  const lo = f(d.lo);
  const hi = f(d.hi);
  return { status: "ok", value: f(d.estimate), lo, hi, significant: lo > none || hi < none };
}

function bootstrapOptions(s: BootstrapSettings) {
  return { B: s.B, seed: s.seed, minGroups: s.minGroups, overlap: s.overlap };
}

function countGroups(pairs: readonly ScorePair[]): number {
  return new Set(pairs.map((p) => p.group)).size;
}

function shortfall(n: number, days: number, s: BootstrapSettings): string {
  if (days < s.minGroups) return `${days} UTC day(s) of test outcomes, ${s.minGroups} needed`;
  return `${n} outcomes overlapping ${s.overlap}-fold (${(n / s.overlap).toFixed(1)} effective), 30 effective needed`;
}
