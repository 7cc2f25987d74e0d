/**
 * `npm run evaluate -- FILE... [--mode all|scalp|day|swing] [--train 0.5] [--json out.json] [--cycle 60s] [--venue binance]`
 *
 * Runs the engine over recordings (raw streams or the month of bars, read as `replay` reads them),
 * learns the category weights walk-forward from the outcomes it scores, and reports on the last
 * (1 − train) share of the event-time span, out of sample: the uniform bias the engine published
 * against the learned bias (hit rate, IC, mean score·outcome, each with a bootstrap interval over
 * UTC days, and learned − uniform with its interval), and per category and per card (scorecard
 * intervals, "not enough data" below the floor), with the learned weights at the end. Method:
 * scripts/lib/evaluate/ (evaluation.ts, walk-forward.ts, statistics.ts).
 *
 * Output: the text report on stdout, the same as JSON with `--json FILE`, progress on stderr.
 * Deterministic: the same files and flags give byte-identical stdout and JSON.
 */
import { existsSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { VenueSchema, type Venue } from "../src/domain/events.js";
import { MODES, type Mode } from "../src/protocol/snapshot.js";
import { CYCLE_CHOICES, parseCycleMs } from "./lib/engine-run.js";
import { formatReport } from "./lib/evaluate/format.js";
import { runEvaluation } from "./lib/evaluate/run.js";
import { createStdoutWriter } from "./lib/stdout.js";

const USAGE =
  "usage: npm run evaluate -- [--mode all|scalp|day|swing] [--train 0.5] [--json out.json] [--cycle 10s|20s|30s|60s] [--venue binance|bybit|okx|hyperliquid] FILE...";

interface Args {
  files: string[];
  modes: Mode[];
  train: number;
  json: string | null;
  cycleMs: number | null;
  venue?: Venue;
}

function fail(message: string): never {
  process.stderr.write(`evaluate: ${message}\n${USAGE}\n`);
  process.exit(2);
}

function value(argv: string[], i: number, flag: string): string {
  const v = argv[i];
  if (v === undefined || v.startsWith("--")) fail(`${flag} needs a value`);
  return v;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { files: [], modes: [...MODES], train: 0.5, json: null, cycleMs: null };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--mode") {
      const m = value(argv, ++i, arg);
      if (m === "all") args.modes = [...MODES];
      else if ((MODES as readonly string[]).includes(m)) args.modes = [m as Mode];
      else fail(`--mode must be all, ${MODES.join(", ")} (got ${JSON.stringify(m)})`);
    } else if (arg === "--train") {
      const text = value(argv, ++i, arg);
      const t = /^\d*\.?\d+$/.test(text) ? Number(text) : NaN;
      if (!(t > 0 && t < 1)) fail(`--train must be a number in (0, 1) (got ${JSON.stringify(text)})`);
      args.train = t;
    } else if (arg === "--json") args.json = value(argv, ++i, arg);
    else if (arg === "--cycle") {
      const text = value(argv, ++i, arg);
      const ms = parseCycleMs(text);
      if (ms === null) fail(`--cycle must be one of ${CYCLE_CHOICES} (got ${JSON.stringify(text)})`);
      args.cycleMs = ms;
    } else if (arg === "--venue") {
      const parsed = VenueSchema.safeParse(value(argv, ++i, arg));
      if (!parsed.success) fail(`unknown venue ${JSON.stringify(argv[i])}`);
      args.venue = parsed.data;
    } else if (arg === "--help" || arg === "-h") {
      process.stdout.write(`${USAGE}\n`);
      process.exit(0);
    } else if (arg.startsWith("--")) fail(`unknown option ${arg}`);
    else args.files.push(arg);
  }
  if (args.files.length === 0) fail("no recording given");
  for (const f of args.files) if (!existsSync(f)) fail(`no such file: ${f}`);
  return args;
}

const args = parseArgs(process.argv.slice(2));
const started = Date.now();
let result: Awaited<ReturnType<typeof runEvaluation>>;
try {
  result = await runEvaluation({
    files: args.files,
    venue: args.venue,
    cycleMs: args.cycleMs,
    modes: args.modes,
    train: args.train,
    progress: (line) => process.stderr.write(`evaluate: ${line}\n`),
  });
} catch (err) {
  process.stderr.write(`evaluate: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
}
const { report, summary } = result;
if (args.json !== null) {
  const input = { files: args.files, modes: args.modes, train: args.train, cycleMs: summary.cycleMs };
  await writeFile(args.json, `${JSON.stringify({ input, summary, ...report }, null, 2)}\n`);
}
const out = createStdoutWriter();
out.write(formatReport(report, summary, args.train));
await out.end();
process.stderr.write(
  `evaluate: done: ${summary.files} file(s), ${summary.events} events, ${summary.outcomes} outcomes for ${summary.symbols} symbol(s)` +
    `${summary.rejectedLines ? `, ${summary.rejectedLines} rejected lines` : ""} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
);
