/**
 * End to end: `npm start` keeps replaying. The recordings loop forever, each loop shifted in
 * event time; the engine must keep computing cycles from loop to loop (a replay that stalled
 * at the end of loop 1 once froze every number on the dashboard while the stack looked up).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, getJson, startStack, type Stack } from "./stack.js";

let stack: Stack;

beforeAll(async () => {
  // Flat out: one loop of the replay set takes a few seconds on this machine.
  stack = await startStack({ speed: 1_000_000 });
});

afterAll(async () => {
  await stack?.stop();
});

describe("the replay at full speed", () => {
  it("goes on past loop 2, with BTCUSDT cycles advancing through every loop", async () => {
    const seen: { loop: number; cycleTs: number }[] = [];
    const health = await eventually(
      async () => {
        const { body } = await getJson(`${stack.base}/v1/health`);
        const replay = body.collector.feeds.replay;
        const cycleTs = body.engine.BTCUSDT?.lastCycleTs ?? null;
        if (cycleTs !== null) seen.push({ loop: replay.position.loop, cycleTs });
        return replay.position.loop >= 3 ? body : undefined;
      },
      90_000,
      "the replay to reach loop 3",
    );
    expect(health.collector.feeds.replay.error).toBeNull();
    expect(health.collector.feeds.replay.batches, "batches").toMatchObject({ failures: 0 });
    // Event time moved forward loop after loop (each loop is shifted past the previous one).
    const loops = [...new Set(seen.map((s) => s.loop))];
    expect(loops.length).toBeGreaterThanOrEqual(2);
    for (let i = 1; i < seen.length; i++) expect(seen[i].cycleTs).toBeGreaterThanOrEqual(seen[i - 1].cycleTs);
    expect(seen[seen.length - 1].cycleTs).toBeGreaterThan(seen[0].cycleTs);
    // Each loop restarts the depth stream at older update ids: a new session, one gap each, and
    // every gap but possibly the newest is already repaired by a resync.
    const book = health.engine.BTCUSDT.book;
    expect(book.gaps).toBeGreaterThanOrEqual(1);
    expect(book.resyncs).toBeGreaterThanOrEqual(book.gaps - 1);
  });
});
