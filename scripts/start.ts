/**
 * `npm start`: runs the engine Worker and the collector Worker together under `wrangler dev`
 * (local workerd, SQLite-backed Durable Object storage persisted under .wrangler/state),
 * wakes the collector, and prints where to look.
 *
 * Environment:
 *   PORT           HTTP port (default 8787)
 *   REPLAY_SPEED   event-time speed of the replay feed (default 1 = real time)
 *   LIQFLOW_MODE   replay (default) or live (`npm run start:live`)
 *   LIQFLOW_DATA   what the replay plays: recorded (default: data/recorded/replay.json) or klines
 *                  (a month of one-minute bars of five symbols: data/recorded/replay-klines.json)
 *   LIQFLOW_MANIFEST  a replay manifest of one's own to play instead (its files under data/recorded)
 *   LIQFLOW_STATE_DIR  where local Durable Object storage lives (default .wrangler/state, or
 *                  .wrangler/state-klines for the klines data set)
 *   READ_RATE_LIMIT, LIQUIDATION_RETENTION_DAYS  the engine's read limit and liquidation retention
 *                  (wrangler.toml [vars] has the defaults and their meaning)
 *   LIQFLOW_DEV_EXPLORER  1 turns on wrangler's local explorer (`/cdn-cgi/explorer`, default off: it
 *                  lets any local process read and write every Durable Object's SQLite and the
 *                  recordings bucket without authentication)
 *   LIQFLOW_DEV_INSPECTOR  1 opens wrangler's devtools inspector and workerd's dev-registry debug
 *                  port (default off, scripts/lib/dev-lockdown.cjs: whoever connects can run code in
 *                  the engine and call its Durable Objects)
 * Live mode (checked here, read by the collector; see workers/collector/src/live-config.ts):
 *   LIQFLOW_VENUES, LIQFLOW_SYMBOLS, <VENUE>_WS_URL, <VENUE>_REST_URL,
 *   RAW_CAPTURE, RAW_CAPTURE_CHUNK_MINUTES, RAW_CAPTURE_CHUNK_MB
 */
import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { VENUES } from "../src/domain/events.js";
import { CONNECTED_VENUES, urlOverrideNames } from "../src/exchanges/connections.js";
import { parseLiveConfig, type LiveConfig } from "../workers/collector/src/live-config.js";
import { seedRecordings } from "./lib/seed-recordings.js";
import { WranglerOutputFilter } from "./lib/wrangler-output.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const port = Number(process.env.PORT ?? 8787);
const speed = process.env.REPLAY_SPEED ?? "1";
const mode = process.env.LIQFLOW_MODE ?? "replay";
/** Which recordings the replay plays: `recorded` (replay.json) or `klines` (a month of one-minute bars, replay-klines.json). */
const DATA_SETS: Record<string, { manifest: string; state: string; what: string }> = {
  recorded: { manifest: "replay.json", state: ".wrangler/state", what: "data/recorded" },
  klines: { manifest: "replay-klines.json", state: ".wrangler/state-klines", what: "a month of Binance one-minute bars (2026-02, AVAX LINK LTC DOT NEAR)" },
};
const dataSet = DATA_SETS[process.env.LIQFLOW_DATA ?? "recorded"];
if (dataSet === undefined) {
  console.error(`liqflow: LIQFLOW_DATA must be one of ${Object.keys(DATA_SETS).join(", ")}, got "${process.env.LIQFLOW_DATA}"`);
  process.exit(2);
}
// Each data set has its own state by default: a replay position and engine state belong to one set.
const stateDir = process.env.LIQFLOW_STATE_DIR ?? join(root, dataSet.state);

/** A TCP port free on 127.0.0.1 right now. */
function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function fail(message: string): never {
  console.error(`liqflow: ${message}`);
  process.exit(2);
}

if (!Number.isInteger(port) || port <= 0 || port > 65535) fail(`PORT must be an integer in 1..65535, got "${process.env.PORT}"`);
if (!(Number(speed) > 0) || !Number.isFinite(Number(speed))) fail(`REPLAY_SPEED must be a positive number, got "${speed}"`);
if (mode !== "replay" && mode !== "live") fail(`LIQFLOW_MODE must be "replay" or "live", got "${mode}"`);

let live: LiveConfig | null = null;
if (mode === "live") {
  try {
    live = parseLiveConfig(process.env);
  } catch (err) {
    fail(err instanceof Error ? err.message : String(err));
  }
}

/** The collector's variables passed through from this environment (unset ones keep wrangler.toml's defaults). */
const PASSED_VARS = [
  "LIQFLOW_VENUES",
  "LIQFLOW_SYMBOLS",
  ...VENUES.flatMap((v) => Object.values(urlOverrideNames(v))),
  "RAW_CAPTURE",
  "RAW_CAPTURE_CHUNK_MINUTES",
  "RAW_CAPTURE_CHUNK_MB",
  "INSURANCE_POLL_SECONDS",
  "BRACKETS_POLL_SECONDS",
];

/** A .dev.vars value, double-quoted; values that dotenv cannot carry verbatim are refused. */
function dotenvValue(name: string, value: string): string {
  if (/["\\\r\n]/.test(value)) fail(`${name} must not contain quotes, backslashes or line breaks`);
  return `"${value}"`;
}

/** The engine's variables passed through from this environment with `wrangler dev --var` (it reaches the first Worker, the engine). */
const ENGINE_VARS = ["READ_RATE_LIMIT", "LIQUIDATION_RETENTION_DAYS", "STREAM_OPENS_PER_ADDRESS"];
const engineVarArgs = ENGINE_VARS.flatMap((name) => {
  const value = process.env[name];
  return value === undefined || value === "" ? [] : ["--var", `${name}:${value}`];
});

// `wrangler dev --var` only reaches the first Worker; the collector reads its own .dev.vars.
const devVars: Record<string, string> = { REPLAY_SPEED: speed, LIQFLOW_MODE: mode };
for (const name of PASSED_VARS) {
  const value = process.env[name];
  if (value !== undefined && value !== "") devVars[name] = value;
}
writeFileSync(
  join(root, "workers/collector/.dev.vars"),
  "# written by npm start (scripts/start.ts) from the environment\n" +
    Object.entries(devVars)
      .map(([k, v]) => `${k}=${dotenvValue(k, v)}\n`)
      .join(""),
);

// Start-up noise nobody can act on: the local runtime's `request.cf` is a placeholder anyway
// (fetching the real one from workers.cloudflare.com printed a DNS stack trace offline), and
// wrangler's banner offers an update this project cannot take (later versions need Node 22).
process.env.CLOUDFLARE_CF_FETCH_ENABLED = "false";
process.env.WRANGLER_HIDE_BANNER = "true";
process.env.WRANGLER_SEND_METRICS = "false";

if (mode === "replay") {
  // LIQFLOW_MANIFEST: a manifest of one's own (tests play a single recording); its files are under data/recorded.
  const own = process.env.LIQFLOW_MANIFEST;
  const manifest = own ? relative(join(root, "data/recorded"), resolve(own)) : dataSet.manifest;
  let seeded: Awaited<ReturnType<typeof seedRecordings>>;
  try {
    seeded = await seedRecordings(root, stateDir, manifest);
  } catch (err) {
    fail(`cannot seed the recordings${own ? ` of LIQFLOW_MANIFEST=${own}` : ""}: ${err instanceof Error ? err.message : String(err)}`);
  }
  console.log(
    `liqflow: recordings bucket holds ${seeded.files} files: ${own ? `the manifest ${own}` : dataSet.what}` +
      (seeded.uploaded ? ` (${seeded.uploaded} uploaded, ${(seeded.bytes / 1e6).toFixed(1)} MB, ${seeded.ms} ms)` : " (up to date)"),
  );
}

const devExplorer = process.env.LIQFLOW_DEV_EXPLORER === "1";
if (devExplorer) console.warn("liqflow: LIQFLOW_DEV_EXPLORER=1: wrangler's local explorer is on: any local process can read and write the engine's storage at /cdn-cgi/explorer");
const base = `http://127.0.0.1:${port}`;
if (live !== null) {
  const connected = live.venues.filter((v) => CONNECTED_VENUES.includes(v));
  const missing = live.venues.filter((v) => !CONNECTED_VENUES.includes(v));
  if (connected.length === 0) fail(`none of LIQFLOW_VENUES (${live.venues.join(", ")}) has a live connection yet; connected venues: ${CONNECTED_VENUES.join(", ")}`);
  console.log(
    `liqflow: live venues ${connected.join(", ")}` +
      (missing.length > 0 ? ` (${missing.join(", ")}: no live connection yet, reported unavailable)` : "") +
      `; ${live.symbols.length} symbols` +
      (live.rawCapture.enabled ? `; raw capture to R2 bucket liqflow-raw` : ""),
  );
}
const wranglerVersion = (JSON.parse(readFileSync(join(root, "node_modules/wrangler/package.json"), "utf8")) as { version: string }).version;
console.log(`liqflow: starting engine + collector (${mode === "live" ? "live" : `replay, speed ${speed}x`}) on ${base} with wrangler ${wranglerVersion} ...`);

// wrangler dev always opens a devtools inspector (and workerd's dev-registry debug port) without
// authentication: scripts/lib/dev-lockdown.cjs, preloaded into wrangler, closes both unless a
// developer asks for them. An inspector that is asked for takes a free loopback port: two stacks on
// one machine raced for wrangler's default 9229 and one died with "Address already in use".
const devInspector = process.env.LIQFLOW_DEV_INSPECTOR === "1";
const inspectorArgs: string[] = [];
if (devInspector) {
  const inspectorPort = await freeLoopbackPort();
  inspectorArgs.push("--inspector-port", String(inspectorPort));
  console.warn(`liqflow: LIQFLOW_DEV_INSPECTOR=1: devtools inspector on 127.0.0.1:${inspectorPort}: any local process can run code in the engine`);
}
const nodeArgs = devInspector ? [] : ["--require", join(root, "scripts/lib/dev-lockdown.cjs")];

const wrangler = spawn(
  process.execPath,
  [
    ...nodeArgs,
    join(root, "node_modules/wrangler/bin/wrangler.js"),
    "dev",
    "-c", "wrangler.toml",
    "-c", "workers/collector/wrangler.toml",
    "--ip", "127.0.0.1",
    "--port", String(port),
    "--show-interactive-dev-session=false",
    "--persist-to", stateDir,
    ...inspectorArgs,
    ...engineVarArgs,
  ],
  { cwd: root, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, X_LOCAL_EXPLORER: devExplorer ? "true" : "false" } },
);
for (const [from, to] of [
  [wrangler.stdout, process.stdout],
  [wrangler.stderr, process.stderr],
] as const) {
  const filter = new WranglerOutputFilter();
  from.setEncoding("utf8");
  from.on("data", (chunk: string) => to.write(filter.push(chunk)));
  from.on("end", () => to.write(filter.end()));
}

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
const what = mode === "live" ? "live feeds; numbers appear within one 10 s cycle of data" : `replay of data/recorded at ${speed}x; numbers appear within one 10 s cycle`;
console.log(`
liqflow is running (${what}):
  dashboard     ${base}/   and ${base}/s/BTCUSDT
  API docs      ${base}/docs
  symbols       ${base}/v1/symbols
  snapshot      ${base}/v1/symbols/BTCUSDT
  cards         ${base}/v1/symbols/BTCUSDT/cards
  bias          ${base}/v1/symbols/BTCUSDT/bias?mode=day
  liquidations  ${base}/v1/symbols/BTCUSDT/liquidations?limit=20
  maps          ${base}/v1/symbols/BTCUSDT/heatmap   /levels   /clusters   /cascade
  zones         ${base}/v1/symbols/BTCUSDT/zones
  health        ${base}/v1/health
  stream        ws://127.0.0.1:${port}/v1/stream   send {"op":"subscribe","channels":["BTCUSDT:bias"]}
Ctrl-C stops it; ${mode === "live" ? "all state is" : "the replay position and all state are"} kept in ${stateDir}.
`);
