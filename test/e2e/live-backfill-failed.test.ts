/**
 * End to end, live mode, the warm start failing: the local Binance venue (fixtures/binance-venue.ts)
 * answers every klines request with HTTP 500. The collector retries a bounded number of times,
 * counts the failures in /v1/health, releases BTCUSDT's live events and goes on streaming; the
 * engine then has only live data, so a card that needs an hour of bars (`flow.pressure` on 1h)
 * says `warming up` where, with the day of history, it is available in the first cycle
 * (test/e2e/live.test.ts).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BinanceVenue } from "./fixtures/binance-venue.js";
import { eventually, getJson, startStack, type Stack } from "./stack.js";

const data = (name: string) => fileURLToPath(new URL(`../../data/recorded/binance/${name}`, import.meta.url));

let venue: BinanceVenue;
let stack: Stack;
let stateDir: string;

beforeAll(async () => {
  venue = await BinanceVenue.start({
    recordings: [data("hftbacktest_btcusdt_20230404.dat.gz")],
    playMs: 120_000,
    speed: 10,
    liquidations: data("forceorder_20250126-20250206.jsonl.gz"),
    liquidationEveryMs: 1_000,
    maxLiquidations: 0,
    skipLiquidationSymbols: [],
    resendOnSubscribe: 0,
    pingEveryMs: 1_000,
    klineArchive: data("klines/AVAXUSDT-1m-2026-02.csv.gz"),
    klinesFailWith: 500,
  });
  stateDir = mkdtempSync(join(tmpdir(), "liqflow-e2e-live-nobars-"));
  stack = await startStack({
    stateDir,
    env: { LIQFLOW_MODE: "live", LIQFLOW_VENUES: "binance", LIQFLOW_SYMBOLS: "BTCUSDT", BINANCE_WS_URL: venue.wsUrl, BINANCE_REST_URL: venue.httpUrl },
  });
}, 120_000);

afterAll(async () => {
  await stack?.stop();
  await venue?.stop();
  if (stateDir) rmSync(stateDir, { recursive: true, force: true });
});

describe("live mode when the venue refuses the warm start's bars", () => {
  it("retries 3 times, counts the failures, releases the live events; the hour-of-bars card is warming up", async () => {
    const h = await eventually(async () => {
      const { body } = await getJson(`${stack.base}/v1/health`);
      const backfill = body.collector?.feeds?.["live:binance"]?.backfill;
      return backfill?.start.state === "failed" && backfill.held === 0 && body.engine.BTCUSDT.events.trade > 0 ? body : undefined;
    }, 60_000, "the warm start given up and BTCUSDT's trades flowing");
    const live = h.collector.feeds["live:binance"];
    expect(live.status).toBe("running");
    expect(live.backfill.start).toMatchObject({
      state: "failed",
      symbols: 1,
      symbolsDone: 0,
      symbolsFailed: 1,
      pages: 1,
      pagesFailed: 1,
      requests: 3,
      retries: 2,
      bars: 0,
      accepted: 0,
      span: null,
      errors: { "HTTP 500": 3 },
      lastError: 'BTCUSDT start: HTTP 500 {"code":-1000,"msg":"An unknown error occurred while processing the request."}',
    });
    // The release was the warm start ending, not a bound of the hold.
    expect(live.backfill.releasedEarly).toEqual({});
    expect(venue.sent.klines).toBe(3);
    expect(h.engine.BTCUSDT.sources["binance:backfill"]).toBeUndefined();
    expect(h.engine.BTCUSDT.events.bar).toBe(0);

    const cards = await eventually(async () => {
      const { status, body } = await getJson(`${stack.base}/v1/symbols/BTCUSDT/cards`);
      return status === 200 ? body : undefined;
    }, 20_000, "BTCUSDT's first cycle");
    const pressure = cards.cards.find((c: any) => c.id === "flow.pressure");
    expect(pressure.timeframes["1h"]).toMatchObject({ available: false, reason: expect.stringMatching(/^warming up: [0-2] of 60 minutes of bars$/) });
  });
});
