/**
 * The replay feed's loop: plays one pass of the recordings after another into the engine, paced
 * to REPLAY_SPEED, each loop shifted in event time (src/replay/timeline.ts), and keeps the
 * position a restart resumes from. Storage, RPC, clock and sleep are passed in, so the loop runs
 * unchanged in workerd (`collector-object.ts`) and in Node, where a test kills it at any await.
 *
 * Crash consistency by construction. Event `index` of loop `loop` carries the sequence
 * `replaySeq({ loop, index })`; the SymbolObjects drop a sequence they have applied. The saved
 * position is the lowest of:
 * - the next sequence not yet handed to the batcher (an event waiting for its pacing is not);
 * - the lowest sequence handed to the batcher and not acknowledged by its object (pending,
 *   in flight, or failed: `SymbolBatcher.lowestUnackedSeq`);
 * - the first sequence an object acknowledged but has not made durable yet (it checkpoints
 *   once per cycle: `SymbolBatcher.resumeSeq`).
 * So every event before the saved position is in its SymbolObject's durable checkpoint (its
 * liquidations are rows by then too), whenever the process dies: a restart re-sends from there,
 * the objects drop what their checkpoint holds, and apply the rest once. The position only moves
 * forward (checkpoints only grow), and is written at each heartbeat, during pacing waits and at
 * the end of a loop, not per event.
 *
 * Each `run` uses a new batcher: one that failed keeps its unsent batches, which must not reach
 * an object after the restart's re-sent events.
 */
import type { CanonicalEvent } from "@liqflow/engine/domain/events.js";
import {
  loopShiftMs,
  replaySeq,
  ReplayPacer,
  SEQ_PER_LOOP,
  shiftEvent,
  type ReplayPosition,
  type ReplaySpan,
} from "@liqflow/engine/replay/timeline.js";
import { newBatcherStats, SymbolBatcher, type BatcherStats, type SendBatch } from "./batcher.js";

/** What the replay feed persists: where a restart resumes, and the span that sets the loop shift. */
export interface SavedReplay {
  position: ReplayPosition;
  /** Known once loop 0 has been read to its end. */
  span: ReplaySpan | null;
}

/** The runtime a runner works in. */
export interface ReplayRunnerDeps {
  /** One pass over the recordings, merged in event time: a fresh iterable on each call. */
  events(): AsyncIterable<CanonicalEvent>;
  /** Sends one batch to the symbol's SymbolObject (its `ingest`). */
  send: SendBatch;
  /** Persists what a restart needs. */
  save(saved: SavedReplay): Promise<void>;
  /** Wall clock, ms. */
  now(): number;
  sleep(ms: number): Promise<void>;
  /** A loop was played to its end. */
  onLoopDone?(loop: number, events: number, nextShiftMs: number): void;
}

export interface ReplayRunnerOptions {
  /** Event time per wall time (REPLAY_SPEED), > 0. */
  speed: number;
  /** Symbols that get a watermark at each heartbeat (quiet ones advance in event time too). */
  symbols: readonly string[];
  /** The ingest source name; `replay`. */
  source?: string;
  heartbeatEveryMs?: number;
  /** Longest single sleep of a pacing wait; batches that fall due are sent between sleeps. */
  maxSleepMs?: number;
  /** A power of two: every this many events the loop gives incoming calls a turn. */
  yieldEveryEvents?: number;
  maxBatchEvents?: number;
  maxBatchWaitMs?: number;
  /** Loop 0 passes over the events before this event time (the manifest's `start`); later loops play all. */
  startTs?: number | null;
  /** Silences longer than this (event-time ms) are skipped, not waited for (the manifest's `idleGapMs`). */
  idleGapMs?: number;
}

const HEARTBEAT_EVERY_MS = 1_000;
const MAX_SLEEP_MS = 100;
const YIELD_EVERY_EVENTS = 1024;

export class ReplayRunner {
  /** What is persisted (as last written). */
  saved: SavedReplay;
  /** Events of the current loop handed to the batcher so far. */
  position: ReplayPosition;
  /** Event time (shifted) of the last event handed to the batcher. */
  lastEventTs: number | null = null;
  /** Wall time the position last moved forward. */
  lastSavedWallMs: number | null = null;
  private pacer: ReplayPacer | null = null;
  private batcher: SymbolBatcher | null = null;
  /** Batch counters of the runs before the current one. */
  private readonly pastStats: BatcherStats = newBatcherStats();
  private readonly heartbeatEveryMs: number;
  private readonly maxSleepMs: number;
  private readonly yieldEveryEvents: number;

  constructor(
    saved: SavedReplay,
    private readonly deps: ReplayRunnerDeps,
    private readonly options: ReplayRunnerOptions,
  ) {
    if (!(options.speed > 0) || !Number.isFinite(options.speed)) throw new Error(`ReplayRunner: speed must be a positive number (got ${options.speed})`);
    this.yieldEveryEvents = options.yieldEveryEvents ?? YIELD_EVERY_EVENTS;
    if (!Number.isInteger(Math.log2(this.yieldEveryEvents))) throw new Error(`ReplayRunner: yieldEveryEvents must be a power of two (got ${this.yieldEveryEvents})`);
    this.saved = structuredClone(saved);
    this.position = saved.position;
    this.heartbeatEveryMs = options.heartbeatEveryMs ?? HEARTBEAT_EVERY_MS;
    this.maxSleepMs = options.maxSleepMs ?? MAX_SLEEP_MS;
  }

  /** Idle gaps skipped by the current run's pacing. */
  get skippedGaps(): number {
    return this.pacer?.skippedGaps ?? 0;
  }

  /** Batch counters over every run of this runner. */
  get batches(): BatcherStats {
    return this.batcher === null ? { ...this.pastStats } : addStats(this.pastStats, this.batcher.stats);
  }

  /**
   * Plays from the saved position, loop after loop; returns once `until.loops` loops are played
   * (never without it) and rejects when a batch fails: call it again to resume from the saved
   * position. One run at a time.
   */
  async run(until: { loops?: number } = {}): Promise<void> {
    if (this.batcher !== null) Object.assign(this.pastStats, addStats(this.pastStats, this.batcher.stats));
    const batcher = new SymbolBatcher(this.options.source ?? "replay", this.deps.send, this.options.maxBatchEvents, this.options.maxBatchWaitMs);
    this.batcher = batcher;
    this.pacer = new ReplayPacer(this.options.speed, this.options.idleGapMs);
    // A (re)start resumes from the saved position; from then on each loop follows the last in
    // this process. (Resuming every loop from the saved position replayed the tail of a loop
    // forever while one symbol had not yet checkpointed its last events.)
    let start = this.saved.position;
    while (until.loops === undefined || start.loop < until.loops) {
      await this.playLoop(batcher, start);
      start = { loop: start.loop + 1, index: 0 };
    }
  }

  /** Plays loop `from.loop` from event `from.index` to its end. */
  private async playLoop(batcher: SymbolBatcher, from: ReplayPosition): Promise<void> {
    const { now, sleep } = this.deps;
    const pacer = this.pacer as ReplayPacer;
    const { loop, index: resumeAt } = from;
    this.position = { loop, index: resumeAt };
    const shift = loop === 0 || !this.saved.span ? 0 : loop * loopShiftMs(this.saved.span);
    let index = 0;
    let firstTs: number | null = null;
    let lastTs: number | null = null;
    let lastHeartbeatWallMs = 0;
    pacer.reanchor();
    for await (const event of this.deps.events()) {
      firstTs ??= event.ts;
      lastTs = event.ts;
      // Reading and merging resolve mostly as microtasks: give incoming calls (health, start)
      // a turn now and then, or a flat-out replay starves them.
      if ((index & (this.yieldEveryEvents - 1)) === 0) await sleep(0);
      if (index++ < resumeAt) continue;
      if (loop === 0 && this.options.startTs != null && event.ts < this.options.startTs) {
        // Passed over, not sent: loop 0 begins at the manifest's start (later loops play it).
        this.position = { loop, index };
        continue;
      }
      const delay = pacer.delayFor(event.ts, now());
      if (delay > 0) await this.waitFlushing(batcher, delay);
      const shifted = shiftEvent(event, shift);
      const full = batcher.add(shifted, replaySeq({ loop, index: index - 1 }), now());
      // Counted once the batcher holds it, not before its pacing wait.
      this.position = { loop, index };
      this.lastEventTs = shifted.ts;
      if (full) await full;
      const t = now();
      if (t - lastHeartbeatWallMs >= this.heartbeatEveryMs) {
        lastHeartbeatWallMs = t;
        await batcher.flush(t, { watermarkTs: shifted.ts, watermarkSymbols: this.options.symbols });
        await this.savePosition(batcher);
      }
    }
    await batcher.flush(now(), { force: true });
    if (firstTs === null || lastTs === null) throw new Error("the replay manifest produced no events");
    this.saved.span = { firstTs, lastTs };
    this.position = { loop: loop + 1, index: 0 };
    await this.savePosition(batcher, true);
    this.deps.onLoopDone?.(loop, index, loopShiftMs(this.saved.span));
  }

  /** Sleeps in slices of at most `maxSleepMs`, sending batches that became due meanwhile. */
  private async waitFlushing(batcher: SymbolBatcher, delayMs: number): Promise<void> {
    const { now, sleep } = this.deps;
    const until = now() + delayMs;
    for (let t = now(); t < until; t = now()) {
      await batcher.flush(t);
      await this.savePosition(batcher);
      await sleep(Math.min(this.maxSleepMs, until - t));
    }
    await batcher.flush(now());
  }

  /** The first sequence a restart must send again (see the module comment). */
  private safeSeq(batcher: SymbolBatcher): number {
    let seq = replaySeq(this.position);
    for (const s of [batcher.lowestUnackedSeq(), batcher.resumeSeq()]) if (s !== null && s < seq) seq = s;
    return seq;
  }

  /** Persists the safe position when it moved forward (or, with `force`, the span with it). */
  private async savePosition(batcher: SymbolBatcher, force = false): Promise<void> {
    const seq = this.safeSeq(batcher);
    if (seq <= replaySeq(this.saved.position) && !force) return;
    if (seq > replaySeq(this.saved.position)) this.saved.position = { loop: Math.floor(seq / SEQ_PER_LOOP), index: seq % SEQ_PER_LOOP };
    this.lastSavedWallMs = this.deps.now();
    await this.deps.save(structuredClone(this.saved));
  }
}

function addStats(a: BatcherStats, b: BatcherStats): BatcherStats {
  return {
    batches: a.batches + b.batches,
    events: a.events + b.events,
    duplicates: a.duplicates + b.duplicates,
    failures: a.failures + b.failures,
    lastError: b.lastError ?? a.lastError,
    retries: a.retries + b.retries,
    droppedBatches: a.droppedBatches + b.droppedBatches,
    droppedEvents: a.droppedEvents + b.droppedEvents,
    gaps: a.gaps + b.gaps,
  };
}
