/**
 * Starts the real local stack (`npm start`'s launcher: wrangler dev with the engine and the
 * collector) on a free port with its own state directory, for end-to-end tests.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface Stack {
  base: string;
  port: number;
  /** The launcher's pid (scripts/start.ts); wrangler and workerd run in its process group. */
  pid: number;
  stateDir: string;
  log: () => string;
  stop: () => Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

export interface StackOptions {
  /** Replay speed (REPLAY_SPEED); 1 when absent. */
  speed?: number;
  stateDir?: string;
  port?: number;
  /** More environment for the launcher, e.g. `LIQFLOW_MODE: "live"` and venue URLs. */
  env?: Record<string, string>;
}

export async function startStack(options: StackOptions): Promise<Stack> {
  const port = options.port ?? (await freePort());
  const stateDir = options.stateDir ?? mkdtempSync(join(tmpdir(), "liqflow-e2e-"));
  // A dev registry of its own: wrangler dev sessions sharing one saw each other's Workers come and
  // go and reloaded (an unexplained reload closed every socket of a running test).
  const registry = mkdtempSync(join(tmpdir(), "liqflow-e2e-registry-"));
  let output = "";
  const child: ChildProcess = spawn(process.execPath, ["node_modules/tsx/dist/cli.mjs", "scripts/start.ts"], {
    cwd: process.cwd(),
    env: { ...process.env, PORT: String(port), REPLAY_SPEED: String(options.speed ?? 1), LIQFLOW_STATE_DIR: stateDir, WRANGLER_REGISTRY_PATH: registry, ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  child.once("exit", () => rmSync(registry, { recursive: true, force: true }));
  child.stdout?.on("data", (d) => (output += d));
  child.stderr?.on("data", (d) => (output += d));
  const base = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once("exit", r));
    try {
      process.kill(-child.pid!, "SIGTERM");
    } catch {
      // already gone
    }
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        // already gone
      }
    }, 5_000);
    await exited;
    clearTimeout(timer);
    // The launcher can exit before the workerd processes it started: give the group a moment,
    // then kill what is left rather than orphan a runtime that holds ports and CPU.
    const pid = child.pid!;
    for (let i = 0; i < 20 && groupAlive(pid); i++) await new Promise((r) => setTimeout(r, 100));
    try {
      process.kill(-pid, "SIGKILL");
    } catch {
      // the group is gone
    }
  };
  const deadline = Date.now() + 120_000;
  while (!output.includes("liqflow is running")) {
    if (child.exitCode !== null) throw new Error(`the stack exited early:\n${output}`);
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`the stack did not start within 120 s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { base, port, pid: child.pid!, stateDir, log: () => output, stop };
}

/** Whether any process of the group led by `pid` is still alive. */
export function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Polls `probe` until it returns a value (not undefined) or the timeout passes. */
export async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (err) {
      lastError = err;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${String(lastError)}` : ""}`);
}

export async function getJson(url: string): Promise<{ status: number; body: any }> {
  const res = await fetch(url);
  return { status: res.status, body: await res.json() };
}
