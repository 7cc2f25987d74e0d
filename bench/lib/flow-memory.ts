/**
 * Memory per SymbolObject: the heap one symbol's engine retains while recorded flow goes through
 * it with every card cycling. Measured in a child process of its own (`node --expose-gc`, so that
 * `gc()` can run before each reading and nothing of this process's other benches is on its heap);
 * see `flow-memory-child.ts` for what is read and when.
 *
 * Beside the engine, a SymbolObject keeps little on the heap: per source a sequence record, the
 * liquidations not yet reported to the Coordinator (at most 1,000), the relays' interest and one
 * stub per relay, and the last heatmap and levels values it published (to patch from; measured
 * here as `publishedMapsBytes`). Its liquidation rows, bars, realized records and checkpoints are
 * SQLite (Durable Object storage), outside the heap; the checkpoint is a JSON string built once
 * per cycle and dropped (`checkpointChars`).
 */
import { spawn } from "node:child_process";
import { join } from "node:path";
import type { EngineHeapResult } from "./flow-memory-child.js";

export type { EngineHeapResult } from "./flow-memory-child.js";

/** The densest BTCUSDT recording (272 messages/s, 5.75 min of event time). */
export const MEMORY_RECORDING = "data/recorded/binance/hftbacktest_btcusdt_20240808.gz";

export interface EngineHeapOptions {
  file?: string;
  /** Passes over the recording, each shifted as the replay shifts its loops (1: the recording once). */
  loops?: number;
  /** Stop after this many events (quick runs). */
  maxEvents?: number;
}

/** Runs `flow-memory-child.ts` under `node --expose-gc` and returns what it measured. */
export function measureEngineHeap(options: EngineHeapOptions = {}): Promise<EngineHeapResult> {
  const root = process.cwd();
  const args = ["--expose-gc", "--import", "tsx", join(root, "bench/lib/flow-memory-child.ts"), options.file ?? MEMORY_RECORDING, "--loops", String(options.loops ?? 1)];
  if (options.maxEvents !== undefined) args.push("--max-events", String(options.maxEvents));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (err += d));
    child.once("error", reject);
    child.once("exit", (code, signal) => {
      if (code !== 0) return reject(new Error(`flow-memory-child exited with ${signal ?? code}: ${err.trim()}`));
      try {
        resolve(JSON.parse(out.trim().split("\n").pop() ?? "") as EngineHeapResult);
      } catch (e) {
        reject(new Error(`flow-memory-child printed no result: ${String(e)}\n${out}${err}`));
      }
    });
  });
}
