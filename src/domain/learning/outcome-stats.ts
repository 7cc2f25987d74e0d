/**
 * `OutcomeStats`: the running statistics of every signal against scored outcomes, per mode:
 * the bias itself, each category and each card (at the mode's leading timeframe), one
 * `RunningStats` each (src/domain/learning/running-stats.ts), keyed by category id and card id.
 *
 * `record(outcome)` adds (score, confidence, outcome) of the bias and of every category and card
 * the prediction carried (a category or card unavailable at that time is absent from it and not
 * counted). `merge` sums another table (per-symbol tables summed at the Coordinator), key by key.
 *
 * Cost: O(categories + cards) per outcome. Memory: 1.6 KB per (mode, key): about 3 × 127 keys
 * ≈ 610 KB with 25 categories and ~100 cards; JSON holds only non-empty histogram cells.
 */
import { MODES, type Mode } from "../vocabulary.js";
import { RunningStats, type RunningStatsOptions, type RunningStatsState } from "./running-stats.js";
import type { ScoredOutcome } from "./predictions.js";

/** The statistics of one mode. */
export interface ModeOutcomeStats {
  bias: RunningStats;
  categories: Map<string, RunningStats>;
  cards: Map<string, RunningStats>;
}

/** Checkpoint of `OutcomeStats`: keys sorted, so equal tables give equal JSON whatever the order they were filled in. */
export interface OutcomeStatsState {
  version: 1;
  minAbsScore: number;
  modes: Record<Mode, { bias: RunningStatsState; categories: Record<string, RunningStatsState>; cards: Record<string, RunningStatsState> }>;
}

/** The part of a scored outcome the statistics read. */
export type OutcomeForStats = Pick<ScoredOutcome, "mode" | "outcome" | "bias" | "categories" | "cards">;

/** Running statistics per mode of the bias, each category and each card; see the module comment. */
export class OutcomeStats {
  readonly minAbsScore: number;
  private readonly modes: Record<Mode, ModeOutcomeStats>;

  constructor(private readonly options: RunningStatsOptions = {}) {
    this.minAbsScore = new RunningStats(options).minAbsScore;
    this.modes = { scalp: this.emptyMode(), day: this.emptyMode(), swing: this.emptyMode() };
  }

  /** Adds one scored outcome to the bias, each category and each card of its mode. */
  record(o: OutcomeForStats): void {
    const m = this.modes[o.mode];
    m.bias.add(o.bias.score, o.bias.confidence, o.outcome);
    for (const c of o.categories) this.keyed(m.categories, c.category).add(c.score, c.confidence, o.outcome);
    for (const c of o.cards) this.keyed(m.cards, c.id).add(c.score, c.confidence, o.outcome);
  }

  /** The statistics of one mode (live objects: read, do not add to them). */
  mode(mode: Mode): ModeOutcomeStats {
    return this.modes[mode];
  }

  /** Adds another table into this one, key by key. Returns this. */
  merge(other: OutcomeStats): this {
    for (const mode of MODES) {
      const mine = this.modes[mode];
      const theirs = other.modes[mode];
      mine.bias.merge(theirs.bias);
      for (const [k, s] of theirs.categories) this.keyed(mine.categories, k).merge(s);
      for (const [k, s] of theirs.cards) this.keyed(mine.cards, k).merge(s);
    }
    return this;
  }

  toJSON(): OutcomeStatsState {
    const modes = {} as OutcomeStatsState["modes"];
    for (const mode of MODES) {
      const m = this.modes[mode];
      modes[mode] = { bias: m.bias.toJSON(), categories: sortedJSON(m.categories), cards: sortedJSON(m.cards) };
    }
    return { version: 1, minAbsScore: this.minAbsScore, modes };
  }

  /** Restores a checkpoint; throws on a malformed one. */
  static fromJSON(state: OutcomeStatsState): OutcomeStats {
    if (state === null || typeof state !== "object" || state.version !== 1) throw new Error("invalid outcome stats state: version must be 1");
    const table = new OutcomeStats({ minAbsScore: state.minAbsScore });
    for (const mode of MODES) {
      const s = state.modes?.[mode];
      if (s === undefined) throw new Error(`invalid outcome stats state: modes.${mode} is missing`);
      const m = table.modes[mode];
      m.bias = RunningStats.fromJSON(s.bias);
      for (const [k, v] of Object.entries(s.categories)) m.categories.set(k, RunningStats.fromJSON(v));
      for (const [k, v] of Object.entries(s.cards)) m.cards.set(k, RunningStats.fromJSON(v));
    }
    return table;
  }

  private keyed(map: Map<string, RunningStats>, key: string): RunningStats {
    let s = map.get(key);
    if (s === undefined) {
      s = new RunningStats(this.options);
      map.set(key, s);
    }
    return s;
  }

  private emptyMode(): ModeOutcomeStats {
    return { bias: new RunningStats(this.options), categories: new Map(), cards: new Map() };
  }
}

function sortedJSON(map: Map<string, RunningStats>): Record<string, RunningStatsState> {
  const out: Record<string, RunningStatsState> = {};
  for (const k of [...map.keys()].sort()) out[k] = (map.get(k) as RunningStats).toJSON();
  return out;
}
