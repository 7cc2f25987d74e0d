/**
 * The live feed's REST poll path (`rest-poll.ts`) against a local HTTP server that serves the
 * venues' documented insurance-fund example responses: which requests are due when, and what
 * each answer becomes.
 */
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getConnectionSpec } from "../../../src/exchanges/connections.js";
import { getMapper } from "../../../src/exchanges/registry.js";
import { dueRequests, fetchAndMap, planPolls } from "../../../workers/collector/src/rest-poll.js";
import { venueData } from "../exchanges/helpers.js";

const FIXTURES: Record<string, string> = {
  "/v5/market/insurance": venueData("bybit", "fixtures/documented-example-insurance.json"),
  "/api/v5/public/insurance-fund": venueData("okx", "fixtures/documented-schema-insurance-fund-swap.json"),
  "/fapi/v1/insuranceBalance": venueData("binance", "fixtures/documented-example-insurance-balance-all.json"),
};

let server: Server;
let base: string;
const seen: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push(req.url ?? "");
    const path = (req.url ?? "").split("?")[0];
    if (path === "/limited") {
      res.writeHead(429, { "Retry-After": "7" }).end("slow down");
      return;
    }
    if (path === "/garbage") {
      res.writeHead(200, { "Content-Type": "text/plain" }).end("<html>");
      return;
    }
    const file = FIXTURES[path];
    if (file === undefined) {
      res.writeHead(404).end("not found");
      return;
    }
    res.writeHead(200, { "Content-Type": "application/json" }).end(readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe("insurance polls", () => {
  it("asks Bybit once per period for every USDT pool, at the configured period", () => {
    const polls = planPolls(getConnectionSpec("bybit"), ["BTCUSDT", "SOLUSDT", "WIFUSDT"], 1_000, { insuranceEveryMs: 120_000 });
    expect(dueRequests(polls, base, 1_000)).toEqual([{ name: "insurance", url: `${base}/v5/market/insurance?coin=USDT` }]);
    expect(dueRequests(polls, base, 120_999)).toEqual([]);
    expect(dueRequests(polls, base, 121_000)).toEqual([{ name: "insurance", url: `${base}/v5/market/insurance?coin=USDT` }]);
  });

  it("spreads OKX's per-family requests over the default minute, and leaves Binance's open-interest period alone", () => {
    const okx = planPolls(getConnectionSpec("okx"), ["BTC-USDT-SWAP", "ETH-USDT-SWAP"], 0);
    expect(dueRequests(okx, base, 0).map((r) => r.url)).toEqual([`${base}/api/v5/public/insurance-fund?instType=SWAP&instFamily=BTC-USDT`]);
    expect(dueRequests(okx, base, 30_000).map((r) => r.url)).toEqual([`${base}/api/v5/public/insurance-fund?instType=SWAP&instFamily=ETH-USDT`]);
    const binance = planPolls(getConnectionSpec("binance"), ["BTCUSDT"], 0, { insuranceEveryMs: 300_000 });
    expect(binance.map((p) => [p.poll.name, p.schedule.everyMs])).toEqual([
      ["openInterest", 30_000],
      ["insurance", 300_000],
    ]);
  });

  it("fetches each venue's answer from the server and maps it to insurance events", async () => {
    const requests = [
      ...dueRequests(planPolls(getConnectionSpec("bybit"), ["SOLUSDT"], 0), base, 0).map((r) => ["bybit", r.url] as const),
      ...dueRequests(planPolls(getConnectionSpec("okx"), ["BTC-USDT-SWAP"], 0), base, 0).map((r) => ["okx", r.url] as const),
      ...dueRequests(planPolls(getConnectionSpec("binance"), ["XRPUSDT"], 0), base, 0)
        .filter((r) => r.name === "insurance")
        .map((r) => ["binance", r.url] as const),
    ];
    const got: string[] = [];
    for (const [venue, url] of requests) {
      const out = await fetchAndMap(url, getMapper(venue), { timeoutMs: 5_000, now: () => 42 });
      if (out.kind !== "mapped") throw new Error(`${venue}: ${out.kind}`);
      expect(out.recvMs).toBe(42);
      for (const e of out.result.events) {
        if (e.kind !== "insurance") throw new Error(`not an insurance event: ${e.kind}`);
        got.push(`${e.venue} ${e.symbol} ${e.ts} ${e.balanceUsd} ${e.poolId} ${e.recvTs}`);
      }
    }
    expect(got).toEqual([
      "bybit SOLUSDT 1714003200000 14449.515598975464 USDT:3:68c17699 42",
      "bybit WIFUSDT 1714003200000 9998.896846613574 USDT:2:e9828e96 42",
      "okx BTCUSDT 1704883083000 41829871.3318 SWAP:BTC-USDT 42",
      ...["ADAUSDT", "BCHUSDT", "DOTUSDT", "LINKUSDT", "LTCUSDT", "TRXUSDT", "XRPUSDT"].map((s) => `binance ${s} 1745366402000 314151411.06482935 USDT:11:7bd5fd9b 42`),
    ]);
    expect(seen).toEqual(expect.arrayContaining(["/v5/market/insurance?coin=USDT", "/api/v5/public/insurance-fund?instType=SWAP&instFamily=BTC-USDT", "/fapi/v1/insuranceBalance"]));
  });

  it("reports an HTTP error, a rate limit with its pause, and an answer that is not JSON", async () => {
    const mapper = getMapper("bybit");
    expect(await fetchAndMap(`${base}/nothing`, mapper, { timeoutMs: 5_000, now: () => 1_000 })).toEqual({ kind: "failed", error: "HTTP 404 not found" });
    expect(await fetchAndMap(`${base}/limited`, mapper, { timeoutMs: 5_000, now: () => 1_000 })).toEqual({ kind: "failed", error: "HTTP 429 slow down", pauseUntilMs: 8_000 });
    expect(await fetchAndMap(`${base}/garbage`, mapper, { timeoutMs: 5_000, now: () => 1_000 })).toEqual({ kind: "not-json", body: "<html>", recvMs: 1_000 });
    const refused = await fetchAndMap("http://127.0.0.1:1/v5/market/insurance", mapper, { timeoutMs: 5_000 });
    expect(refused.kind).toBe("failed");
  });
});
