/**
 * A liquidation-map query the engine refuses is answered in the API's own words: the
 * parameters are `window`, `timeBin`, `priceBin`, `range`, `bin` (the engine's `windowMs`,
 * `timeBinMs`, `priceBinBps`… never leak), and durations read as durations (`7m`, `24h`).
 */
import { SELF } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { apiQueryMessage } from "../../src/api/liquidation-maps.js";
import type { CanonicalEvent } from "../../src/domain/events.js";
import { liquidation, symbolStub, trade } from "./helpers.js";

const BASE = 1_699_999_800_000;
const SYMBOL = "LINKUSDT";
const get = async (path: string) => {
  const res = await SELF.fetch(`https://liqflow.test${path}`);
  return { status: res.status, body: await res.json<any>() };
};
const INTERNAL = /\b(windowMs|timeBinMs|priceBinBps|priceBinTick|rangePct|binBps)\b/;

beforeAll(async () => {
  await symbolStub(SYMBOL).ingest(SYMBOL, {
    source: "s",
    events: [trade(SYMBOL, BASE + 1_000, 20, 1, "buy"), liquidation(SYMBOL, BASE + 2_000, "long", 20, 5), trade(SYMBOL, BASE + 61_000, 20.1, 1, "sell")],
    seqs: [1, 2, 3],
  });
});

describe("liquidation map errors speak the API's names", () => {
  it("names window and timeBin, with durations, when the window is not a multiple of the time bin", async () => {
    const { status, body } = await get(`/v1/symbols/${SYMBOL}/heatmap?window=24h&timeBin=7m`);
    expect(status).toBe(400);
    expect(body.error).toEqual({ code: "bad_parameter", message: "heatmap: window must be a multiple of timeBin (7m) (got 24h)" });
  });

  it("names window and its bound as a duration when it is too long", async () => {
    const { status, body } = await get(`/v1/symbols/${SYMBOL}/heatmap?window=25h`);
    expect(status).toBe(400);
    expect(body.error.message).toBe("heatmap: window must be <= 24h (got 25h)");
  });

  it("names timeBin when the window holds too many bins", async () => {
    const { body } = await get(`/v1/symbols/${SYMBOL}/heatmap?window=24h&timeBin=30s`);
    expect(body.error.message).toBe("heatmap: window / timeBin must be <= 1440 bins (got 2880)");
  });

  it("names priceBin, in bps, when it is out of bounds", async () => {
    const { status, body } = await get(`/v1/symbols/${SYMBOL}/heatmap?priceBin=0.05bps`);
    expect(status).toBe(400);
    expect(body.error.message).toBe("heatmap: priceBin must be >= 0.1bps (got 0.05bps)");
  });

  it("filters the heatmap by venue, and names venue when one is unknown", async () => {
    const only = await get(`/v1/symbols/${SYMBOL}/heatmap?venue=binance`);
    expect(only.status).toBe(200);
    expect(only.body.venueFilter).toEqual(["binance"]);
    expect(only.body.totals.long.count).toBe(1);
    const none = await get(`/v1/symbols/${SYMBOL}/heatmap?venue=bybit,okx`);
    expect(none.body.venueFilter).toEqual(["bybit", "okx"]);
    expect(none.body.cells).toEqual([]);
    const all = await get(`/v1/symbols/${SYMBOL}/heatmap`);
    expect(all.body.venueFilter).toBeUndefined();
    const bad = await get(`/v1/symbols/${SYMBOL}/heatmap?venue=binance,ftx`);
    expect(bad.status).toBe(400);
    expect(bad.body.error).toEqual({ code: "bad_parameter", message: 'heatmap: venue: unknown venue "ftx" (known: binance, bybit, okx, hyperliquid)' });
  });

  it("names range and bin for the levels query", async () => {
    const { status, body } = await get(`/v1/symbols/${SYMBOL}/levels?range=50&bin=0.1`);
    expect(status).toBe(400);
    expect(body.error.message).toBe("levels: 2 × range / bin must be <= 10000 bins (got 100000)");
    expect(body.error.message).not.toMatch(INTERNAL);
  });

  it("keeps only the asked leverage tiers of /levels, and names leverage when a tier is unknown", async () => {
    const symbol = "DOTUSDT";
    const oi = (ts: number, oiBase: number): CanonicalEvent => ({ venue: "bybit", symbol, ts, kind: "oi", oiBase });
    // OI rises by 1,000 in the first minute bucket around trades at 5: one cohort, a level per tier and side
    await symbolStub(symbol).ingest(symbol, {
      source: "s",
      events: [oi(BASE, 10_000), trade(symbol, BASE + 1_000, 5, 1, "buy"), oi(BASE + 30_000, 11_000), trade(symbol, BASE + 61_000, 5, 1, "sell"), oi(BASE + 62_000, 11_000)],
      seqs: [1, 2, 3, 4, 5],
    });
    const all = await get(`/v1/symbols/${symbol}/levels?range=50`);
    expect(all.status).toBe(200);
    expect(all.body.available).toBe(true);
    expect(all.body.tierFilter).toBeUndefined();
    const tiers: number[] = all.body.model.leverageTiers.map((t: { leverage: number }) => t.leverage);
    expect(all.body.totals.levels).toBeGreaterThan(2);
    const one = await get(`/v1/symbols/${symbol}/levels?range=50&leverage=${tiers[2]}x`);
    expect(one.status).toBe(200);
    expect(one.body.tierFilter).toEqual([tiers[2]]);
    expect(one.body.totals.levels).toBe(2);
    expect(one.body.totals.longUsd).toBeLessThan(all.body.totals.longUsd);
    const bad = await get(`/v1/symbols/${symbol}/levels?leverage=${tiers[0]},7`);
    expect(bad.status).toBe(400);
    expect(bad.body.error).toEqual({ code: "bad_parameter", message: `levels: leverage: 7 is not one of the model's tiers: ${tiers.join(", ")}` });
    const shape = await get(`/v1/symbols/${symbol}/levels?leverage=high`);
    expect(shape.status).toBe(400);
    expect(shape.body.error.message).toMatch(/leverage/);
  });

  it("maps every engine field name, leaving other text alone", () => {
    expect(apiQueryMessage("heatmap query: priceBinTick gives 3000 price bins for 1..2; at most 2000 (use a larger bin)")).toBe(
      "heatmap: priceBin gives 3000 price bins for 1..2; at most 2000 (use a larger bin)",
    );
    expect(apiQueryMessage("heatmap query: timeBinMs must be >= 1000 (got 500)")).toBe("heatmap: timeBin must be >= 1s (got 500ms)");
    expect(apiQueryMessage("clusters query: limit must be <= 100 (got 500)")).toBe("clusters: limit must be <= 100 (got 500)");
  });
});
