/**
 * `npm start`: runs the engine Worker and the collector Worker together under `wrangler dev`
 * (local workerd, SQLite-backed Durable Object storage persisted under .wrangler/state),
 * wakes the collector, and prints where to look.
 *
 * Environment:
 *   PORT           HTTP port (default 8787)
 *   REPLAY_SPEED   event-time speed of the replay feed (default 1 = real time)
 *   LIQFLOW_MODE   replay (default)
 *   LIQFLOW_STATE_DIR  where local Durable Object storage lives (default .wrangler/state)
 */
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { seedRecordings } from "./lib/seed-recordings.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const port = Number(process.env.PORT ?? 8787);
const speed = process.env.REPLAY_SPEED ?? "1";
const mode = process.env.LIQFLOW_MODE ?? "replay";
const stateDir = process.env.LIQFLOW_STATE_DIR ?? join(root, ".wrangler/state");

function fail(message: string): never {
  console.error(`liqflow: ${message}`);
  process.exit(2);
}

if (!Number.isInteger(port) || port <= 0 || port > 65535) fail(`PORT must be an integer in 1..65535, got "${process.env.PORT}"`);
if (!(Number(speed) > 0) || !Number.isFinite(Number(speed))) fail(`REPLAY_SPEED must be a positive number, got "${speed}"`);
if (mode !== "replay") fail(`LIQFLOW_MODE "${mode}" is not available yet; use replay`);

// `wrangler dev --var` only reaches the first Worker; the collector reads its own .dev.vars.
writeFileSync(
  join(root, "workers/collector/.dev.vars"),
  `# written by npm start (scripts/start.ts) from the environment\nREPLAY_SPEED="${speed}"\nLIQFLOW_MODE="${mode}"\n`,
);

if (mode === "replay") {
  const seeded = await seedRecordings(root, stateDir);
  console.log(
    `liqflow: recordings bucket holds ${seeded.files} files from data/recorded` +
      (seeded.uploaded ? ` (${seeded.uploaded} uploaded, ${(seeded.bytes / 1e6).toFixed(1)} MB, ${seeded.ms} ms)` : " (up to date)"),
  );
}

const base = `http://127.0.0.1:${port}`;
console.log(`liqflow: starting engine + collector (${mode} mode, speed ${speed}x) on ${base} ...`);

const wrangler = spawn(
  process.execPath,
  [
    join(root, "node_modules/wrangler/bin/wrangler.js"),
    "dev",
    "-c", "wrangler.toml",
    "-c", "workers/collector/wrangler.toml",
    "--ip", "127.0.0.1",
    "--port", String(port),
    "--show-interactive-dev-session=false",
    "--persist-to", stateDir,
  ],
  { cwd: root, stdio: ["ignore", "inherit", "inherit"], env: { ...process.env, WRANGLER_SEND_METRICS: "false" } },
);

let stopping = false;
const stop = (signal: NodeJS.Signals) => {
  stopping = true;
  wrangler.kill(signal);
};
process.on("SIGINT", () => stop("SIGINT"));
process.on("SIGTERM", () => stop("SIGTERM"));
wrangler.on("exit", (code, signal) => {
  if (!stopping) console.error(`liqflow: wrangler dev exited (${signal ?? code})`);
  process.exit(code ?? (signal ? 0 : 1));
});

async function waitUntilUp(): Promise<void> {
  const started = Date.now();
  while (Date.now() - started < 120_000) {
    try {
      // The first request also wakes the collector's replay feed.
      const res = await fetch(`${base}/v1/health`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  fail("the stack did not answer within 120 s");
}

await waitUntilUp();
console.log(`
liqflow is running (${mode} of data/recorded at ${speed}x; numbers appear within one 10 s cycle):
  symbols       ${base}/v1/symbols
  snapshot      ${base}/v1/symbols/BTCUSDT
  cards         ${base}/v1/symbols/BTCUSDT/cards
  bias          ${base}/v1/symbols/BTCUSDT/bias?mode=day
  liquidations  ${base}/v1/symbols/BTCUSDT/liquidations?limit=20
  health        ${base}/v1/health
  stream        ws://127.0.0.1:${port}/v1/stream   send {"op":"subscribe","channels":["BTCUSDT:bias"]}
Ctrl-C stops it; the replay position and all state are kept in ${stateDir}.
`);
