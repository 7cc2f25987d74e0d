/**
 * The workerd rows of the side-by-side table (issue 16): ingest into a SymbolObject, HTTP reads
 * and WebSocket fan-out, each against a baseline Worker or Durable Object running in the SAME
 * workerd process, measured in the same run on the same input (multi-config `wrangler dev` of the
 * engine and bench/workerd/, bench/lib/workerd-stack.ts). Self-contained: it starts its own stack
 * on free ports with a fresh state directory and kills it (every workerd it started) at the end,
 * also on an error.
 *
 *   npx tsx bench/workerd-rows.ts [--quick]   prints the rows as a markdown table
 *
 * `--quick` (CI; 25–35 s here, the stack's start included): batch 500 on a 6,000-event prefix,
 * 0.7 s of reads a contestant at 16 in flight, 200 clients a side. Full (≈ 4–6 min): batches 1, 100, 500, 1000, 4 s of reads
 * a contestant at 32 in flight over 3 rounds, 1,000 and 5,000 clients a side (needs a soft
 * open-file limit above ~10,300: `ulimit -n $(ulimit -Hn)` first, else those rows say so).
 * Progress goes to stderr.
 */
import { loadavg } from "node:os";
import { pathToFileURL } from "node:url";
import type { TableRow } from "./lib/figures.js";
import { markdownTable } from "./lib/figures.js";
import { openFileLimits } from "./lib/soak-fd-limit.js";
import { CyclePusher, runFanoutCase, type FanoutFigures } from "./lib/workerd-fanout.js";
import { runIngestRows, type IngestCase, type IngestFigures } from "./lib/workerd-ingest.js";
import { runReadRows, type ReadsResult } from "./lib/workerd-reads.js";
import { startWorkerdStack } from "./lib/workerd-stack.js";

export interface WorkerdRowsOptions {
  /** Few rounds and small sizes (CI keeps the bench working; ≤ 40 s), or the full rows (≤ 6 min). */
  quick: boolean;
}

interface Plan {
  ingest: IngestCase[];
  ingestRounds: number;
  reads: { seconds: number; concurrency: number; rounds: number };
  clients: number[];
  updates: number;
}

const ALL = Number.MAX_SAFE_INTEGER;
const QUICK: Plan = { ingest: [{ batch: 500, events: 6_000 }], ingestRounds: 3, reads: { seconds: 0.7, concurrency: 16, rounds: 1 }, clients: [200], updates: 3 };
const FULL: Plan = {
  // Batch 1 is one RPC per event: a prefix keeps it to seconds; the larger batches take the whole recording.
  ingest: [
    { batch: 1, events: 2_000 },
    { batch: 100, events: 20_000 },
    { batch: 500, events: ALL },
    { batch: 1000, events: ALL },
  ],
  ingestRounds: 5,
  reads: { seconds: 4, concurrency: 32, rounds: 3 },
  clients: [1_000, 5_000],
  updates: 10,
};

const int = (n: number) => Math.round(n).toLocaleString("en-US");
const pct = (share: number) => `${(100 * share).toFixed(0)} %`;
const ms = (v: number) => (v >= 10 ? `${v.toFixed(0)} ms` : `${v.toFixed(2)} ms`);

/**
 * Measures the three workerd rows. Throws when a part of the bench breaks (no row then stands in
 * for a figure that was not measured); the stack is stopped either way.
 */
export async function runWorkerdRows(options: WorkerdRowsOptions): Promise<{ rows: TableRow[]; notes: string[] }> {
  const plan = options.quick ? QUICK : FULL;
  const started = performance.now();
  const loadAtStart = loadavg()[0];
  const say = (what: string) => process.stderr.write(`workerd rows: ${what} (${((performance.now() - started) / 1000).toFixed(0)} s)\n`);
  const stack = await startWorkerdStack();
  try {
    say(`stack up: proxy ${stack.proxy}, workerd ${stack.direct}; ingest`);
    const ingest = await runIngestRows(stack, plan.ingest, plan.ingestRounds);
    say("reads");
    const pusher = new CyclePusher(stack.direct);
    // Two cycles: BTCUSDT has a bias to read (cached) and a snapshot for stream subscribers.
    await pusher.push();
    await pusher.push();
    const reads = await runReadRows(stack, plan.reads);
    const fanout: Array<FanoutFigures | { clients: number; skipped: string }> = [];
    const { soft } = openFileLimits();
    for (const clients of plan.clients) {
      const needed = 2 * clients + 300;
      if (soft < needed) fanout.push({ clients, skipped: `not measured: this process may open ${soft} files, ${clients} clients a side need ~${needed}; run under \`ulimit -n $(ulimit -Hn)\`` });
      else {
        say(`fan-out, ${clients} clients a side`);
        fanout.push(await runFanoutCase(stack, pusher, clients, plan.updates));
      }
    }
    say("done");
    return { rows: [...ingestRows(ingest), ...readRows(reads), ...fanoutRows(fanout, plan.updates)], notes: [...notes(plan, ingest, reads), `workerd rows: ${((performance.now() - started) / 1000).toFixed(0)} s; load average (1 min) ${loadAtStart.toFixed(1)} at the start, ${loadavg()[0].toFixed(1)} at the end, on 2 cores shared with other jobs: absolute figures move with it, the same-run ratios much less.`] };
  } catch (err) {
    say(`failed: ${String(err)}; workerd (pid ${stack.workerdPid}) ${Number.isNaN(stack.workerdCpuMs()) ? "is gone" : "is still running"}; wrangler's last output:\n${stack.log().slice(-3_000)}`);
    throw err;
  } finally {
    await stack.stop();
  }
}

function ingestRows(figures: readonly IngestFigures[]): TableRow[] {
  return figures.map((f) => ({
    path: `ingest (workerd), one SymbolObject, batch ${f.batch}, persistence on: BTCUSDT recording, ${int(f.events)} events`,
    figure: `${int(f.engineEventsPerS)} events/s (workerd CPU ${f.engineCpuUsPerEvent.toFixed(1)} µs/event)`,
    baseline: `bare DO parsing the same batches: ${int(f.bareEventsPerS)} events/s (${f.bareCpuUsPerEvent.toFixed(1)} µs/event)`,
    ratio: `${pct(f.share)} of bare`,
    target: f.batch === 500 ? "≥ 50 % of bare at 500" : "— (state it)",
    verdict: f.batch === 500 ? (f.share >= 0.5 ? "met" : "not met") : "—",
  }));
}

function readRows(r: ReadsResult): TableRow[] {
  const fig = (via: string, kind: string) => r.figures.find((f) => f.via === via && f.kind === kind)!;
  const show = (f: { reqPerS: number; p50Ms: number; p99Ms: number }) => `${int(f.reqPerS)} req/s, p50 ${ms(f.p50Ms)}, p99 ${ms(f.p99Ms)}`;
  const rows: TableRow[] = [];
  for (const via of ["direct", "proxy"] as const) {
    const hello = fig(via, via === "direct" ? "hello" : "v1");
    const where = via === "direct" ? "workerd's own address" : "the dev proxy";
    const baseline = via === "direct" ? `hello-world Worker ${show(hello)}` : `engine's \`GET /v1\` ${show(hello)} (no hello-world Worker behind the proxy)`;
    for (const kind of ["cached", "uncached"] as const) {
      const share = r.shares.find((s) => s.via === via && s.kind === kind)!.share;
      rows.push({
        path: `HTTP read (workerd), ${kind}, via ${where}, ${r.concurrency} in flight`,
        figure: show(fig(via, kind)),
        baseline,
        ratio: `${pct(share)} of ${via === "direct" ? "hello-world" : "`GET /v1`"}`,
        target: kind === "cached" ? "cached ≥ 80 % of hello-world" : "— (state it)",
        // Through the proxy the baseline is not a hello-world Worker: no verdict against that target.
        verdict: kind === "cached" && via === "direct" ? (share >= 0.8 ? "met" : "not met") : "—",
      });
    }
  }
  return rows;
}

function fanoutRows(cases: ReadonlyArray<FanoutFigures | { clients: number; skipped: string }>, updates: number): TableRow[] {
  return cases.map((c) => {
    const path = `fan-out (workerd), ${int(c.clients)} real ws clients, ${updates} updates a side`;
    if ("skipped" in c) return { path, figure: c.skipped, baseline: "—", ratio: "—", target: "≥ 80 % of a bare broadcaster", verdict: "—" };
    const show = (s: FanoutFigures["engine"]) => `${int(s.deliveriesPerS)} deliveries/s, update→client p50 ${ms(s.p50Ms)}, p99 ${ms(s.p99Ms)}`;
    return {
      path,
      figure: show(c.engine),
      baseline: `bare broadcaster, same bytes: ${show(c.bare)}`,
      ratio: `${pct(c.share)} of bare`,
      target: "≥ 80 % of a bare broadcaster",
      verdict: c.share >= 0.8 ? "met" : "not met",
    };
  });
}

/** Which batch sizes ran on a shorter prefix of the recording than the longest one. */
function prefixes(figures: readonly IngestFigures[]): string {
  const longest = Math.max(...figures.map((f) => f.events));
  const short = figures.filter((f) => f.events < longest);
  if (short.length === 0) return "";
  return ` Batch ${short.map((f) => `${f.batch} ran on the recording's first ${int(f.events)} events`).join(", batch ")} (one RPC per event would take minutes over all of it), so their events/s compare with their own baseline, not with the larger batches' (a different share of cycles per event).`;
}

/** The RPC's transport floor beside the engine's figure, per batch size. */
function ingestRpcNote(figures: readonly IngestFigures[]): string {
  const each = figures.map((f) => `batch ${f.batch}: ${int(f.bareRpcEventsPerS)} events/s (${f.bareRpcCpuUsPerEvent.toFixed(1)} µs/event; the engine ${f.engineCpuUsPerEvent.toFixed(1)})`);
  return `ingest (workerd), what an object batch would cost to carry: the same batches parsed in the Worker and handed to a DO as objects (a structured clone of every event), only counted there: ${each.join("; ")}. The collector sends the events as JSON text instead (\`onTheWire\`, src/protocol/ingest.ts), which the engine parses: the engine's figure includes that parse, as the bare object's does.`;
}

/** What the engine's own `GET /v1` shows: the middleware's cost, and the dev proxy's. */
function readsNote(r: ReadsResult): string {
  const fig = (via: string, kind: string) => r.figures.find((f) => f.via === via && f.kind === kind)!;
  const hello = fig("direct", "hello");
  const v1 = fig("direct", "v1");
  const v1Proxy = fig("proxy", "v1");
  return `HTTP read (workerd), what lies between: the engine's \`GET /v1\` (a constant body through the same middleware and edge cache, a hit too; no object) at workerd's own address ${int(v1.reqPerS)} req/s (p50 ${ms(v1.p50Ms)}), ${pct(v1.reqPerS / hello.reqPerS)} of the hello-world Worker; through the dev proxy ${int(v1Proxy.reqPerS)} req/s (p50 ${ms(v1Proxy.p50Ms)}), ${pct(v1Proxy.reqPerS / v1.reqPerS)} of the same route at workerd's address.`;
}

function notes(plan: Plan, ingest: readonly IngestFigures[], reads: ReadsResult): string[] {
  const out = [
    "workerd rows: one `wrangler dev -c <engine.toml> -c bench/workerd/wrangler.toml -c bench/workerd/collector-stub.toml` (the engine, the baseline Worker and a collector stand-in that only answers the engine's wake-up RPC, in ONE workerd process; engine.toml is the repo's wrangler.toml pointed at the bundle `wrangler deploy --dry-run` builds at start, so an edit to `src/` during the run cannot reload it), free port, fresh state; processes on the 2 cores: wrangler (Node), the dev proxy's workerd, the Workers' workerd, and this Node process driving every client, so each figure is bounded by a machine shared with its own load generator. Baselines alternate with the engine round by round; figures are medians, ratios the median of the rounds' ratios.",
    `ingest (workerd): a fresh object per run (same work every round), batches sent one after another as the collector sends them (\`{ source, eventsJson, seqs, afterSeq }\`: the events as JSON text), ${plan.ingestRounds} rounds; engine = the SymbolObject's \`ingest\` RPC (parse, all cards, a SQLite checkpoint per 10 s cycle, publish, Coordinator report); bare = the same JSON text to a DO that parses it and returns its length. events/s from the run's wall time; CPU is the workerd process's (/proc, 10 ms ticks), per event; ${ingest.reduce((n, f) => n + f.resets, 0)} run(s) timed again after a connection reset.${prefixes(ingest)}`,
    `HTTP read (workerd): closed loop, ${reads.concurrency} keep-alive connections (node:http), ${reads.seconds} s a contestant a round, ${reads.rounds} round(s), ${reads.resets} connection reset(s) (the request sent again); cached = \`/v1/symbols/BTCUSDT/bias?mode=day\` (Cache API, 5 s max-age), uncached = \`/v1/symbols/BTCUSDT/liquidations?since=<new each request>\` (every read reaches the SymbolObject), hello world = the baseline Worker's \`GET /hello\`. Through the dev proxy the baseline is the engine's own \`GET /v1\` (its lightest route, a cached constant body): the proxy forwards only to the first config and consumes Miniflare's routing header, so no hello-world Worker can stand behind it and the proxy rows have no verdict.`,
    ingestRpcNote(ingest),
    readsNote(reads),
    "fan-out (workerd): the engine's and the bare broadcaster's clients connected at once, to workerd's own address; updates alternate between them; the engine's update = one trade through the dev ingest route into the next cycle (ingest, all cards, publish RPC, the relay's sends; RELAY_SHARDS=1, one relay against one bare object), the bare's = `POST /broadcast` of the engine's own update frame. Latency is from the trigger (the HTTP request) to each client's receipt; deliveries/s = clients ÷ time to the last one.",
  ];
  return out;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const quick = process.argv.includes("--quick");
  const started = Date.now();
  const result = await runWorkerdRows({ quick });
  for (const line of markdownTable(result.rows)) console.log(line);
  for (const note of result.notes) console.log(`- ${note}`);
  console.log(`workerd rows${quick ? " --quick" : ""}: ${((Date.now() - started) / 1000).toFixed(0)} s`);
}
