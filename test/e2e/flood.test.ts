/**
 * End to end (issue 14, item 3): one client flooding `/v1/stream` does not stall the engine.
 * On `npm start`'s stack (replay 20x), a healthy subscriber and an uncached HTTP reader run
 * idle, then while 10 sockets each send 200 frames unpaced (`bench/flood.ts`, a smaller
 * flood than `npm run bench:flood`'s 20 × 500). The healthy subscriber misses no cycle (every
 * update carries the next seq, none coalesced, it holds the latest cycle afterwards, it is
 * never closed) and the HTTP p99 during the flood stays under 3× its idle value plus 500 ms (a
 * bound loose enough for a busy 2-core machine; before the fix the reads stalled for 10 s+).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { floodTable, measureFlood, type FloodResult } from "../../bench/flood.js";
import { eventually, startStack, type Stack } from "./stack.js";

let stack: Stack;

beforeAll(async () => {
  stack = await startStack({ speed: 20 });
  await eventually(async () => ((await fetch(`${stack.base}/v1/symbols/BTCUSDT/bias?mode=day`)).status === 200 ? true : undefined), 120_000, "a BTCUSDT cycle");
});

afterAll(async () => {
  await stack?.stop();
});

describe("a flood of stream frames from 10 sockets", () => {
  let result: FloodResult;

  it("leaves a healthy subscriber every cycle and keeps uncached reads near their idle p99", async () => {
    result = await measureFlood(stack.base, { sockets: 10, frames: 200, idleMs: 10_000, floodMs: 10_000 }, 500);
    console.log(floodTable(result));
    expect(result.healthyCloses).toEqual([]);
    expect(result.flood.cadence.missedCycles + result.idle.cadence.missedCycles).toBe(0);
    expect(result.flood.cadence.updates).toBeGreaterThan(0);
    expect(result.caughtUp).toBe(true);
    expect(result.flood.read.failed).toBe(0);
    expect(result.flood.read.p99Ms).toBeLessThan(3 * result.idle.read.p99Ms + 500);
    // The flooding sockets were closed by the relay's rate limit, not left to run.
    expect(result.floodCloses["1008"]).toBe(10);
    // A new client could still subscribe during the flood.
    expect(result.probe.snapshotMs).toBeLessThan(10_000);
  }, 180_000);
});
