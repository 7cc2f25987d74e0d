/**
 * The maintenance-margin tables liqflow ships, as dated data with their sources (the rules that
 * read them, and the liquidation price under them, are in `brackets.ts`).
 *
 * Tables shipped (see docs/liquidation-model.md for how each was obtained):
 * - Binance BTCUSDT: 12 brackets, the `GET /fapi/v1/leverageBracket` table (it needs an API
 *   key, so it is shipped as dated data and can be overridden through the engine config).
 * - Binance ETHUSDT (12 brackets) and BNBUSDT (10 brackets): an older (2024-Q3) dump of the same
 *   endpoint kept in freqtrade's repository; cum as published, checked against the continuity rule.
 * - Binance SOLUSDT, XRPUSDT, DOGEUSDT, ADAUSDT, AVAXUSDT, LINKUSDT, LTCUSDT (10 brackets each),
 *   DOTUSDT and 1000PEPEUSDT (9 each): same file, commit and caveats as ETHUSDT/BNBUSDT.
 * - Binance TRXUSDT, WIFUSDT (9 brackets), BCHUSDT (10), SUIUSDT, NEARUSDT, APTUSDT, ARBUSDT and
 *   OPUSDT (8 each): same file, commit and caveats again.
 * - OKX BTCUSDT: the 99 isolated-margin tiers of `GET /api/v5/public/position-tiers` for
 *   BTC-USDT (fetched 2026-09-18 and kept in a public repository). OKX ETHUSDT: tier 1 only
 *   (recorded live 2026-09-25 in another public repository). OKX states its tiers in
 *   contracts, so these brackets carry a base-asset cap (`maxBaseQty`, contracts × ctVal) and,
 *   for lookups by notional, that cap at a dated reference price (see `OKX_BTC_REFERENCE_PRICE`).
 *   OKX has no maintenance deduction: the tier's rate applies to the whole position, so `cumUsd`
 *   is 0 in every OKX tier and the maintenance margin jumps at a tier boundary (see `OKX_RULE`).
 * - Bybit BTCUSDT: the first 20 risk-limit tiers of Bybit's public "Margin Parameters" page
 *   (same data as the public `GET /v5/market/risk-limit`).
 * - Hyperliquid, all 21 symbols: the mainnet margin tiers and maintenance rule of its docs.
 * - A fallback for every other venue/symbol: one bracket, mmr 1 %, max 50×, marked `assumed`.
 *
 */
import type { Bracket, BracketTable } from "./brackets.js";

const b = (maxNotionalUsd: number | null, maxLeverage: number, mmr: number, cumUsd: number): Bracket => ({ maxNotionalUsd, maxLeverage, mmr, cumUsd });

/** Binance USDⓈ-M BTCUSDT leverage brackets (`/fapi/v1/leverageBracket`), transcribed 2026-11. */
export const BINANCE_BTCUSDT: BracketTable = {
  id: "binance:BTCUSDT:2026-11",
  venue: "binance",
  symbol: "BTCUSDT",
  source:
    "Binance USDⓈ-M leverage brackets (GET /fapi/v1/leverageBracket, API key required; same as binance.com Futures › Trading Rules › Leverage & Margin), transcribed from a public client's copy; cum checked against the continuity rule",
  asOf: "2026-11",
  assumed: false,
  brackets: [
    b(300_000, 150, 0.004, 0),
    b(800_000, 100, 0.005, 300),
    b(3_000_000, 75, 0.0065, 1_500),
    b(12_000_000, 50, 0.01, 12_000),
    b(70_000_000, 25, 0.02, 132_000),
    b(100_000_000, 20, 0.025, 482_000),
    b(230_000_000, 10, 0.05, 2_982_000),
    b(480_000_000, 5, 0.1, 14_482_000),
    b(600_000_000, 4, 0.125, 26_482_000),
    b(800_000_000, 3, 0.15, 41_482_000),
    b(1_200_000_000, 2, 0.25, 121_482_000),
    b(1_800_000_000, 1, 0.5, 421_482_000),
  ],
};

/** Bybit USDT perpetual BTCUSDT risk-limit tiers 1–20 (isolated & cross), transcribed 2026-11. */
export const BYBIT_BTCUSDT: BracketTable = {
  id: "bybit:BTCUSDT:2026-11",
  venue: "bybit",
  symbol: "BTCUSDT",
  source:
    "Bybit Margin Parameters page, Perpetual › USDT-based › BTCUSDT (bybit.com/en/announcement-info/margin-parameters; public API GET /v5/market/risk-limit: riskLimitValue, maintenanceMargin, mmDeduction), tiers 1–20",
  asOf: "2026-11",
  assumed: false,
  brackets: [
    b(2_000_000, 100, 0.005, 0),
    b(2_600_000, 90, 0.0056, 1_200),
    b(3_200_000, 80, 0.0063, 3_020),
    b(3_800_000, 75, 0.0067, 4_300),
    b(4_400_000, 70, 0.0071, 5_820),
    b(5_000_000, 65, 0.0077, 8_460),
    b(5_600_000, 55, 0.0091, 15_460),
    b(8_500_000, 50, 0.01, 20_500),
    b(10_000_000, 45, 0.013, 46_000),
    b(14_000_000, 40, 0.015, 66_000),
    b(20_000_000, 35, 0.016, 80_000),
    b(28_000_000, 30, 0.02, 160_000),
    b(38_000_000, 25, 0.025, 300_000),
    b(50_000_000, 20, 0.029, 452_000),
    b(55_000_000, 19, 0.03, 502_000),
    b(60_000_000, 18, 0.035, 777_000),
    b(65_000_000, 17, 0.036, 837_000),
    b(70_000_000, 16, 0.038, 967_000),
    b(75_000_000, 15, 0.04, 1_107_000),
    b(80_000_000, 14, 0.045, 1_482_000),
  ],
};

const FREQTRADE_BINANCE_2024 =
  "freqtrade/freqtrade@01d10aebcab25c526473c603a88e14eb7d9699cc freqtrade/exchange/binance_leverage_tiers.json (a dump of Binance GET /fapi/v1/leverageBracket: notionalCap, initialLeverage, maintMarginRatio, cum copied as published; retrieved 2026-11-28). The file states no date; it lists the BTCUSDT 240927 and 241227 quarterlies, so the snapshot is from 2024-06-28..2024-09-27 (inferred). Older than the shipped BTCUSDT table: its BTCUSDT (125× to 50 k) differs from the 2026 one, so Binance has likely changed these tiers since";

/** A table of the 2024-Q3 freqtrade copy: its id, source (with the file's key) and date follow from the symbol. */
function binance2024(symbol: string, brackets: Bracket[]): BracketTable {
  const key = `${symbol.slice(0, -"USDT".length)}/USDT:USDT`;
  return { id: `binance:${symbol}:2024-q3`, venue: "binance", symbol, source: `${FREQTRADE_BINANCE_2024}; key "${key}"`, asOf: "2026-11", assumed: false, brackets };
}

/** Binance USDⓈ-M ETHUSDT leverage brackets, 12 brackets, 2024-Q3 snapshot (see source). */
export const BINANCE_ETHUSDT = binance2024("ETHUSDT", [
  b(50_000, 125, 0.004, 0),
  b(600_000, 100, 0.005, 50),
  b(3_000_000, 75, 0.0065, 950),
  b(12_000_000, 50, 0.01, 11_450),
  b(50_000_000, 25, 0.02, 131_450),
  b(65_000_000, 20, 0.025, 381_450),
  b(150_000_000, 10, 0.05, 2_006_450),
  b(320_000_000, 5, 0.1, 9_506_450),
  b(400_000_000, 4, 0.125, 17_506_450),
  b(530_000_000, 3, 0.15, 27_506_450),
  b(800_000_000, 2, 0.25, 80_506_450),
  b(1_200_000_000, 1, 0.5, 280_506_450),
]);

/** Binance USDⓈ-M BNBUSDT leverage brackets, 10 brackets, 2024-Q3 snapshot (see source). */
export const BINANCE_BNBUSDT = binance2024("BNBUSDT", [
  b(10_000, 75, 0.005, 0),
  b(50_000, 50, 0.006, 10),
  b(200_000, 40, 0.01, 210),
  b(1_000_000, 25, 0.02, 2_210),
  b(2_000_000, 20, 0.025, 7_210),
  b(10_000_000, 10, 0.05, 57_210),
  b(20_000_000, 5, 0.1, 557_210),
  b(25_000_000, 4, 0.125, 1_057_210),
  b(50_000_000, 2, 0.25, 4_182_210),
  b(100_000_000, 1, 0.5, 16_682_210),
]);

/** Binance USDⓈ-M SOLUSDT leverage brackets, 10 brackets, 2024-Q3 snapshot (see source). */
export const BINANCE_SOLUSDT = binance2024("SOLUSDT", [
  b(20_000, 100, 0.005, 0),
  b(100_000, 75, 0.0065, 30),
  b(800_000, 50, 0.01, 380),
  b(4_000_000, 25, 0.02, 8_380),
  b(8_000_000, 20, 0.025, 28_380),
  b(40_000_000, 10, 0.05, 228_380),
  b(80_000_000, 5, 0.1, 2_228_380),
  b(100_000_000, 4, 0.125, 4_228_380),
  b(200_000_000, 2, 0.25, 16_728_380),
  b(400_000_000, 1, 0.5, 66_728_380),
]);

/** Binance USDⓈ-M XRPUSDT leverage brackets, 10 brackets, 2024-Q3 snapshot (see source). */
export const BINANCE_XRPUSDT = binance2024("XRPUSDT", [
  b(10_000, 75, 0.005, 0),
  b(20_000, 50, 0.0065, 15),
  b(160_000, 40, 0.01, 85),
  b(800_000, 25, 0.02, 1_685),
  b(1_600_000, 20, 0.025, 5_685),
  b(8_000_000, 10, 0.05, 45_685),
  b(16_000_000, 5, 0.1, 445_685),
  b(20_000_000, 4, 0.125, 845_685),
  b(40_000_000, 2, 0.25, 3_345_685),
  b(80_000_000, 1, 0.5, 13_345_685),
]);

/** Binance USDⓈ-M DOGEUSDT leverage brackets, 10 brackets, 2024-Q3 snapshot (see source). */
export const BINANCE_DOGEUSDT = binance2024("DOGEUSDT", [
  b(10_000, 75, 0.005, 0),
  b(50_000, 50, 0.007, 20),
  b(750_000, 40, 0.01, 170),
  b(800_000, 25, 0.02, 7_670),
  b(1_600_000, 20, 0.025, 11_670),
  b(8_000_000, 10, 0.05, 51_670),
  b(16_000_000, 5, 0.1, 451_670),
  b(20_000_000, 4, 0.125, 851_670),
  b(40_000_000, 2, 0.25, 3_351_670),
  b(80_000_000, 1, 0.5, 13_351_670),
]);

/** Binance USDⓈ-M ADAUSDT leverage brackets, 10 brackets, 2024-Q3 snapshot (see source). */
export const BINANCE_ADAUSDT = binance2024("ADAUSDT", [
  b(5_000, 75, 0.005, 0),
  b(10_000, 50, 0.006, 5),
  b(50_000, 40, 0.01, 45),
  b(250_000, 25, 0.02, 545),
  b(1_000_000, 10, 0.05, 8_045),
  b(5_000_000, 5, 0.1, 58_045),
  b(10_000_000, 4, 0.125, 183_045),
  b(20_000_000, 3, 0.15, 433_045),
  b(30_000_000, 2, 0.25, 2_433_045),
  b(50_000_000, 1, 0.5, 9_933_045),
]);

/** Binance USDⓈ-M AVAXUSDT leverage brackets, 10 brackets, 2024-Q3 snapshot (see source). */
export const BINANCE_AVAXUSDT = binance2024("AVAXUSDT", [
  b(5_000, 75, 0.005, 0),
  b(10_000, 50, 0.0065, 7.5),
  b(25_000, 40, 0.0075, 17.5),
  b(50_000, 25, 0.01, 80),
  b(250_000, 20, 0.025, 830),
  b(1_000_000, 10, 0.05, 7_080),
  b(2_000_000, 5, 0.1, 57_080),
  b(5_000_000, 4, 0.125, 107_080),
  b(20_000_000, 2, 0.25, 732_080),
  b(50_000_000, 1, 0.5, 5_732_080),
]);

/** Binance USDⓈ-M LINKUSDT leverage brackets, 10 brackets, 2024-Q3 snapshot (see source). */
export const BINANCE_LINKUSDT = binance2024("LINKUSDT", [
  b(5_000, 75, 0.005, 0),
  b(10_000, 50, 0.006, 5),
  b(50_000, 40, 0.01, 45),
  b(250_000, 25, 0.02, 545),
  b(1_000_000, 10, 0.05, 8_045),
  b(5_000_000, 5, 0.1, 58_045),
  b(10_000_000, 4, 0.125, 183_045),
  b(20_000_000, 3, 0.15, 433_045),
  b(30_000_000, 2, 0.25, 2_433_045),
  b(50_000_000, 1, 0.5, 9_933_045),
]);

/** Binance USDⓈ-M LTCUSDT leverage brackets, 10 brackets, 2024-Q3 snapshot (see source). */
export const BINANCE_LTCUSDT = binance2024("LTCUSDT", [
  b(5_000, 75, 0.005, 0),
  b(10_000, 50, 0.006, 5),
  b(50_000, 40, 0.01, 45),
  b(750_000, 25, 0.02, 545),
  b(3_000_000, 10, 0.05, 23_045),
  b(10_000_000, 5, 0.1, 173_045),
  b(12_000_000, 4, 0.125, 423_045),
  b(20_000_000, 3, 0.15, 723_045),
  b(30_000_000, 2, 0.25, 2_723_045),
  b(50_000_000, 1, 0.5, 10_223_045),
]);

/** Binance USDⓈ-M DOTUSDT leverage brackets, 9 brackets, 2024-Q3 snapshot (see source). */
export const BINANCE_DOTUSDT = binance2024("DOTUSDT", [
  b(10_000, 75, 0.0065, 0),
  b(50_000, 50, 0.01, 35),
  b(500_000, 25, 0.02, 535),
  b(2_000_000, 10, 0.05, 15_535),
  b(5_000_000, 5, 0.1, 115_535),
  b(7_000_000, 4, 0.125, 240_535),
  b(10_000_000, 3, 0.15, 415_535),
  b(30_000_000, 2, 0.25, 1_415_535),
  b(50_000_000, 1, 0.5, 8_915_535),
]);

/** Binance USDⓈ-M 1000PEPEUSDT leverage brackets, 9 brackets, 2024-Q3 snapshot (see source). */
export const BINANCE_1000PEPEUSDT = binance2024("1000PEPEUSDT", [
  b(20_000, 75, 0.0065, 0),
  b(200_000, 50, 0.01, 70),
  b(1_000_000, 25, 0.02, 2_070),
  b(2_000_000, 20, 0.025, 7_070),
  b(10_000_000, 10, 0.05, 57_070),
  b(20_000_000, 5, 0.1, 557_070),
  b(25_000_000, 4, 0.125, 1_057_070),
  b(50_000_000, 2, 0.25, 4_182_070),
  b(100_000_000, 1, 0.5, 16_682_070),
]);

/** Binance USDⓈ-M TRXUSDT leverage brackets, 9 brackets, 2024-Q3 snapshot (see source). */
export const BINANCE_TRXUSDT = binance2024("TRXUSDT", [
  b(10_000, 75, 0.0065, 0),
  b(90_000, 50, 0.01, 35),
  b(645_000, 20, 0.02, 935),
  b(1_200_000, 10, 0.05, 20_285),
  b(3_000_000, 5, 0.1, 80_285),
  b(6_000_000, 4, 0.125, 155_285),
  b(12_000_000, 3, 0.15, 305_285),
  b(20_000_000, 2, 0.25, 1_505_285),
  b(30_000_000, 1, 0.5, 6_505_285),
]);

/** Binance USDⓈ-M BCHUSDT leverage brackets, 10 brackets, 2024-Q3 snapshot (see source). */
export const BINANCE_BCHUSDT = binance2024("BCHUSDT", [
  b(5_000, 75, 0.005, 0),
  b(10_000, 50, 0.0065, 7.5),
  b(50_000, 40, 0.01, 42.5),
  b(500_000, 25, 0.02, 542.5),
  b(2_000_000, 10, 0.05, 15542.5),
  b(4_000_000, 5, 0.1, 115542.5),
  b(8_000_000, 4, 0.125, 215542.5),
  b(15_000_000, 3, 0.15, 415542.5),
  b(20_000_000, 2, 0.25, 1915542.5),
  b(50_000_000, 1, 0.5, 6915542.5),
]);

/** Binance USDⓈ-M SUIUSDT leverage brackets, 8 brackets, 2024-Q3 snapshot (see source). */
export const BINANCE_SUIUSDT = binance2024("SUIUSDT", [
  b(5_000, 50, 0.01, 0),
  b(50_000, 25, 0.02, 50),
  b(600_000, 20, 0.025, 300),
  b(1_200_000, 10, 0.05, 15_300),
  b(3_000_000, 5, 0.1, 75_300),
  b(4_000_000, 4, 0.125, 150_300),
  b(6_000_000, 2, 0.25, 650_300),
  b(10_000_000, 1, 0.5, 2_150_300),
]);

/** Binance USDⓈ-M NEARUSDT leverage brackets, 8 brackets, 2024-Q3 snapshot (see source). */
export const BINANCE_NEARUSDT = binance2024("NEARUSDT", [
  b(10_000, 50, 0.015, 0),
  b(250_000, 20, 0.025, 100),
  b(750_000, 15, 0.03, 1_350),
  b(1_500_000, 10, 0.05, 16_350),
  b(4_000_000, 5, 0.1, 91_350),
  b(5_000_000, 4, 0.125, 191_350),
  b(12_000_000, 2, 0.25, 816_350),
  b(20_000_000, 1, 0.5, 3_816_350),
]);

/** Binance USDⓈ-M APTUSDT leverage brackets, 8 brackets, 2024-Q3 snapshot (see source). */
export const BINANCE_APTUSDT = binance2024("APTUSDT", [
  b(5_000, 50, 0.01, 0),
  b(25_000, 25, 0.015, 25),
  b(900_000, 20, 0.02, 150),
  b(1_800_000, 10, 0.05, 27_150),
  b(4_800_000, 5, 0.1, 117_150),
  b(6_000_000, 4, 0.125, 237_150),
  b(18_000_000, 2, 0.25, 987_150),
  b(30_000_000, 1, 0.5, 5_487_150),
]);

/** Binance USDⓈ-M ARBUSDT leverage brackets, 8 brackets, 2024-Q3 snapshot (see source). */
export const BINANCE_ARBUSDT = binance2024("ARBUSDT", [
  b(5_000, 50, 0.006, 0),
  b(50_000, 25, 0.01, 20),
  b(600_000, 20, 0.025, 770),
  b(1_200_000, 10, 0.05, 15_770),
  b(3_000_000, 5, 0.1, 75_770),
  b(5_000_000, 4, 0.125, 150_770),
  b(12_000_000, 2, 0.25, 775_770),
  b(20_000_000, 1, 0.5, 3_775_770),
]);

/** Binance USDⓈ-M OPUSDT leverage brackets, 8 brackets, 2024-Q3 snapshot (see source). */
export const BINANCE_OPUSDT = binance2024("OPUSDT", [
  b(10_000, 50, 0.006, 0),
  b(50_000, 25, 0.01, 40),
  b(600_000, 20, 0.025, 790),
  b(2_000_000, 10, 0.05, 15_790),
  b(5_000_000, 5, 0.1, 115_790),
  b(7_000_000, 4, 0.125, 240_790),
  b(18_000_000, 2, 0.25, 1_115_790),
  b(30_000_000, 1, 0.5, 5_615_790),
]);

/** Binance USDⓈ-M WIFUSDT leverage brackets, 9 brackets, 2024-Q3 snapshot (see source). */
export const BINANCE_WIFUSDT = binance2024("WIFUSDT", [
  b(10_000, 75, 0.01, 0),
  b(100_000, 50, 0.015, 50),
  b(500_000, 25, 0.02, 550),
  b(1_000_000, 20, 0.025, 3_050),
  b(5_000_000, 10, 0.05, 28_050),
  b(10_000_000, 5, 0.1, 278_050),
  b(12_500_000, 4, 0.125, 528_050),
  b(25_000_000, 2, 0.25, 2_090_550),
  b(50_000_000, 1, 0.5, 8_340_550),
]);

/**
 * How OKX applies its tiers (https://www.okx.com/help/tier, "Tiered Maintenance Margin Ratio",
 * updated 2024-05-16, retrieved 2026-11-28): in isolated mode the contracts of a position, per
 * contract and direction, decide its tier, and that tier's maintenance margin ratio is the rate
 * of the position; OKX publishes no maintenance deduction (`GET /api/v5/public/position-tiers`
 * has `tier`, `minSz`, `maxSz`, `mmr`, `imr`, `maxLever`, no cum). So an OKX position's
 * maintenance margin is `N·mmr` of its tier, `cumUsd` is 0 in every OKX tier, and the margin
 * jumps where a tier ends (unlike Binance/Bybit, whose deduction keeps it continuous). Deriving a
 * cum by the continuity rule would understate OKX's margin in every tier above the first.
 */
export const OKX_RULE = "OKX tiers by position size in contracts; the tier's mmr applies to the whole position, no deduction (cumUsd 0)";

/**
 * Reference price used to turn OKX BTC-USDT-SWAP caps (BTC) into USD caps for lookups by notional:
 * the BTC-USDT-SWAP mark price 83,679.8 recorded live on 2026-09-25 17:53:37 UTC (`markPx`, ts
 * 1790358817778) in BYTEX-TRADE/bytex@134941fcbd7bf09f5d15157063af682bbcbe0a81
 * tests/Bytex.Adapters.Tests/Fixtures/OkxPayloads.cs (`MarkPriceTick`), a week after the tiers
 * were fetched. The USD caps are only as good as this price; with the position's price,
 * `bracketFor` compares base quantities instead and the reference price does not enter.
 */
export const OKX_BTC_REFERENCE_PRICE = 83_679.8;

/** OKX tier rows `[maxBaseQty, maxLeverage, mmr]` → brackets with cum 0 (see `OKX_RULE`). */
function okxBrackets(rows: ReadonlyArray<readonly [number, number, number]>, referencePriceUsd: number): Bracket[] {
  return rows.map(([maxBaseQty, maxLeverage, mmr]) => ({ maxNotionalUsd: maxBaseQty * referencePriceUsd, maxLeverage, mmr, cumUsd: 0, maxBaseQty }));
}

/**
 * OKX BTC-USDT-SWAP isolated position tiers, 99 tiers, as `[max BTC, max leverage, mmr]`: OKX's
 * `maxSz` (contracts) × ctVal 0.01 BTC, converted by the source repository (its own test keeps
 * the raw first three rows: maxSz 1000 / 5000 / 20000 contracts, mmr 0.004 / 0.005 / 0.0075,
 * maxLever 100 / 66.66 / 50). Tier 1 (1,000 contracts, mmr 0.004, 100×) is corroborated by the
 * live recording of 2026-09-25 in BYTEX-TRADE/bytex (same fixture as the reference price).
 */
const OKX_BTC_ROWS: ReadonlyArray<readonly [number, number, number]> = [
  [10, 100, 0.004], [50, 66.66, 0.005], [200, 50, 0.0075], [400, 40, 0.0125],
  [600, 33.33, 0.0175], [800, 28.57, 0.0225], [1_000, 25, 0.0275], [1_200, 22.22, 0.0325],
  [1_400, 20, 0.0375], [1_600, 18.18, 0.0425], [1_800, 16.66, 0.0475], [2_000, 15.38, 0.0525],
  [2_200, 14.28, 0.0575], [2_400, 13.33, 0.0625], [2_600, 12.5, 0.0675], [2_800, 11.76, 0.0725],
  [3_000, 11.11, 0.0775], [3_200, 10.52, 0.0825], [3_400, 10, 0.0875], [3_600, 9.52, 0.0925],
  [3_800, 9.09, 0.0975], [4_000, 8.69, 0.1025], [4_200, 8.33, 0.1075], [4_400, 8, 0.1125],
  [4_600, 7.69, 0.1175], [4_800, 7.4, 0.1225], [5_000, 7.14, 0.1275], [5_200, 6.89, 0.1325],
  [5_400, 6.66, 0.1375], [5_600, 6.45, 0.1425], [5_800, 6.25, 0.1475], [6_000, 6.06, 0.1525],
  [6_200, 5.88, 0.1575], [6_400, 5.71, 0.1625], [6_600, 5.55, 0.1675], [6_800, 5.4, 0.1725],
  [7_000, 5.26, 0.1775], [7_200, 5.12, 0.1825], [7_400, 5, 0.1875], [7_600, 4.87, 0.1925],
  [7_800, 4.76, 0.1975], [8_000, 4.65, 0.2025], [8_200, 4.54, 0.2075], [8_400, 4.44, 0.2125],
  [8_600, 4.34, 0.2175], [8_800, 4.25, 0.2225], [9_000, 4.16, 0.2275], [9_200, 4.08, 0.2325],
  [9_400, 4, 0.2375], [9_600, 3.92, 0.2425], [9_800, 3.84, 0.2475], [10_000, 3.77, 0.2525],
  [10_200, 3.7, 0.2575], [10_400, 3.63, 0.2625], [10_600, 3.57, 0.2675], [10_800, 3.5, 0.2725],
  [11_000, 3.44, 0.2775], [11_200, 3.38, 0.2825], [11_400, 3.33, 0.2875], [11_600, 3.27, 0.2925],
  [11_800, 3.22, 0.2975], [12_000, 3.17, 0.3025], [12_200, 3.12, 0.3075], [12_400, 3.07, 0.3125],
  [12_600, 3.03, 0.3175], [12_800, 2.98, 0.3225], [13_000, 2.94, 0.3275], [13_200, 2.89, 0.3325],
  [13_400, 2.85, 0.3375], [13_600, 2.81, 0.3425], [13_800, 2.77, 0.3475], [14_000, 2.73, 0.3525],
  [14_200, 2.7, 0.3575], [14_400, 2.66, 0.3625], [14_600, 2.63, 0.3675], [14_800, 2.59, 0.3725],
  [15_000, 2.56, 0.3775], [15_200, 2.53, 0.3825], [15_400, 2.5, 0.3875], [15_600, 2.46, 0.3925],
  [15_800, 2.43, 0.3975], [16_000, 2.4, 0.4025], [16_200, 2.38, 0.4075], [16_400, 2.35, 0.4125],
  [16_600, 2.32, 0.4175], [16_800, 2.29, 0.4225], [17_000, 2.27, 0.4275], [17_200, 2.24, 0.4325],
  [17_400, 2.22, 0.4375], [17_600, 2.19, 0.4425], [17_800, 2.17, 0.4475], [18_000, 2.15, 0.4525],
  [18_200, 2.12, 0.4575], [18_400, 2.1, 0.4625], [18_600, 2.08, 0.4675], [18_800, 2.06, 0.4725],
  [19_000, 2.04, 0.4775], [19_200, 2.02, 0.4825], [19_400, 2, 0.4875],
];

/** OKX USDT-margined BTC-USDT-SWAP position tiers (isolated), fetched 2026-09-18. */
export const OKX_BTCUSDT: BracketTable = {
  id: "okx:BTCUSDT:2026-09-18",
  venue: "okx",
  symbol: "BTCUSDT",
  source:
    "OKX GET /api/v5/public/position-tiers?instType=SWAP&tdMode=isolated&instFamily=BTC-USDT (tier, maxSz contracts, mmr, maxLever), fetched 2026-09-18 per the snapshot LeandroColombo111/okx-perp-backtest@57a7fa5ae692136e26ef445345472184277844ee src/okx_perp_backtest/friction/okx_tiers_snapshot.py (sizes converted to BTC with ctVal 0.01; raw rows 1-3 in tests/test_friction.py, same commit); tier 1 corroborated by BYTEX-TRADE/bytex@134941fcbd7bf09f5d15157063af682bbcbe0a81 tests/Bytex.Adapters.Tests/Fixtures/OkxPayloads.cs (recorded live 2026-09-25). Caps in BTC (maxBaseQty); maxNotionalUsd = cap × 83,679.8 (BTC-USDT-SWAP mark price recorded 2026-09-25, same fixture). cumUsd 0: OKX applies the tier's mmr to the whole position (okx.com/help/tier)",
  asOf: "2026-09-18",
  assumed: false,
  brackets: okxBrackets(OKX_BTC_ROWS, OKX_BTC_REFERENCE_PRICE),
};

/**
 * OKX ETH-USDT-SWAP position tier 1 only (maxSz 5,000 contracts × ctVal 0.1 = 500 ETH, mmr 0.004,
 * imr 0.01, 100×), recorded live 2026-09-25. The higher tiers are in no source found, so tier 1 is
 * left unbounded in USD (no ETH reference price is needed): a position above 500 ETH would get
 * tier 1's rate, an understatement; the default 10,000 USD position is far inside tier 1.
 */
export const OKX_ETHUSDT: BracketTable = {
  id: "okx:ETHUSDT:2026-09-25",
  venue: "okx",
  symbol: "ETHUSDT",
  source:
    "OKX GET /api/v5/public/position-tiers (instFamily ETH-USDT, tier 1: maxSz 5000 contracts, mmr 0.004, imr 0.01, maxLever 100) recorded live 2026-09-25 in BYTEX-TRADE/bytex@134941fcbd7bf09f5d15157063af682bbcbe0a81 tests/Bytex.Adapters.Tests/Fixtures/OkxPayloads.cs (SwapTiers); tier 1 only (cap 500 ETH kept as maxBaseQty, USD cap left open); cumUsd 0: OKX applies the tier's mmr to the whole position (okx.com/help/tier)",
  asOf: "2026-09-25",
  assumed: false,
  brackets: [{ maxNotionalUsd: null, maxLeverage: 100, mmr: 0.004, cumUsd: 0, maxBaseQty: 500 }],
};

/**
 * Hyperliquid publishes its margin tiers and the rule that turns them into maintenance margin
 * (docs, Trading › Margin tiers): the maintenance rate of a tier is half the initial margin
 * rate at the tier's max leverage, `1 / (2·maxLeverage)`, and the deduction of tier n is
 * `deduction(n−1) + lowerBound(n)·(rate(n) − rate(n−1))` (the continuity rule of this file).
 * Tiers are notional in USDC, taken at par with USD. Rows: `[upper bound USD or null, max leverage]`.
 */
const HYPERLIQUID_SOURCE =
  "Hyperliquid docs, Trading › Margin tiers (hyperliquid.gitbook.io/hyperliquid-docs/trading/margin-tiers), mainnet tiers (notional position value in USDC → max leverage); maintenance_margin_rate = initial margin rate at the tier's max leverage / 2, maintenance_deduction by the page's continuity rule; USDC taken at par; transcribed 2026-11 from an undated copy of the page";

function hyperliquidTable(symbol: string, tiers: ReadonlyArray<readonly [number | null, number]>): BracketTable {
  let cum = 0;
  const brackets: Bracket[] = [];
  tiers.forEach(([cap, maxLeverage], i) => {
    const mmr = 1 / (2 * maxLeverage);
    if (i > 0) {
      const prev = brackets[i - 1];
      cum += (prev.maxNotionalUsd as number) * (mmr - prev.mmr);
    }
    brackets.push(b(cap, maxLeverage, mmr, cum));
  });
  return { id: `hyperliquid:${symbol}:2026-11`, venue: "hyperliquid", symbol, source: HYPERLIQUID_SOURCE, asOf: "2026-11", assumed: false, brackets };
}

/** Hyperliquid's mainnet margin tiers for the 21 tracked symbols (kPEPE is 1000PEPEUSDT). */
export const HYPERLIQUID_TABLES: readonly BracketTable[] = [
  hyperliquidTable("BTCUSDT", [[150_000_000, 40], [null, 20]]),
  hyperliquidTable("ETHUSDT", [[100_000_000, 25], [null, 15]]),
  hyperliquidTable("SOLUSDT", [[70_000_000, 20], [null, 10]]),
  hyperliquidTable("XRPUSDT", [[40_000_000, 20], [null, 10]]),
  ...["DOGEUSDT", "1000PEPEUSDT", "SUIUSDT", "LTCUSDT", "WIFUSDT", "LINKUSDT", "AVAXUSDT", "ADAUSDT", "NEARUSDT", "APTUSDT", "BCHUSDT"].map((symbol) =>
    hyperliquidTable(symbol, [[20_000_000, 10], [null, 5]]),
  ),
  ...["OPUSDT", "ARBUSDT", "TONUSDT", "TRXUSDT", "BNBUSDT", "DOTUSDT"].map((symbol) => hyperliquidTable(symbol, [[3_000_000, 10], [null, 5]])),
];

/**
 * Used for every venue/symbol without a table of its own: one bracket at mmr 1 %, max 50×.
 * An assumption: 1 % is Bybit's stated base maintenance rate for ETH/XRP-class contracts and
 * the usual first-tier rate of large-cap altcoins on Binance and OKX; majors with a lower
 * rate (BTC) have their own table.
 */
export const FALLBACK_TABLE: BracketTable = {
  id: "fallback:1pct",
  venue: "*",
  symbol: "*",
  source: "assumption: single bracket, mmr 1 %, max leverage 50 (typical first tier of large-cap altcoin perpetuals)",
  asOf: "2026-11",
  assumed: true,
  brackets: [b(null, 50, 0.01, 0)],
};

/** The tables shipped, most specific first. */
export const DEFAULT_BRACKET_TABLES: readonly BracketTable[] = [
  BINANCE_BTCUSDT,
  BINANCE_ETHUSDT,
  BINANCE_BNBUSDT,
  BINANCE_SOLUSDT,
  BINANCE_XRPUSDT,
  BINANCE_DOGEUSDT,
  BINANCE_ADAUSDT,
  BINANCE_AVAXUSDT,
  BINANCE_LINKUSDT,
  BINANCE_LTCUSDT,
  BINANCE_DOTUSDT,
  BINANCE_1000PEPEUSDT,
  BINANCE_TRXUSDT,
  BINANCE_BCHUSDT,
  BINANCE_SUIUSDT,
  BINANCE_NEARUSDT,
  BINANCE_APTUSDT,
  BINANCE_ARBUSDT,
  BINANCE_OPUSDT,
  BINANCE_WIFUSDT,
  BYBIT_BTCUSDT,
  OKX_BTCUSDT,
  OKX_ETHUSDT,
  ...HYPERLIQUID_TABLES,
];
