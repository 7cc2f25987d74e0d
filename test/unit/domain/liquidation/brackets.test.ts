import { describe, expect, it } from "vitest";
import {
  BINANCE_1000PEPEUSDT,
  BINANCE_ADAUSDT,
  BINANCE_AVAXUSDT,
  BINANCE_BNBUSDT,
  BINANCE_BTCUSDT,
  BINANCE_DOGEUSDT,
  BINANCE_DOTUSDT,
  BINANCE_ETHUSDT,
  BINANCE_LINKUSDT,
  BINANCE_LTCUSDT,
  BINANCE_SOLUSDT,
  BINANCE_XRPUSDT,
  BINANCE_TRXUSDT,
  BINANCE_BCHUSDT,
  BINANCE_SUIUSDT,
  BINANCE_NEARUSDT,
  BINANCE_APTUSDT,
  BINANCE_ARBUSDT,
  BINANCE_OPUSDT,
  BINANCE_WIFUSDT,
  BYBIT_BTCUSDT,
  DEFAULT_BRACKET_TABLES,
  FALLBACK_TABLE,
  OKX_BTCUSDT,
  OKX_BTC_REFERENCE_PRICE,
  OKX_ETHUSDT,
  HYPERLIQUID_TABLES,
} from "../../../../src/domain/liquidation/brackets-data.js";
import {
  bracketFor,
  bracketTableProblems,
  liquidationPrice,
  resolveTable,
  type BracketTable,
} from "../../../../src/domain/liquidation/brackets.js";
import { SYMBOLS } from "../../../../src/domain/symbols.js";
import { parseEngineConfig } from "../../../../src/domain/config.js";

describe("liquidation price under maintenance brackets", () => {
  it("puts a 100x BTC long at P = 100,000 (tier 1, mmr 0.4 %, cum 0) at 99,397.59, not 99,000", () => {
    // 100000 · (1 − 1/100 − 0/N) / (1 − 0.004) = 99000 / 0.996
    const lp = liquidationPrice("long", 100_000, 100, 0.004, 0, 10_000);
    expect(lp).toBeCloseTo(99_397.59, 2);
    expect(lp).toBe((100_000 * 0.99) / 0.996);
  });

  it("puts the matching 100x short at 100,597.61", () => {
    // 100000 · (1 + 1/100) / (1 + 0.004) = 101000 / 1.004
    const lp = liquidationPrice("short", 100_000, 100, 0.004, 0, 10_000);
    expect(lp).toBeCloseTo(100_597.61, 2);
  });

  it("moves the price by cum/N in a higher bracket (Binance BTCUSDT bracket 3: mmr 0.65 %, cum 1,500)", () => {
    // N = 1,000,000 (bracket 3: 800k..3M), L = 50, P = 100,000:
    // long  = 100000 · (1 − 0.02 − 1500/1e6) / (1 − 0.0065) = 97850 / 0.9935 = 98,490.19
    // short = 100000 · (1 + 0.02 + 0.0015) / (1 + 0.0065) = 102150 / 1.0065 = 101,490.31
    const br = bracketFor(BINANCE_BTCUSDT, 1_000_000, 50);
    expect(br).toEqual({ maxNotionalUsd: 3_000_000, maxLeverage: 75, mmr: 0.0065, cumUsd: 1_500 });
    expect(liquidationPrice("long", 100_000, 50, br.mmr, br.cumUsd, 1_000_000)).toBeCloseTo(98_490.19, 2);
    expect(liquidationPrice("short", 100_000, 50, br.mmr, br.cumUsd, 1_000_000)).toBeCloseTo(101_490.31, 2);
    // Without the maintenance amount the long would sit 1,500/1e6 · P / 0.9935 ≈ 150.98 higher.
    expect(liquidationPrice("long", 100_000, 50, 0.0065, 0, 1_000_000)! - 98_490.19).toBeCloseTo(150.98, 1);
  });

  it("equals the maintenance condition: equity at LP = mmr · Q · LP − cum", () => {
    for (const [side, L, mmr, cum, N] of [
      ["long", 20, 0.01, 12_000, 5_000_000],
      ["short", 20, 0.01, 12_000, 5_000_000],
      ["long", 3, 0.15, 41_482_000, 700_000_000],
    ] as const) {
      const P = 64_000;
      const lp = liquidationPrice(side, P, L, mmr, cum, N) as number;
      const Q = N / P;
      const pnl = side === "long" ? Q * (lp - P) : Q * (P - lp);
      expect(N / L + pnl).toBeCloseTo(mmr * Q * lp - cum, 4);
    }
  });

  it("gives no liquidation price to a 1x long (the formula reaches 0 or below)", () => {
    expect(liquidationPrice("long", 100_000, 1, 0.004, 0, 10_000)).toBeNull();
    expect(liquidationPrice("long", 100_000, 1, 0.5, 421_482_000, 1_500_000_000)).toBeNull();
    expect(liquidationPrice("short", 100_000, 1, 0.004, 0, 10_000)).toBeCloseTo(200_000 / 1.004, 6);
  });
});

describe("bracket tables", () => {
  it("ship with cum continuous across brackets: cum_n = cum_(n−1) + cap_(n−1) · (mmr_n − mmr_(n−1)) (OKX: no deduction, cum 0)", () => {
    for (const table of DEFAULT_BRACKET_TABLES) {
      expect(bracketTableProblems(table)).toEqual([]);
      for (let i = 1; i < table.brackets.length; i++) {
        const prev = table.brackets[i - 1];
        const cur = table.brackets[i];
        // OKX applies the tier's mmr to the whole position, so its margin jumps at a boundary.
        const expected = table.venue === "okx" ? 0 : prev.cumUsd + (prev.maxNotionalUsd as number) * (cur.mmr - prev.mmr);
        expect(cur.cumUsd).toBeCloseTo(expected, 2);
      }
      expect(table.source.length).toBeGreaterThan(40);
      expect(table.asOf).toMatch(/^\d{4}/);
      expect(table.assumed).toBe(false);
    }
    expect(FALLBACK_TABLE.assumed).toBe(true);
  });

  it("ships the Binance ETHUSDT and BNBUSDT tables, each continuous, with their source and commit", () => {
    for (const table of [BINANCE_ETHUSDT, BINANCE_BNBUSDT]) {
      expect(DEFAULT_BRACKET_TABLES).toContain(table);
      expect(bracketTableProblems(table)).toEqual([]);
      for (let i = 1; i < table.brackets.length; i++) {
        const prev = table.brackets[i - 1];
        const cur = table.brackets[i];
        expect(cur.cumUsd).toBeCloseTo(prev.cumUsd + (prev.maxNotionalUsd as number) * (cur.mmr - prev.mmr), 2);
      }
      expect(table.source).toContain("01d10aebcab25c526473c603a88e14eb7d9699cc");
      expect(table.assumed).toBe(false);
    }
    expect(BINANCE_ETHUSDT.brackets).toHaveLength(12);
    expect(BINANCE_BNBUSDT.brackets).toHaveLength(10);
  });

  it("gives the hand-computed LP for Binance ETHUSDT bracket 1 (mmr 0.4 %, cum 0): P = 3,000, 20x", () => {
    // N = 10,000 ≤ 50,000 → bracket 1.
    // long  = 3000 · (1 − 1/20 − 0) / (1 − 0.004) = 2850 / 0.996 = 2,861.45
    // short = 3000 · (1 + 1/20 + 0) / (1 + 0.004) = 3150 / 1.004 = 3,137.45
    const br = bracketFor(BINANCE_ETHUSDT, 10_000, 20);
    expect(br).toEqual({ maxNotionalUsd: 50_000, maxLeverage: 125, mmr: 0.004, cumUsd: 0 });
    expect(liquidationPrice("long", 3_000, 20, br.mmr, br.cumUsd, 10_000)).toBeCloseTo(2_861.45, 2);
    expect(liquidationPrice("short", 3_000, 20, br.mmr, br.cumUsd, 10_000)).toBeCloseTo(3_137.45, 2);
  });

  it("gives the hand-computed LP for Binance BNBUSDT bracket 3 (mmr 1 %, cum 210): P = 600, 20x, N = 100,000", () => {
    // N = 100,000 in (50,000, 200,000] → bracket 3, max 40x.
    // long  = 600 · (1 − 0.05 − 210/100000) / (1 − 0.01) = 600 · 0.9479 / 0.99 = 574.48
    // short = 600 · (1 + 0.05 + 0.0021) / (1 + 0.01)     = 600 · 1.0521 / 1.01 = 625.01
    const br = bracketFor(BINANCE_BNBUSDT, 100_000, 20);
    expect(br).toEqual({ maxNotionalUsd: 200_000, maxLeverage: 40, mmr: 0.01, cumUsd: 210 });
    expect(liquidationPrice("long", 600, 20, br.mmr, br.cumUsd, 100_000)).toBeCloseTo(574.48, 2);
    expect(liquidationPrice("short", 600, 20, br.mmr, br.cumUsd, 100_000)).toBeCloseTo(625.01, 2);
  });

  it("ships the 2024-Q3 Binance tables for SOL, XRP, DOGE, ADA, AVAX, LINK, LTC, DOT and 1000PEPE, each continuous, with their source key", () => {
    const expected: [BracketTable, string, number, number, number][] = [
      // table, freqtrade key, brackets, first cap, first max leverage
      [BINANCE_SOLUSDT, "SOL/USDT:USDT", 10, 20_000, 100],
      [BINANCE_XRPUSDT, "XRP/USDT:USDT", 10, 10_000, 75],
      [BINANCE_DOGEUSDT, "DOGE/USDT:USDT", 10, 10_000, 75],
      [BINANCE_ADAUSDT, "ADA/USDT:USDT", 10, 5_000, 75],
      [BINANCE_AVAXUSDT, "AVAX/USDT:USDT", 10, 5_000, 75],
      [BINANCE_LINKUSDT, "LINK/USDT:USDT", 10, 5_000, 75],
      [BINANCE_LTCUSDT, "LTC/USDT:USDT", 10, 5_000, 75],
      [BINANCE_DOTUSDT, "DOT/USDT:USDT", 9, 10_000, 75],
      [BINANCE_1000PEPEUSDT, "1000PEPE/USDT:USDT", 9, 20_000, 75],
    ];
    for (const [table, key, n, firstCap, firstLev] of expected) {
      expect(DEFAULT_BRACKET_TABLES).toContain(table);
      expect(table.id).toBe(`binance:${table.symbol}:2024-q3`);
      expect(resolveTable([], "binance", table.symbol)).toBe(table);
      expect(bracketTableProblems(table)).toEqual([]);
      expect(table.brackets).toHaveLength(n);
      expect(table.brackets[0]).toEqual({ maxNotionalUsd: firstCap, maxLeverage: firstLev, mmr: table.brackets[0].mmr, cumUsd: 0 });
      expect(table.brackets.at(-1)!.mmr).toBe(0.5);
      expect(table.brackets.at(-1)!.maxLeverage).toBe(1);
      for (let i = 1; i < table.brackets.length; i++) {
        const prev = table.brackets[i - 1];
        const cur = table.brackets[i];
        expect(cur.cumUsd).toBeCloseTo(prev.cumUsd + (prev.maxNotionalUsd as number) * (cur.mmr - prev.mmr), 2);
        expect(cur.maxLeverage).toBeLessThan(prev.maxLeverage);
      }
      expect(table.source).toContain("01d10aebcab25c526473c603a88e14eb7d9699cc");
      expect(table.source).toContain(`key "${key}"`);
      expect(table.assumed).toBe(false);
    }
  });

  it("gives the hand-computed LP for Binance SOLUSDT bracket 2 (mmr 0.65 %, cum 30): P = 150, 50x, N = 50,000", () => {
    // N = 50,000 in (20,000, 100,000] → bracket 2, max 75x.
    // long  = 150 · (1 − 0.02 − 30/50000) / (1 − 0.0065) = 150 · 0.9794 / 0.9935 = 146.91 / 0.9935 = 147.87
    // short = 150 · (1 + 0.02 + 0.0006) / (1 + 0.0065)    = 150 · 1.0206 / 1.0065 = 153.09 / 1.0065 = 152.10
    const br = bracketFor(BINANCE_SOLUSDT, 50_000, 50);
    expect(br).toEqual({ maxNotionalUsd: 100_000, maxLeverage: 75, mmr: 0.0065, cumUsd: 30 });
    expect(liquidationPrice("long", 150, 50, br.mmr, br.cumUsd, 50_000)).toBeCloseTo(147.87, 2);
    expect(liquidationPrice("short", 150, 50, br.mmr, br.cumUsd, 50_000)).toBeCloseTo(152.1, 2);
    // 100x is beyond bracket 2 (75x): the largest bracket allowing it is bracket 1 (mmr 0.5 %, cum 0).
    expect(bracketFor(BINANCE_SOLUSDT, 50_000, 100)).toBe(BINANCE_SOLUSDT.brackets[0]);
  });

  it("ships the 2024-Q3 Binance tables for TRX, BCH, SUI, NEAR, APT, ARB, OP and WIF, each continuous with ascending caps, with their source key", () => {
    const expected: [BracketTable, string, number, number, number, number][] = [
      // table, freqtrade key, brackets, first cap, first max leverage, first mmr
      [BINANCE_TRXUSDT, "TRX/USDT:USDT", 9, 10_000, 75, 0.0065],
      [BINANCE_BCHUSDT, "BCH/USDT:USDT", 10, 5_000, 75, 0.005],
      [BINANCE_SUIUSDT, "SUI/USDT:USDT", 8, 5_000, 50, 0.01],
      [BINANCE_NEARUSDT, "NEAR/USDT:USDT", 8, 10_000, 50, 0.015],
      [BINANCE_APTUSDT, "APT/USDT:USDT", 8, 5_000, 50, 0.01],
      [BINANCE_ARBUSDT, "ARB/USDT:USDT", 8, 5_000, 50, 0.006],
      [BINANCE_OPUSDT, "OP/USDT:USDT", 8, 10_000, 50, 0.006],
      [BINANCE_WIFUSDT, "WIF/USDT:USDT", 9, 10_000, 75, 0.01],
    ];
    for (const [table, key, n, firstCap, firstLev, firstMmr] of expected) {
      expect(DEFAULT_BRACKET_TABLES).toContain(table);
      expect(table.id).toBe(`binance:${table.symbol}:2024-q3`);
      expect(resolveTable([], "binance", table.symbol)).toBe(table);
      expect(bracketTableProblems(table)).toEqual([]);
      expect(table.brackets).toHaveLength(n);
      expect(table.brackets[0]).toEqual({ maxNotionalUsd: firstCap, maxLeverage: firstLev, mmr: firstMmr, cumUsd: 0 });
      expect(table.brackets.at(-1)!.mmr).toBe(0.5);
      expect(table.brackets.at(-1)!.maxLeverage).toBe(1);
      for (let i = 1; i < table.brackets.length; i++) {
        const prev = table.brackets[i - 1];
        const cur = table.brackets[i];
        expect(cur.maxNotionalUsd as number).toBeGreaterThan(prev.maxNotionalUsd as number);
        expect(cur.mmr).toBeGreaterThan(prev.mmr);
        expect(cur.cumUsd).toBeCloseTo(prev.cumUsd + (prev.maxNotionalUsd as number) * (cur.mmr - prev.mmr), 2);
        expect(cur.maxLeverage).toBeLessThan(prev.maxLeverage);
      }
      expect(table.source).toContain("01d10aebcab25c526473c603a88e14eb7d9699cc");
      expect(table.source).toContain(`key "${key}"`);
      expect(table.assumed).toBe(false);
    }
  });

  it("gives the hand-computed LP for Binance TRXUSDT bracket 2 (mmr 1 %, cum 35): P = 0.25, 40x, N = 50,000", () => {
    // N = 50,000 in (10,000, 90,000] → bracket 2, max 50x.
    // long  = 0.25 · (1 − 0.025 − 35/50000) / (1 − 0.01) = 0.25 · 0.9743 / 0.99 = 0.243575 / 0.99 = 0.24603535
    // short = 0.25 · (1 + 0.025 + 0.0007) / (1 + 0.01)   = 0.25 · 1.0257 / 1.01 = 0.256425 / 1.01 = 0.25388614
    const br = bracketFor(BINANCE_TRXUSDT, 50_000, 40);
    expect(br).toEqual({ maxNotionalUsd: 90_000, maxLeverage: 50, mmr: 0.01, cumUsd: 35 });
    expect(liquidationPrice("long", 0.25, 40, br.mmr, br.cumUsd, 50_000)).toBeCloseTo(0.24603535, 8);
    expect(liquidationPrice("short", 0.25, 40, br.mmr, br.cumUsd, 50_000)).toBeCloseTo(0.25388614, 8);
  });

  it("ships OKX BTCUSDT: 99 isolated tiers in BTC, caps ascending in BTC and in USD at the reference price, cum 0", () => {
    const t = OKX_BTCUSDT;
    expect(DEFAULT_BRACKET_TABLES).toContain(t);
    expect(t.venue).toBe("okx");
    expect(t.assumed).toBe(false);
    expect(t.asOf).toBe("2026-09-18");
    expect(t.source).toContain("57a7fa5ae692136e26ef445345472184277844ee");
    expect(t.source).toContain("134941fcbd7bf09f5d15157063af682bbcbe0a81");
    expect(bracketTableProblems(t)).toEqual([]);
    expect(t.brackets).toHaveLength(99);
    // The raw rows 1–3 of the source: maxSz 1000 / 5000 / 20000 contracts × ctVal 0.01 BTC.
    expect(t.brackets.slice(0, 3).map((br) => [br.maxBaseQty, br.maxLeverage, br.mmr])).toEqual([
      [10, 100, 0.004],
      [50, 66.66, 0.005],
      [200, 50, 0.0075],
    ]);
    expect(t.brackets.at(-1)).toMatchObject({ maxBaseQty: 19_400, maxLeverage: 2, mmr: 0.4875 });
    for (let i = 0; i < t.brackets.length; i++) {
      const br = t.brackets[i];
      expect(br.cumUsd).toBe(0);
      expect(br.maxNotionalUsd).toBe((br.maxBaseQty as number) * OKX_BTC_REFERENCE_PRICE);
      if (i === 0) continue;
      const prev = t.brackets[i - 1];
      expect(br.maxBaseQty as number).toBeGreaterThan(prev.maxBaseQty as number);
      expect(br.maxNotionalUsd as number).toBeGreaterThan(prev.maxNotionalUsd as number);
      expect(br.mmr).toBeGreaterThan(prev.mmr);
      expect(br.maxLeverage).toBeLessThan(prev.maxLeverage);
    }
    // From tier 4 on, OKX steps 200 BTC and 0.5 % per tier.
    for (let i = 4; i < t.brackets.length; i++) {
      expect((t.brackets[i].maxBaseQty as number) - (t.brackets[i - 1].maxBaseQty as number)).toBe(200);
      expect(t.brackets[i].mmr - t.brackets[i - 1].mmr).toBeCloseTo(0.005, 10);
    }
  });

  it("gives the hand-computed LP for OKX BTCUSDT tier 3 (50–200 BTC, mmr 0.75 %, no deduction): P = 100,000, 50x, 100 BTC", () => {
    // N = 10,000,000 at P = 100,000 is 100 BTC → tier 3 (max 50x); OKX maintenance = N · 0.0075, cum 0.
    // long  = 100000 · (1 − 1/50) / (1 − 0.0075) = 98000 / 0.9925  = 98,740.55
    // short = 100000 · (1 + 1/50) / (1 + 0.0075) = 102000 / 1.0075 = 101,240.69
    const br = bracketFor(OKX_BTCUSDT, 10_000_000, 50, 100_000);
    expect(br).toBe(OKX_BTCUSDT.brackets[2]);
    expect(br).toMatchObject({ maxBaseQty: 200, maxLeverage: 50, mmr: 0.0075, cumUsd: 0 });
    expect(liquidationPrice("long", 100_000, 50, br.mmr, br.cumUsd, 10_000_000)).toBeCloseTo(98_740.55, 2);
    expect(liquidationPrice("short", 100_000, 50, br.mmr, br.cumUsd, 10_000_000)).toBeCloseTo(101_240.69, 2);
    // Tier 1 at 100x is the same number as Binance's 0.4 % tier: 100000 · 0.99 / 0.996.
    const t1 = bracketFor(OKX_BTCUSDT, 10_000, 100, 100_000);
    expect(t1).toBe(OKX_BTCUSDT.brackets[0]);
    expect(liquidationPrice("long", 100_000, 100, t1.mmr, t1.cumUsd, 10_000)).toBeCloseTo(99_397.59, 2);
  });

  it("picks OKX tiers by base quantity when given the price, else by the USD cap at the reference price", () => {
    // 5,000,000 USD at P = 100,000 is exactly 50 BTC: tier 2 (≤ 50 BTC) as OKX counts it.
    expect(bracketFor(OKX_BTCUSDT, 5_000_000, 20, 100_000)).toBe(OKX_BTCUSDT.brackets[1]);
    // Without a price the cap is 50 BTC × 83,679.8 = 4,183,990 USD, so 5,000,000 USD falls in tier 3.
    expect(OKX_BTCUSDT.brackets[1].maxNotionalUsd).toBeCloseTo(4_183_990, 6);
    expect(bracketFor(OKX_BTCUSDT, 5_000_000, 20)).toBe(OKX_BTCUSDT.brackets[2]);
    // A price on a table without base caps changes nothing.
    expect(bracketFor(BINANCE_BTCUSDT, 1_000_000, 50, 100_000)).toBe(bracketFor(BINANCE_BTCUSDT, 1_000_000, 50));
    // Beyond the last cap, the last tier applies either way.
    expect(bracketFor(OKX_BTCUSDT, 1e12, 1, 100_000)).toBe(OKX_BTCUSDT.brackets.at(-1));
    expect(bracketTableProblems({ ...OKX_ETHUSDT, brackets: [{ maxNotionalUsd: 10, maxLeverage: 10, mmr: 0.01, cumUsd: 0, maxBaseQty: 5 }, { maxNotionalUsd: 20, maxLeverage: 5, mmr: 0.02, cumUsd: 0, maxBaseQty: 4 }] })).toEqual([
      "brackets.1.maxBaseQty must be > 5 (got 4)",
    ]);
  });

  it("ships OKX ETHUSDT tier 1 only (500 ETH, mmr 0.4 %, 100x, cum 0) and gives its hand-computed LP: P = 3,000, 20x", () => {
    expect(DEFAULT_BRACKET_TABLES).toContain(OKX_ETHUSDT);
    expect(bracketTableProblems(OKX_ETHUSDT)).toEqual([]);
    expect(OKX_ETHUSDT.brackets).toEqual([{ maxNotionalUsd: null, maxLeverage: 100, mmr: 0.004, cumUsd: 0, maxBaseQty: 500 }]);
    expect(OKX_ETHUSDT.source).toContain("134941fcbd7bf09f5d15157063af682bbcbe0a81");
    expect(OKX_ETHUSDT.source).toContain("tier 1 only");
    // long  = 3000 · (1 − 1/20) / (1 − 0.004) = 2850 / 0.996 = 2,861.45
    // short = 3000 · (1 + 1/20) / (1 + 0.004) = 3150 / 1.004 = 3,137.45
    const br = bracketFor(OKX_ETHUSDT, 10_000, 20, 3_000);
    expect(liquidationPrice("long", 3_000, 20, br.mmr, br.cumUsd, 10_000)).toBeCloseTo(2_861.45, 2);
    expect(liquidationPrice("short", 3_000, 20, br.mmr, br.cumUsd, 10_000)).toBeCloseTo(3_137.45, 2);
  });

  it("picks the bracket by notional, and a smaller one when the leverage is not allowed at that size", () => {
    expect(bracketFor(BINANCE_BTCUSDT, 300_000, 10).mmr).toBe(0.004);
    expect(bracketFor(BINANCE_BTCUSDT, 300_001, 10).mmr).toBe(0.005);
    expect(bracketFor(BYBIT_BTCUSDT, 10_000, 100).mmr).toBe(0.005);
    // 50 M at 100x is not allowed on Bybit (max 20x there): the largest bracket allowing 100x is tier 1
    expect(bracketFor(BYBIT_BTCUSDT, 50_000_000, 100)).toBe(BYBIT_BTCUSDT.brackets[0]);
    // beyond the last cap the last bracket applies
    expect(bracketFor(BYBIT_BTCUSDT, 1e12, 1)).toBe(BYBIT_BTCUSDT.brackets.at(-1));
  });

  it("resolves overrides first (exact, venue-wide, any venue), then the shipped table, then the fallback", () => {
    const mine: BracketTable = { ...FALLBACK_TABLE, id: "mine", venue: "okx", symbol: "*", assumed: false, brackets: [{ maxNotionalUsd: null, maxLeverage: 100, mmr: 0.004, cumUsd: 0 }] };
    const btc: BracketTable = { ...BINANCE_BTCUSDT, id: "override", brackets: [{ maxNotionalUsd: null, maxLeverage: 125, mmr: 0.004, cumUsd: 0 }] };
    expect(resolveTable([], "binance", "BTCUSDT")).toBe(BINANCE_BTCUSDT);
    expect(resolveTable([btc], "binance", "BTCUSDT")).toBe(btc);
    expect(resolveTable([mine], "okx", "ETHUSDT")).toBe(mine);
    expect(resolveTable([mine], "hyperliquid", "ETHUSDT").id).toBe("hyperliquid:ETHUSDT:2026-11");
    expect(resolveTable([], "binance", "TRXUSDT")).toBe(BINANCE_TRXUSDT);
    expect(resolveTable([], "binance", "TONUSDT")).toBe(FALLBACK_TABLE);
    expect(resolveTable([], "okx", "BTCUSDT")).toBe(OKX_BTCUSDT);
    expect(resolveTable([], "okx", "ETHUSDT")).toBe(OKX_ETHUSDT);
    expect(resolveTable([], "okx", "SOLUSDT")).toBe(FALLBACK_TABLE);
    expect(resolveTable([], "binance", "SOLUSDT")).toBe(BINANCE_SOLUSDT);
    expect(resolveTable([], "bybit", "SOLUSDT")).toBe(FALLBACK_TABLE);
    expect(resolveTable([], "binance", "ETHUSDT")).toBe(BINANCE_ETHUSDT);
    expect(resolveTable([], "binance", "BNBUSDT")).toBe(BINANCE_BNBUSDT);
    expect(resolveTable([], "bybit", "ETHUSDT")).toBe(FALLBACK_TABLE);
    const everywhere: BracketTable = { ...mine, id: "everywhere", venue: "*" };
    expect(resolveTable([everywhere], "bybit", "BTCUSDT")).toBe(everywhere);
    expect(resolveTable([btc, everywhere], "binance", "BTCUSDT")).toBe(btc);
  });

  it("are validated in the engine config with the field and bound named", () => {
    const bad = { ...FALLBACK_TABLE, brackets: [{ maxNotionalUsd: 100, maxLeverage: 50, mmr: 0.01, cumUsd: 0 }, { maxNotionalUsd: 50, maxLeverage: 20, mmr: 0.02, cumUsd: 1 }] };
    expect(() => parseEngineConfig({ liquidation: { brackets: [bad] } })).toThrow("liquidation.brackets.0 brackets.1.maxNotionalUsd must be > 100 (got 50)");
    expect(() => parseEngineConfig({ liquidation: { brackets: [{ ...bad, brackets: [{ maxNotionalUsd: null, maxLeverage: 50, mmr: 1.5, cumUsd: 0 }] }] } })).toThrow(
      "liquidation.brackets.0.brackets.0.mmr must be <= 1 (got 1.5)",
    );
    expect(() => parseEngineConfig({ liquidation: { leverageTiers: [{ leverage: 10, weight: 0.5 }] } })).toThrow("liquidation.leverageTiers weights must sum to 1 (got 0.5)");
    expect(() => parseEngineConfig({ liquidation: { leverageTiers: [{ leverage: 10, weight: 0.5 }, { leverage: 10, weight: 0.5 }] } })).toThrow("leverages must be distinct");
    expect(() => parseEngineConfig({ liquidation: { takerSkew: 2 } })).toThrow("liquidation.takerSkew must be <= 1 (got 2)");
  });
});

describe("Hyperliquid margin tiers (docs: Trading › Margin tiers)", () => {
  it("ships a table for each of the 21 tracked symbols, with maintenance = half the initial margin at max leverage and the documented deduction", () => {
    expect(HYPERLIQUID_TABLES).toHaveLength(21);
    expect(new Set(HYPERLIQUID_TABLES.map((t) => t.symbol))).toEqual(new Set(SYMBOLS.symbols));
    for (const t of HYPERLIQUID_TABLES) {
      expect(bracketTableProblems(t)).toEqual([]);
      expect(t).toMatchObject({ venue: "hyperliquid", assumed: false });
      for (const br of t.brackets) expect(br.mmr).toBeCloseTo(1 / (2 * br.maxLeverage), 15);
      expect(resolveTable([], "hyperliquid", t.symbol)).toBe(t);
    }
    const btc = HYPERLIQUID_TABLES.find((t) => t.symbol === "BTCUSDT")!;
    // 0–150M at 40× (1.25 %), beyond at 20× (2.5 %): deduction 150M × (2.5 % − 1.25 %) = 1,875,000.
    expect(btc.brackets).toEqual([
      { maxNotionalUsd: 150_000_000, maxLeverage: 40, mmr: 0.0125, cumUsd: 0 },
      { maxNotionalUsd: null, maxLeverage: 20, mmr: 0.025, cumUsd: 1_875_000 },
    ]);
    const dot = HYPERLIQUID_TABLES.find((t) => t.symbol === "DOTUSDT")!;
    expect(dot.brackets.map((x) => [x.maxNotionalUsd, x.maxLeverage, x.mmr])).toEqual([[3_000_000, 10, 0.05], [null, 5, 0.1]]);
    expect(dot.brackets[1].cumUsd).toBeCloseTo(150_000, 6);
  });

  it("prices a 40× BTC long at 100,000 by hand: 100,000 × (1 − 1/40) / (1 − 0.0125) = 98,734.18", () => {
    const btc = HYPERLIQUID_TABLES.find((t) => t.symbol === "BTCUSDT")!;
    const br = bracketFor(btc, 10_000, 40);
    expect(liquidationPrice("long", 100_000, 40, br.mmr, br.cumUsd, 10_000)).toBeCloseTo(98_734.177, 3);
    expect(liquidationPrice("short", 100_000, 40, br.mmr, br.cumUsd, 10_000)).toBeCloseTo((100_000 * 1.025) / 1.0125, 6);
  });
});
