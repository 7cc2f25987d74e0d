/**
 * `npm run replay -- [--venue binance] [--cycle 10s|60s] [--every 1h] FILE...`
 *
 * Runs SymbolEngine in Node over recordings merged in event-time order (the same merge and
 * normalizers as the collector's replay feed) and prints one NDJSON snapshot per cycle (10 s of
 * event time by default) per symbol on stdout: symbol, ts, price, cards, bias per mode,
 * cumulative liquidations. At the end of the input each symbol's last partial cycle is emitted
 * too, flagged `"partial": true`, so every input event is accounted for. The symbols share one
 * market memory, as they share the Coordinator live: each cycle's summary is reported and the
 * market context answered is what the next cycle's market-context cards read. With `--cycle`, every
 * line says the cadence that ran (`"cycleMs"`): a cycle of 60 s suits one-minute bars (a 10 s
 * cycle over minute bars repeats the same minute six times).
 * Deterministic: two runs over the same files give byte-identical output. Progress (events,
 * bars, event time reached, rate) goes to stderr every two seconds.
 */
import { existsSync } from "node:fs";
import { basename, dirname } from "node:path";
import { SymbolEngine } from "../src/domain/engine.js";
import { DEFAULT_ENGINE_CONFIG, parseEngineConfig, type EngineConfigInput } from "../src/domain/config.js";
import { MarketMemory } from "../src/domain/market/memory.js";
import type { SymbolSnapshot } from "../src/protocol/snapshot.js";
import { VenueSchema, type CanonicalEvent, type Venue } from "../src/domain/events.js";
import { getMapper } from "../src/exchanges/registry.js";
import { mergeByEventTime } from "../src/replay/merge.js";
import { newStreamStats, recordingEvents, type StreamStats } from "../src/replay/source.js";
import { inferFileInstrument, recordingLines } from "./lib/recording-file.js";
import { createStdoutWriter } from "./lib/stdout.js";

const USAGE = "usage: npm run replay -- [--venue binance|bybit|okx|hyperliquid] [--cycle 10s|20s|30s|60s] [--every 1h] FILE...";

/** Cycles the default timeframes and cadences divide into (1m, 5m, 1h; bias every 30/60/300 s where it can). */
const CYCLES_MS = [10_000, 20_000, 30_000, 60_000];

function fail(message: string): never {
  process.stderr.write(`replay: ${message}\n${USAGE}\n`);
  process.exit(2);
}

function parseCycle(text: string | undefined): number {
  const m = /^(\d+)(ms|s|m)$/.exec(text ?? "");
  const ms = m === null ? NaN : Number(m[1]) * (m[2] === "ms" ? 1 : m[2] === "s" ? 1_000 : 60_000);
  if (!CYCLES_MS.includes(ms)) fail(`--cycle must be one of ${CYCLES_MS.map((c) => `${c / 1000}s`).join(", ")} (got ${JSON.stringify(text ?? "")})`);
  return ms;
}

/** A duration like 30s, 5m, 1h, ms. */
function parseDuration(text: string | undefined, what: string): number {
  const m = /^(\d+)(ms|s|m|h)$/.exec(text ?? "");
  const ms = m === null ? NaN : Number(m[1]) * { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 }[m[2] as "ms" | "s" | "m" | "h"];
  if (!(ms > 0)) fail(`${what} must be a duration such as 30s, 5m or 1h (got ${JSON.stringify(text ?? "")})`);
  return ms;
}

function parseArgs(argv: string[]): { venue?: Venue; files: string[]; cycleMs: number | null; everyMs: number | null } {
  const files: string[] = [];
  let venue: Venue | undefined;
  let cycleMs: number | null = null;
  let everyMs: number | null = null;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--cycle") cycleMs = parseCycle(argv[++i]);
    else if (arg === "--every") everyMs = parseDuration(argv[++i], "--every");
    else if (arg === "--venue") {
      const parsed = VenueSchema.safeParse(argv[++i]);
      if (!parsed.success) fail(`unknown venue ${JSON.stringify(argv[i])}`);
      venue = parsed.data;
    } else if (arg === "--help" || arg === "-h") {
      process.stdout.write(`${USAGE}\n`);
      process.exit(0);
    } else if (arg.startsWith("--")) {
      fail(`unknown option ${arg}`);
    } else files.push(arg);
  }
  if (files.length === 0) fail("no recording given");
  for (const f of files) if (!existsSync(f)) fail(`no such file: ${f}`);
  const cycle = cycleMs ?? DEFAULT_ENGINE_CONFIG.cycleMs;
  if (everyMs !== null && everyMs % cycle !== 0) fail(`--every must be a multiple of the cycle (${cycle / 1000} s) (got ${everyMs / 1000} s)`);
  return { venue, files, cycleMs, everyMs };
}

/** The engine config for a cycle: bias cadences rounded up to it (scalp every 60 s on a 60 s cycle). */
function cycleConfig(cycleMs: number): EngineConfigInput {
  const cadence = (ms: number) => Math.ceil(ms / cycleMs) * cycleMs;
  const d = DEFAULT_ENGINE_CONFIG;
  return { cycleMs, biasCadenceMs: { scalp: cadence(d.biasCadenceMs.scalp), day: cadence(d.biasCadenceMs.day), swing: cadence(d.biasCadenceMs.swing) }, catchUpMs: cadence(d.catchUpMs) };
}

/** The venue of a file: --venue, else the folder it sits in (data/recorded/<venue>/...). */
function venueOf(file: string, explicit: Venue | undefined): Venue {
  if (explicit) return explicit;
  for (let dir = dirname(file); dir !== dirname(dir); dir = dirname(dir)) {
    const parsed = VenueSchema.safeParse(basename(dir));
    if (parsed.success) return parsed.data;
  }
  return "binance";
}

const { venue: explicitVenue, files, cycleMs, everyMs } = parseArgs(process.argv.slice(2));
const config = cycleMs === null ? undefined : cycleConfig(cycleMs);
const tag = cycleMs === null ? "" : `,"cycleMs":${cycleMs}`;
const stats: StreamStats[] = [];
const sources = await Promise.all(
  files.map(async (file) => {
    const venue = venueOf(file, explicitVenue);
    const s = newStreamStats();
    stats.push(s);
    const instrument = await inferFileInstrument(getMapper(venue), file);
    return recordingEvents(recordingLines(file).lines, venue, s, { instrument });
  }),
);

const out = createStdoutWriter();
const engines = new Map<string, SymbolEngine>();
let events = 0;
let bars = 0;
let snapshots = 0;
let lastTs = 0;
const started = Date.now();
let lastProgress = started;
let lastProgressEvents = 0;

function write(snapshot: SymbolSnapshot, partial: boolean): void {
  if (everyMs !== null && !partial && snapshot.ts % everyMs !== 0) return;
  const json = JSON.stringify(snapshot);
  out.write(`${json.slice(0, -1)}${tag}${partial ? `,"partial":true` : ""}}\n`);
  snapshots++;
}

// The Coordinator's market memory, in process: after each ingest that closed a cycle the symbol
// reports its summary and gets its context back, as a SymbolObject does (symbol-object.ts).
const engineConfig = parseEngineConfig(config);
const market = new MarketMemory(engineConfig.cycleMs, engineConfig.biasNeutralBand);

function report(engine: SymbolEngine): void {
  const summary = engine.summary();
  if (summary === null) return;
  market.report(summary);
  engine.setMarketContext(market.context(summary.symbol, summary.ts));
}

function emit(event: CanonicalEvent): void {
  let engine = engines.get(event.symbol);
  if (!engine) engines.set(event.symbol, (engine = new SymbolEngine(event.symbol, { config })));
  const emitted = engine.ingest([event]);
  for (const snapshot of emitted) write(snapshot, false);
  if (emitted.length > 0) report(engine);
}

for await (const { event } of mergeByEventTime(sources)) {
  emit(event);
  events++;
  if (event.kind === "bar") bars++;
  lastTs = event.ts;
  if ((events & 0x3fff) === 0 && Date.now() - lastProgress >= 2000) {
    const now = Date.now();
    const rate = ((events - lastProgressEvents) / (now - lastProgress)) * 1000;
    lastProgress = now;
    lastProgressEvents = events;
    process.stderr.write(`replay: ${events} events (${bars} bars), event time ${new Date(lastTs).toISOString()}, ${snapshots} snapshots, ${Math.round(rate)} events/s\n`);
  }
}
// The tail: each symbol's events after its last boundary, in the boundary that would close them.
for (const engine of engines.values()) {
  const next = engine.nextBoundaryTs;
  if (next !== null) for (const snapshot of engine.advanceTo(next)) write(snapshot, true);
}
await out.end();

const rejected = stats.reduce((n, s) => n + Object.values(s.rejected).reduce((a, b) => a + b, 0), 0);
process.stderr.write(
  `replay: done: ${files.length} file(s), ${events} events (${bars} bars), ${snapshots} snapshots (cycle ${(cycleMs ?? DEFAULT_ENGINE_CONFIG.cycleMs) / 1000} s) for ${engines.size} symbol(s)` +
    `${rejected ? `, ${rejected} rejected lines` : ""} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
);
