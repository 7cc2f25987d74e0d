/**
 * `npm run replay -- [--venue binance] FILE...`
 *
 * Runs SymbolEngine in Node over recordings merged in event-time order (the same merge and
 * normalizers as the collector's replay feed) and prints one NDJSON snapshot per 10 s cycle
 * per symbol on stdout: symbol, ts, price, cards, bias per mode, cumulative liquidations.
 * Deterministic: two runs over the same files give byte-identical output. Progress goes to
 * stderr every two seconds.
 */
import { existsSync } from "node:fs";
import { basename, dirname } from "node:path";
import { SymbolEngine } from "../src/domain/engine.js";
import { VenueSchema, type CanonicalEvent, type Venue } from "../src/domain/events.js";
import { getMapper } from "../src/exchanges/registry.js";
import { mergeByEventTime } from "../src/replay/merge.js";
import { newStreamStats, recordingEvents, type StreamStats } from "../src/replay/source.js";
import { inferFileInstrument, recordingLines } from "./lib/recording-file.js";
import { createStdoutWriter } from "./lib/stdout.js";

const USAGE = "usage: npm run replay -- [--venue binance|bybit|okx|hyperliquid] FILE...";

function fail(message: string): never {
  process.stderr.write(`replay: ${message}\n${USAGE}\n`);
  process.exit(2);
}

function parseArgs(argv: string[]): { venue?: Venue; files: string[] } {
  const files: string[] = [];
  let venue: Venue | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--venue") {
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
  return { venue, files };
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

const { venue: explicitVenue, files } = parseArgs(process.argv.slice(2));
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
let snapshots = 0;
let lastTs = 0;
const started = Date.now();
let lastProgress = started;

function emit(event: CanonicalEvent): void {
  let engine = engines.get(event.symbol);
  if (!engine) engines.set(event.symbol, (engine = new SymbolEngine(event.symbol)));
  for (const snapshot of engine.ingest([event])) {
    out.write(`${JSON.stringify(snapshot)}\n`);
    snapshots++;
  }
}

for await (const { event } of mergeByEventTime(sources)) {
  emit(event);
  events++;
  lastTs = event.ts;
  if ((events & 0x3fff) === 0 && Date.now() - lastProgress >= 2000) {
    lastProgress = Date.now();
    process.stderr.write(`replay: ${events} events, event time ${new Date(lastTs).toISOString()}, ${snapshots} snapshots\n`);
  }
}
await out.end();

const rejected = stats.reduce((n, s) => n + Object.values(s.rejected).reduce((a, b) => a + b, 0), 0);
process.stderr.write(
  `replay: done: ${files.length} file(s), ${events} events, ${snapshots} snapshots for ${engines.size} symbol(s)` +
    `${rejected ? `, ${rejected} rejected lines` : ""} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
);
