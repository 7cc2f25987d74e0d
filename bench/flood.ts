/**
 * `npm run bench:flood`: does one abusive WebSocket client stall the engine for everyone else?
 *
 * Starts the real local stack (`npm start`'s launcher, replaying at `--speed`, its own port and
 * state directory), then runs, against 127.0.0.1 only:
 *   - a healthy subscriber (`*:bias`, `BTCUSDT:cards`, `BTCUSDT:liquidations`) that checks every
 *     channel's sequence: each update must carry the next `seq` (a jump, or updates folded into
 *     one with `coalesced`, is a missed cycle), and at the end asks for BTCUSDT:bias's snapshot
 *     to check that it holds the latest cycle; it also times `{"op": "ping"}` answered by its
 *     relay (spelled so the runtime's auto-response does not answer it: the relay must);
 *   - an HTTP reader issuing uncached reads back to back (`/v1/symbols/BTCUSDT/liquidations`
 *     with a distinct `limit` each time, so every read reaches the SymbolObject);
 * first idle for `--idle-s`, then while `--sockets` flood sockets each send `--frames` frames
 * unpaced (a seeded mix of subscribes, `*:bias`, unsubscribes, snapshots and garbage), for
 * `--flood-s`, then 5 s to settle. A probe socket opened as the flood starts times a new
 * client's subscribe. The replay's own silences (up to ~3.5 s at 20x between sparse
 * liquidation-only spans) make a healthy subscriber's longest silence a figure, not a test.
 *
 * Pass: the healthy subscriber misses no cycle and is not closed, and the HTTP p99 during the
 * flood stays under 3× its idle value. Exit code 1 otherwise.
 *
 *   npm run bench:flood [-- --sockets 20 --frames 500 --speed 20 --idle-s 20 --flood-s 20]
 *
 * `measureFlood` is also what `test/e2e/flood.test.ts` runs, with a smaller flood.
 */
import { mulberry32 } from "../src/domain/learning/prng.js";
import { pathToFileURL } from "node:url";
import WebSocket from "ws";
import { SYMBOLS } from "../src/domain/symbols.js";
import { CHANNEL_KINDS } from "../src/protocol/stream.js";
import { startStack } from "../test/e2e/stack.js";

/** What one flood run does. */
export interface FloodOptions {
  /** Flooding sockets, opened at once. */
  sockets: number;
  /** Frames each flooding socket sends, unpaced, as soon as it is open. */
  frames: number;
  /** How long the idle baseline is measured (ms). */
  idleMs: number;
  /** How long after the flood starts its effect is measured (ms). */
  floodMs: number;
  /** Seed of the flood's frame mix. */
  seed?: number;
}

/** Latency figures of the HTTP reader over one phase (ms). */
export interface ReadFigures {
  reads: number;
  failed: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

/** The healthy subscriber's view of one phase. */
export interface CadenceFigures {
  /** Updates received on every channel. */
  updates: number;
  /** Cycles it did not receive one by one: the sum of seq jumps and of `coalesced - 1`. */
  missedCycles: number;
  /** Median time between two BTCUSDT:bias updates (ms). */
  biasCadenceMs: number;
  /** Longest time between two BTCUSDT:bias updates (ms). */
  biasLongestMs: number;
  /** Round trip of a ping its relay answers (p99, ms). */
  relayPingP99Ms: number;
}

export interface FloodResult {
  options: FloodOptions;
  idle: { read: ReadFigures; cadence: CadenceFigures };
  flood: { read: ReadFigures; cadence: CadenceFigures };
  /** Closes of the healthy subscriber, code and reason (none expected). */
  healthyCloses: string[];
  /** After the flood, the healthy subscriber holds BTCUSDT:bias's latest cycle (its snapshot's seq). */
  caughtUp: boolean;
  /** From a new socket's open to its `subscribed` and to its BTCUSDT:bias snapshot, opened as the flood starts (ms). */
  probe: { subscribedMs: number; snapshotMs: number };
  /** Close codes the flooding sockets got, by code. */
  floodCloses: Record<string, number>;
  /** Pass criteria. */
  noMissedCycle: boolean;
  p99Bound: boolean;
}

const HEALTHY_CHANNELS = ["*:bias", "BTCUSDT:cards", "BTCUSDT:liquidations"];
const CADENCE_CHANNEL = "BTCUSDT:bias";
const PING_EVERY_MS = 500;
/** A read slower than this counts as failed (and as this long). */
const READ_TIMEOUT_MS = 30_000;
const SETTLE_MS = 5_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function quantile(xs: number[], q: number): number {
  if (xs.length === 0) return NaN;
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
}

/** The flood's frames: mostly valid work (each subscribe costs an interest sync and snapshot RPCs), some garbage. */
export function floodFrames(count: number, seed: number): string[] {
  const random = mulberry32(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)];
  const channel = () => `${pick(SYMBOLS.symbols)}:${pick(CHANNEL_KINDS)}`;
  const channels = () => Array.from({ length: 1 + Math.floor(random() * 8) }, channel);
  const frames: string[] = [];
  for (let i = 0; i < count; i++) {
    const r = random();
    if (r < 0.3) frames.push(JSON.stringify({ op: "subscribe", channels: ["*:bias", ...channels()] }));
    else if (r < 0.6) frames.push(JSON.stringify({ op: "subscribe", channels: channels() }));
    else if (r < 0.75) frames.push(JSON.stringify({ op: "unsubscribe", channels: channels() }));
    else if (r < 0.9) frames.push(JSON.stringify({ op: "snapshot", channels: channels() }));
    else frames.push(pick(["{", "null", '{"op":"subscribe"}', '{"op":"nope","channels":[]}', "x".repeat(1_000)]));
  }
  return frames;
}

interface Delivery {
  atMs: number;
  channel: string;
  missed: number;
}

interface Ping {
  atMs: number;
  ms: number;
}

/**
 * A subscriber that keeps each channel's last seq and logs every update with the cycles it
 * missed, and pings its relay every PING_EVERY_MS.
 */
function healthySubscriber(wsBase: string) {
  const deliveries: Delivery[] = [];
  const pings: Ping[] = [];
  const lastSeq = new Map<string, number>();
  const closes: string[] = [];
  let stopping = false;
  let pingSentAt: number | null = null;
  let snapshotWaiter: ((seq: number) => void) | null = null;
  const ws = new WebSocket(`${wsBase}/v1/stream`);
  const pinger = setInterval(() => {
    if (pingSentAt !== null || ws.readyState !== WebSocket.OPEN) return;
    pingSentAt = performance.now();
    ws.send(`{"op": "ping"}`);
  }, PING_EVERY_MS);
  const ready = new Promise<void>((resolve, reject) => {
    ws.on("open", () => ws.send(JSON.stringify({ op: "subscribe", channels: HEALTHY_CHANNELS })));
    ws.on("error", reject);
    ws.on("message", (raw) => {
      const m = JSON.parse(String(raw));
      if (m.type === "pong" && pingSentAt !== null) {
        pings.push({ atMs: pingSentAt, ms: performance.now() - pingSentAt });
        pingSentAt = null;
      } else if (m.type === "snapshot") {
        lastSeq.set(m.channel, Math.max(m.seq, lastSeq.get(m.channel) ?? -Infinity));
        if (m.channel === CADENCE_CHANNEL) {
          resolve();
          snapshotWaiter?.(m.seq);
        }
      } else if (m.type === "update") {
        const last = lastSeq.get(m.channel);
        if (last !== undefined && m.seq <= last) return; // older than a snapshot already applied
        const missed = last === undefined ? 0 : m.seq - last - 1;
        lastSeq.set(m.channel, m.seq);
        deliveries.push({ atMs: performance.now(), channel: m.channel, missed });
      }
    });
    ws.on("close", (code, reason) => {
      if (!stopping) closes.push(`${code} ${String(reason)}`.trim());
    });
  });
  return {
    ready,
    deliveries,
    pings,
    closes: () => closes,
    /** True when, after a trailing second, it holds at least the seq of a fresh BTCUSDT:bias snapshot. */
    caughtUp: async (timeoutMs: number): Promise<boolean> => {
      if (ws.readyState !== WebSocket.OPEN) return false;
      const seq = await new Promise<number | null>((resolve) => {
        const timer = setTimeout(() => resolve(null), timeoutMs);
        snapshotWaiter = (s) => {
          clearTimeout(timer);
          resolve(s);
        };
        ws.send(JSON.stringify({ op: "snapshot", channels: [CADENCE_CHANNEL] }));
      });
      await sleep(1_000);
      return seq !== null && (lastSeq.get(CADENCE_CHANNEL) ?? -1) >= seq;
    },
    stop: () => {
      stopping = true;
      clearInterval(pinger);
      ws.terminate();
    },
  };
}

interface Read {
  atMs: number;
  ms: number;
  ok: boolean;
}

/** Uncached reads back to back: a distinct `limit` per request is a distinct cache key. */
function httpReader(base: string) {
  const reads: Read[] = [];
  let running = true;
  const done = (async () => {
    for (let i = 0; running; i++) {
      const atMs = performance.now();
      let ok = false;
      try {
        const res = await fetch(`${base}/v1/symbols/BTCUSDT/liquidations?limit=${(i % 1000) + 1}`, { signal: AbortSignal.timeout(READ_TIMEOUT_MS) });
        await res.arrayBuffer();
        ok = res.status === 200;
      } catch {
        // counted as failed
      }
      reads.push({ atMs, ms: performance.now() - atMs, ok });
      await sleep(20);
    }
  })();
  return {
    reads,
    stop: async () => {
      running = false;
      await done;
    },
  };
}

/** Opens `sockets` sockets that each send `frames` frames at once; resolves with their close codes. */
async function flood(wsBase: string, options: FloodOptions): Promise<Record<string, number>> {
  const codes: Record<string, number> = {};
  const seed = options.seed ?? 14;
  await Promise.all(
    Array.from({ length: options.sockets }, (_, i) =>
      new Promise<void>((resolve) => {
        const ws = new WebSocket(`${wsBase}/v1/stream`);
        const frames = floodFrames(options.frames, seed + i);
        const timer = setTimeout(() => ws.terminate(), options.floodMs);
        ws.on("open", () => {
          for (const frame of frames) ws.send(frame);
        });
        ws.on("unexpected-response", (_req, res) => {
          codes[`http ${res.statusCode}`] = (codes[`http ${res.statusCode}`] ?? 0) + 1;
        });
        ws.on("error", () => {
          // its close follows
        });
        ws.on("close", (code) => {
          clearTimeout(timer);
          codes[code] = (codes[code] ?? 0) + 1;
          resolve();
        });
      }),
    ),
  );
  return codes;
}

/** A new client's subscribe: time to `subscribed` and to its first snapshot. */
async function probe(wsBase: string, timeoutMs: number): Promise<{ subscribedMs: number; snapshotMs: number }> {
  const t0 = performance.now();
  const ws = new WebSocket(`${wsBase}/v1/stream`);
  const figures = { subscribedMs: NaN, snapshotMs: NaN };
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, timeoutMs);
    ws.on("open", () => ws.send(JSON.stringify({ op: "subscribe", channels: [CADENCE_CHANNEL] })));
    ws.on("error", () => resolve());
    ws.on("message", (raw) => {
      const m = JSON.parse(String(raw));
      if (m.type === "subscribed") figures.subscribedMs = performance.now() - t0;
      if (m.type === "snapshot") {
        figures.snapshotMs = performance.now() - t0;
        clearTimeout(timer);
        resolve();
      }
    });
  });
  ws.terminate();
  return figures;
}

function readFigures(reads: Read[], fromMs: number, toMs: number): ReadFigures {
  const phase = reads.filter((r) => r.atMs >= fromMs && r.atMs < toMs);
  const ms = phase.map((r) => r.ms);
  return { reads: phase.length, failed: phase.filter((r) => !r.ok).length, p50Ms: quantile(ms, 0.5), p99Ms: quantile(ms, 0.99), maxMs: Math.max(...ms) };
}

function cadenceFigures(deliveries: Delivery[], pings: Ping[], fromMs: number, toMs: number): CadenceFigures {
  const phase = deliveries.filter((d) => d.atMs >= fromMs && d.atMs < toMs);
  const pingMs = pings.filter((p) => p.atMs >= fromMs && p.atMs < toMs).map((p) => p.ms);
  const bias = phase.filter((d) => d.channel === CADENCE_CHANNEL).map((d) => d.atMs);
  const intervals = bias.slice(1).map((t, i) => t - bias[i]);
  return {
    updates: phase.length,
    missedCycles: phase.reduce((n, d) => n + d.missed, 0),
    biasCadenceMs: quantile(intervals, 0.5),
    biasLongestMs: intervals.length > 0 ? Math.max(...intervals) : NaN,
    relayPingP99Ms: quantile(pingMs, 0.99),
  };
}

/**
 * Measures a running stack at `base`: the idle baseline, then the same figures while a flood
 * runs. `p99Slack` (ms) loosens the p99 bound for tests on a busy machine (bench: 0).
 */
export async function measureFlood(base: string, options: FloodOptions, p99Slack = 0): Promise<FloodResult> {
  const wsBase = base.replace(/^http/, "ws");
  const healthy = healthySubscriber(wsBase);
  await healthy.ready;
  const reader = httpReader(base);
  const idleFrom = performance.now();
  await sleep(options.idleMs);
  const floodFrom = performance.now();
  const floodCloses = flood(wsBase, options);
  const probed = probe(wsBase, options.floodMs);
  await sleep(options.floodMs);
  const floodTo = performance.now();
  await sleep(SETTLE_MS);
  await reader.stop();
  const caughtUp = await healthy.caughtUp(READ_TIMEOUT_MS);
  healthy.stop();
  const [closes, probeFigures] = await Promise.all([floodCloses, probed]);
  const idle = { read: readFigures(reader.reads, idleFrom, floodFrom), cadence: cadenceFigures(healthy.deliveries, healthy.pings, idleFrom, floodFrom) };
  const during = { read: readFigures(reader.reads, floodFrom, floodTo), cadence: cadenceFigures(healthy.deliveries, healthy.pings, floodFrom, floodTo) };
  const missed = healthy.deliveries.reduce((n, d) => n + d.missed, 0);
  return {
    options,
    idle,
    flood: during,
    healthyCloses: healthy.closes(),
    caughtUp,
    probe: probeFigures,
    floodCloses: closes,
    noMissedCycle: missed === 0 && caughtUp && healthy.closes().length === 0,
    p99Bound: during.read.failed === 0 && during.read.p99Ms < 3 * idle.read.p99Ms + p99Slack,
  };
}

/** The result as a table, pass criteria last. */
export function floodTable(r: FloodResult): string {
  const ms = (x: number) => (Number.isFinite(x) ? `${x.toFixed(1)} ms` : "–");
  const row = (name: string, idle: string, during: string) => `${name.padEnd(34)} ${idle.padStart(12)} ${during.padStart(12)}`;
  const closes = Object.entries(r.floodCloses).map(([code, n]) => `${n}× ${code}`).join(", ");
  return [
    row("", "idle", "flood"),
    row("HTTP uncached reads", String(r.idle.read.reads), String(r.flood.read.reads)),
    row("HTTP p50", ms(r.idle.read.p50Ms), ms(r.flood.read.p50Ms)),
    row("HTTP p99", ms(r.idle.read.p99Ms), ms(r.flood.read.p99Ms)),
    row("HTTP max", ms(r.idle.read.maxMs), ms(r.flood.read.maxMs)),
    row("HTTP failed", String(r.idle.read.failed), String(r.flood.read.failed)),
    row("healthy updates", String(r.idle.cadence.updates), String(r.flood.cadence.updates)),
    row("healthy missed cycles", String(r.idle.cadence.missedCycles), String(r.flood.cadence.missedCycles)),
    row(`${CADENCE_CHANNEL} cadence (median)`, ms(r.idle.cadence.biasCadenceMs), ms(r.flood.cadence.biasCadenceMs)),
    row(`${CADENCE_CHANNEL} longest silence`, ms(r.idle.cadence.biasLongestMs), ms(r.flood.cadence.biasLongestMs)),
    row("healthy's relay ping p99", ms(r.idle.cadence.relayPingP99Ms), ms(r.flood.cadence.relayPingP99Ms)),
    `healthy subscriber holds the latest ${CADENCE_CHANNEL} cycle ${SETTLE_MS / 1000} s after the flood: ${r.caughtUp ? "yes" : "NO"}`,
    `new socket during the flood: subscribed after ${ms(r.probe.subscribedMs)}, snapshot after ${ms(r.probe.snapshotMs)}`,
    `flood sockets closed: ${closes || "none"}; healthy subscriber closed: ${r.healthyCloses.join("; ") || "never"}`,
    `PASS healthy subscriber misses no cycle (no seq jump, nothing coalesced, caught up, never closed): ${r.noMissedCycle ? "yes" : "NO"}`,
    `PASS HTTP p99 during the flood < 3x idle p99 (${ms(3 * r.idle.read.p99Ms)}): ${r.p99Bound ? "yes" : "NO"}`,
  ].join("\n");
}

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
}

async function main(): Promise<void> {
  const speed = Number(arg("speed", "20"));
  const options: FloodOptions = {
    sockets: Number(arg("sockets", "20")),
    frames: Number(arg("frames", "500")),
    idleMs: Number(arg("idle-s", "20")) * 1000,
    floodMs: Number(arg("flood-s", "20")) * 1000,
    seed: Number(arg("seed", "14")),
  };
  process.stderr.write(`bench:flood: starting the stack (replay ${speed}x)...\n`);
  const stack = await startStack({ speed });
  // Interrupted: the stack (its own process group) goes too.
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => void stack.stop().then(() => process.exit(130)));
  try {
    // Warm up: the replay has produced BTCUSDT cycles and the read path is compiled.
    for (let i = 0; i < 240 && (await fetch(`${stack.base}/v1/symbols/BTCUSDT/bias?mode=day`)).status !== 200; i++) await sleep(500);
    process.stderr.write(`bench:flood: idle ${options.idleMs / 1000} s, then ${options.sockets} sockets x ${options.frames} frames for ${options.floodMs / 1000} s...\n`);
    const result = await measureFlood(stack.base, options);
    console.log(`bench:flood: ${options.sockets} sockets x ${options.frames} unpaced frames, replay ${speed}x, 127.0.0.1 via the dev proxy; node ${process.version}`);
    console.log(floodTable(result));
    process.exitCode = result.noMissedCycle && result.p99Bound ? 0 : 1;
  } finally {
    await stack.stop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await main();
