/**
 * CollectorObject, replay mode: plays the recordings listed in data/recorded/replay.json into
 * the engine in event-time order, looping, at REPLAY_SPEED, through the same normalizers the
 * live feed uses. Glue only: merging, pacing and sequencing live in src/replay.
 *
 * The position (loop, events sent) is persisted after every flush, so a restarted stack
 * resumes where it stopped; events re-sent after a crash carry the same sequence numbers and
 * the SymbolObjects drop them.
 */
import { DurableObject } from "cloudflare:workers";
import type { CanonicalEvent } from "../../../src/domain/events.js";
import { SYMBOLS } from "../../../src/domain/symbols.js";
import { mergeByEventTime } from "../../../src/replay/merge.js";
import { newStreamStats, recordingEvents, type StreamStats } from "../../../src/replay/source.js";
import { readLines } from "../../../src/replay/lines.js";
import {
  loopShiftMs,
  replaySeq,
  ReplayPacer,
  SEQ_PER_LOOP,
  shiftEvent,
  type ReplayFile,
  type ReplayManifest,
  type ReplayPosition,
  type ReplaySpan,
} from "../../../src/replay/timeline.js";
import { SymbolBatcher, type BatcherStats } from "./batcher.js";

const SOURCE = "replay";
const MANIFEST_KEY = "replay.json";
const ALARM_EVERY_MS = 10_000;
const HEARTBEAT_EVERY_MS = 1_000;
const MAX_SLEEP_MS = 100;
/** A power of two. */
const YIELD_EVERY_EVENTS = 1024;

interface Saved {
  position: ReplayPosition;
  span: ReplaySpan | null;
}

export interface ReplayHealth {
  mode: "replay";
  running: boolean;
  speed: number;
  /** Events of the current loop handed to the engine so far. */
  position: ReplayPosition;
  /** Where a restart would resume (persisted): trails `position` by up to one engine checkpoint. */
  resumePosition: ReplayPosition;
  /** Event time (shifted) of the last event sent. */
  lastEventTs: number | null;
  wallLagMs: number | null;
  span: ReplaySpan | null;
  loopShiftMs: number | null;
  skippedGaps: number;
  batches: BatcherStats;
  streams: Record<string, StreamStats & { venue: string }>;
  error: string | null;
}

export class CollectorObject extends DurableObject<CollectorEnv> {
  private running = false;
  private saved: Saved = { position: { loop: 0, index: 0 }, span: null };
  private streams: Record<string, StreamStats & { venue: string }> = {};
  private batcher = new SymbolBatcher(SOURCE, (symbol, batch) =>
    this.env.SYMBOL_OBJECTS.get(this.env.SYMBOL_OBJECTS.idFromName(symbol)).ingest(symbol, batch),
  );
  private pacer: ReplayPacer | null = null;
  private lastEventTs: number | null = null;
  private lastSentWallMs: number | null = null;
  private error: string | null = null;
  /** Events of the current loop handed to the batcher so far. */
  private current: ReplayPosition = { loop: 0, index: 0 };

  constructor(ctx: DurableObjectState, env: CollectorEnv) {
    super(ctx, env);
    ctx.blockConcurrencyWhile(async () => {
      this.saved = (await ctx.storage.get<Saved>("replay")) ?? this.saved;
    });
  }

  private get speed(): number {
    const speed = Number(this.env.REPLAY_SPEED ?? "1");
    if (!(speed > 0) || !Number.isFinite(speed)) throw new Error(`REPLAY_SPEED must be a positive number, got "${this.env.REPLAY_SPEED}"`);
    return speed;
  }

  /** Starts the feed if it is not running. Idempotent. */
  async start(): Promise<{ running: boolean }> {
    if (!this.running) {
      this.running = true;
      this.error = null;
      void this.run().catch((err: unknown) => {
        this.error = String(err instanceof Error ? err.stack ?? err.message : err);
        console.error("replay feed stopped:", this.error);
      }).finally(() => {
        this.running = false;
      });
    }
    if ((await this.ctx.storage.getAlarm()) === null) await this.ctx.storage.setAlarm(Date.now() + ALARM_EVERY_MS);
    return { running: this.running };
  }

  /** Keeps the feed alive: restarts it after an eviction or a failure. */
  override async alarm(): Promise<void> {
    await this.ctx.storage.setAlarm(Date.now() + ALARM_EVERY_MS);
    if (!this.running) await this.start();
  }

  async health(): Promise<ReplayHealth> {
    return {
      mode: "replay",
      running: this.running,
      speed: this.speed,
      position: this.current,
      resumePosition: this.saved.position,
      lastEventTs: this.lastEventTs,
      wallLagMs: this.lastSentWallMs === null ? null : Date.now() - this.lastSentWallMs,
      span: this.saved.span,
      loopShiftMs: this.saved.span ? loopShiftMs(this.saved.span) : null,
      skippedGaps: this.pacer?.skippedGaps ?? 0,
      batches: this.batcher.stats,
      streams: this.streams,
      error: this.error,
    };
  }

  private async manifest(): Promise<ReplayManifest> {
    const manifest = await this.env.RECORDINGS.get(MANIFEST_KEY);
    if (!manifest) throw new Error(`no ${MANIFEST_KEY} in the recordings bucket (npm start seeds it from data/recorded)`);
    return manifest.json<ReplayManifest>();
  }

  private async *openFile(file: ReplayFile): AsyncGenerator<CanonicalEvent> {
    const object = await this.env.RECORDINGS.get(file.path);
    if (!object) throw new Error(`recording ${file.path} is listed in ${MANIFEST_KEY} but not in the recordings bucket`);
    const stats = (this.streams[file.path] = { venue: file.venue, ...newStreamStats() });
    yield* recordingEvents(readLines(object.body), file.venue, stats, { instrument: file.instrument });
  }

  private async run(): Promise<void> {
    const speed = this.speed;
    this.pacer = new ReplayPacer(speed);
    const { files } = await this.manifest();
    for (;;) {
      const { loop, index: resumeAt } = this.saved.position;
      this.current = { loop, index: resumeAt };
      const shift = loop === 0 || !this.saved.span ? 0 : loop * loopShiftMs(this.saved.span);
      const merged = mergeByEventTime(files.map((f) => this.openFile(f)));
      let index = 0;
      let firstTs: number | null = null;
      let lastTs: number | null = null;
      let lastHeartbeatWallMs = 0;
      this.pacer.reanchor();
      for await (const { event } of merged) {
        firstTs ??= event.ts;
        lastTs = event.ts;
        // Reading and merging resolve mostly as microtasks: give incoming calls (health,
        // start) a turn now and then, or a flat-out replay starves them.
        if ((index & (YIELD_EVERY_EVENTS - 1)) === 0) await sleep(0);
        if (index++ < resumeAt) continue;
        this.current = { loop, index };
        const delay = this.pacer.delayFor(event.ts, Date.now());
        if (delay > 0) await this.waitFlushing(delay);
        const shifted = shiftEvent(event, shift);
        this.lastEventTs = shifted.ts;
        const full = this.batcher.add(shifted, replaySeq({ loop, index: index - 1 }), Date.now());
        if (full) {
          await full;
          await this.savePosition();
        }
        const now = Date.now();
        if (now - lastHeartbeatWallMs >= HEARTBEAT_EVERY_MS) {
          lastHeartbeatWallMs = now;
          await this.batcher.flush(now, { watermarkTs: shifted.ts, watermarkSymbols: SYMBOLS.symbols });
          await this.savePosition();
        }
      }
      await this.batcher.flush(Date.now(), { force: true });
      if (firstTs === null || lastTs === null) throw new Error("the replay manifest produced no events");
      this.saved.span = { firstTs, lastTs };
      this.current = { loop: loop + 1, index: 0 };
      await this.savePosition();
      console.log(`replay loop ${loop} done: ${index} events; next loop shifted by ${loopShiftMs(this.saved.span)} ms`);
    }
  }

  /** Sleeps in slices of at most MAX_SLEEP_MS, sending batches that became due meanwhile. */
  private async waitFlushing(delayMs: number): Promise<void> {
    const until = Date.now() + delayMs;
    for (let now = Date.now(); now < until; now = Date.now()) {
      await this.batcher.flush(now);
      await this.savePosition();
      await sleep(Math.min(MAX_SLEEP_MS, until - now));
    }
    await this.batcher.flush(Date.now());
  }

  /**
   * Persists where a restart must resume: the current position once everything handed to
   * the batcher is acknowledged, moved back to the oldest event some SymbolObject has
   * applied but not yet checkpointed (re-sent events it already holds are dropped by seq).
   */
  private async savePosition(): Promise<void> {
    if (this.batcher.queued > 0) return;
    let position = this.current;
    const resume = this.batcher.resumeSeq();
    if (resume !== null && resume < replaySeq(position)) {
      position = { loop: Math.floor(resume / SEQ_PER_LOOP), index: resume % SEQ_PER_LOOP };
    }
    if (position.loop === this.saved.position.loop && position.index === this.saved.position.index) return;
    this.saved = { ...this.saved, position };
    this.lastSentWallMs = Date.now();
    await this.ctx.storage.put("replay", this.saved);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
