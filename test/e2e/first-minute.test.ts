/**
 * End to end: the first minute of `npm start` shows the product. At the default 1x on the
 * shipped manifest (it starts at the first liquidation recording and skips silences over 2 s:
 * data/recorded/replay.json, README "What appears when"), within 60 s of the stack saying it is
 * running a newcomer sees realized liquidations on a heatmap and in clusters, and a bias.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, getJson, startStack, type Stack } from "./stack.js";

let stack: Stack;
let runningAt: number;

beforeAll(async () => {
  stack = await startStack({ speed: 1 });
  runningAt = Date.now();
});

afterAll(async () => {
  await stack?.stop();
});

describe("the first minute at 1x", () => {
  it("shows realized liquidations on the heatmap and in clusters, and a bias, within 60 s", async () => {
    const deadline = () => Math.max(1_000, 60_000 - (Date.now() - runningAt));
    const heatmap = await eventually(async () => {
      const { status, body } = await getJson(`${stack.base}/v1/symbols/ETHUSDT/heatmap`);
      return status === 200 && body.cells.length > 0 ? body : undefined;
    }, deadline(), "ETHUSDT heatmap cells");
    expect(heatmap.totals.long.count + heatmap.totals.short.count).toBeGreaterThan(0);
    const clusters = await eventually(async () => {
      const { status, body } = await getJson(`${stack.base}/v1/symbols/ETHUSDT/clusters`);
      return status === 200 && body.clusters.length > 0 ? body : undefined;
    }, deadline(), "ETHUSDT clusters");
    expect(clusters.clusters[0].count).toBeGreaterThan(0);
    const bias = await eventually(async () => {
      const { status, body } = await getJson(`${stack.base}/v1/symbols/BTCUSDT/bias?mode=scalp`);
      return status === 200 ? body : undefined;
    }, deadline(), "a BTCUSDT scalp bias");
    expect(bias.score).toBeGreaterThanOrEqual(-1);
    expect(bias.score).toBeLessThanOrEqual(1);
    const elapsed = Date.now() - runningAt;
    console.log(`first minute: heatmap, clusters and a BTCUSDT bias within ${(elapsed / 1000).toFixed(1)} s of "running"`);
    expect(elapsed).toBeLessThanOrEqual(60_000);
  });
});
