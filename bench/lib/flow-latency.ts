/**
 * End to end, exchange event time → subscriber: a real local stack (`startStack`: `npm start`'s
 * launcher, wrangler dev with the engine and the collector, its own free port and temp state)
 * replays recordings at a given speed, real `ws` clients hold `/v1/stream` subscriptions through
 * the dev proxy (the address a user connects to), and each update received is set against the
 * wall time the replay scheduled the event time it stands for (`flow-clock.ts`: the replay's own
 * pacing, estimated from `/v1/health` polls, since the runner does not expose its anchor).
 *
 * What is timed, per channel:
 * - `*:bias` (every symbol's bias; the cards update is the same publish): from the **cycle
 *   boundary itself** (`data.ts`, the 10 s multiple of event time the cycle closes) to the
 *   update's arrival. The engine can only close the cycle once an event past the boundary reaches
 *   it, so this includes the wait for that event (on these recordings the symbol's first event
 *   past a boundary comes a median of 11 ms and at most 48 ms of event time after it: ≤ 4.8 ms of
 *   wall time at 10x), the collector's batch wait (up to 100 ms) and the RPCs.
 * - `SYMBOL:heatmap` (a map channel, built after the whole batch): from the **newest event in the
 *   map** (`ts`, the engine's newest event time when the update was built) to the arrival.
 *
 * The recordings are the dense 2024-08-08 Binance BTCUSDT and ETHUSDT captures (same window,
 * 5.75 min of event time, ≈ 35 s per loop at 10x), played by a manifest of their own: the shipped
 * replay set starts on sparse liquidation-only data, whose silences the replay skips (re-anchoring
 * its clock each time), so few of its cycles have a scheduled time at all.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import WebSocket from "ws";
import type { ReplayManifest } from "../../src/replay/timeline.js";
import { startStack, type Stack } from "../../test/e2e/stack.js";
import { percentile, ReplayClockEstimate, type ReplayClockSample } from "./flow-clock.js";

/** The recordings the end-to-end run replays (paths under data/recorded). */
export const FLOW_MANIFEST: ReplayManifest = {
  files: [
    { path: "binance/hftbacktest_btcusdt_20240808.gz", venue: "binance", instrument: "BTCUSDT" },
    { path: "binance/hftbacktest_ethusdt_20240808.gz", venue: "binance", instrument: "ETHUSDT" },
  ],
};

export interface EndToEndOptions {
  /** Replay speed (REPLAY_SPEED). */
  speed: number;
  /** Wall time updates are timed for, after the subscriptions settle. */
  streamMs: number;
  /** Health polls per second (each reads the collector and every SymbolObject; 3 when absent). */
  pollHz?: number;
  /** Map channels subscribed beside `*:bias`. */
  mapChannels?: readonly string[];
  /**
   * Other work run while the stack starts (it must not reject), finished before anything is
   * timed: quick runs fit the CPU-bound benches into the stack's start-up.
   */
  alongsideStart?: () => Promise<void>;
}

/** Latency figures of one channel group, ms. */
export interface LatencyFigures {
  /** Updates timed (given a scheduled wall time). */
  timed: number;
  /** Updates received whose event time no poll segment bracketed (catch-up cycles after a jump, edges): not timed. */
  untimed: number;
  p50: number;
  p99: number;
  max: number;
  /** Updates that came with `coalesced` (folded by the relay). */
  coalesced: number;
}

export interface EndToEndResult {
  speed: number;
  streamMs: number;
  /** Wall time from spawning the stack to "liqflow is running". */
  startMs: number;
  /** Windows tried: one more after each window that wrangler dev's rebuild (or a socket closing) spoiled, up to 3. */
  attempts: number;
  /** Rebuilds of the Workers by wrangler dev seen during the windows (it watches the shared sources). */
  reloads: number;
  /** Why each window before the reported one was measured again. */
  spoiled: string[];
  /** The reported window had no rebuild, no socket closed, no runner restart, and the replay at the speed asked. */
  clean: boolean;
  /** Restarts of the replay runner during the reported window (its clock re-anchors; the window is then not clean). */
  restarts: number;
  bias: LatencyFigures;
  maps: LatencyFigures;
  /** Per symbol of `*:bias`: [symbol, figures]. */
  biasBySymbol: Array<[string, LatencyFigures]>;
  polls: number;
  pollHz: number;
  /** One-minute load average of the machine when the window began and when it ended. */
  load: { start: number; end: number };
  /** Median health round trip, and the largest slack of a segment's bound (see flow-clock.ts). */
  pollRttMedianMs: number;
  maxSlackMs: number;
  segments: number;
  /** Segments whose offset is the pacer's reported anchor rather than the bound from polls. */
  exactSegments: number;
  loops: number[];
}

interface Received {
  recvWallMs: number;
  channel: string;
  ts: number;
  coalesced: boolean;
}

/** Wall clock in ms with sub-ms resolution, on the same epoch as `Date.now()` (which workerd's clock follows). */
function wallMs(): number {
  return performance.timeOrigin + performance.now();
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Opens a socket to /v1/stream, subscribes, and records every update's arrival with the event time it carries. */
async function subscribe(stack: Stack, channels: readonly string[], into: Received[], recording: () => boolean): Promise<WebSocket> {
  const ws = new WebSocket(`ws://127.0.0.1:${stack.port}/v1/stream`);
  await new Promise<void>((resolve, reject) => {
    ws.once("open", () => resolve());
    ws.once("error", reject);
  });
  // After the open, an error is followed by a close, which the caller counts.
  ws.on("error", () => undefined);
  ws.on("message", (raw) => {
    const at = wallMs();
    if (!recording()) return;
    let msg: { type?: unknown; channel?: unknown; data?: { ts?: unknown }; patch?: { ts?: unknown }; coalesced?: unknown };
    try {
      msg = JSON.parse(String(raw)) as typeof msg;
    } catch {
      return;
    }
    if (msg.type !== "update" || typeof msg.channel !== "string") return;
    const ts = msg.data?.ts ?? msg.patch?.ts;
    if (typeof ts !== "number") return;
    into.push({ recvWallMs: at, channel: msg.channel, ts, coalesced: msg.coalesced !== undefined });
  });
  ws.send(JSON.stringify({ op: "subscribe", channels }));
  return ws;
}

/** What a poll reads of the replay feed's health (workers/collector/src/collector-object.ts `ReplayHealth`). */
interface ReplayFeedHealth {
  speed: number;
  position: { loop: number; index: number };
  skippedGaps: number;
  lastEventTs: number | null;
  /** The pacer's anchor, once the runtime reports it (see flow-clock.ts). */
  clock?: { eventTs: number; wallMs: number } | null;
}

/** Polls /v1/health until `stopped()`, recording the replay feed's clock. */
async function pollClock(stack: Stack, hz: number, into: ReplayClockSample[], speeds: Set<number>, stopped: () => boolean): Promise<void> {
  const everyMs = 1000 / hz;
  while (!stopped()) {
    const sentWallMs = wallMs();
    try {
      const res = await fetch(`${stack.base}/v1/health`);
      // The headers arrive after the collector read its clock: the tightest bound (parsing the body is not the stack's time).
      const recvWallMs = wallMs();
      const body = (await res.json()) as { collector?: { feeds?: { replay?: ReplayFeedHealth } } };
      const replay = body.collector?.feeds?.replay;
      speeds.add(replay?.speed ?? NaN);
      if (replay !== undefined) into.push({ sentWallMs, recvWallMs, loop: replay.position.loop, index: replay.position.index, skippedGaps: replay.skippedGaps, lastEventTs: replay.lastEventTs, anchor: replay.clock ?? null });
    } catch {
      // a failed poll gives no sample
    }
    const wait = sentWallMs + everyMs - wallMs();
    if (wait > 0) await sleep(wait);
  }
}

function figures(latencies: number[], untimed: number, coalesced: number): LatencyFigures {
  return { timed: latencies.length, untimed, p50: percentile(latencies, 50), p99: percentile(latencies, 99), max: latencies.length === 0 ? NaN : Math.max(...latencies), coalesced };
}

/** Times what `received` holds against the clock: figures over all of it and per channel key. */
function timeAll(received: readonly Received[], clock: ReplayClockEstimate, keyOf: (r: Received) => string): { all: LatencyFigures; byKey: Map<string, LatencyFigures> } {
  const groups = new Map<string, { lat: number[]; untimed: number; coalesced: number }>();
  const all = { lat: [] as number[], untimed: 0, coalesced: 0 };
  for (const r of received) {
    const g = groups.get(keyOf(r)) ?? { lat: [], untimed: 0, coalesced: 0 };
    groups.set(keyOf(r), g);
    const due = clock.scheduledWallMs(r.ts);
    for (const x of [g, all]) {
      if (r.coalesced) x.coalesced++;
      if (due === null) x.untimed++;
      else x.lat.push(r.recvWallMs - due);
    }
  }
  const byKey = new Map<string, LatencyFigures>();
  for (const [k, g] of groups) byKey.set(k, figures(g.lat, g.untimed, g.coalesced));
  return { all: figures(all.lat, all.untimed, all.coalesced), byKey };
}

/** What one measurement window saw. */
interface Window {
  samples: ReplayClockSample[];
  received: Received[];
  /** No rebuild of the Workers, no socket closed, no restart of the replay runner, and every poll found the replay at the speed asked. */
  clean: boolean;
  reloads: number;
  /** Restarts of the replay runner seen by the polls (its position went back). */
  restarts: number;
  /** Where the stack's log stood when the window began. */
  logStart: number;
  pollHz: number;
  load: { start: number; end: number };
}

const MAX_ATTEMPTS = 3;
const RELOAD = "Reloading local server";
const READY = "updated and ready";

const count = (text: string, what: string) => text.split(what).length - 1;

/** Subscribes, times updates for `streamMs`, and closes its sockets; polls the clock all along. */
async function timeWindow(stack: Stack, options: EndToEndOptions, pollHz: number, mapChannels: readonly string[], sockets: WebSocket[]): Promise<Window> {
  const samples: ReplayClockSample[] = [];
  const received: Received[] = [];
  let recording = false;
  let stopped = false;
  let closed = 0;
  let loadStart = NaN;
  let loadEnd = NaN;
  const logStart = stack.log().length;
  // Every `npm start` writes its REPLAY_SPEED and LIQFLOW_MODE to workers/collector/.dev.vars in the
  // shared tree: a window counts only if every poll found this replay at the speed asked.
  const speeds = new Set<number>();
  const poller = pollClock(stack, pollHz, samples, speeds, () => stopped);
  try {
    for (const channels of [["*:bias"], mapChannels]) {
      const ws = await subscribe(stack, channels, received, () => recording);
      ws.on("close", () => closed++);
      sockets.push(ws);
    }
    // Snapshots and the first updates after subscribing are not the steady flow.
    await sleep(1_500);
    recording = true;
    loadStart = loadavg()[0];
    await sleep(options.streamMs);
    recording = false;
    loadEnd = loadavg()[0];
    // The clock needs polls after the last update's event time to bracket it.
    await sleep(Math.max(400, 2_000 / pollHz));
  } finally {
    stopped = true;
    await poller;
    for (const ws of sockets.splice(0)) ws.terminate();
  }
  const log = stack.log().slice(logStart);
  const reloads = count(log, RELOAD);
  const ownSpeed = speeds.size === 1 && speeds.has(options.speed);
  const restarts = new ReplayClockEstimate(options.speed, samples).restarts;
  return { samples, received, clean: reloads === 0 && closed === 0 && ownSpeed && restarts === 0, reloads, restarts, logStart, pollHz, load: { start: loadStart, end: loadEnd } };
}

/** Waits until wrangler dev says each rebuild begun since `from` in the log is ready, at most 60 s. */
async function waitForReady(stack: Stack, from: number): Promise<void> {
  const deadline = Date.now() + 60_000;
  const pending = () => {
    const log = stack.log().slice(from);
    return count(log, RELOAD) > count(log, READY);
  };
  while (Date.now() < deadline && pending()) await sleep(250);
  await sleep(2_000);
}

/** The window's figures. */
function summarize(options: EndToEndOptions, window: Window): Omit<EndToEndResult, "startMs" | "attempts" | "reloads" | "spoiled"> {
  const { samples, received } = window;
  const clock = new ReplayClockEstimate(options.speed, samples);
  const bias = received.filter((r) => r.channel.endsWith(":bias"));
  const maps = received.filter((r) => !r.channel.endsWith(":bias"));
  const biasTimed = timeAll(bias, clock, (r) => r.channel.slice(0, r.channel.indexOf(":")));
  const mapTimed = timeAll(maps, clock, (r) => r.channel);
  const rtts = samples.map((s) => s.recvWallMs - s.sentWallMs);
  return {
    speed: options.speed,
    streamMs: options.streamMs,
    clean: window.clean,
    restarts: window.restarts,
    bias: biasTimed.all,
    maps: mapTimed.all,
    biasBySymbol: [...biasTimed.byKey.entries()].sort(([a], [b]) => a.localeCompare(b)),
    polls: samples.length,
    pollHz: window.pollHz,
    load: window.load,
    pollRttMedianMs: percentile(rtts, 50),
    maxSlackMs: clock.segments.length === 0 ? NaN : Math.max(...clock.segments.map((s) => s.slackMs)),
    segments: clock.segments.length,
    exactSegments: clock.segments.filter((seg) => seg.exact).length,
    loops: [...new Set(clock.segments.map((s) => s.loop))],
  };
}

/**
 * Starts a stack replaying `FLOW_MANIFEST` at `speed`, subscribes, times updates for `streamMs`,
 * and stops everything it started (the stack's process group, the sockets, the temp state), also
 * on error.
 */
export async function measureEndToEnd(options: EndToEndOptions): Promise<EndToEndResult> {
  const pollHz = options.pollHz ?? 3;
  const mapChannels = options.mapChannels ?? ["BTCUSDT:heatmap"];
  const stateDir = mkdtempSync(join(tmpdir(), "liqflow-flow-e2e-"));
  const manifest = join(stateDir, "flow-manifest.json");
  writeFileSync(manifest, JSON.stringify(FLOW_MANIFEST));
  const sockets: WebSocket[] = [];
  let stack: Stack | null = null;
  // The stack runs in a process group of its own (detached), which Ctrl-C does not reach: stop it first.
  const interrupted = (signal: NodeJS.Signals) => {
    void (stack?.stop() ?? Promise.resolve()).finally(() => {
      rmSync(stateDir, { recursive: true, force: true });
      process.exit(signal === "SIGINT" ? 130 : 143);
    });
  };
  process.once("SIGINT", interrupted);
  process.once("SIGTERM", interrupted);
  try {
    const spawned = Date.now();
    let startMs = NaN;
    const starting = startStack({ speed: options.speed, stateDir: join(stateDir, "state"), env: { LIQFLOW_MANIFEST: manifest } }).then((s) => {
      startMs = Date.now() - spawned;
      stack = s;
      return s;
    });
    const [started] = await Promise.allSettled([starting, options.alongsideStart?.()]);
    if (started.status === "rejected") throw started.reason;
    stack = started.value;
    let reloads = 0;
    const spoiled: string[] = [];
    for (let attempt = 1; ; attempt++) {
      const window = await timeWindow(stack, options, pollHz, mapChannels, sockets);
      if (window.clean || attempt >= MAX_ATTEMPTS) return { ...summarize(options, window), startMs, attempts: attempt, reloads: reloads + window.reloads, spoiled };
      reloads += window.reloads;
      spoiled.push(window.reloads > 0 ? `${window.reloads} rebuild(s) of the Workers` : window.restarts > 0 ? `${window.restarts} restart(s) of the replay runner` : "a socket closed or the replay was not at the speed asked");
      // wrangler dev rebuilt the Workers (it watches the sources, and this tree is shared): the
      // sockets closed and the runner re-anchored its clock; wait for the new build and start over.
      await waitForReady(stack, window.logStart);
    }
  } finally {
    process.off("SIGINT", interrupted);
    process.off("SIGTERM", interrupted);
    for (const ws of sockets) ws.terminate();
    if (stack !== null) await stack.stop();
    rmSync(stateDir, { recursive: true, force: true });
  }
}
