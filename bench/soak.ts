/**
 * `npm run soak`: the whole stack under a long, realistic stream audience. Does anything get
 * lost, dropped or leaked when 1,000 clients stay subscribed for 10 minutes of a 20x replay?
 *
 * Starts the real local stack (`npm start`'s launcher via test/e2e/stack.ts: its own port and
 * temp state directory, REPLAY_SPEED = --speed), opens --subscribers real `ws` clients with the
 * mix of bench/lib/soak-mix.ts (widgets, dashboards, symbol pages, liquidation feeds; each
 * offers permessage-deflate as browsers do, and pings every 20 s like the typed client), holds
 * them for --minutes, and measures:
 *   - sequence gaps per channel: each update must carry the next `seq`, or `seq` advanced by
 *     its `coalesced`, and a map patch needs a value to apply to (the typed client's rules,
 *     bench/lib/soak-sequence.ts);
 *   - closes the soak did not initiate (code, reason, when), socket errors, unanswered pings;
 *   - messages and bytes received; CPU of the runtime, the dev proxy and the soak's clients;
 *   - memory: the workerd runtime's RSS (found by process tree under this process) every
 *     --sample-s, per-minute means, and whether it is flat after warm-up: the last half's RSS
 *     slope under --flat-mb-per-min (bench/lib/soak-memory.ts). The API exposes no memory
 *     figure; `--heap on` also reads the engine isolate's V8 heap every 30 s through wrangler's
 *     inspector proxy (off by default: the sessions cost the proxy ~90 MB and enable DevTools
 *     domains in the runtime, perturbing what is measured).
 * A progress line every 30 s; a summary at the end, also as JSON in bench/results/ when that
 * directory exists; the stack's output is kept beside it (else in the temp directory). Exit
 * code 1 when there was a gap or an unexpected close; 2 when the run could not be set up (bad
 * flag, stack not started, subscribers not connected); 130 when interrupted.
 *
 * Sockets connect to workerd's own address by default (--via proxy: through wrangler's dev
 * proxy, the `npm start` port, which holds ~4 descriptors per socket). The per-address open
 * limit of /v1/stream (STREAM_OPENS_PER_ADDRESS) is raised for the run, all sockets coming
 * from 127.0.0.1, and the stack gets a private wrangler dev registry so that another
 * `wrangler dev` of liqflow on the machine cannot make it reload. Ctrl-C closes the sockets,
 * stops the stack and prints what was measured.
 *
 *   npm run soak [-- --minutes 10 --subscribers 1000 --speed 20 --via direct]
 *
 * `wrangler dev` rebuilds and restarts the Workers when a file of their bundle changes
 * (sources, or node_modules after an `npm install`): change nothing during a soak. A restart
 * closes every socket; the summary names it.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { startStack, type Stack } from "../test/e2e/stack.js";
import { rerunWithRaisedLimit } from "./lib/soak-fd-limit.js";
import { cpuPercent, flatVerdict, perMinute } from "./lib/soak-memory.js";
import { planSubscribers } from "./lib/soak-mix.js";
import { parseSoakOptions, USAGE, type SoakOptions } from "./lib/soak-options.js";
import { directAddress, findWorkerd, inspectorUrl, type WorkerdPair } from "./lib/soak-processes.js";
import { byKind, channelTable, clock, progressLine, summaryText, type ReplayState, type SoakSummary } from "./lib/soak-report.js";
import { ResourceSampler } from "./lib/soak-sampler.js";
import { totalCounts } from "./lib/soak-sequence.js";
import { SubscriberPool } from "./lib/soak-subscribers.js";

const PROGRESS_EVERY_MS = 30_000;
const FIRST_CYCLE_WAIT_MS = 60_000;
const STACK_ATTEMPTS = 3;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const load1 = () => loadavg()[0];

/** Aborts the soak loop on Ctrl-C / SIGTERM; the run then cleans up and reports. */
class Interrupt {
  requested = false;
  private wake: (() => void) | null = null;
  constructor() {
    const on = () => {
      if (this.requested) return;
      this.requested = true;
      process.stderr.write("\nsoak: interrupted; closing sockets and stopping the stack...\n");
      this.wake?.();
    };
    process.on("SIGINT", on);
    process.on("SIGTERM", on);
  }
  /** Sleeps `ms`, or less when interrupted. */
  sleep(ms: number): Promise<void> {
    if (this.requested) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.wake = null;
        resolve();
      }, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}

/** The part of /v1/health's replay feed the soak reads. */
interface HealthReplay {
  running?: boolean;
  speed?: number;
  position?: { loop?: number };
  lastEventTs?: number | null;
  error?: string | null;
  batches?: { events?: number; failures?: number; lastError?: string | null };
}

async function replayState(base: string): Promise<ReplayState | null> {
  try {
    const res = await fetch(`${base}/v1/health`, { signal: AbortSignal.timeout(10_000) });
    if (!res.ok) return null;
    const h = (await res.json()) as { collector?: { feeds?: { replay?: HealthReplay } } };
    const r = h.collector?.feeds?.replay;
    if (!r) return null;
    return {
      running: r.running ?? null,
      speed: r.speed ?? null,
      loop: r.position?.loop ?? null,
      events: r.batches?.events ?? null,
      failures: r.batches?.failures ?? null,
      lastError: r.error ?? r.batches?.lastError ?? null,
      lastEventTs: r.lastEventTs ?? null,
    };
  } catch {
    return null;
  }
}

/**
 * Starts the stack and checks it replays at the asked speed: scripts/start.ts passes the speed
 * to the collector through workers/collector/.dev.vars, a file another `npm start` in the same
 * checkout can rewrite between our write and wrangler's read.
 */
async function startCheckedStack(options: SoakOptions, interrupt: Interrupt): Promise<{ stack: Stack; replay: ReplayState }> {
  for (let attempt = 1; attempt <= STACK_ATTEMPTS; attempt++) {
    const registry = mkdtempSync(join(tmpdir(), "liqflow-soak-registry-"));
    const env = {
      // Every socket comes from 127.0.0.1: lift the per-address open limit for this run. The
      // engine reads its variables from the process environment only with this flag (wrangler).
      CLOUDFLARE_INCLUDE_PROCESS_ENV: "true",
      STREAM_OPENS_PER_ADDRESS: String(Math.max(1_000, options.subscribers * 4)),
      // wrangler dev reloads its Workers (closing every socket) when another `wrangler dev` of a
      // Worker with the same name starts or stops and rewrites the shared dev registry.
      WRANGLER_REGISTRY_PATH: registry,
      // `--heap on` reads the engine's heap through wrangler's inspector, closed by default.
      ...(options.heap === "on" ? { LIQFLOW_DEV_INSPECTOR: "1" } : {}),
    };
    const stack = await startStack({ speed: options.speed, env }).catch((err: unknown) => {
      rmSync(registry, { recursive: true, force: true });
      throw err;
    });
    registries.set(stack, registry);
    let replay: ReplayState | null = null;
    for (let i = 0; i < 40 && !interrupt.requested; i++) {
      replay = await replayState(stack.base);
      if (replay?.speed !== null && replay?.speed !== undefined) break;
      await sleep(500);
    }
    if (replay && replay.speed === options.speed) return { stack, replay };
    await stopStack(stack);
    if (interrupt.requested) throw new Error("interrupted while starting the stack");
    process.stderr.write(`soak: the replay runs at ${replay?.speed ?? "an unknown speed"}x, not ${options.speed}x (attempt ${attempt}); restarting the stack\n`);
  }
  throw new Error(`the replay did not run at ${options.speed}x in ${STACK_ATTEMPTS} attempts (another npm start in this checkout rewriting workers/collector/.dev.vars?)`);
}

/** The private dev registry of each stack started here. */
const registries = new Map<Stack, string>();

async function stopStack(stack: Stack): Promise<void> {
  await stack.stop();
  rmSync(stack.stateDir, { recursive: true, force: true });
  const registry = registries.get(stack);
  if (registry) rmSync(registry, { recursive: true, force: true });
  registries.delete(stack);
}

async function findProcesses(stack: Stack): Promise<WorkerdPair> {
  for (let i = 0; i < 20; i++) {
    const pair = findWorkerd(process.pid, stack.port);
    if (pair) return pair;
    await sleep(500);
  }
  throw new Error("the stack's workerd runtime was not found under this process");
}

async function listSymbols(base: string): Promise<{ symbol: string; ts: number | null }[]> {
  const res = await fetch(`${base}/v1/symbols`);
  const body = (await res.json()) as { symbols?: { symbol: string; ts: number | null }[] };
  if (!res.ok || !Array.isArray(body.symbols)) throw new Error(`GET /v1/symbols answered ${res.status}`);
  return body.symbols;
}

/**
 * The tracked symbols, once some symbol has a first cycle (or after FIRST_CYCLE_WAIT_MS): a
 * channel without a value yet has no snapshot, and the subscribe path the soak should exercise
 * is the one real clients meet, a snapshot racing the next update.
 */
async function symbolsOnceLive(base: string, interrupt: Interrupt): Promise<string[]> {
  const deadline = Date.now() + FIRST_CYCLE_WAIT_MS;
  let symbols = await listSymbols(base);
  while (!symbols.some((s) => s.ts !== null) && Date.now() < deadline && !interrupt.requested) {
    await interrupt.sleep(1_000);
    symbols = await listSymbols(base);
  }
  return symbols.map((s) => s.symbol);
}

/** New lines of the stack's output that say it restarted or failed. */
function stackEvents(log: string, seen: number): { events: string[]; seen: number } {
  const fresh = log.slice(seen);
  const events = fresh
    // eslint-disable-next-line no-control-regex
    .replace(/\u001b\[[0-9;]*m/g, "")
    .split("\n")
    .filter((l) => /reload|restart|exited|uncaught|out of memory/i.test(l))
    .map((l) => l.trim().slice(0, 200));
  return { events, seen: log.length };
}

/** The stack under test and how the soak reaches it. */
interface Target {
  stack: Stack;
  replayStart: ReplayState;
  /** Where the sockets and health reads go: workerd's own address, or the dev proxy. */
  socketsAt: string;
  sampler: ResourceSampler;
}

async function reachStack(stack: Stack, replayStart: ReplayState, options: SoakOptions): Promise<Target> {
  const workerd = await findProcesses(stack);
  const direct = options.via === "direct" ? await directAddress(workerd.engine) : null;
  if (options.via === "direct" && !direct) throw new Error("workerd's own address was not found; try --via proxy");
  const heapUrl = options.heap === "on" && workerd.proxy !== null ? await inspectorUrl(workerd.proxy, stack.port) : null;
  if (options.heap === "on" && !heapUrl) process.stderr.write("soak: wrangler's inspector does not answer; the engine heap is not measured\n");
  return { stack, replayStart, socketsAt: direct ?? stack.base, sampler: new ResourceSampler(workerd, stack.port, heapUrl) };
}

async function openSubscribers(target: Target, options: SoakOptions, interrupt: Interrupt): Promise<{ pool: SubscriberPool; connectS: number; logAt: number }> {
  const plans = planSubscribers(options.subscribers, await symbolsOnceLive(target.stack.base, interrupt));
  const logAt = target.stack.log().length;
  const pool = new SubscriberPool(`${target.socketsAt.replace("http", "ws")}/v1/stream`, plans, options.deflate === "on");
  const started = performance.now();
  console.log(`soak: stack up on ${target.stack.base} (sockets at ${target.socketsAt}); opening ${options.subscribers} subscribers...`);
  const onWave = (open: number) => {
    if (open % 200 < options.wave) process.stderr.write(`soak: ${open}/${options.subscribers} subscribed\n`);
  };
  try {
    await pool.openAll(options.wave, onWave, () => interrupt.requested);
  } catch (err) {
    await pool.closeAll();
    throw err;
  }
  if (interrupt.requested) {
    await pool.closeAll();
    throw new Error("interrupted while opening the subscribers");
  }
  const connectS = (performance.now() - started) / 1000;
  console.log(`soak: ${options.subscribers} subscribed in ${connectS.toFixed(1)} s; holding them for ${options.minutes} min`);
  return { pool, connectS, logAt };
}

/**
 * Holds the subscribers for the soak's duration: a sample every --sample-s, a progress line every
 * 30 s. Stack events are stamped, like the pool's gaps and closes, since the first socket opened.
 */
async function hold(target: Target, pool: SubscriberPool, logAt: number, options: SoakOptions, interrupt: Interrupt): Promise<{ soakMs: number; replayEnd: ReplayState; events: string[] }> {
  const totalMs = options.minutes * 60_000;
  const t0 = Date.now();
  const events: string[] = [];
  let logSeen = logAt;
  let lastProgressAt = 0;
  let last = { at: t0, messages: 0, bytes: 0 };
  let replay = target.replayStart;
  while (!interrupt.requested) {
    const elapsed = Date.now() - t0;
    const sample = await target.sampler.sample(elapsed);
    const fresh = stackEvents(target.stack.log(), logSeen);
    logSeen = fresh.seen;
    events.push(...fresh.events.map((e) => `${clock(Date.now() - pool.originMs)}: ${e}`));
    if (elapsed >= totalMs) break;
    if (elapsed - lastProgressAt >= PROGRESS_EVERY_MS) {
      lastProgressAt = elapsed;
      replay = (await replayState(target.socketsAt)) ?? replay;
      const counts = pool.snapshot();
      const seq = totalCounts(pool.byChannel);
      const dt = (Date.now() - last.at) / 1000;
      console.log(
        progressLine({
          elapsedMs: elapsed, totalMs, counts, subscribers: options.subscribers, gaps: seq.gaps, stale: seq.stale, folded: seq.foldedUpdates,
          rateMsgsPerS: (counts.messages - last.messages) / dt, rateMbPerS: (counts.bytes - last.bytes) / dt / 1e6,
          memory: { ...sample, heapUsedMb: target.sampler.lastHeapMb }, replay, load: load1(),
        }),
      );
      last = { at: Date.now(), messages: counts.messages, bytes: counts.bytes };
    }
    await interrupt.sleep(Math.min(options.sampleS * 1000, totalMs - elapsed));
  }
  for (const r of target.sampler.restarts) events.push(`${clock(r.atMs + t0 - pool.originMs)}: the workerd runtime restarted (pid ${r.from} → ${r.to})`);
  return { soakMs: Date.now() - t0, replayEnd: (await replayState(target.socketsAt)) ?? replay, events };
}

async function run(options: SoakOptions, interrupt: Interrupt): Promise<SoakSummary> {
  const startedAt = new Date();
  const loadStart = load1();
  const { stack, replay: replayStart } = await startCheckedStack(options, interrupt);
  let pool: SubscriberPool | null = null;
  try {
    const target = await reachStack(stack, replayStart, options);
    const beforeSubscribers = await target.sampler.sample(0, false);
    const opened = await openSubscribers(target, options, interrupt);
    pool = opened.pool;
    const held = await hold(target, pool, opened.logAt, options, interrupt);
    const counts = pool.snapshot();
    const total = totalCounts(pool.byChannel);
    const samples = target.sampler.samples;
    return {
      command: `npm run soak -- --minutes ${options.minutes} --subscribers ${options.subscribers} --speed ${options.speed} --via ${options.via} --deflate ${options.deflate} --heap ${options.heap}`,
      startedAt: startedAt.toISOString(),
      node: process.version,
      options,
      interrupted: interrupt.requested,
      load: { start: loadStart, end: load1() },
      stack: {
        socketsAt: options.via === "direct" ? "workerd's own address" : "the dev proxy",
        replayStart,
        replayEnd: held.replayEnd,
        runtimeRestarts: target.sampler.restarts.length,
        events: held.events,
        logFile: saveLog(stack.log(), startedAt),
      },
      connect: { subscribers: options.subscribers, profiles: pool.profiles(), seconds: opened.connectS },
      soakSeconds: held.soakMs / 1000,
      counts,
      sequences: { total, byKind: byKind(pool.byChannel), byChannel: channelTable(pool.byChannel), firstGaps: pool.gaps },
      unexpectedCloses: pool.closes,
      memory: { beforeSubscribers, perMinute: perMinute(samples), verdict: flatVerdict(samples, held.soakMs, options.flatMbPerMin), samples },
      cpu: cpuPercent(samples),
      pass: total.gaps === 0 && counts.unexpectedCloses === 0,
    };
  } finally {
    await pool?.closeAll();
    await stopStack(stack);
  }
}

const RESULTS_DIR = join(process.cwd(), "bench/results");
const stamp = (d: Date | string) => (typeof d === "string" ? d : d.toISOString()).replace(/[:.]/g, "-");

/** Keeps the stack's output (wrangler's and the Workers' logs) beside the results, else in the temp dir. */
function saveLog(log: string, startedAt: Date): string | null {
  const file = join(existsSync(RESULTS_DIR) ? RESULTS_DIR : tmpdir(), `soak-${stamp(startedAt)}.log`);
  try {
    writeFileSync(file, log);
    return file;
  } catch {
    return null;
  }
}

function writeResults(summary: SoakSummary): string | null {
  if (!existsSync(RESULTS_DIR) || summary.interrupted) return null;
  const file = join(RESULTS_DIR, `soak-${stamp(summary.startedAt)}.json`);
  writeFileSync(file, JSON.stringify(summary, null, 2) + "\n");
  return file;
}

async function main(): Promise<number> {
  let options: SoakOptions;
  try {
    options = parseSoakOptions(process.argv.slice(2));
  } catch (err) {
    console.error(`soak: ${err instanceof Error ? err.message : String(err)}\nusage: ${USAGE}`);
    return 2;
  }
  const rerun = await rerunWithRaisedLimit(options.subscribers * (options.via === "proxy" ? 6 : 2) + 1_024);
  if (rerun !== null) return rerun;
  const interrupt = new Interrupt();
  let summary: SoakSummary;
  try {
    summary = await run(options, interrupt);
  } catch (err) {
    console.error(`soak: ${err instanceof Error ? err.message : String(err)}`);
    return interrupt.requested ? 130 : 2;
  }
  console.log(summaryText(summary));
  const file = writeResults(summary);
  if (file) console.log(`\nsoak: summary written to ${file}`);
  else console.log(`\n${JSON.stringify({ ...summary, memory: { ...summary.memory, samples: undefined } })}`);
  if (summary.interrupted) return 130;
  return summary.pass ? 0 : 1;
}

process.exit(await main());
