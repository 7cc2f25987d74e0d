/**
 * `npm run bench`: the side-by-side table of issue 16 (bench/side-by-side.ts: every hot path
 * against its peer or the runtime's limit in the same run, with its target), then the per-path
 * tables (per-event costs of the hot path on a real recording, liquidation maps, map deltas,
 * zones, cards), each quoted as a median of several runs and as a ratio to a baseline measured
 * in the same run (JSON.parse of the same lines), because this machine is noisy.
 *
 *   npm run bench [-- --runs 7]   full: also rewrites the figures section of BENCHMARKS.md
 *                                 (between its bench:side-by-side markers) with the command,
 *                                 the machine and the date; nothing else of the file
 *   npm run bench -- --quick      the side-by-side table only, few rounds, under 2 minutes;
 *                                 prints, writes nothing (CI runs it so the benches keep working)
 *
 * Exits non-zero only when a bench crashes; a slow figure or a missed target never fails it.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { SymbolEngine } from "../src/domain/engine.js";
import type { CanonicalEvent } from "../src/domain/events.js";
import { getMapper, normalizeLine } from "../src/exchanges/registry.js";
import { parseRecordingLine } from "../src/exchanges/recording.js";
import { machineFacts, markdownTable, writeFiguresSection } from "./lib/figures.js";
import { openFileLimits, rerunWithRaisedLimit } from "./lib/soak-fd-limit.js";
import { runSideBySide } from "./side-by-side.js";

const QUICK = process.argv.includes("--quick");
// The full fan-out row holds 2 × 5,000 client sockets in this process: run again under the hard open-file limit.
if (!QUICK && openFileLimits().soft < 10_300) {
  const code = await rerunWithRaisedLimit(10_300);
  if (code !== null) process.exit(code);
}
const started = Date.now();
const sideBySide = await runSideBySide({ quick: QUICK });
const table = markdownTable(sideBySide.rows);
console.log(`side by side (${QUICK ? "--quick: 3 interleaved rounds" : "15 interleaved rounds"} per comparison, medians), node ${process.version}`);
for (const line of table) console.log(line);
for (const note of sideBySide.notes) console.log(note);
if (sideBySide.failed.length > 0) {
  // A bench that crashed fails (CI runs --quick so the benches keep working); a slow one never does.
  console.error(`bench: ${sideBySide.failed.length} part(s) failed: ${sideBySide.failed.join("; ")}`);
  process.exit(1);
}
if (QUICK) {
  console.log(`bench --quick: ${((Date.now() - started) / 1000).toFixed(0)} s; BENCHMARKS.md not rewritten (only a full run writes its figures)`);
  process.exit(0);
}

const runsArg = process.argv.indexOf("--runs");
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 7;
const FILE = "data/recorded/binance/hftbacktest_btcusdt_20240808.gz";

const lines = gunzipSync(readFileSync(join(process.cwd(), FILE))).toString("utf8").split("\n").filter((l) => l.length > 0);
const mapper = getMapper("binance");
const context = { instrument: "BTCUSDT" };
const events: CanonicalEvent[] = lines.flatMap((l) => normalizeLine(mapper, l, context).events);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Median ns per item of `fn` over RUNS runs (after one warm-up run). */
function measure(items: number, fn: () => void): number {
  fn();
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = process.hrtime.bigint();
    fn();
    samples.push(Number(process.hrtime.bigint() - t) / items);
  }
  return median(samples);
}

let sink = 0;
const results: Array<[string, number, number]> = [];

const baseline = measure(lines.length, () => {
  for (const l of lines) sink += (JSON.parse(l.slice(l.indexOf(" ") + 1)) as object) ? 1 : 0;
});
results.push(["baseline: JSON.parse per line", baseline, lines.length]);

results.push([
  "recording line parse (prefix + envelope)",
  measure(lines.length, () => {
    for (const l of lines) sink += parseRecordingLine(l).type === "message" ? 1 : 0;
  }),
  lines.length,
]);

results.push([
  "normalize per message (parse + Binance mapper)",
  measure(lines.length, () => {
    for (const l of lines) sink += normalizeLine(mapper, l, context).events.length;
  }),
  lines.length,
]);

for (const batch of [1, 500]) {
  results.push([
    `SymbolEngine.ingest per event (batches of ${batch})`,
    measure(events.length, () => {
      const engine = new SymbolEngine("BTCUSDT");
      for (let i = 0; i < events.length; i += batch) sink += engine.ingest(events.slice(i, i + batch)).length;
    }),
    events.length,
  ]);
}

const engine = new SymbolEngine("BTCUSDT");
engine.ingest(events);
const state = engine.toJSON();
results.push([
  "engine checkpoint row: JSON.stringify(toJSON({ learning: false })) per cycle",
  measure(1, () => {
    sink += JSON.stringify(engine.toJSON({ learning: false })).length;
  }),
  1,
]);
results.push([
  "engine restore: fromJSON(JSON.parse(...)) per restart",
  measure(1, () => {
    sink += SymbolEngine.fromJSON(JSON.parse(JSON.stringify(state))).counters().trade;
  }),
  1,
]);

console.log(`bench: ${FILE}, ${lines.length} lines, ${events.length} events, median of ${RUNS} runs, node ${process.version}`);
console.log(`${"what".padEnd(56)} ${"median".padStart(12)} ${"x baseline".padStart(11)}`);
for (const [name, ns] of results) {
  const unit = ns >= 1e6 ? `${(ns / 1e6).toFixed(2)} ms` : ns >= 1e3 ? `${(ns / 1e3).toFixed(2)} µs` : `${ns.toFixed(0)} ns`;
  console.log(`${name.padEnd(56)} ${unit.padStart(12)} ${(ns / baseline).toFixed(2).padStart(11)}`);
}
console.log(`checkpoint size: ${(JSON.stringify(state).length / 1024).toFixed(1)} KiB (book with ${engine.latest()?.book.bidLevels ?? 0}+${engine.latest()?.book.askLevels ?? 0} levels)`);
if (sink === -1) console.log(sink);

// Liquidation maps: cost of a map update per event and per cycle (bench/liquidation.ts).
const { runLiquidationBench, printRows } = await import("./liquidation.js");
const liq = runLiquidationBench(RUNS);
console.log("");
printRows(liq.rows);
for (const note of liq.notes) console.log(note);

// Map channels: bytes saved by merge patches, and what building one costs (bench/map-deltas.ts).
const { runMapDeltaBench } = await import("./map-deltas.js");
console.log("");
for (const line of runMapDeltaBench()) console.log(line);

// Zones: per trade and per cycle (bench/zones.ts).
const { runZoneBench } = await import("./zones.js");
const zoneBench = runZoneBench(RUNS);
console.log("");
printRows(zoneBench.rows);
for (const note of zoneBench.notes) console.log(note);

// Cards: the cost of every card on 3 timeframes per 10 s cycle, per family, and per event (bench/cards.ts),
// as measured for the side-by-side table above.
const cardBench = sideBySide.cardBench;
console.log("");
printRows(cardBench.rows);
for (const note of cardBench.notes) console.log(note);

// The figures section of BENCHMARKS.md: the side-by-side table, with the command, the machine and the date.
const benchmarks = join(process.cwd(), "BENCHMARKS.md");
writeFiguresSection(benchmarks, [
  "## Side by side: each hot path against its peer, one run",
  "",
  `Command: \`npm run bench\` (${new Date().toISOString().slice(0, 10)}, ${((Date.now() - started) / 60_000).toFixed(1)} min; Node rows: 15 interleaved rounds per comparison in one process, CPU time per item (\`process.cpuUsage\`: the wait for a core on this shared machine left out), medians, ratios the median of the rounds' ratios; the cycle is the card bench's median of 5 passes. workerd rows: one workerd for liqflow and its baseline, rounds alternated, wall time with workerd's CPU beside it. End to end, memory and the month: bench/flow-rows.ts, see the notes). Machine: ${machineFacts()}.`,
  "",
  ...table,
  "",
  ...sideBySide.notes.map((n) => `- ${n}`),
  "- normalize: liqflow is `normalizeLine` (recording line parse + venue mapper with its frame checks); tardis-dev is its `normalize*` mappers for the venue, each asked `canHandle` then `map`, in a plain loop (bench/lib/tardis-peer.ts); both read the same lines, `JSON.parse` of those lines is the floor. The Binance REST depth snapshot goes to tardis-dev in its own `depthSnapshot` envelope, so both emit book events; tardis-dev folds the diffs that precede the snapshot into it, hence its few events less.",
  "- engine ingest: both sides start from the same JSON batches of canonical events; the loop only parses and sums each event's numbers.",
  "- cycle: wall time, as bench/cards.ts measures it (not CPU time), so it carries the machine's load at the time of the run: 2.9–3.3 ms in runs at load average ≈ 3, 6–14 ms at 5–7.",
]);
console.log(`\nBENCHMARKS.md: figures section rewritten (${((Date.now() - started) / 1000).toFixed(0)} s)`);
