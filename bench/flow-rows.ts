/**
 * The three rows of issue 16's side-by-side table that need more than one Node loop: end to end
 * (exchange event time → subscriber on a real local stack replaying at 10x), memory (the heap one
 * SymbolObject's engine retains under recorded flow, every card cycling) and the month replay
 * (bars/s over the shared month of five symbols' one-minute bars). Self-contained: its own stack
 * on a free port with fresh temp state, its own child process for the heap, and it stops what it
 * started, also on error. A part that fails gives its row as "failed" with the reason (and
 * `failed` names it) instead of a number.
 *
 *   npx tsx bench/flow-rows.ts [--quick]   quick: ≈ 40 s (10 s of stream, the recording's first
 *                                          40,000 events, one day of one symbol); full: 8.5 min on
 *                                          an idle machine, 16–19 min at load average 5–10
 */
import { pathToFileURL } from "node:url";
import type { TableRow } from "./lib/figures.js";
import { markdownTable } from "./lib/figures.js";
import { FLOW_MANIFEST, measureEndToEnd, type EndToEndResult, type LatencyFigures } from "./lib/flow-latency.js";
import { loopShiftMs } from "../src/replay/timeline.js";
import { measureEngineHeap, type EngineHeapResult } from "./lib/flow-memory.js";
import { replayMonth, type MonthReplayResult } from "./lib/flow-month.js";

export interface FlowRowsOptions {
  quick: boolean;
}

export interface FlowRows {
  rows: TableRow[];
  notes: string[];
  /** Parts that failed (their rows say why); empty when all three measured. */
  failed: string[];
}

/** A row and the notes that explain it. */
type Built = { row: TableRow; notes: string[] };

const SPEED = 10;
const P99_TARGET_MS = 250;
const HEAP_TARGET_BYTES = 64 * 2 ** 20;
/** A full run's memory part loops the recording until its flow reaches this (the issue's "1 h of flow"). */
const HOUR_MS = 3_600_000;

const int = (n: number) => n.toLocaleString("en-US");
const ms = (x: number) => (Number.isFinite(x) ? `${x < 10 ? x.toFixed(1) : x.toFixed(0)} ms` : "—");
const size = (bytes: number) => (Math.abs(bytes) < 2 ** 20 ? `${(bytes / 2 ** 10).toFixed(0)} KB` : `${(bytes / 2 ** 20).toFixed(1)} MB`);
const minutes = (msValue: number) => `${(msValue / 60_000).toFixed(msValue < 600_000 ? 2 : 1)} min`;

function failedRow(path: string, target: string, err: unknown): TableRow {
  const reason = (err instanceof Error ? err.message : String(err)).split("\n")[0].slice(0, 200);
  return { path, figure: `failed: ${reason}`, baseline: "—", ratio: "—", target, verdict: "—" };
}

function latencyText(f: LatencyFigures): string {
  return `p50 ${ms(f.p50)}, p99 ${ms(f.p99)} (${int(f.timed)} updates)`;
}

function endToEndRow(r: EndToEndResult): Built {
  const recordings = FLOW_MANIFEST.files.map((f) => `\`${f.path.split("/").pop()}\``).join(" + ");
  const worst = Math.max(r.bias.p99, r.maps.p99);
  const row: TableRow = {
    path: `end to end, exchange event time → subscriber, replay at ${r.speed}x: ${recordings}, ${(r.streamMs / 1000).toFixed(0)} s of stream, \`ws\` clients through the dev proxy`,
    figure: `\`*:bias\`, from the cycle boundary: ${latencyText(r.bias)}; \`BTCUSDT:heatmap\`, from its newest event: ${latencyText(r.maps)}`,
    baseline: "—",
    ratio: "—",
    target: `p99 < ${P99_TARGET_MS} ms`,
    verdict: !r.clean || r.bias.timed === 0 || r.maps.timed === 0 ? "—" : worst < P99_TARGET_MS ? "met" : "not met",
  };
  const perSymbol = r.biasBySymbol.map(([s, f]) => `${s} p50 ${ms(f.p50)}, p99 ${ms(f.p99)}, max ${ms(f.max)}`).join("; ");
  const notes = [
    `end to end: a real stack (\`startStack\`: scripts/start.ts, wrangler dev with the engine and the collector, fresh temp state, a free port; up in ${(r.startMs / 1000).toFixed(1)} s) replays the two 2024-08-08 Binance recordings (one manifest of their own, same 5.75 min window, ≈ 35 s per loop at ${r.speed}x; the shipped replay set starts on sparse liquidations whose skipped silences re-anchor the replay clock, leaving few cycles with a scheduled time). Two \`ws\` sockets on \`/v1/stream\` through the dev proxy: \`*:bias\` and \`BTCUSDT:heatmap\`; updates timed for ${(r.streamMs / 1000).toFixed(0)} s after 1.5 s of settling. Per update: arrival minus the wall time the replay scheduled its event time, which is **the cycle boundary itself** for bias (\`data.ts\`, the 10 s multiple the cycle closes: it includes the wait for the symbol's first event past it: on these recordings a median of 11 ms and at most 48 ms of event time, so at most ${(48 / r.speed).toFixed(1)} ms of wall time at ${r.speed}x; the collector's batch wait of up to 100 ms and the RPCs to the SymbolObject and the relay) and **the newest event in the map** for the heatmap (its \`ts\`: the map is built after the whole batch is applied). Per symbol: ${perSymbol}. One-minute load average ${r.load.start.toFixed(1)} when the window began, ${r.load.end.toFixed(1)} when it ended (2 cores shared with other jobs; the stack, its clients and the pollers share them too).`,
    (r.exactSegments === r.segments && r.segments > 0
      ? `end to end, the replay clock: the anchor of the runner's pacer as \`/v1/health\` reports it (\`replay.clock\`), read by ${int(r.polls)} polls (${r.pollHz} per second, round trip median ${ms(r.pollRttMedianMs)}): exact.`
      : `end to end, the replay clock: the runner's pacer (\`ReplayPacer\`) does not expose its anchor, so it is estimated from ${int(r.polls)} \`/v1/health\` polls (${r.pollHz} per second, round trip median ${ms(r.pollRttMedianMs)}): per anchor segment (loop, skipped silences) the offset is the smallest \`receivedAt − lastEventTs / speed\` over its polls, an upper bound since no event is handed before it is due (bench/lib/flow-clock.ts). Latencies therefore err low by at most the bounding poll's slack (its round trip, ≤ ${ms(r.maxSlackMs)} here, plus the runner's lag at that poll).`) +
      ` Updates for event times no segment's polls bracket (a loop's jump: its catch-up cycles were never scheduled) are not timed: ${int(r.bias.untimed)} bias and ${int(r.maps.untimed)} map updates here over ${r.segments} segment(s), loops ${r.loops.join(", ")}.` +
      (r.spoiled.length > 0 ? ` Windows measured again: ${r.spoiled.map((why, i) => `window ${i + 1}: ${why}`).join("; ")} (wrangler dev rebuilds the Workers when a source file changes, and this tree is shared; a rebuild closes the sockets and restarts the replay, re-anchoring its clock).` : "") +
      (r.clean ? "" : ` The reported window (${r.attempts} of ${r.attempts}) was spoiled too (${r.reloads} rebuilds in all, ${r.restarts} runner restarts in it): its figures carry no verdict.`),
  ];
  return { row, notes };
}

function memoryRow(once: EngineHeapResult, looped: EngineHeapResult | null, partial: boolean): Built {
  const spanMs = once.lastTs - once.firstTs;
  const what = `\`${once.file.split("/").pop()}\`${partial ? `, its first ${int(once.events)} events` : ""}: ${minutes(spanMs)} of event time, ${int(once.events)} events, ${int(once.cycles)} cycles`;
  let figure = `recording once: peak ${size(once.peakBytes)}, end ${size(once.endBytes)}`;
  if (looped !== null) {
    const flowMs = looped.loops * spanMs;
    figure += `; ${looped.loops} replay loops (${minutes(flowMs)} of flow, ${int(looped.events)} events, ${int(looped.cycles)} cycles): peak ${size(looped.peakBytes)}, end ${size(looped.endBytes)}`;
  }
  const peak = Math.max(once.peakBytes, looped?.peakBytes ?? 0) + once.publishedMapsBytes;
  const row: TableRow = {
    path: `memory, heap one SymbolObject's engine retains, all cards: ${what}`,
    figure,
    baseline: "—",
    ratio: "—",
    target: "stated bound < 64 MB",
    verdict: peak < HEAP_TARGET_BYTES ? "met" : "not met",
  };
  const notes = [
    `memory: \`node --expose-gc\` child (bench/lib/flow-memory-child.ts) streams the recording through the collector's normalizer in batches of 500 into a \`SymbolEngine\` built as a SymbolObject builds it (default config, every card, every cycle computed); after a cycle, at most every 30 s of event time, two \`gc()\` then \`heapUsed\`, minus the same reading before the engine existed (baseline ${size(once.baselineBytes)}: modules and the reader). The recording is ${minutes(spanMs)} long, not an hour, and nothing is scaled: the figure is over the span measured.` +
      (looped !== null
        ? ` The looped figure is what the stack's replay does to a SymbolObject: the same recording again each loop, shifted by the replay's loop shift (the span rounded up to a whole hour, so each loop starts with a jump and its catch-up cycles); ${looped.loops} loops make ${minutes(looped.loops * spanMs)} of flow over ${(((looped.loops - 1) * loopShiftMs({ firstTs: looped.firstTs, lastTs: looped.lastTs }) + spanMs) / HOUR_MS).toFixed(1)} h of event time. It is the same market repeated, not an hour of recorded market.`
        : ""),
    `memory beside the engine: a SymbolObject also keeps the heatmap and levels values it last published, to patch from (${size(once.publishedMapsBytes)} retained, ${int(once.publishedMapsChars)} characters as JSON), a sequence record per source, at most 1,000 unreported liquidations and a stub per relay; its liquidation rows, bars, realized records and checkpoints are SQLite, outside the heap (the checkpoint row, built and dropped each cycle: ${int(once.checkpointChars)} characters of JSON). The verdict sets the larger peak plus the published maps (${size(peak)}) against 64 MB. This recording carries trades, book diffs and quotes only (no liquidations, open interest or marks), so the liquidation maps, bounded at about 3 MB by their config (src/domain/engine.ts header), are nearly empty here: their bound comes on top of the figure, not out of it.`,
  ];
  return { row, notes };
}

function monthRow(r: MonthReplayResult, quick: boolean): Built {
  const row: TableRow = {
    path: quick ? `month replay, ${r.what} (the full run replays five symbols, 2026-02)` : `month replay, ${r.what}: one-minute bars, every cycle all cards`,
    figure: `${int(Math.round(r.barsPerSecond))} bars/s (${int(Math.round(r.bars / (r.cpuMs / 1000)))} per CPU second), ${minutes(r.wallMs)} for ${int(r.bars)} bars (${int(r.cycles)} cycles)`,
    baseline: "—",
    ratio: "—",
    target: "state it",
    verdict: "—",
  };
  const notes = [
    `month replay: \`npm run -s replay -- --cycle 60s --every 10m\` on ${quick ? "the slice above" : "`data/recorded/binance/klines/*.csv.gz`"} in process, through the command's own parts (scripts/lib/engine-run.ts \`openRecordings\`, \`EngineFleet\` with \`cycleConfig(60 s)\`, src/replay/merge.ts), its output lines built and hashed instead of written: ${int(r.lines)} lines, ${(r.bytes / 1e9).toFixed(r.bytes < 1e8 ? 3 : 2)} GB, sha256 \`${r.sha256.slice(0, 8)}…\`. These are the command's bytes: on NEARUSDT's month alone both gave 445,867,014 bytes, sha256 \`b1a51028…\` (2026-12-06); BENCHMARKS.md's month section (1.8 GB, \`13400833…\`) ran the code of earlier that day. Wall ${minutes(r.wallMs)}, CPU ${minutes(r.cpuMs)} (the process's user + system time: one core for the replay, and the garbage collector's helper threads beside it, so it can exceed the wall time on an idle machine; on a busy one the wall time also holds the waits for a core).`,
  ];
  return { row, notes };
}

/** Runs one part; a part that throws gives its row as "failed" with the reason. */
async function part(name: string, path: string, target: string, failed: string[], build: () => Promise<Built>): Promise<Built> {
  try {
    return await build();
  } catch (err) {
    failed.push(name);
    return { row: failedRow(path, target, err), notes: [] };
  }
}

/**
 * Measures the three rows. Quick mode keeps each part short and says so in its row, and runs the
 * memory and month parts while the stack starts (nothing is timed on the stack until they are
 * done); a full run does them one after the other, the stack first.
 */
export async function runFlowRows(options: FlowRowsOptions): Promise<FlowRows> {
  const failed: string[] = [];
  const quick = options.quick;
  const cpu: { memory?: Built; month?: Built } = {};
  const cpuParts = async () => {
    cpu.memory = await part("memory", "memory, peak heap per SymbolObject", "stated bound < 64 MB", failed, async () => {
      const once = await measureEngineHeap(quick ? { maxEvents: 40_000 } : {});
      const spanMs = Math.max(1, once.lastTs - once.firstTs);
      const looped = quick ? null : await measureEngineHeap({ loops: Math.ceil(HOUR_MS / spanMs) });
      return memoryRow(once, looped, quick);
    });
    cpu.month = await part("month replay", "month replay, five symbols of one-minute bars", "state it", failed, async () => monthRow(await replayMonth({ quick }), quick));
  };
  const e2e = await part("end to end", `end to end, exchange event time → subscriber, replay at ${SPEED}x`, `p99 < ${P99_TARGET_MS} ms`, failed, async () =>
    endToEndRow(await measureEndToEnd({ speed: SPEED, streamMs: quick ? 10_000 : 180_000, alongsideStart: quick ? cpuParts : undefined })),
  );
  if (cpu.memory === undefined || cpu.month === undefined) await cpuParts();
  const built = [e2e, cpu.memory, cpu.month].filter((b): b is Built => b !== undefined);
  return { rows: built.map((b) => b.row), notes: built.flatMap((b) => b.notes), failed };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const quick = process.argv.includes("--quick");
  const started = Date.now();
  const result = await runFlowRows({ quick });
  for (const line of markdownTable(result.rows)) console.log(line);
  console.log("");
  for (const note of result.notes) console.log(`- ${note}`);
  console.log(`\nflow rows${quick ? " --quick" : ""}: ${((Date.now() - started) / 1000).toFixed(0)} s${result.failed.length > 0 ? `; failed: ${result.failed.join(", ")}` : ""}`);
  if (result.failed.length > 0) process.exitCode = 1;
}
