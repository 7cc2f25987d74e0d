/**
 * `npm run bench:fanout`: read and fan-out figures on local workerd, beside a hello-world
 * baseline measured in the same run.
 *
 * For each (subscribers, relay shards) case it starts the engine Worker alone under
 * `wrangler dev` (dev routes on, a fresh state directory), connects real `ws` clients to
 * /v1/stream, subscribes each to BTCUSDT:bias, then pushes cycles through the dev ingest
 * route and measures, per update:
 *   - ingest RPC time: the SymbolObject applying the batch and handing the update to the
 *     relays (its publish is fire-and-forget, so this is the publisher's own cost);
 *   - fan-out time: from the ingest call until the last subscriber received the update.
 * Reads: GET /v1 (hello world: routing + JSON, no object) vs a cached and an uncached read.
 *
 * Clients connect to workerd's own address, found next to wrangler's dev proxy (Linux `ss`),
 * because the proxy holds ~4 descriptors per socket and this container's hard descriptor
 * limit (20,000) cannot carry 5,000 sockets through it. `--via proxy` uses the proxy instead.
 *
 *   npm run bench:fanout [-- --subscribers 1000,5000 --shards 1,4 --updates 10]
 */
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import WebSocket from "ws";
import { freePort } from "../test/e2e/stack.js";

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
}
const SUBSCRIBERS = arg("subscribers", "1000,5000").split(",").map(Number);
const SHARDS = arg("shards", "1,4").split(",").map(Number);
const UPDATES = Number(arg("updates", "10"));
const VIA = arg("via", "direct");
const BASE = 1_699_999_800_000;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function startEngine(shards: number) {
  const port = await freePort();
  const state = mkdtempSync(join(tmpdir(), "liqflow-bench-"));
  const child = spawn(
    process.execPath,
    [
      "node_modules/wrangler/bin/wrangler.js", "dev", "-c", "wrangler.toml", "--ip", "127.0.0.1", "--port", String(port),
      "--persist-to", state, "--show-interactive-dev-session=false", "--log-level", "error",
      "--var", "LIQFLOW_DEV_ROUTES:1", "--var", `RELAY_SHARDS:${shards}`,
      // Thousands of sockets from 127.0.0.1: past the per-address open limit of /v1/stream.
      "--var", "STREAM_OPENS_PER_ADDRESS:1000000",
    ],
    { stdio: ["ignore", "ignore", "inherit"], env: { ...process.env, WRANGLER_SEND_METRICS: "false" }, detached: true },
  );
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 240; i++) {
    try {
      if ((await fetch(`${base}/v1`)).ok) break;
    } catch {
      // not up yet
    }
    await sleep(250);
  }
  const direct = VIA === "direct" ? await directAddress(port) : null;
  const stop = async () => {
    try {
      process.kill(-child.pid!, "SIGKILL");
    } catch {
      // gone
    }
    await sleep(500);
    rmSync(state, { recursive: true, force: true });
  };
  return { base, port, direct: direct ?? base, stop };
}

/**
 * The address workerd itself serves the engine on, behind wrangler's dev proxy: a port held by
 * another workerd process than the proxy's that answers GET /v1 as liqflow.
 */
async function directAddress(proxyPort: number): Promise<string | null> {
  const listing = execFileSync("ss", ["-ltnpH"], { encoding: "utf8" });
  const rows = listing.split("\n").filter((l) => l.includes('"workerd"'));
  const proxyPid = rows.find((l) => l.includes(`:${proxyPort} `))?.match(/pid=(\d+)/)?.[1];
  for (const row of rows) {
    const pid = row.match(/pid=(\d+)/)?.[1];
    const port = row.match(/127\.0\.0\.1:(\d+)/)?.[1];
    if (!port || pid === proxyPid) continue;
    try {
      const res = await fetch(`http://127.0.0.1:${port}/v1`);
      if (res.ok && ((await res.json()) as { name?: string }).name === "liqflow") return `http://127.0.0.1:${port}`;
    } catch {
      // not the entry socket
    }
  }
  process.stderr.write("bench:fanout: workerd's own address not found; using the dev proxy\n");
  return null;
}

let seq = 0;
function ingest(base: string, cycle: number): Promise<Response> {
  const ts = BASE + cycle * 10_000 + 1_000;
  const event = { venue: "binance", symbol: "BTCUSDT", ts, kind: "trade", price: 60_000 + cycle, qty: 1, side: cycle % 2 ? "buy" : "sell", tradeId: String(ts) };
  return fetch(`${base}/internal/ingest/BTCUSDT`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ source: "bench", events: [event], seqs: [++seq] }),
  });
}

async function timeGets(urlFor: (i: number) => string, n: number): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    const res = await fetch(urlFor(i));
    await res.arrayBuffer();
    samples.push(performance.now() - t);
  }
  return median(samples);
}

interface Case {
  subscribers: number;
  shards: number;
  connectS: number;
  ingestMs: number;
  fanoutMs: number;
  deliveriesPerS: number;
  helloMs: number;
  helloProxyMs: number;
  cachedMs: number;
  uncachedMs: number;
}

async function runCase(subscribers: number, shards: number): Promise<Case> {
  const engine = await startEngine(shards);
  try {
    seq = 0;
    await ingest(engine.base, 0);
    await ingest(engine.base, 1); // first cycle exists: subscribers get a snapshot
    const received: number[] = []; // per update index: how many subscribers have it
    const lastAt: number[] = [];
    const sockets: WebSocket[] = [];
    const t0 = performance.now();
    for (let i = 0; i < subscribers; i += 200) {
      await Promise.all(
        Array.from({ length: Math.min(200, subscribers - i) }, () =>
          new Promise<void>((resolve, reject) => {
            const ws = new WebSocket(`${engine.direct.replace("http", "ws")}/v1/stream`);
            let firstSeq: number | null = null;
            ws.on("open", () => ws.send(JSON.stringify({ op: "subscribe", channels: ["BTCUSDT:bias"] })));
            ws.on("message", (raw) => {
              const m = JSON.parse(String(raw));
              if (m.type === "snapshot") {
                firstSeq = m.seq;
                resolve();
              } else if (m.type === "update" && firstSeq !== null) {
                const k = m.seq - firstSeq - 1;
                received[k] = (received[k] ?? 0) + 1;
                lastAt[k] = performance.now();
              }
            });
            ws.on("error", reject);
            sockets.push(ws);
          }),
        ),
      );
    }
    const connectS = (performance.now() - t0) / 1000;
    await sleep(500);

    const ingestMs: number[] = [];
    const fanoutMs: number[] = [];
    for (let k = 0; k < UPDATES; k++) {
      const t = performance.now();
      const res = await ingest(engine.base, 2 + k);
      await res.arrayBuffer();
      ingestMs.push(performance.now() - t);
      const deadline = performance.now() + 60_000;
      while ((received[k] ?? 0) < subscribers && performance.now() < deadline) await sleep(2);
      if ((received[k] ?? 0) < subscribers) throw new Error(`update ${k}: only ${received[k] ?? 0}/${subscribers} subscribers received it`);
      fanoutMs.push(lastAt[k] - t);
      await sleep(200);
    }

    const helloMs = await timeGets(() => `${engine.direct}/v1`, 200);
    const cachedMs = await timeGets(() => `${engine.direct}/v1/symbols/BTCUSDT/bias?mode=day`, 200);
    // A distinct limit per request is a distinct cache key: every read reaches the object.
    const uncachedMs = await timeGets((i) => `${engine.direct}/v1/symbols/BTCUSDT/liquidations?limit=${i + 1}`, 200);
    const helloProxyMs = await timeGets(() => `${engine.base}/v1`, 200);
    for (const ws of sockets) ws.terminate();
    const fanout = median(fanoutMs);
    return { subscribers, shards, connectS, ingestMs: median(ingestMs), fanoutMs: fanout, deliveriesPerS: (subscribers / fanout) * 1000, helloMs, helloProxyMs, cachedMs, uncachedMs };
  } finally {
    await engine.stop();
  }
}

const cases: Case[] = [];
for (const subscribers of SUBSCRIBERS) {
  for (const shards of SHARDS) {
    process.stderr.write(`bench:fanout: ${subscribers} subscribers, ${shards} relay shard(s)...\n`);
    cases.push(await runCase(subscribers, shards));
  }
}
console.log(`bench:fanout: ${UPDATES} updates per case, medians; clients and reads via ${VIA === "direct" ? "workerd's own address" : "the dev proxy"}; node ${process.version}`);
console.log("subscribers shards  connect  ingest(publisher)  fan-out(last recv)  deliveries/s  GET /v1 (hello)  cached read  uncached read  hello via proxy");
for (const c of cases) {
  console.log(
    `${String(c.subscribers).padStart(11)} ${String(c.shards).padStart(6)} ${`${c.connectS.toFixed(1)} s`.padStart(8)} ` +
      `${`${c.ingestMs.toFixed(1)} ms`.padStart(17)} ${`${c.fanoutMs.toFixed(0)} ms`.padStart(19)} ${c.deliveriesPerS.toFixed(0).padStart(13)} ` +
      `${`${c.helloMs.toFixed(2)} ms`.padStart(16)} ${`${c.cachedMs.toFixed(2)} ms`.padStart(12)} ${`${c.uncachedMs.toFixed(2)} ms`.padStart(14)} ${`${c.helloProxyMs.toFixed(2)} ms`.padStart(16)}`,
  );
}
