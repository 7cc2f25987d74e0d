/**
 * `PredictionBook`: every bias recompute is a prediction; when its horizon has passed it is
 * scored against what price did, or voided when the data cannot say.
 *
 * Outcome of a prediction made at ts with price P_0 (the snapshot price: last trade before ts)
 * and σ_1m (σ of 1-minute log returns over the last 24 h, passed by the caller at ts and kept):
 *
 *   dueTs  = ts + h                       (h per mode: src/domain/learning/horizons.ts)
 *   P_exit = price of the last trade fed with ts ≤ tradeTs ≤ dueTs (equal tradeTs: the later fed)
 *   ret    = ln(P_exit / P_0)
 *   σ_h    = σ_1m · √(h / 1 min)
 *   outcome = clip(ret / σ_h, −5, +5), `clipped` says when the clip applied
 *
 * Scoring. `due(nowTs)` scores the predictions with dueTs < nowTs: the caller promises that every
 * trade with tradeTs < nowTs has been fed (in the engine: at a cycle boundary, before applying the
 * event that crossed it). One due exactly at nowTs waits for the next call, since a trade at that
 * millisecond may still come.
 *
 * Never scored as zero. A prediction is
 * - skipped (not recorded, counted): `no-price` (P_0 null), `no-volatility` (σ_1m null, ≤ 0 or not
 *   finite: too little history), `invalid` (a non-finite number in it), `out-of-order` (ts not
 *   after the mode's last recorded prediction — a replayed batch after a restart is not scored
 *   twice — or trades past its due time already fed);
 * - voided (recorded, then dropped, counted): `gap` when its [ts, dueTs] overlaps a gap the caller
 *   reports (`onGap`, closed intervals) or holds a stretch of more than `maxQuietMs` (2 min)
 *   without a trade; `no-price` when no trade fell in [ts, dueTs]; `overflow` when the mode
 *   already holds `maxPending` (the oldest goes).
 * Per mode: added = scored + voided + pending, always.
 *
 * Cost: O(1) amortised per price fed in order (a price only seals the predictions whose due time
 * it passes); a late price (older than the newest) or a quiet stretch costs O(pending).
 * Memory: at most `maxPending` per mode (12 + 62 + 50 at the defaults), each a copy of its
 * prediction: the bias, ≤ 25 categories and the cards of the mode's leading timeframe
 * (≈ 8 KB of JSON with 100 cards, so ≈ 1 MB checkpointed at the defaults), plus the newest
 * price and at most 8 remembered gaps.
 */
import { z } from "zod";
import { DEFAULT_ENGINE_CONFIG } from "../config.js";
import { MODES, type Mode } from "../vocabulary.js";
import { OUTCOME_CLIP_SIGMA, PREDICTION_HORIZON_MS, pendingBound, sigmaOverHorizon } from "./horizons.js";

/** A score in [−1, +1] with its confidence in [0, 1]. */
export interface ScoreAndConfidence {
  score: number;
  confidence: number;
}

/** One category's component of the bias at prediction time. */
export interface CategoryPrediction extends ScoreAndConfidence {
  category: string;
}

/** One card's value at the mode's leading timeframe (scalp 1m, day 5m, swing 1h); available cards only. */
export interface CardPrediction extends ScoreAndConfidence {
  id: string;
}

/** What the engine knew at one bias recompute of one mode. */
export interface Prediction {
  mode: Mode;
  /** Cycle boundary of the recompute, event time ms. */
  ts: number;
  /** Last trade price before ts (the snapshot price); null before the first trade. */
  price: number | null;
  bias: ScoreAndConfidence;
  categories: CategoryPrediction[];
  cards: CardPrediction[];
  /** Version of the learned weights the bias used; null with default weights. */
  weightsVersion: number | null;
}

/** A prediction scored against the forward return over its horizon. */
export interface ScoredOutcome {
  mode: Mode;
  ts: number;
  /** ts + horizon, event time ms. */
  dueTs: number;
  horizonMs: number;
  /** P_0, the prediction's price. */
  price: number;
  /** Last trade in [ts, dueTs] and its time. */
  exitPrice: number;
  exitTs: number;
  /** ln(exitPrice / price). */
  ret: number;
  /** σ_h = σ_1m · √(h / 1 min), the unit of `outcome`. */
  sigma: number;
  /** ret / σ_h clipped to ±`outcomeClip` (5). */
  outcome: number;
  /** Whether the clip applied. */
  clipped: boolean;
  bias: ScoreAndConfidence;
  categories: CategoryPrediction[];
  cards: CardPrediction[];
  weightsVersion: number | null;
}

/** Why a recorded prediction was dropped unscored (module comment). */
export const VOID_REASONS = ["gap", "no-price", "overflow"] as const;
export type VoidReason = (typeof VOID_REASONS)[number];
/** Why a prediction was not recorded (module comment). */
export const SKIP_REASONS = ["no-price", "no-volatility", "invalid", "out-of-order"] as const;
export type SkipReason = (typeof SKIP_REASONS)[number];

/** Per mode: added = scored + voided + pending. */
export interface PredictionCounters {
  added: number;
  scored: number;
  /** Scored outcomes whose |ret / σ_h| exceeded the clip. */
  clipped: number;
  voided: Record<VoidReason, number>;
  skipped: Record<SkipReason, number>;
}

export interface PredictionBookOptions {
  /** Horizon per mode, ms (default PREDICTION_HORIZON_MS: 5 min, 1 h, 4 h). */
  horizonMs?: Partial<Record<Mode, number>>;
  /** Bias cadence per mode, ms, which sizes the default bound (default: the engine's 30 s, 60 s, 300 s). */
  cadenceMs?: Partial<Record<Mode, number>>;
  /** Pending predictions kept per mode (default ⌈h / cadence⌉ + 2, see `pendingBound`). */
  maxPending?: Partial<Record<Mode, number>>;
  /** A stretch longer than this without a trade inside a prediction's window voids it, ms (default 120 000); null: only reported gaps. */
  maxQuietMs?: number | null;
  /** Outcome clip, σ units (default 5). */
  outcomeClip?: number;
}

/** Resolved options: every field set. */
export interface PredictionBookSettings {
  horizonMs: Record<Mode, number>;
  maxPending: Record<Mode, number>;
  maxQuietMs: number | null;
  outcomeClip: number;
}

const MAX_REMEMBERED_GAPS = 8;

const scoreSchema = z.object({ score: z.number(), confidence: z.number() });
const predictionSchema = z.object({
  mode: z.enum(MODES),
  ts: z.number(),
  price: z.number().nullable(),
  bias: scoreSchema,
  categories: z.array(scoreSchema.extend({ category: z.string() })),
  cards: z.array(scoreSchema.extend({ id: z.string() })),
  weightsVersion: z.number().nullable(),
});
const pendingSchema = z.object({
  prediction: predictionSchema,
  sigma1m: z.number(),
  horizonMs: z.number(),
  dueTs: z.number(),
  sealed: z.boolean(),
  exitTs: z.number().nullable(),
  exitPrice: z.number().nullable(),
});
const countersSchema = z.object({
  added: z.number(),
  scored: z.number(),
  clipped: z.number(),
  voided: z.object(Object.fromEntries(VOID_REASONS.map((r) => [r, z.number()])) as Record<VoidReason, z.ZodNumber>),
  skipped: z.object(Object.fromEntries(SKIP_REASONS.map((r) => [r, z.number()])) as Record<SkipReason, z.ZodNumber>),
});
const perMode = <T extends z.ZodType>(s: T) => z.object({ scalp: s, day: s, swing: s });

/** Checkpoint of a `PredictionBook` (plain JSON). */
export const PredictionBookStateSchema = z.object({
  version: z.literal(1),
  /** Newest price fed: [tradeTs, price]. */
  last: z.tuple([z.number(), z.number()]).nullable(),
  /** Reported gaps remembered for predictions added later, [fromTs, toTs]. */
  gaps: z.array(z.tuple([z.number(), z.number()])),
  lastAddedTs: perMode(z.number().nullable()),
  pending: perMode(z.array(pendingSchema)),
  counters: perMode(countersSchema),
  /** Prices and gaps refused for non-finite or impossible values. */
  rejectedInputs: z.number(),
});
export type PredictionBookState = z.infer<typeof PredictionBookStateSchema>;
type PendingState = z.infer<typeof pendingSchema>;

interface Pending {
  prediction: Prediction;
  sigma1m: number;
  horizonMs: number;
  dueTs: number;
  /** Sealed once a trade after dueTs (or a `due` call past it) fixed the exit; until then the exit is the newest price. */
  sealed: boolean;
  exitTs: number | null;
  exitPrice: number | null;
}

/** Pending predictions per mode, scored when their horizon has passed (model in the module comment). */
export class PredictionBook {
  readonly settings: PredictionBookSettings;
  private readonly pending: Record<Mode, Pending[]> = { scalp: [], day: [], swing: [] };
  private readonly counters: Record<Mode, PredictionCounters> = { scalp: emptyCounters(), day: emptyCounters(), swing: emptyCounters() };
  private readonly lastAddedTs: Record<Mode, number | null> = { scalp: null, day: null, swing: null };
  private last: { ts: number; price: number } | null = null;
  private gaps: [number, number][] = [];
  private rejectedInputs = 0;

  /** Throws naming the field and its bound when an option is out of range. */
  constructor(options: PredictionBookOptions = {}) {
    this.settings = resolveOptions(options);
  }

  /**
   * Records a prediction with σ of 1-minute log returns at its time (null when there is too
   * little history). Returns whether it was recorded, else the skip reason.
   */
  add(prediction: Prediction, sigma1m: number | null): true | SkipReason {
    const mode = prediction.mode;
    const counters = this.counters[mode];
    const reason = this.skipReason(prediction, sigma1m);
    if (reason !== null) {
      counters.skipped[reason]++;
      return reason;
    }
    const horizonMs = this.settings.horizonMs[mode];
    const list = this.pending[mode];
    this.lastAddedTs[mode] = prediction.ts;
    counters.added++;
    const entry: Pending = { prediction: copyPrediction(prediction), sigma1m: sigma1m as number, horizonMs, dueTs: prediction.ts + horizonMs, sealed: false, exitTs: null, exitPrice: null };
    if (this.gaps.some(([from, to]) => overlaps(entry, from, to))) {
      counters.voided.gap++;
      return true;
    }
    while (list.length >= this.settings.maxPending[mode]) {
      list.shift();
      counters.voided.overflow++;
    }
    list.push(entry);
    return true;
  }

  /** Feeds one trade price (in event order; a late one is applied exactly). Non-finite or ≤ 0 prices are counted and ignored. */
  onPrice(ts: number, price: number): void {
    if (!Number.isFinite(ts) || !Number.isFinite(price) || price <= 0) {
      this.rejectedInputs++;
      return;
    }
    const last = this.last;
    if (last !== null && ts < last.ts) {
      this.applyLatePrice(ts, price);
      return;
    }
    this.voidQuiet(last?.ts ?? -Infinity, ts);
    for (const mode of MODES) {
      for (const entry of this.pending[mode]) {
        if (entry.dueTs >= ts) break;
        if (!entry.sealed) this.seal(entry);
      }
    }
    this.last = { ts, price };
  }

  /**
   * Reports a stretch [fromTs, toTs] of missing or untrustworthy data (no trade for > 2 minutes, a
   * replay skip, a feed outage). Every pending prediction whose [ts, dueTs] overlaps it is voided,
   * and so is any prediction added later whose window overlaps it (the last 8 gaps are remembered).
   */
  onGap(fromTs: number, toTs: number): void {
    if (!Number.isFinite(fromTs) || !Number.isFinite(toTs) || fromTs > toTs) {
      this.rejectedInputs++;
      return;
    }
    for (const mode of MODES) this.voidWhere(mode, "gap", (entry) => overlaps(entry, fromTs, toTs));
    this.gaps.push([fromTs, toTs]);
    if (this.gaps.length > MAX_REMEMBERED_GAPS) this.gaps.shift();
  }

  /**
   * Scores and removes the predictions with dueTs < nowTs (every trade before nowTs must have been
   * fed). Returns them ordered by dueTs, then mode (scalp, day, swing); voided ones are only counted.
   */
  due(nowTs: number): ScoredOutcome[] {
    if (Number.isNaN(nowTs)) {
      this.rejectedInputs++;
      return [];
    }
    if (this.last === null || nowTs > this.last.ts) this.voidQuiet(this.last?.ts ?? -Infinity, nowTs);
    const out: ScoredOutcome[] = [];
    for (const mode of MODES) {
      const list = this.pending[mode];
      while (list.length > 0 && list[0].dueTs < nowTs) {
        const entry = list.shift() as Pending;
        if (!entry.sealed) this.seal(entry);
        const scored = this.score(entry);
        if (scored === null) this.counters[mode].voided["no-price"]++;
        else out.push(scored);
      }
    }
    return out.sort((a, b) => a.dueTs - b.dueTs || MODES.indexOf(a.mode) - MODES.indexOf(b.mode));
  }

  /** Pending predictions of a mode. */
  pendingCount(mode: Mode): number {
    return this.pending[mode].length;
  }

  /** A copy of the counters per mode, and the refused inputs. */
  stats(): { modes: Record<Mode, PredictionCounters>; rejectedInputs: number } {
    const modes = {} as Record<Mode, PredictionCounters>;
    for (const mode of MODES) modes[mode] = copyCounters(this.counters[mode]);
    return { modes, rejectedInputs: this.rejectedInputs };
  }

  toJSON(): PredictionBookState {
    const pending = {} as Record<Mode, PendingState[]>;
    const counters = {} as Record<Mode, PredictionCounters>;
    for (const mode of MODES) {
      pending[mode] = this.pending[mode].map((e) => ({ ...e, prediction: copyPrediction(e.prediction) }));
      counters[mode] = copyCounters(this.counters[mode]);
    }
    return {
      version: 1,
      last: this.last === null ? null : [this.last.ts, this.last.price],
      gaps: this.gaps.map(([a, b]) => [a, b]),
      lastAddedTs: { ...this.lastAddedTs },
      pending,
      counters,
      rejectedInputs: this.rejectedInputs,
    };
  }

  /**
   * Restores a checkpoint; `options` are the current ones (pending predictions keep the horizon
   * they were made with). Throws on a malformed state.
   */
  static fromJSON(state: unknown, options: PredictionBookOptions = {}): PredictionBook {
    const parsed = PredictionBookStateSchema.safeParse(state);
    if (!parsed.success) throw new Error(`invalid prediction book state: ${parsed.error.issues.map((i) => `${i.path.join(".")} ${i.message}`).join("; ")}`);
    const s = parsed.data;
    const book = new PredictionBook(options);
    book.last = s.last === null ? null : { ts: s.last[0], price: s.last[1] };
    book.gaps = s.gaps.map(([a, b]) => [a, b]);
    book.rejectedInputs = s.rejectedInputs;
    for (const mode of MODES) {
      book.lastAddedTs[mode] = s.lastAddedTs[mode];
      book.pending[mode].push(...s.pending[mode].map((e) => ({ ...e, prediction: copyPrediction(e.prediction) })));
      book.counters[mode] = copyCounters(s.counters[mode]);
    }
    return book;
  }

  private skipReason(p: Prediction, sigma1m: number | null): SkipReason | null {
    if (p.price === null) return "no-price";
    if (!isFinitePrediction(p)) return "invalid";
    if (sigma1m === null || !Number.isFinite(sigma1m) || sigma1m <= 0) return "no-volatility";
    const lastAdded = this.lastAddedTs[p.mode];
    if (lastAdded !== null && p.ts <= lastAdded) return "out-of-order";
    if (this.last !== null && this.last.ts > p.ts + this.settings.horizonMs[p.mode]) return "out-of-order";
    return null;
  }

  /** Fixes the exit of an entry from the newest price: the last trade in [ts, dueTs], if any. */
  private seal(entry: Pending): void {
    entry.sealed = true;
    const last = this.last;
    if (last !== null && last.ts >= entry.prediction.ts && last.ts <= entry.dueTs) {
      entry.exitTs = last.ts;
      entry.exitPrice = last.price;
    }
  }

  /** A price older than the newest: only sealed entries can have it as their exit (the unsealed read the newest). */
  private applyLatePrice(ts: number, price: number): void {
    for (const mode of MODES) {
      for (const entry of this.pending[mode]) {
        if (!entry.sealed) break;
        if (ts < entry.prediction.ts || ts > entry.dueTs) continue;
        if (entry.exitTs === null || ts >= entry.exitTs) {
          entry.exitTs = ts;
          entry.exitPrice = price;
        }
      }
    }
  }

  /** Voids entries holding more than maxQuietMs of the trade-less stretch (fromTs, toTs). */
  private voidQuiet(fromTs: number, toTs: number): void {
    const maxQuiet = this.settings.maxQuietMs;
    if (maxQuiet === null || toTs - fromTs <= maxQuiet) return;
    for (const mode of MODES) {
      this.voidWhere(mode, "gap", (e) => Math.min(toTs, e.dueTs) - Math.max(fromTs, e.prediction.ts) > maxQuiet);
    }
  }

  private voidWhere(mode: Mode, reason: VoidReason, test: (e: Pending) => boolean): void {
    const list = this.pending[mode];
    const keep = list.filter((e) => !test(e));
    this.counters[mode].voided[reason] += list.length - keep.length;
    this.pending[mode] = keep;
  }

  private score(entry: Pending): ScoredOutcome | null {
    if (entry.exitPrice === null || entry.exitTs === null) return null;
    const p = entry.prediction;
    const price = p.price as number;
    const ret = Math.log(entry.exitPrice / price) + 0;
    const sigma = sigmaOverHorizon(entry.sigma1m, entry.horizonMs);
    const raw = ret / sigma;
    const clip = this.settings.outcomeClip;
    const clipped = Math.abs(raw) > clip;
    const counters = this.counters[p.mode];
    counters.scored++;
    if (clipped) counters.clipped++;
    return {
      mode: p.mode,
      ts: p.ts,
      dueTs: entry.dueTs,
      horizonMs: entry.horizonMs,
      price,
      exitPrice: entry.exitPrice,
      exitTs: entry.exitTs,
      ret,
      sigma,
      outcome: (clipped ? Math.sign(raw) * clip : raw) + 0,
      clipped,
      bias: { ...p.bias },
      categories: p.categories.map((c) => ({ ...c })),
      cards: p.cards.map((c) => ({ ...c })),
      weightsVersion: p.weightsVersion,
    };
  }
}

/** Whether [entry.ts, entry.dueTs] and [fromTs, toTs] share a point. */
function overlaps(entry: Pending, fromTs: number, toTs: number): boolean {
  return fromTs <= entry.dueTs && toTs >= entry.prediction.ts;
}

function isFinitePrediction(p: Prediction): boolean {
  const ok = (s: ScoreAndConfidence) => Number.isFinite(s.score) && Number.isFinite(s.confidence);
  return (
    Number.isFinite(p.ts) &&
    p.price !== null &&
    Number.isFinite(p.price) &&
    p.price > 0 &&
    ok(p.bias) &&
    p.categories.every(ok) &&
    p.cards.every(ok) &&
    (p.weightsVersion === null || Number.isFinite(p.weightsVersion))
  );
}

function copyPrediction(p: Prediction): Prediction {
  return {
    mode: p.mode,
    ts: p.ts,
    price: p.price,
    bias: { score: p.bias.score, confidence: p.bias.confidence },
    categories: p.categories.map((c) => ({ category: c.category, score: c.score, confidence: c.confidence })),
    cards: p.cards.map((c) => ({ id: c.id, score: c.score, confidence: c.confidence })),
    weightsVersion: p.weightsVersion,
  };
}

function emptyCounters(): PredictionCounters {
  return {
    added: 0,
    scored: 0,
    clipped: 0,
    voided: Object.fromEntries(VOID_REASONS.map((r) => [r, 0])) as Record<VoidReason, number>,
    skipped: Object.fromEntries(SKIP_REASONS.map((r) => [r, 0])) as Record<SkipReason, number>,
  };
}

function copyCounters(c: PredictionCounters): PredictionCounters {
  return { added: c.added, scored: c.scored, clipped: c.clipped, voided: { ...c.voided }, skipped: { ...c.skipped } };
}

function resolveOptions(o: PredictionBookOptions): PredictionBookSettings {
  const horizonMs = {} as Record<Mode, number>;
  const maxPending = {} as Record<Mode, number>;
  for (const mode of MODES) {
    const h = o.horizonMs?.[mode] ?? PREDICTION_HORIZON_MS[mode];
    const cadence = o.cadenceMs?.[mode] ?? DEFAULT_ENGINE_CONFIG.biasCadenceMs[mode];
    check(`horizonMs.${mode}`, h, Number.isInteger(h) && h > 0, "must be a positive integer");
    check(`cadenceMs.${mode}`, cadence, Number.isInteger(cadence) && cadence > 0, "must be a positive integer");
    const bound = o.maxPending?.[mode] ?? pendingBound(h, cadence);
    check(`maxPending.${mode}`, bound, Number.isInteger(bound) && bound >= 1 && bound <= 100_000, "must be an integer in [1, 100000]");
    horizonMs[mode] = h;
    maxPending[mode] = bound;
  }
  const maxQuietMs = o.maxQuietMs === undefined ? 120_000 : o.maxQuietMs;
  if (maxQuietMs !== null) check("maxQuietMs", maxQuietMs, Number.isFinite(maxQuietMs) && maxQuietMs > 0, "must be a positive finite number or null");
  const outcomeClip = o.outcomeClip ?? OUTCOME_CLIP_SIGMA;
  check("outcomeClip", outcomeClip, Number.isFinite(outcomeClip) && outcomeClip > 0, "must be a positive finite number");
  return { horizonMs, maxPending, maxQuietMs, outcomeClip };
}

function check(field: string, value: number, ok: boolean, rule: string): void {
  if (!ok) throw new Error(`invalid prediction book options: ${field} ${rule} (got ${String(value)})`);
}
