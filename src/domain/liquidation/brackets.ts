/**
 * Maintenance-margin brackets per venue, kept as data with their source and date, and the
 * liquidation price of an isolated position under them.
 *
 * A bracket applies to positions whose notional N (USD at entry) is at most
 * `maxNotionalUsd` (and above the previous bracket's cap); its maintenance margin is
 * `N·mmr − cumUsd`, where `cumUsd` (Binance "cum", Bybit "mmDeduction") makes the margin
 * continuous across brackets: cum_n = cum_{n−1} + cap_{n−1}·(mmr_n − mmr_{n−1}).
 *
 * Liquidation price of an isolated position opened at P with leverage L (margin N/L):
 *
 *   long   LP = P·(1 − 1/L − cum/N) / (1 − mmr)
 *   short  LP = P·(1 + 1/L + cum/N) / (1 + mmr)
 *
 * (equity N/L ± Q·(LP − P) equals maintenance mmr·Q·LP − cum, Q = N/P). Hand check: BTC tier
 * 1, mmr 0.4 %, cum 0, P = 100,000, 100× long: 100000·0.99/0.996 = 99,397.59 (not 99,000).
 * Fees and the venues' liquidation buffers are left out: LP is where maintenance is breached.
 *
 * Tables shipped (see docs/liquidation-model.md for how each was obtained):
 * - Binance BTCUSDT: 12 brackets, the `GET /fapi/v1/leverageBracket` table (it needs an API
 *   key, so it is shipped as dated data and can be overridden through the engine config).
 * - Binance ETHUSDT (12 brackets) and BNBUSDT (10 brackets): an older (2024-Q3) dump of the same
 *   endpoint kept in freqtrade's repository; cum as published, checked against the continuity rule.
 * - Binance SOLUSDT, XRPUSDT, DOGEUSDT, ADAUSDT, AVAXUSDT, LINKUSDT, LTCUSDT (10 brackets each),
 *   DOTUSDT and 1000PEPEUSDT (9 each): same file, commit and caveats as ETHUSDT/BNBUSDT.
 * - Bybit BTCUSDT: the first 20 risk-limit tiers of Bybit's public "Margin Parameters" page
 *   (same data as the public `GET /v5/market/risk-limit`).
 * - A fallback for every other venue/symbol: one bracket, mmr 1 %, max 50×, marked `assumed`.
 */
import type { Venue } from "../events.js";

export interface Bracket {
  /** Upper bound of position notional (USD) for this bracket; null = unbounded (last bracket only). */
  maxNotionalUsd: number | null;
  /** Highest leverage the venue allows inside this bracket. */
  maxLeverage: number;
  /** Maintenance margin rate (fraction, 0.004 = 0.4 %). */
  mmr: number;
  /** Maintenance amount / deduction, USD. */
  cumUsd: number;
}

export interface BracketTable {
  /** Stable id, e.g. `binance:BTCUSDT:2026-11`. */
  id: string;
  venue: Venue | "*";
  /** Unified symbol, or `*` for a fallback. */
  symbol: string;
  /** Where the numbers come from. */
  source: string;
  /** Month the table was transcribed (the venue may have changed it since), ISO `YYYY-MM(-DD)`. */
  asOf: string;
  /** True when the table is an assumption rather than the venue's published table for the symbol. */
  assumed: boolean;
  /** Ascending by `maxNotionalUsd`. */
  brackets: Bracket[];
}

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

/** Binance USDⓈ-M ETHUSDT leverage brackets, 12 brackets, 2024-Q3 snapshot (see source). */
export const BINANCE_ETHUSDT: BracketTable = {
  id: "binance:ETHUSDT:2024-q3",
  venue: "binance",
  symbol: "ETHUSDT",
  source: `${FREQTRADE_BINANCE_2024}; key "ETH/USDT:USDT"`,
  asOf: "2026-11",
  assumed: false,
  brackets: [
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
  ],
};

/** Binance USDⓈ-M BNBUSDT leverage brackets, 10 brackets, 2024-Q3 snapshot (see source). */
export const BINANCE_BNBUSDT: BracketTable = {
  id: "binance:BNBUSDT:2024-q3",
  venue: "binance",
  symbol: "BNBUSDT",
  source: `${FREQTRADE_BINANCE_2024}; key "BNB/USDT:USDT"`,
  asOf: "2026-11",
  assumed: false,
  brackets: [
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
  ],
};

/** Binance USDⓈ-M SOLUSDT leverage brackets, 10 brackets, 2024-Q3 snapshot (see source). */
export const BINANCE_SOLUSDT: BracketTable = {
  id: "binance:SOLUSDT:2024-q3",
  venue: "binance",
  symbol: "SOLUSDT",
  source: `${FREQTRADE_BINANCE_2024}; key "SOL/USDT:USDT"`,
  asOf: "2026-11",
  assumed: false,
  brackets: [
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
  ],
};

/** Binance USDⓈ-M XRPUSDT leverage brackets, 10 brackets, 2024-Q3 snapshot (see source). */
export const BINANCE_XRPUSDT: BracketTable = {
  id: "binance:XRPUSDT:2024-q3",
  venue: "binance",
  symbol: "XRPUSDT",
  source: `${FREQTRADE_BINANCE_2024}; key "XRP/USDT:USDT"`,
  asOf: "2026-11",
  assumed: false,
  brackets: [
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
  ],
};

/** Binance USDⓈ-M DOGEUSDT leverage brackets, 10 brackets, 2024-Q3 snapshot (see source). */
export const BINANCE_DOGEUSDT: BracketTable = {
  id: "binance:DOGEUSDT:2024-q3",
  venue: "binance",
  symbol: "DOGEUSDT",
  source: `${FREQTRADE_BINANCE_2024}; key "DOGE/USDT:USDT"`,
  asOf: "2026-11",
  assumed: false,
  brackets: [
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
  ],
};

/** Binance USDⓈ-M ADAUSDT leverage brackets, 10 brackets, 2024-Q3 snapshot (see source). */
export const BINANCE_ADAUSDT: BracketTable = {
  id: "binance:ADAUSDT:2024-q3",
  venue: "binance",
  symbol: "ADAUSDT",
  source: `${FREQTRADE_BINANCE_2024}; key "ADA/USDT:USDT"`,
  asOf: "2026-11",
  assumed: false,
  brackets: [
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
  ],
};

/** Binance USDⓈ-M AVAXUSDT leverage brackets, 10 brackets, 2024-Q3 snapshot (see source). */
export const BINANCE_AVAXUSDT: BracketTable = {
  id: "binance:AVAXUSDT:2024-q3",
  venue: "binance",
  symbol: "AVAXUSDT",
  source: `${FREQTRADE_BINANCE_2024}; key "AVAX/USDT:USDT"`,
  asOf: "2026-11",
  assumed: false,
  brackets: [
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
  ],
};

/** Binance USDⓈ-M LINKUSDT leverage brackets, 10 brackets, 2024-Q3 snapshot (see source). */
export const BINANCE_LINKUSDT: BracketTable = {
  id: "binance:LINKUSDT:2024-q3",
  venue: "binance",
  symbol: "LINKUSDT",
  source: `${FREQTRADE_BINANCE_2024}; key "LINK/USDT:USDT"`,
  asOf: "2026-11",
  assumed: false,
  brackets: [
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
  ],
};

/** Binance USDⓈ-M LTCUSDT leverage brackets, 10 brackets, 2024-Q3 snapshot (see source). */
export const BINANCE_LTCUSDT: BracketTable = {
  id: "binance:LTCUSDT:2024-q3",
  venue: "binance",
  symbol: "LTCUSDT",
  source: `${FREQTRADE_BINANCE_2024}; key "LTC/USDT:USDT"`,
  asOf: "2026-11",
  assumed: false,
  brackets: [
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
  ],
};

/** Binance USDⓈ-M DOTUSDT leverage brackets, 9 brackets, 2024-Q3 snapshot (see source). */
export const BINANCE_DOTUSDT: BracketTable = {
  id: "binance:DOTUSDT:2024-q3",
  venue: "binance",
  symbol: "DOTUSDT",
  source: `${FREQTRADE_BINANCE_2024}; key "DOT/USDT:USDT"`,
  asOf: "2026-11",
  assumed: false,
  brackets: [
    b(10_000, 75, 0.0065, 0),
    b(50_000, 50, 0.01, 35),
    b(500_000, 25, 0.02, 535),
    b(2_000_000, 10, 0.05, 15_535),
    b(5_000_000, 5, 0.1, 115_535),
    b(7_000_000, 4, 0.125, 240_535),
    b(10_000_000, 3, 0.15, 415_535),
    b(30_000_000, 2, 0.25, 1_415_535),
    b(50_000_000, 1, 0.5, 8_915_535),
  ],
};

/** Binance USDⓈ-M 1000PEPEUSDT leverage brackets, 9 brackets, 2024-Q3 snapshot (see source). */
export const BINANCE_1000PEPEUSDT: BracketTable = {
  id: "binance:1000PEPEUSDT:2024-q3",
  venue: "binance",
  symbol: "1000PEPEUSDT",
  source: `${FREQTRADE_BINANCE_2024}; key "1000PEPE/USDT:USDT"`,
  asOf: "2026-11",
  assumed: false,
  brackets: [
    b(20_000, 75, 0.0065, 0),
    b(200_000, 50, 0.01, 70),
    b(1_000_000, 25, 0.02, 2_070),
    b(2_000_000, 20, 0.025, 7_070),
    b(10_000_000, 10, 0.05, 57_070),
    b(20_000_000, 5, 0.1, 557_070),
    b(25_000_000, 4, 0.125, 1_057_070),
    b(50_000_000, 2, 0.25, 4_182_070),
    b(100_000_000, 1, 0.5, 16_682_070),
  ],
};

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
  BYBIT_BTCUSDT,
];

/**
 * The table for a venue and symbol. Overrides (from the engine config) win over the shipped
 * tables: an override for the venue and symbol, then for the venue (`*` symbol), then for any
 * venue (`*`, the symbol or `*`); then the shipped table for the venue and symbol; then
 * `FALLBACK_TABLE`.
 */
export function resolveTable(overrides: readonly BracketTable[], venue: Venue, symbol: string): BracketTable {
  return (
    overrides.find((t) => t.venue === venue && t.symbol === symbol) ??
    overrides.find((t) => t.venue === venue && t.symbol === "*") ??
    overrides.find((t) => t.venue === "*" && (t.symbol === symbol || t.symbol === "*")) ??
    DEFAULT_BRACKET_TABLES.find((t) => t.venue === venue && t.symbol === symbol) ??
    FALLBACK_TABLE
  );
}

/**
 * The bracket for a position of `notionalUsd` at `leverage`: the first whose cap holds the
 * notional; when the venue does not allow that leverage in that bracket, the last bracket
 * that does (a smaller position), and when no bracket allows it, the first bracket.
 */
export function bracketFor(table: BracketTable, notionalUsd: number, leverage: number): Bracket {
  const list = table.brackets;
  let i = 0;
  while (i < list.length - 1 && list[i].maxNotionalUsd !== null && notionalUsd > (list[i].maxNotionalUsd as number)) i++;
  if (list[i].maxLeverage >= leverage) return list[i];
  for (let j = i - 1; j >= 0; j--) if (list[j].maxLeverage >= leverage) return list[j];
  return list[0];
}

/** Highest leverage a table allows (its first bracket's). */
export function maxLeverage(table: BracketTable): number {
  let max = 0;
  for (const br of table.brackets) if (br.maxLeverage > max) max = br.maxLeverage;
  return max;
}

/**
 * Liquidation price of an isolated `side` position opened at `entryPrice` with `leverage` and
 * position notional `notionalUsd`, under maintenance rate `mmr` and amount `cumUsd` (formula
 * in the module comment). Returns null when the position cannot be liquidated (a long whose
 * formula gives a price ≤ 0, e.g. 1× with cum ≥ 0).
 */
export function liquidationPrice(side: "long" | "short", entryPrice: number, leverage: number, mmr: number, cumUsd: number, notionalUsd: number): number | null {
  const cumShare = cumUsd / notionalUsd;
  if (side === "long") {
    const lp = (entryPrice * (1 - 1 / leverage - cumShare)) / (1 - mmr);
    return lp > 0 ? lp : null;
  }
  return (entryPrice * (1 + 1 / leverage + cumShare)) / (1 + mmr);
}

/**
 * Problems with a table, as `field: problem` strings (empty when valid): brackets ascending
 * by cap, only the last unbounded, mmr in (0, 1), leverage in [1, 1000], cum ≥ 0.
 */
export function bracketTableProblems(table: BracketTable): string[] {
  const out: string[] = [];
  if (table.brackets.length === 0) out.push("brackets must not be empty");
  let prevCap = 0;
  table.brackets.forEach((br, i) => {
    const at = `brackets.${i}`;
    if (!(br.mmr > 0 && br.mmr < 1)) out.push(`${at}.mmr must be > 0 and < 1 (got ${br.mmr})`);
    if (!(br.maxLeverage >= 1 && br.maxLeverage <= 1000)) out.push(`${at}.maxLeverage must be in [1, 1000] (got ${br.maxLeverage})`);
    if (!(br.cumUsd >= 0)) out.push(`${at}.cumUsd must be >= 0 (got ${br.cumUsd})`);
    if (br.maxNotionalUsd === null) {
      if (i !== table.brackets.length - 1) out.push(`${at}.maxNotionalUsd may be null only on the last bracket`);
    } else if (!(br.maxNotionalUsd > prevCap)) {
      out.push(`${at}.maxNotionalUsd must be > ${prevCap} (got ${br.maxNotionalUsd})`);
    } else prevCap = br.maxNotionalUsd;
  });
  return out;
}
