/**
 * The side-by-side table of issue 16: every hot path against its peer or the runtime's own
 * limit, measured in the same run on the same input, with its target. Rows this Node process
 * cannot measure honestly (they need a workerd stack, or hours) say so and where their last
 * figures are, never a number that was not measured here.
 *
 *   npx tsx bench/side-by-side.ts [--quick]   (normally through `npm run bench`)
 */
import { pathToFileURL } from "node:url";
import { runCardBench } from "./cards.js";
import { runIngestComparison } from "./engine-ingest.js";
import { formatNs } from "./lib/interleave.js";
import type { TableRow } from "./lib/figures.js";
import { markdownTable } from "./lib/figures.js";
import { runNormalizeComparison } from "./normalize-vs-tardis.js";
import { runFlowRows } from "./flow-rows.js";
import { runWorkerdRows } from "./workerd-rows.js";

/** Interleaved rounds per comparison: few with `--quick` (CI keeps the benches working), more for the figures. */
export interface SideBySideOptions {
  quick: boolean;
}

export interface SideBySide {
  rows: TableRow[];
  notes: string[];
  /** The card bench's own rows and notes, for the full run's card table. */
  cardBench: ReturnType<typeof runCardBench>;
  /** Parts that threw (their rows say "failed: …"): the run exits non-zero, as a crashing bench must. */
  failed: string[];
}

const int = (n: number) => n.toLocaleString("en-US");

export async function runSideBySide(options: SideBySideOptions): Promise<SideBySide> {
  const rounds = options.quick ? 3 : 15;
  const rows: TableRow[] = [];
  const notes: string[] = [];

  for (const r of runNormalizeComparison(rounds)) {
    rows.push({
      path: `normalize, ${r.venue}: \`${r.input}\` (${int(r.lines)} lines)`,
      figure: `${formatNs(r.liqflowNs)}/line, ${int(r.liqflowEvents)} events`,
      baseline: `tardis-dev ${formatNs(r.tardisNs)}/line, ${int(r.tardisEvents)} events; \`JSON.parse\` ${formatNs(r.floorNs)}`,
      ratio: `${r.ratio.toFixed(2)}× tardis-dev`,
      target: "≤ 1.0× tardis-dev",
      verdict: r.ratio <= 1 ? "met" : "not met",
    });
  }
  rows.push({
    path: "normalize, okx",
    figure: "not measured",
    baseline: "—",
    ratio: "—",
    target: "≤ 1.0× tardis-dev",
    verdict: "—",
  });
  notes.push(
    "normalize, okx: the one OKX recording (`cryptofeed_OKX.ws.1.0.gz`, 414 lines) holds a dated inverse future, an inverse swap and spot, none tracked by liqflow (0 events), so a timing would set a symbol lookup against tardis-dev's full mapping.",
  );

  const ingest = runIngestComparison(rounds);
  rows.push({
    path: `engine ingest (Node), BTCUSDT recording, JSON batches of ${ingest.batch}, all cards`,
    figure: `${formatNs(ingest.ingestNs)}/event (parse + \`SymbolEngine.ingest\`)`,
    baseline: `parse + sum loop ${formatNs(ingest.loopNs)}/event`,
    ratio: `${(100 * ingest.speedShare).toFixed(1)} % of the loop's speed`,
    target: "≥ 50 % of the loop's speed",
    verdict: ingest.speedShare >= 0.5 ? "met" : "not met",
  });

  const cardBench = runCardBench(options.quick ? 2 : 5);
  const cycle = cardBench.rows.find((r) => r.name.startsWith("cycle, all ") && r.name.includes("timeframes"));
  const p90 = cardBench.rows.find((r) => r.name === "cycle, all cards: p90");
  if (cycle !== undefined) {
    rows.push({
      path: "cycle (Node), one symbol: all cards × 3 timeframes + bias + maps + zones",
      figure: `${formatNs(cycle.ns)} median${p90 === undefined ? "" : `, p90 ${formatNs(p90.ns)}`}`,
      baseline: "—",
      ratio: "—",
      target: "median < 2 ms",
      verdict: cycle.ns < 2e6 ? "met" : "not met",
    });
  }

  // Ingest, HTTP reads and fan-out on one workerd, each beside its baseline in the same workerd (bench/workerd-rows.ts).
  const workerd = await runWorkerdRows({ quick: options.quick });
  rows.push(...workerd.rows);
  notes.push(...workerd.notes);
  // End to end on a real stack at 10x, peak heap of one engine, the month of bars (bench/flow-rows.ts).
  const flow = await runFlowRows({ quick: options.quick });
  rows.push(...flow.rows);
  notes.push(...flow.notes);
  notes.push(...cardBench.notes.slice(0, 1));
  return { rows, notes, cardBench, failed: flow.failed };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const result = await runSideBySide({ quick: process.argv.includes("--quick") });
  for (const line of markdownTable(result.rows)) console.log(line);
  for (const note of result.notes) console.log(note);
}
