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
import { BYBIT_BRACKETS, OKX_BRACKETS } from "../../../src/exchanges/brackets-live.js";
import { dueRequests, fetchAndMap, fetchBrackets, planBracketPolls, planPolls } from "../../../workers/collector/src/rest-poll.js";
import { venueData } from "../exchanges/helpers.js";

const FIXTURES: Record<string, string> = {
  "/v5/market/insurance": venueData("bybit", "fixtures/documented-example-insurance.json"),
  "/api/v5/public/insurance-fund": venueData("okx", "fixtures/documented-schema-insurance-fund-swap.json"),
  "/fapi/v1/insuranceBalance": venueData("binance", "fixtures/documented-example-insurance-balance-all.json"),
  "/v5/market/risk-limit": venueData("bybit", "fixtures/recorded-testnet-risk-limit-btcusdt.json"),
  "/api/v5/public/position-tiers": venueData("okx", "fixtures/recorded-position-tiers-swap-tier1.json"),
  "/refused/v5/market/risk-limit": venueData("bybit", "fixtures/documented-example-risk-limit-inverse.json"),
};

let server: Server;
let base: string;
const seen: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push(req.url ?? "");
    const path = (req.url ?? "").split("?")[0];
    if (path === "/limited" || path.startsWith("/limited/")) {
      res.writeHead(429, { "Retry-After": "7" }).end("slow down");
      return;
    }
    if (path === "/garbage" || path.startsWith("/garbage/")) {
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

describe("maintenance-margin tier polls", () => {
  const HOUR = 3_600_000;
  const AT = Date.UTC(2026, 11, 1, 10, 0, 0);

  it("ask every instrument in a first round spread over a minute, then once per period each", () => {
    const bybit = planBracketPolls(BYBIT_BRACKETS, ["BTCUSDT", "ETHUSDT", "SOLUSDT"], 0, HOUR);
    expect(bybit.due(0)).toEqual(["BTCUSDT"]);
    expect(bybit.due(19_999)).toEqual([]);
    expect(bybit.due(20_000)).toEqual(["ETHUSDT"]);
    expect(bybit.due(40_000)).toEqual(["SOLUSDT"]);
    expect(bybit.due(HOUR - 1)).toEqual([]);
    expect(bybit.due(HOUR)).toEqual(["BTCUSDT"]);
    const okx = planBracketPolls(OKX_BRACKETS, ["BTC-USDT-SWAP", "ETH-USDT-SWAP"], 0, HOUR);
    expect(okx.due(30_000)).toEqual(["BTC-USDT", "ETH-USDT"]);
    // a request that had to wait (no price yet for OKX) is due again when asked
    okx.retryAt("BTC-USDT", 40_000);
    expect(okx.due(40_000)).toEqual(["BTC-USDT"]);
  });

  it("fetch Bybit's and OKX's tiers from the server into tables dated by the answer", async () => {
    const bybit = await fetchBrackets(BYBIT_BRACKETS, base, "BTCUSDT", { timeoutMs: 5_000, now: () => AT });
    if (bybit.kind !== "parsed" || "rejected" in bybit.result) throw new Error(JSON.stringify(bybit));
    expect(bybit.result.tables.map((t) => [t.id, t.brackets.length, t.brackets[0].mmr])).toEqual([["bybit:BTCUSDT:live:2026-12-01T10:00:00.000Z", 2, 0.0033]]);
    expect(bybit.result.tables[0].source).toContain("GET /v5/market/risk-limit?category=linear&symbol=BTCUSDT at 2026-12-01T10:00:00.000Z");
    const okx = await fetchBrackets(OKX_BRACKETS, base, "BTC-USDT", { timeoutMs: 5_000, now: () => AT, referencePriceUsd: (s) => (s === "BTCUSDT" ? 90_000 : undefined) });
    if (okx.kind !== "parsed" || "rejected" in okx.result) throw new Error(JSON.stringify(okx));
    // the recorded answer holds ETH-USDT too; no ETH price was given, so it is skipped
    expect(okx.result.tables.map((t) => [t.symbol, t.brackets[0].maxBaseQty, t.brackets[0].maxNotionalUsd])).toEqual([["BTCUSDT", 10, 900_000]]);
    expect(okx.result.skipped).toEqual(["no-reference-price:ETHUSDT"]);
    expect(seen).toEqual(
      expect.arrayContaining(["/v5/market/risk-limit?category=linear&symbol=BTCUSDT", "/api/v5/public/position-tiers?instType=SWAP&tdMode=isolated&instFamily=BTC-USDT"]),
    );
  });

  it("report a refused answer, a rate limit with its pause, an answer that is not JSON and a network failure", async () => {
    const refused = await fetchBrackets(BYBIT_BRACKETS, `${base}/refused`, "BTCUSDT", { timeoutMs: 5_000, now: () => 1_000 });
    expect(refused.kind === "parsed" && refused.result).toEqual({ rejected: 'result.category: must be "linear" (got "inverse"; inverse caps are in coins)' });
    expect(await fetchBrackets(BYBIT_BRACKETS, `${base}/limited`, "BTCUSDT", { timeoutMs: 5_000, now: () => 1_000 })).toEqual({ kind: "failed", error: "HTTP 429 slow down", pauseUntilMs: 8_000 });
    expect(await fetchBrackets(BYBIT_BRACKETS, `${base}/garbage`, "BTCUSDT", { timeoutMs: 5_000, now: () => 1_000 })).toEqual({ kind: "not-json", body: "<html>", recvMs: 1_000 });
    expect((await fetchBrackets(OKX_BRACKETS, "http://127.0.0.1:1", "BTC-USDT", { timeoutMs: 5_000 })).kind).toBe("failed");
  });
});
