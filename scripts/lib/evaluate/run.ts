/**
 * `runEvaluation`: `npm run evaluate` without the command line. Two passes over the recordings:
 *
 *   1. scan: the event-time span [first, last] of all files (normalizers only, no engine), which
 *      fixes the split: splitTs = first + train · (last − first);
 *   2. run: the files merged in event time through one `SymbolEngine` per symbol with the
 *      in-process market memory (scripts/lib/engine-run.ts, as `replay`). At every snapshot, for
 *      each evaluated mode whose bias was recomputed at that boundary, the learned bias of the
 *      prediction is computed from the snapshot's cards with the weights in force
 *      (learned-bias.ts); after each ingest the engine's scored outcomes (`takeOutcomes`) go to
 *      the evaluation (evaluation.ts). The engine itself always runs with weights 1: what it
 *      publishes is the uniform bias.
 *
 * Progress lines (events, event time, outcomes, rate) go to `progress`, at most every 2 s.
 */
import type { SymbolEngine } from "../../../src/domain/engine.js";
import type { Venue } from "../../../src/domain/events.js";
import type { HedgeOptions } from "../../../src/domain/learning/hedge.js";
import type { Mode, SymbolSnapshot } from "../../../src/protocol/snapshot.js";
import { mergeByEventTime } from "../../../src/replay/merge.js";
import { EngineFleet, cycleConfig, openRecordings } from "../engine-run.js";
import { Evaluation, splitTime, type EvaluationReport } from "./evaluation.js";
import { learnedBias } from "./learned-bias.js";

export interface RunOptions {
  files: readonly string[];
  venue?: Venue;
  /** Engine cycle, ms; null: the engine's default (10 s). */
  cycleMs: number | null;
  modes: readonly Mode[];
  /** Share of the event-time span that trains, in (0, 1). */
  train: number;
  hedge?: Omit<HedgeOptions, "mode">;
  bootstrap?: { B?: number; seed?: number; minGroups?: number };
  /** Receives progress lines (no newline). */
  progress?: (line: string) => void;
  /** Wall-clock ms for rates in progress lines (default Date.now). */
  clock?: () => number;
}

export interface RunSummary {
  files: number;
  events: number;
  bars: number;
  symbols: number;
  outcomes: number;
  rejectedLines: number;
  span: { fromTs: number; toTs: number };
  cycleMs: number;
}

export interface RunResult {
  report: EvaluationReport;
  summary: RunSummary;
}

const PROGRESS_EVERY_MS = 2_000;

/** Runs the evaluation (module comment); throws when the files hold no event. */
export async function runEvaluation(options: RunOptions): Promise<RunResult> {
  const clock = options.clock ?? Date.now;
  const progress = options.progress ?? (() => {});
  const span = await scanSpan(options.files, options.venue);
  if (span === null) throw new Error("no event in the recordings");
  const splitTs = splitTime(span.fromTs, span.toTs, options.train);
  progress(`span ${iso(span.fromTs)} to ${iso(span.toTs)}, test from ${iso(splitTs)} (train ${options.train})`);

  const fleet = new EngineFleet(options.cycleMs === null ? undefined : cycleConfig(options.cycleMs));
  const config = fleet.config;
  const evaluation = new Evaluation({
    modes: options.modes,
    splitTs,
    cadenceMs: config.biasCadenceMs,
    // An outcome due at D reaches the evaluation at its symbol's first boundary after D; one more
    // cycle lets every symbol's outcome of the batch arrive before it trains anything.
    settleMs: config.cycleMs,
    hedge: options.hedge,
    bootstrap: options.bootstrap,
  });

  const onSnapshot = (snapshot: SymbolSnapshot): void => {
    for (const mode of evaluation.modes) {
      const bias = snapshot.bias[mode];
      if (bias === null || bias.ts !== snapshot.ts) continue;
      const { weights } = evaluation.weightsAt(mode, snapshot.ts);
      evaluation.predicted(snapshot.symbol, mode, snapshot.ts, learnedBias(mode, snapshot.ts, snapshot.cards, config, weights));
    }
  };
  let outcomes = 0;
  const collect = (engine: SymbolEngine): void => {
    for (const o of engine.takeOutcomes()) {
      evaluation.scored(engine.symbol, o);
      outcomes++;
    }
  };

  const { sources, stats } = await openRecordings(options.files, options.venue);
  let events = 0;
  let bars = 0;
  const started = clock();
  let last = { at: started, events: 0 };
  for await (const { event } of mergeByEventTime(sources)) {
    const { engine, snapshots } = fleet.ingest(event);
    for (const snapshot of snapshots) onSnapshot(snapshot);
    if (snapshots.length > 0) collect(engine);
    events++;
    if (event.kind === "bar") bars++;
    if ((events & 0x3fff) === 0 && clock() - last.at >= PROGRESS_EVERY_MS) {
      const now = clock();
      const rate = ((events - last.events) / (now - last.at)) * 1000;
      last = { at: now, events };
      progress(`${events} events (${bars} bars), event time ${iso(event.ts)}, ${outcomes} outcomes, ${Math.round(rate)} events/s`);
    }
  }
  for (const { engine, snapshots } of fleet.tail()) {
    for (const snapshot of snapshots) onSnapshot(snapshot);
    collect(engine);
  }
  progress(`${events} events read, ${outcomes} outcomes scored in ${((clock() - started) / 1000).toFixed(1)} s; computing the report`);
  const report = evaluation.report();
  return {
    report,
    summary: {
      files: options.files.length,
      events,
      bars,
      symbols: fleet.engines.size,
      outcomes,
      rejectedLines: stats.reduce((n, s) => n + Object.values(s.rejected).reduce((a, b) => a + b, 0), 0),
      span,
      cycleMs: config.cycleMs,
    },
  };
}

/** First and last event ts over all files (null: no event). */
export async function scanSpan(files: readonly string[], venue: Venue | undefined): Promise<{ fromTs: number; toTs: number } | null> {
  const { sources } = await openRecordings(files, venue);
  let fromTs = Infinity;
  let toTs = -Infinity;
  for (const source of sources) {
    for await (const event of source) {
      if (event.ts < fromTs) fromTs = event.ts;
      if (event.ts > toTs) toTs = event.ts;
    }
  }
  return fromTs <= toTs ? { fromTs, toTs } : null;
}

function iso(ts: number): string {
  return new Date(ts).toISOString();
}
