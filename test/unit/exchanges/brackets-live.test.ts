/**
 * Live maintenance-margin tiers (src/exchanges/brackets-live.ts) on the venues' documented example
 * answers and on answers recorded from the venues (data/recorded/SOURCES.md, "Maintenance-margin
 * tier answers"): exact brackets, the unit decision for Bybit's rates, and refusals naming the field.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { BYBIT_BRACKETS, liveBracketSource, OKX_BRACKETS, parseBybitRiskLimit, parseOkxPositionTiers } from "../../../src/exchanges/brackets-live.js";
import { bracketFor, liquidationPrice, type BracketTable } from "../../../src/domain/liquidation/brackets.js";
import { venueData } from "./helpers.js";

const json = (venue: "bybit" | "okx", name: string): unknown => JSON.parse(readFileSync(venueData(venue, `fixtures/${name}`), "utf8"));
const AT = Date.UTC(2026, 11, 1, 10, 0, 0);
const ISO = "2026-12-01T10:00:00.000Z";
const BYBIT_CTX = { fetchedAtMs: AT, endpoint: "/v5/market/risk-limit?category=linear&symbol=BTCUSDT" };
const PRICES: Record<string, number> = { BTCUSDT: 100_000, ETHUSDT: 4_000 };
const OKX_CTX = { fetchedAtMs: AT, endpoint: "/api/v5/public/position-tiers?instType=SWAP&tdMode=isolated&instFamily=BTC-USDT", referencePriceUsd: (s: string) => PRICES[s] };

function tablesOf(result: ReturnType<typeof parseBybitRiskLimit>): BracketTable[] {
  if ("rejected" in result) throw new Error(result.rejected);
  return result.tables;
}

/** LP of a 10,000 USD isolated position at 100,000 with `lev`, under the bracket the table gives it. */
function lp(table: BracketTable, side: "long" | "short", lev: number, notionalUsd = 10_000): number | null {
  const br = bracketFor(table, notionalUsd, lev);
  return liquidationPrice(side, 100_000, lev, br.mmr, br.cumUsd, notionalUsd);
}

describe("Bybit GET /v5/market/risk-limit", () => {
  it("reads the recorded linear answer (fractions, tiers out of order) into a sorted BTCUSDT table", () => {
    const [t, ...rest] = tablesOf(parseBybitRiskLimit(json("bybit", "recorded-testnet-risk-limit-btcusdt.json"), BYBIT_CTX));
    expect(rest).toEqual([]);
    expect(t.id).toBe(`bybit:BTCUSDT:live:${ISO}`);
    expect(t).toMatchObject({ venue: "bybit", symbol: "BTCUSDT", asOf: ISO, assumed: false });
    expect(t.source).toContain("fetched live from Bybit GET /v5/market/risk-limit?category=linear&symbol=BTCUSDT");
    expect(t.source).toContain("maintenanceMargin read as fraction");
    expect(t.source).toContain("cum of 1 tier(s) without mmDeduction derived by continuity");
    expect(t.brackets.map((b) => [b.maxNotionalUsd, b.maxLeverage, b.mmr])).toEqual([
      [300_000, 150, 0.0033],
      [2_000_000, 100, 0.005],
    ]);
    expect(t.brackets[0].cumUsd).toBe(0);
    // cum_2 = 0 + 300,000 · (0.005 − 0.0033) = 510
    expect(t.brackets[1].cumUsd).toBeCloseTo(510, 9);
  });

  it("gives the hand-computed liquidation prices under the recorded tiers", () => {
    const [t] = tablesOf(parseBybitRiskLimit(json("bybit", "recorded-testnet-risk-limit-btcusdt.json"), BYBIT_CTX));
    // tier 1 (mmr 0.33 %, cum 0): 100000·0.99/0.9967 and 100000·1.01/1.0033
    expect(lp(t, "long", 100)).toBeCloseTo(99_327.78, 2);
    expect(lp(t, "short", 100)).toBeCloseTo(100_667.8, 2);
    // 1 M USD at 50× falls in tier 2 (mmr 0.5 %, cum 510): 100000·(1 − 0.02 − 0.00051)/0.995
    expect(lp(t, "long", 50, 1_000_000)).toBeCloseTo(98_441.21, 2);
  });

  it("reads the documentation's percent rates (0.5 beside 100×) as 0.5 %, not 50 %", () => {
    const [t] = tablesOf(parseBybitRiskLimit(json("bybit", "documented-schema-risk-limit-linear-percent.json"), BYBIT_CTX));
    expect(t.brackets).toEqual([{ maxNotionalUsd: 2_000_000, maxLeverage: 100, mmr: 0.005, cumUsd: 0 }]);
    expect(t.source).toContain("maintenanceMargin read as percent");
    // 100000·0.99/0.995
    expect(lp(t, "long", 100)).toBeCloseTo(99_497.49, 2);
  });

  it("refuses the documented example itself: an inverse answer, whose caps are in coins", () => {
    expect(parseBybitRiskLimit(json("bybit", "documented-example-risk-limit-inverse.json"), BYBIT_CTX)).toEqual({
      rejected: 'result.category: must be "linear" (got "inverse"; inverse caps are in coins)',
    });
  });

  it("refuses rates whose unit cannot be told, rows in different units, an error code and a malformed field", () => {
    const row = { id: 1, symbol: "BTCUSDT", riskLimitValue: "2000000", maintenanceMargin: "0.005", initialMargin: "0.01", maxLeverage: "100.00", mmDeduction: "" };
    const answer = (list: unknown[]) => ({ retCode: 0, retMsg: "OK", result: { category: "linear", list } });
    expect(parseBybitRiskLimit(answer([{ ...row, initialMargin: "0.5" }]), BYBIT_CTX)).toEqual({
      rejected: "result.list.0.initialMargin: initialMargin × maxLeverage must be ≈ 1 (fractions) or ≈ 100 (percent), got 0.5 × 100.00",
    });
    expect(parseBybitRiskLimit(answer([row, { ...row, id: 2, riskLimitValue: "3000000", maintenanceMargin: "0.6", initialMargin: "1.2", maxLeverage: "80" }]), BYBIT_CTX)).toEqual({
      rejected: "result.list.1.initialMargin: in percent while earlier rows are in fraction",
    });
    expect(parseBybitRiskLimit(answer([{ ...row, maintenanceMargin: "0.02" }]), BYBIT_CTX)).toEqual({
      rejected: "result.list.0.maintenanceMargin: must not exceed initialMargin (got 0.02 > 0.01)",
    });
    expect(parseBybitRiskLimit(answer([{ ...row, riskLimitValue: "-1" }]), BYBIT_CTX)).toEqual({ rejected: "result.list.0.riskLimitValue: must be a decimal string" });
    expect(parseBybitRiskLimit({ retCode: 10001, retMsg: "params error", result: {} }, BYBIT_CTX)).toMatchObject({ rejected: expect.stringMatching(/^result\.category: /) });
    expect(parseBybitRiskLimit({ retCode: 10001, retMsg: "params error", result: { category: "", list: [row] } }, BYBIT_CTX)).toEqual({
      rejected: "retCode: must be 0 (got 10001: params error)",
    });
    expect(parseBybitRiskLimit(answer([]), BYBIT_CTX)).toEqual({ rejected: "result.list: must hold at least one tier" });
  });

  it("refuses a table that breaks the bracket rules, naming the bracket", () => {
    const row = { symbol: "BTCUSDT", riskLimitValue: "2000000", maintenanceMargin: "0.005", initialMargin: "0.01", maxLeverage: "100", mmDeduction: "" };
    const out = parseBybitRiskLimit({ retCode: 0, result: { category: "linear", list: [row, { ...row }] } }, BYBIT_CTX);
    expect(out).toEqual({ rejected: "BTCUSDT: brackets.1.maxNotionalUsd must be > 2000000 (got 2000000)" });
  });

  it("skips instruments liqflow does not track", () => {
    const row = { symbol: "MERLUSDT", riskLimitValue: "200000", maintenanceMargin: "0.01", initialMargin: "0.02", maxLeverage: "50", mmDeduction: "" };
    expect(parseBybitRiskLimit({ retCode: 0, result: { category: "linear", list: [row] } }, BYBIT_CTX)).toEqual({ tables: [], skipped: ["untracked-symbol:MERLUSDT"] });
  });

  it("asks once per instrument with category=linear", () => {
    expect(liveBracketSource("bybit")).toBe(BYBIT_BRACKETS);
    expect(BYBIT_BRACKETS.targets(["BTCUSDT", "ETHUSDT"])).toEqual(["BTCUSDT", "ETHUSDT"]);
    expect(BYBIT_BRACKETS.url("https://api.bybit.com/", "BTCUSDT")).toBe("https://api.bybit.com/v5/market/risk-limit?category=linear&symbol=BTCUSDT");
    expect(liveBracketSource("binance")).toBeUndefined();
  });
});

describe("OKX GET /api/v5/public/position-tiers", () => {
  it("reads the recorded swap answer (two families, tier 1 each) with caps converted by ctVal", () => {
    const out = parseOkxPositionTiers(json("okx", "recorded-position-tiers-swap-tier1.json"), OKX_CTX);
    const [btc, eth] = tablesOf(out);
    expect(btc).toMatchObject({ id: `okx:BTCUSDT:live:${ISO}`, venue: "okx", symbol: "BTCUSDT", asOf: ISO, assumed: false });
    // 1,000 contracts × 0.01 BTC = 10 BTC; at 100,000 USD = 1,000,000 USD
    expect(btc.brackets).toEqual([{ maxNotionalUsd: 1_000_000, maxLeverage: 100, mmr: 0.004, cumUsd: 0, maxBaseQty: 10 }]);
    // 5,000 contracts × 0.1 ETH = 500 ETH; at 4,000 USD = 2,000,000 USD
    expect(eth.brackets).toEqual([{ maxNotionalUsd: 2_000_000, maxLeverage: 100, mmr: 0.004, cumUsd: 0, maxBaseQty: 500 }]);
    expect(btc.source).toContain("fetched live from OKX GET /api/v5/public/position-tiers?instType=SWAP&tdMode=isolated&instFamily=BTC-USDT");
    expect(btc.source).toContain("cumUsd 0");
    // 100000·0.99/0.996 and 100000·1.01/1.004
    expect(lp(btc, "long", 100)).toBeCloseTo(99_397.59, 2);
    expect(lp(btc, "short", 100)).toBeCloseTo(100_597.61, 2);
  });

  it("sorts tiers by number and keeps the tier's rate for the whole position (no deduction)", () => {
    const [t] = tablesOf(parseOkxPositionTiers(json("okx", "documented-schema-position-tiers-swap-btc.json"), OKX_CTX));
    expect(t.brackets.map((b) => [b.maxBaseQty, b.maxNotionalUsd, b.maxLeverage, b.mmr, b.cumUsd])).toEqual([
      [10, 1_000_000, 100, 0.004, 0],
      [50, 5_000_000, 66.66, 0.005, 0],
      [200, 20_000_000, 50, 0.0075, 0],
    ]);
    // 3 M USD (30 BTC at the reference price: 10 < 30 ≤ 50) at 50× is tier 2, mmr 0.5 %: 100000·0.98/0.995
    expect(lp(t, "long", 50, 3_000_000)).toBeCloseTo(98_492.46, 2);
  });

  it("refuses the documented example: a MARGIN row without a family", () => {
    expect(parseOkxPositionTiers(json("okx", "documented-example-position-tiers.json"), OKX_CTX)).toEqual({
      rejected: 'data.0.instFamily: must name a swap family such as BTC-USDT (got ""; a MARGIN answer?)',
    });
  });

  it("skips a family without a reference price, and one whose contract value is unverified", () => {
    const out = parseOkxPositionTiers(json("okx", "recorded-position-tiers-swap-tier1.json"), { ...OKX_CTX, referencePriceUsd: (s: string) => (s === "ETHUSDT" ? 4_000 : undefined) });
    expect("tables" in out && out.tables.map((t) => t.symbol)).toEqual(["ETHUSDT"]);
    expect("tables" in out && out.skipped).toEqual(["no-reference-price:BTCUSDT"]);
    const wif = { instFamily: "WIF-USDT", tier: "1", maxSz: "100", mmr: "0.01", imr: "0.02", maxLever: "50" };
    expect(parseOkxPositionTiers({ code: "0", msg: "", data: [wif] }, OKX_CTX)).toEqual({ tables: [], skipped: ["unverified-instrument-facts:WIF-USDT-SWAP"] });
  });

  it("refuses an error answer, a malformed field and a rate that is not a fraction", () => {
    expect(parseOkxPositionTiers({ code: "51000", data: [], msg: "Parameter instFamily error" }, OKX_CTX)).toEqual({ rejected: "data: must hold at least one tier" });
    const row = { instFamily: "BTC-USDT", tier: "1", maxSz: "1000", mmr: "0.004", imr: "0.01", maxLever: "100" };
    expect(parseOkxPositionTiers({ code: "51000", data: [row], msg: "Parameter instFamily error" }, OKX_CTX)).toEqual({
      rejected: 'code: must be "0" (got "51000": Parameter instFamily error)',
    });
    expect(parseOkxPositionTiers({ code: "0", data: [{ ...row, maxSz: "" }] }, OKX_CTX)).toEqual({ rejected: "data.0.maxSz: must be a decimal string" });
    expect(parseOkxPositionTiers({ code: "0", data: [{ ...row, imr: "1" }] }, OKX_CTX)).toEqual({ rejected: "data.0.imr: imr × maxLever must be ≈ 1 (fractions), got 1 × 100" });
  });

  it("asks once per instrument family, isolated tiers", () => {
    expect(OKX_BRACKETS.targets(["BTC-USDT-SWAP", "ETH-USDT-SWAP"])).toEqual(["BTC-USDT", "ETH-USDT"]);
    expect(OKX_BRACKETS.symbolOf("BTC-USDT")).toBe("BTCUSDT");
    expect(OKX_BRACKETS.url("https://www.okx.com", "BTC-USDT")).toBe("https://www.okx.com/api/v5/public/position-tiers?instType=SWAP&tdMode=isolated&instFamily=BTC-USDT");
  });
});
