/**
 * CollectorObject: one feed per object. Glue only.
 *
 * Replay mode (the object named `replay`): plays the recordings listed in
 * data/recorded/replay.json into the engine in event-time order, looping, at REPLAY_SPEED,
 * through the same normalizers the live feed uses. Merging, pacing and sequencing live in
 * src/replay. The position (loop, events sent) is persisted after every flush, so a restarted
 * stack resumes where it stopped; events re-sent after a crash carry the same sequence numbers
 * and the SymbolObjects drop them.
 *
 * Live mode (one object per venue, named `live:<venue>`): holds the venue's WebSockets and REST
 * polls (`live-feed.ts`). The feed each object holds is persisted, so its alarm, which keeps the
 * object alive, restarts the right feed after an eviction; an alarm that finds the stack in the
 * other mode lets the object sleep.
 */
import { DurableObject } from "cloudflare:workers";
import type { CanonicalEvent, Venue } from "../../../src/domain/events.js";
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
import { parseLiveConfig } from "./live-config.js";
import { LiveFeed } from "./live-feed.js";
import { idleVenueHealth, type LiveVenueHealth } from "./live-health.js";

/** Which feed an object holds, persisted under FEED_KEY. Objects from before live mode have none: replay. */
type FeedKind = { kind: "replay" } | { kind: "live"; venue: Venue };
const FEED_KEY = "feed";

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
  private feed: FeedKind = { kind: "replay" };
  private live: LiveFeed | null = null;

  constructor(ctx: DurableObjectState, env: CollectorEnv) {
    super(ctx, env);
    ctx.blockConcurrencyWhile(async () => {
      this.saved = (await ctx.storage.get<Saved>("replay")) ?? this.saved;
      this.feed = (await ctx.storage.get<FeedKind>(FEED_KEY)) ?? this.feed;
    });
  }

  private get speed(): number {
    const speed = Number(this.env.REPLAY_SPEED ?? "1");
    if (!(speed > 0) || !Number.isFinite(speed)) throw new Error(`REPLAY_SPEED must be a positive number, got "${this.env.REPLAY_SPEED}"`);
    return speed;
  }

  /** Starts the replay feed if it is not running. Idempotent. */
  async start(): Promise<{ running: boolean }> {
    if (this.feed.kind !== "replay") throw new Error(`this object holds the live feed of ${this.feed.venue}, not the replay`);
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

  /** Starts this object's live feed of `venue` if it is not running. Idempotent. */
  async startLive(venue: Venue): Promise<{ running: boolean; status: LiveVenueHealth["status"]; reason: string | null }> {
    if (this.feed.kind !== "live" || this.feed.venue !== venue) {
      if (this.feed.kind === "live") throw new Error(`this object holds the live feed of ${this.feed.venue}, not ${venue}`);
      this.feed = { kind: "live", venue };
      await this.ctx.storage.put(FEED_KEY, this.feed);
    }
    if (this.live === null) {
      const env = this.env;
      this.live = new LiveFeed(venue, parseLiveConfig(env as unknown as Record<string, unknown>), {
        storage: this.ctx.storage,
        send: (symbol, batch) => env.SYMBOL_OBJECTS.get(env.SYMBOL_OBJECTS.idFromName(symbol)).ingest(symbol, batch),
        setBrackets: (symbol, tables) => env.SYMBOL_OBJECTS.get(env.SYMBOL_OBJECTS.idFromName(symbol)).setBrackets(symbol, tables),
        rawBucket: env.RAW_CAPTURE_BUCKET ?? null,
      });
    }
    await this.live.start();
    if ((await this.ctx.storage.getAlarm()) === null) await this.ctx.storage.setAlarm(Date.now() + ALARM_EVERY_MS);
    const h = this.live.health();
    return { running: this.live.running, status: h.status, reason: h.reason };
  }

  /** The live feed's counters; a feed not started yet reports `stopped`. */
  async liveHealth(venue: Venue): Promise<LiveVenueHealth> {
    if (this.live !== null) return this.live.health();
    return idleVenueHealth(venue, "stopped", "not started yet");
  }

  /**
   * Keeps the feed alive: restarts it after an eviction or a failure. An object whose feed is
   * not the stack's mode (the stack was restarted in the other mode) stops and sleeps.
   */
  override async alarm(): Promise<void> {
    const mode = this.env.LIQFLOW_MODE ?? "replay";
    if (this.feed.kind === "live") {
      if (mode !== "live") {
        this.live?.stop(`LIQFLOW_MODE is "${mode}"`);
        return;
      }
      await this.ctx.storage.setAlarm(Date.now() + ALARM_EVERY_MS);
      await this.startLive(this.feed.venue);
      return;
    }
    if (mode !== "replay") return;
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
    // A (re)start resumes where the SymbolObjects' checkpoints stand; from then on each loop
    // follows the last in this process. (Resuming every loop from the durable position replayed
    // the tail of a loop forever while one symbol had not yet checkpointed its last events.)
    let start = this.saved.position;
    for (;;) {
      const { loop, index: resumeAt } = start;
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
      start = { loop: loop + 1, index: 0 };
      this.current = start;
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
