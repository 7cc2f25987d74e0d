/**
 * One workerd running the engine and the benchmark's baseline Worker side by side:
 * `wrangler dev -c wrangler.toml -c bench/workerd/wrangler.toml` (multi-config dev), on a free
 * port, with a fresh state directory and dev registry of its own, never port 8787 or
 * `.wrangler/state`. The engine is the first config, so wrangler's dev proxy forwards to it; the
 * baseline Worker is reached at workerd's own address with the `MF-Route-Override` header
 * (Miniflare's entry routes on it and strips it; the dev proxy consumes it itself, so the
 * baseline Worker cannot be reached through the proxy).
 *
 * The engine runs from a bundle built once at start (`wrangler deploy --dry-run --outdir`, the
 * bundle a deploy would upload) and a copy of `public/`, through a generated copy of the repo's
 * wrangler.toml that points at them: `wrangler dev` rebuilds and restarts workerd (on a new port,
 * dropping every connection) whenever a watched source changes, and other people edit `src/`
 * while a bench runs. The repo's wrangler.toml is never written.
 *
 * Processes: wrangler (Node), the dev proxy's workerd, the Workers' workerd. They run in one
 * process group that `stop` kills whole (SIGKILL), also when this process exits on an error.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { freePort, groupAlive } from "../../test/e2e/stack.js";

/** The repository root, whatever the working directory. */
const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const WRANGLER = join(ROOT, "node_modules/wrangler/bin/wrangler.js");

/** The header that routes a request at workerd's own address to the baseline Worker. */
export const BENCH_ROUTE_HEADER = { "MF-Route-Override": "liqflow-bench" } as const;

/** Engine variables for the benchmark: dev ingest route on, read and stream-open limits off, one relay shard. */
const ENGINE_VARS = ["LIQFLOW_DEV_ROUTES:1", "READ_RATE_LIMIT:0", "STREAM_OPENS_PER_ADDRESS:1000000", "RELAY_SHARDS:1"];

export interface WorkerdStack {
  /** The dev proxy (wrangler's), forwarding to the engine. */
  proxy: string;
  /** workerd's own entry socket: the engine, or the baseline Worker with {@link BENCH_ROUTE_HEADER}. */
  direct: string;
  /** Pid of the workerd process that runs both Workers (for its CPU time). */
  workerdPid: number;
  /** CPU ms (user + system) the Workers' workerd has used so far (from /proc, 10 ms ticks). */
  workerdCpuMs(): number;
  /** The tail of wrangler's and workerd's output (for an error report). */
  log(): string;
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Starts the stack and waits until both Workers answer at workerd's own address; kills it if that fails. */
export async function startWorkerdStack(): Promise<WorkerdStack> {
  const port = await freePort();
  const work = mkdtempSync(join(tmpdir(), "liqflow-wbench-"));
  const state = join(work, "state");
  const registry = join(work, "registry");
  let engineConfig: string;
  try {
    engineConfig = frozenEngineConfig(work);
  } catch (err) {
    rmSync(work, { recursive: true, force: true });
    throw err;
  }
  const args = [WRANGLER, "dev", "-c", engineConfig, "-c", join(ROOT, "bench/workerd/wrangler.toml"), "-c", join(ROOT, "bench/workerd/collector-stub.toml")];
  args.push("--ip", "127.0.0.1", "--port", String(port), "--persist-to", state, "--show-interactive-dev-session=false", "--log-level", "error");
  for (const v of ENGINE_VARS) args.push("--var", v);
  let output = "";
  // workerd holds one descriptor per client socket: it gets the hard open-file limit, whatever ours is.
  const child: ChildProcess = spawn("sh", ["-c", 'ulimit -n "$(ulimit -Hn)" 2>/dev/null; exec "$@"', "sh", process.execPath, ...args], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, WRANGLER_SEND_METRICS: "false", WRANGLER_REGISTRY_PATH: registry },
    detached: true,
  });
  // The tail of wrangler's output, for the error if it does not come up.
  const keep = (d: Buffer) => (output = (output + d).slice(-20_000));
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const pgid = child.pid!;
  const killGroup = () => {
    try {
      process.kill(-pgid, "SIGKILL");
    } catch {
      // the group is gone
    }
  };
  // A crash of this process, Ctrl-C or a CI timeout must not orphan a runtime that holds ports
  // and CPU: while the stack is up, those end this process through `exit`, which kills the group.
  const onSignal = (signal: NodeJS.Signals) => process.exit(signal === "SIGINT" ? 130 : 143);
  const onExit = () => {
    killGroup();
    rmSync(work, { recursive: true, force: true });
  };
  process.once("exit", onExit);
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    killGroup();
    for (let i = 0; i < 50 && groupAlive(pgid); i++) await sleep(100);
    process.removeListener("exit", onExit);
    process.removeListener("SIGINT", onSignal);
    process.removeListener("SIGTERM", onSignal);
    rmSync(work, { recursive: true, force: true });
  };
  try {
    const proxy = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 90_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`wrangler dev exited early:\n${output}`);
      if (Date.now() > deadline) throw new Error(`wrangler dev did not answer within 90 s:\n${output}`);
      try {
        if ((await fetch(`${proxy}/v1`)).ok) break;
      } catch {
        // not up yet
      }
      await sleep(250);
    }
    const { direct, pid } = await findDirect(pgid, port);
    return { proxy, direct, workerdPid: pid, workerdCpuMs: () => processCpuMs(pid), log: () => output, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/**
 * Builds the engine's bundle into `work/engine`, copies `public/` to `work/public`, and writes
 * `work/engine.toml`: the repo's wrangler.toml with `main` and the assets directories pointed at
 * those copies (every other line, name, bindings and vars included, as it is). Returns its path.
 */
function frozenEngineConfig(work: string): string {
  execFileSync(process.execPath, [WRANGLER, "deploy", "--dry-run", "--outdir", join(work, "engine"), "-c", join(ROOT, "wrangler.toml")], {
    cwd: ROOT,
    stdio: ["ignore", "ignore", "pipe"],
    env: { ...process.env, WRANGLER_SEND_METRICS: "false" },
  });
  cpSync(join(ROOT, "public"), join(work, "public"), { recursive: true });
  const source = readFileSync(join(ROOT, "wrangler.toml"), "utf8");
  const main = /^main = "src\/index\.ts"$/m;
  const assets = /^directory = "\.\/public"$/gm;
  if (!main.test(source) || !assets.test(source)) throw new Error('wrangler.toml no longer has `main = "src/index.ts"` and `directory = "./public"`: update bench/lib/workerd-stack.ts');
  const config = source.replace(main, `main = ${JSON.stringify(join(work, "engine", "index.js"))}`).replace(assets, `directory = ${JSON.stringify(join(work, "public"))}`);
  const path = join(work, "engine.toml");
  writeFileSync(path, config);
  return path;
}

/**
 * workerd's own entry socket: among the listening sockets of workerd processes in OUR process
 * group (other sessions' stacks may run on this machine), not the proxy's port, the one where
 * the engine answers GET /v1 and the baseline Worker answers GET /hello.
 */
async function findDirect(pgid: number, proxyPort: number): Promise<{ direct: string; pid: number }> {
  const rows = execFileSync("ss", ["-ltnpH"], { encoding: "utf8" }).split("\n").filter((l) => l.includes('"workerd"'));
  for (const row of rows) {
    const pid = Number(row.match(/pid=(\d+)/)?.[1]);
    const port = Number(row.match(/127\.0\.0\.1:(\d+)/)?.[1]);
    if (!pid || !port || port === proxyPort || processGroup(pid) !== pgid) continue;
    const base = `http://127.0.0.1:${port}`;
    try {
      const engine = (await (await fetch(`${base}/v1`, { signal: AbortSignal.timeout(2_000) })).json()) as { name?: string };
      const hello = (await (await fetch(`${base}/hello`, { headers: BENCH_ROUTE_HEADER, signal: AbortSignal.timeout(2_000) })).json()) as { hello?: string };
      if (engine.name === "liqflow" && hello.hello === "world") return { direct: base, pid };
    } catch {
      // another socket of the runtime (inspector, loopback)
    }
  }
  throw new Error("workerd's own address (engine and baseline Worker) not found among this stack's listening sockets");
}

/** Field 5 of /proc/<pid>/stat (after the parenthesised command name): the process group. */
function processGroup(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[2]);
  } catch {
    return null;
  }
}

/** utime + stime of a process in ms (fields 14 and 15 of /proc/<pid>/stat, at 100 ticks a second); NaN once it is gone. */
function processCpuMs(pid: number): number {
  if (!existsSync(`/proc/${pid}/stat`)) return Number.NaN;
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8");
  const rest = fields.slice(fields.lastIndexOf(")") + 2).split(" ");
  return (Number(rest[11]) + Number(rest[12])) * 10;
}

