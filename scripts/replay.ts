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
import { DEFAULT_ENGINE_CONFIG } from "../src/domain/config.js";
import type { SymbolSnapshot } from "../src/protocol/snapshot.js";
import { VenueSchema, type CanonicalEvent, type Venue } from "../src/domain/events.js";
import { mergeByEventTime } from "../src/replay/merge.js";
import { CYCLE_CHOICES, EngineFleet, cycleConfig, openRecordings, parseCycleMs } from "./lib/engine-run.js";
import { createStdoutWriter } from "./lib/stdout.js";

const USAGE = "usage: npm run replay -- [--venue binance|bybit|okx|hyperliquid] [--cycle 10s|20s|30s|60s] [--every 1h] FILE...";

function fail(message: string): never {
  process.stderr.write(`replay: ${message}\n${USAGE}\n`);
  process.exit(2);
}

function parseCycle(text: string | undefined): number {
  const ms = parseCycleMs(text);
  if (ms === null) fail(`--cycle must be one of ${CYCLE_CHOICES} (got ${JSON.stringify(text ?? "")})`);
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

const { venue: explicitVenue, files, cycleMs, everyMs } = parseArgs(process.argv.slice(2));
const config = cycleMs === null ? undefined : cycleConfig(cycleMs);
const tag = cycleMs === null ? "" : `,"cycleMs":${cycleMs}`;
const { sources, stats } = await openRecordings(files, explicitVenue);

const out = createStdoutWriter();
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

// One engine per symbol and the Coordinator's market memory in process (scripts/lib/engine-run.ts).
const fleet = new EngineFleet(config);

function emit(event: CanonicalEvent): void {
  for (const snapshot of fleet.ingest(event).snapshots) write(snapshot, false);
}

for await (const { event } of mergeByEventTime(sources)) {
  emit(event);
  const behind = out.backpressure();
  if (behind !== null) await behind;
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
for (const tail of fleet.tail()) for (const snapshot of tail.snapshots) write(snapshot, true);
await out.end();

const rejected = stats.reduce((n, s) => n + Object.values(s.rejected).reduce((a, b) => a + b, 0), 0);
process.stderr.write(
  `replay: done: ${files.length} file(s), ${events} events (${bars} bars), ${snapshots} snapshots (cycle ${(cycleMs ?? DEFAULT_ENGINE_CONFIG.cycleMs) / 1000} s) for ${fleet.engines.size} symbol(s)` +
    `${rejected ? `, ${rejected} rejected lines` : ""} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
);
