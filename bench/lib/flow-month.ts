/**
 * The month replay in process: the shared month of five symbols' Binance one-minute bars
 * (data/recorded/binance/klines, 2026-02) through the `replay` command's own parts
 * (`openRecordings`, `mergeByEventTime`, `EngineFleet` with `cycleConfig(60 s)`: every cycle all
 * cards, the bias with its explanation, zones, predictions, the market memory answering), and the
 * same output as `npm run -s replay -- --cycle 60s --every 10m data/recorded/binance/klines/*.csv.gz`
 * built line by line and hashed instead of written (no pipe, no disk), so the sha256 can be set
 * against BENCHMARKS.md's "A month of one-minute bars" run.
 *
 * Quick runs take a slice: the first file alone, its first day of event time, labelled as such.
 */
import { createHash } from "node:crypto";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import type { SymbolSnapshot } from "../../src/protocol/snapshot.js";
import { mergeByEventTime } from "../../src/replay/merge.js";
import { cycleConfig, EngineFleet, openRecordings } from "../../scripts/lib/engine-run.js";

export const KLINES_DIR = "data/recorded/binance/klines";
const CYCLE_MS = 60_000;
const EVERY_MS = 600_000;
const DAY_MS = 86_400_000;

export interface MonthReplayOptions {
  /** A slice: the first file only, its first day of event time. */
  quick: boolean;
  /** Other recordings than the month's five (a check against the command on a few of them). */
  files?: readonly string[];
}

export interface MonthReplayResult {
  /** What was replayed, for the table ("five symbols, 2026-02" or the slice). */
  what: string;
  files: string[];
  symbols: number;
  events: number;
  bars: number;
  cycles: number;
  /** Output lines and bytes `--every 10m` would print, and their sha256 (hex). */
  lines: number;
  bytes: number;
  sha256: string;
  wallMs: number;
  /** Process CPU time (user + system), ms. */
  cpuMs: number;
  barsPerSecond: number;
  firstTs: number;
  lastTs: number;
}

/** Replays the month (or the quick slice) and returns its rate. */
export async function replayMonth(options: MonthReplayOptions): Promise<MonthReplayResult> {
  const all = readdirSync(KLINES_DIR)
    .filter((f) => f.endsWith(".csv.gz"))
    .sort()
    .map((f) => join(KLINES_DIR, f));
  const files = options.files !== undefined ? [...options.files] : options.quick ? all.slice(0, 1) : all;
  const started = performance.now();
  const cpu = process.cpuUsage();
  const { sources } = await openRecordings(files, undefined);
  const fleet = new EngineFleet(cycleConfig(CYCLE_MS));
  const hash = createHash("sha256");
  const tag = `,"cycleMs":${CYCLE_MS}`;
  let events = 0;
  let bars = 0;
  let cycles = 0;
  let lines = 0;
  let bytes = 0;
  let firstTs: number | null = null;
  let lastTs = 0;
  // As scripts/replay.ts writes a snapshot (one in ten with --every 10m; partial ones always).
  const write = (snapshot: SymbolSnapshot, partial: boolean) => {
    cycles++;
    if (!partial && snapshot.ts % EVERY_MS !== 0) return;
    const line = `${JSON.stringify(snapshot).slice(0, -1)}${tag}${partial ? `,"partial":true` : ""}}\n`;
    hash.update(line);
    lines++;
    bytes += Buffer.byteLength(line);
  };
  for await (const { event } of mergeByEventTime(sources)) {
    firstTs ??= event.ts;
    if (options.quick && event.ts >= firstTs + DAY_MS) break;
    for (const snapshot of fleet.ingest(event).snapshots) write(snapshot, false);
    events++;
    if (event.kind === "bar") bars++;
    lastTs = event.ts;
  }
  if (!options.quick) for (const tail of fleet.tail()) for (const snapshot of tail.snapshots) write(snapshot, true);
  const wallMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  const day = (ts: number) => new Date(ts).toISOString().slice(0, 10);
  return {
    what: options.quick
      ? `quick slice: ${files[0].split("/").pop()}, its first day (${day(firstTs ?? 0)})`
      : `${files.length} symbols, ${day(firstTs ?? 0)} → ${day(lastTs)}`,
    files,
    symbols: fleet.engines.size,
    events,
    bars,
    cycles,
    lines,
    bytes,
    sha256: hash.digest("hex"),
    wallMs,
    cpuMs: (used.user + used.system) / 1000,
    barsPerSecond: bars / (wallMs / 1000),
    firstTs: firstTs ?? 0,
    lastTs,
  };
}
