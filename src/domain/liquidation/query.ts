/**
 * Validation of liquidation-map queries. A bad query throws `LiquidationQueryError` whose
 * `field` names the parameter and whose message names its bound, e.g.
 * `heatmap query: windowMs must be <= 86400000 (got 90000000)`; the API turns it into a
 * 400 `bad_parameter`.
 */
import { VENUES, type Venue } from "../events.js";
import type { HeatmapQuery, LevelsQuery } from "../../protocol/liquidation.js";
import type { HeatmapRequest } from "./realized.js";

export class LiquidationQueryError extends Error {
  constructor(
    /** The offending query field, e.g. `windowMs`. */
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = "LiquidationQueryError";
  }
}

/** Most time bins one heatmap may have (24 h of 1-minute bins). */
export const MAX_TIME_BINS = 1_440;
/** Most clusters one request may ask for. */
export const MAX_CLUSTERS = 100;

function check(what: string, field: string, value: unknown, min: number, max: number, opts: { int?: boolean; minExclusive?: boolean } = {}): number {
  const got = typeof value === "number" ? String(value) : JSON.stringify(value) ?? "nothing";
  if (typeof value !== "number" || !Number.isFinite(value)) throw new LiquidationQueryError(field, `${what} query: ${field} must be a finite number (got ${got})`);
  if (opts.int && !Number.isInteger(value)) throw new LiquidationQueryError(field, `${what} query: ${field} must be an integer (got ${got})`);
  if (opts.minExclusive ? value <= min : value < min) throw new LiquidationQueryError(field, `${what} query: ${field} must be ${opts.minExclusive ? ">" : ">="} ${min} (got ${got})`);
  if (value > max) throw new LiquidationQueryError(field, `${what} query: ${field} must be <= ${max} (got ${got})`);
  return value;
}

/**
 * A complete heatmap request from a partial query: defaults from the config; windowMs in
 * [timeBinMs, retentionMs] and a multiple of timeBinMs with at most 1,440 bins; timeBinMs in
 * [1000, 3600000]; exactly one of priceBinBps (0.1..1000) or priceBinTick (> 0).
 */
export function parseHeatmapQuery(
  query: HeatmapQuery | undefined,
  defaults: { windowMs: number; timeBinMs: number; priceBinBps: number; retentionMs: number },
): HeatmapRequest {
  const q = query ?? {};
  for (const key of Object.keys(q)) {
    if (!["windowMs", "timeBinMs", "priceBinBps", "priceBinTick", "venues"].includes(key)) throw new LiquidationQueryError(key, `heatmap query: ${key} is not a known field`);
  }
  const timeBinMs = check("heatmap", "timeBinMs", q.timeBinMs ?? defaults.timeBinMs, 1_000, 3_600_000, { int: true });
  const windowMs = check("heatmap", "windowMs", q.windowMs ?? Math.min(defaults.windowMs, defaults.retentionMs), timeBinMs, defaults.retentionMs, { int: true });
  if (windowMs % timeBinMs !== 0) throw new LiquidationQueryError("windowMs", `heatmap query: windowMs must be a multiple of timeBinMs (${timeBinMs}) (got ${windowMs})`);
  if (windowMs / timeBinMs > MAX_TIME_BINS) {
    throw new LiquidationQueryError("timeBinMs", `heatmap query: windowMs / timeBinMs must be <= ${MAX_TIME_BINS} bins (got ${windowMs / timeBinMs})`);
  }
  if (q.priceBinBps !== undefined && q.priceBinTick !== undefined) {
    throw new LiquidationQueryError("priceBinTick", "heatmap query: give priceBinBps or priceBinTick, not both");
  }
  const venues = heatmapVenues(q.venues);
  if (q.priceBinTick !== undefined) {
    return { windowMs, timeBinMs, priceBin: { mode: "tick", tick: check("heatmap", "priceBinTick", q.priceBinTick, 0, 1e9, { minExclusive: true }) }, venues };
  }
  return { windowMs, timeBinMs, priceBin: { mode: "bps", bps: check("heatmap", "priceBinBps", q.priceBinBps ?? defaults.priceBinBps, 0.1, 1_000) }, venues };
}

/** A venue filter: known venues, at least one, in `VENUES` order without repeats; absent: every venue (null). */
function heatmapVenues(venues: readonly string[] | undefined): Venue[] | null {
  if (venues === undefined) return null;
  if (!Array.isArray(venues) || venues.length === 0) throw new LiquidationQueryError("venues", "heatmap query: venues must name at least one venue");
  for (const v of venues) {
    if (!(VENUES as readonly string[]).includes(v)) throw new LiquidationQueryError("venues", `heatmap query: venues: unknown venue ${JSON.stringify(v)} (known: ${VENUES.join(", ")})`);
  }
  return VENUES.filter((v) => venues.includes(v));
}

/** A parsed levels query: the leverage filter as indexes into the model's tiers (null: every tier). */
export interface LevelsRequest {
  rangePct: number;
  binBps: number;
  tiers: number[] | null;
}

/**
 * Levels query: rangePct in (0, 50] (default 10), binBps in [0.1, 1000] (default from config),
 * `leverages` (optional) a non-empty list of the model's tier leverages (`tierLeverages`, e.g.
 * 10, 25, 50): only those tiers' levels are kept. An unknown leverage is refused naming the tiers.
 */
export function parseLevelsQuery(query: LevelsQuery | undefined, defaultBinBps: number, tierLeverages: readonly number[] = []): LevelsRequest {
  const q = query ?? {};
  for (const key of Object.keys(q)) {
    if (!["rangePct", "binBps", "leverages"].includes(key)) throw new LiquidationQueryError(key, `levels query: ${key} is not a known field`);
  }
  const rangePct = check("levels", "rangePct", q.rangePct ?? 10, 0, 50, { minExclusive: true });
  const binBps = check("levels", "binBps", q.binBps ?? defaultBinBps, 0.1, 1_000);
  if ((2 * rangePct * 100) / binBps > 10_000) {
    throw new LiquidationQueryError("binBps", `levels query: 2 × rangePct / binBps must be <= 10000 bins (got ${Math.ceil((2 * rangePct * 100) / binBps)})`);
  }
  return { rangePct, binBps, tiers: levelTiers(q.leverages, tierLeverages) };
}

/** Tier indexes of the leverages asked, ascending without repeats; absent: every tier (null). */
function levelTiers(leverages: readonly number[] | undefined, tierLeverages: readonly number[]): number[] | null {
  if (leverages === undefined) return null;
  if (!Array.isArray(leverages) || leverages.length === 0) throw new LiquidationQueryError("leverages", "levels query: leverages must name at least one tier");
  const known = `the model's tiers: ${tierLeverages.join(", ")}`;
  const out = new Set<number>();
  for (const l of leverages) {
    const i = tierLeverages.indexOf(l);
    if (i < 0) throw new LiquidationQueryError("leverages", `levels query: leverages: ${JSON.stringify(l)} is not one of ${known}`);
    out.add(i);
  }
  return [...out].sort((a, b) => a - b);
}

/** Clusters limit: an integer in [1, 100] (default 10). */
export function parseClustersLimit(limit: number | undefined): number {
  return check("clusters", "limit", limit ?? 10, 1, MAX_CLUSTERS, { int: true });
}
