/**
 * CollectorObject: one feed per object. Glue only.
 *
 * Replay mode (the object named `replay`): plays the recordings listed in
 * data/recorded/replay.json into the engine in event-time order, looping, at REPLAY_SPEED,
 * through the same normalizers the live feed uses. Merging, pacing and sequencing live in
 * src/replay; the loop and the position it persists in `replay-runner.ts`: a restarted stack
 * resumes from a position every event before which its SymbolObject has acknowledged and made
 * durable, and events re-sent from there carry the same sequence numbers, so the SymbolObjects
 * drop the ones they hold.
 *
 * Live mode (one object per venue, named `live:<venue>`): holds the venue's WebSockets and REST
 * polls (`live-feed.ts`). The feed each object holds is persisted, so its alarm, which keeps the
 * object alive, restarts the right feed after an eviction; an alarm that finds the stack in the
 * other mode lets the object sleep.
 */
import { DurableObject } from "cloudflare:workers";
import type { CanonicalEvent, Venue } from "@liqflow/engine/domain/events.js";
import { SYMBOLS } from "@liqflow/engine/domain/symbols.js";
import { mergeByEventTime } from "@liqflow/engine/replay/merge.js";
import { newStreamStats, recordingEvents, type StreamStats } from "@liqflow/engine/replay/source.js";
import { readLines } from "@liqflow/engine/replay/lines.js";
import { loopShiftMs, manifestIdleGapMs, manifestStartTs, type ReplayFile, type ReplayManifest, type ReplayPosition, type ReplaySpan } from "@liqflow/engine/replay/timeline.js";
import { onTheWire } from "@liqflow/engine/protocol/ingest.js";
import { newBatcherStats, type BatcherStats } from "./batcher.js";
import { parseLiveConfig } from "./live-config.js";
import { LiveFeed } from "./live-feed.js";
import { idleVenueHealth, type LiveVenueHealth } from "./live-health.js";
import { ReplayRunner, type SavedReplay } from "./replay-runner.js";

/** Which feed an object holds, persisted under FEED_KEY. Objects from before live mode have none: replay. */
type FeedKind = { kind: "replay" } | { kind: "live"; venue: Venue };
const FEED_KEY = "feed";
/** Where the replay's SavedReplay is persisted. */
const REPLAY_KEY = "replay";

const MANIFEST_KEY = "replay.json";
const ALARM_EVERY_MS = 10_000;

export interface ReplayHealth {
  mode: "replay";
  running: boolean;
  speed: number;
  /** Events of the current loop handed to the engine's batcher so far (an event waiting for its pacing is not). */
  position: ReplayPosition;
  /**
   * Where a restart resumes (persisted): every event before it was acknowledged by its
   * SymbolObject and is in that object's durable checkpoint. It trails `position` by the events
   * still pending or in flight and by up to one engine checkpoint (one 10 s cycle) of the
   * slowest symbol; it never moves back.
   */
  resumePosition: ReplayPosition;
  /** Event time (shifted) of the last event handed to the batcher. */
  lastEventTs: number | null;
  /** Wall time since `resumePosition` last moved forward. */
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
  private saved: SavedReplay = { position: { loop: 0, index: 0 }, span: null };
  private streams: Record<string, StreamStats & { venue: string }> = {};
  /** Built at the first start; kept across restarts of its loop (its counters with it). */
  private replay: ReplayRunner | null = null;
  /** The recordings of the manifest, read at each (re)start of the replay. */
  private files: ReplayFile[] = [];
  private error: string | null = null;
  private feed: FeedKind = { kind: "replay" };
  private live: LiveFeed | null = null;

  constructor(ctx: DurableObjectState, env: CollectorEnv) {
    super(ctx, env);
    ctx.blockConcurrencyWhile(async () => {
      this.saved = (await ctx.storage.get<SavedReplay>(REPLAY_KEY)) ?? this.saved;
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
      void this.runReplay().catch((err: unknown) => {
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
        send: (symbol, batch) => env.SYMBOL_OBJECTS.get(env.SYMBOL_OBJECTS.idFromName(symbol)).ingest(symbol, onTheWire(batch)),
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
    const r = this.replay;
    const saved = r?.saved ?? this.saved;
    const lastSavedWallMs = r?.lastSavedWallMs ?? null;
    return {
      mode: "replay",
      running: this.running,
      speed: this.speed,
      position: r?.position ?? saved.position,
      resumePosition: saved.position,
      lastEventTs: r?.lastEventTs ?? null,
      wallLagMs: lastSavedWallMs === null ? null : Date.now() - lastSavedWallMs,
      span: saved.span,
      loopShiftMs: saved.span ? loopShiftMs(saved.span) : null,
      skippedGaps: r?.skippedGaps ?? 0,
      batches: r?.batches ?? newBatcherStats(),
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

  /** Runs the replay loop (`replay-runner.ts`) from the saved position until it fails. */
  private async runReplay(): Promise<void> {
    const manifest = await this.manifest();
    this.files = manifest.files;
    const startTs = manifestStartTs(manifest);
    const idleGapMs = manifestIdleGapMs(manifest);
    const symbols = this.env.SYMBOL_OBJECTS;
    this.replay ??= new ReplayRunner(
      this.saved,
      {
        events: () => this.loopEvents(this.files),
        send: (symbol, batch) => symbols.get(symbols.idFromName(symbol)).ingest(symbol, onTheWire(batch)),
        save: (saved) => this.ctx.storage.put(REPLAY_KEY, saved),
        now: () => Date.now(),
        sleep,
        onLoopDone: (loop, events, shiftMs) => console.log(`replay loop ${loop} done: ${events} events; next loop shifted by ${shiftMs} ms`),
      },
      { speed: this.speed, symbols: SYMBOLS.symbols, startTs, idleGapMs },
    );
    await this.replay.run();
  }

  /** One pass over the recordings, merged in event time. */
  private async *loopEvents(files: ReplayFile[]): AsyncGenerator<CanonicalEvent> {
    for await (const { event } of mergeByEventTime(files.map((f) => this.openFile(f)))) yield event;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
