/**
 * Per-venue instrument facts: what one unit of a venue's size and price fields is, in the unified
 * symbol's units, each with its source. The one table the Bybit, OKX and Hyperliquid mappers (and
 * the OKX book checksum) convert quantities and prices with; no adapter holds its own constants.
 *
 * Units. A unified symbol counts its base asset in `UNIFIED_UNITS` (1 for all but `1000PEPEUSDT`,
 * which counts in units of 1000 PEPE, as Binance and Bybit list it). A venue's size field counts
 * `sizeUnitBase` base-asset units (an OKX contract: `ctVal`; a Bybit or Hyperliquid size: one coin
 * of the instrument's base, and Bybit's `1000PEPE` and Hyperliquid's `kPEPE` are themselves 1000
 * PEPE), and its price field is the price of `priceUnitBase` base-asset units. Every factor is a
 * power of ten, so conversions move a decimal point in the venue's text and are exact:
 *
 *   qty (unified)   = venue size  × 10^qtyExp,    qtyExp   = log10(sizeUnitBase)  − log10(unified unit)
 *   price (unified) = venue price × 10^priceExp,  priceExp = log10(unified unit) − log10(priceUnitBase)
 *
 * e.g. OKX PEPE-USDT-SWAP: 1 contract = 10,000,000 PEPE = 10,000 units of 1000 PEPE (qtyExp 4),
 * its price is per PEPE, so the price of 1000 PEPE is 1000× it (priceExp 3).
 *
 * Status. `verified`: stated by the venue itself (its docs, its help pages, its listing
 * announcement, or a response it sent in a recording here). `corroborated`: taken from public
 * code or data generated from the venue's API, not from the venue's own words. `unverified`: no
 * source found; the value is kept as a lead but **never used**: the mappers ignore such an
 * instrument's messages (`unverified-instrument-facts:<name>`) rather than risk sizes off by
 * orders of magnitude. A venue can change a contract value after listing; `checkOkxInstruments`
 * compares this table with a live `GET /api/v5/public/instruments?instType=SWAP` answer.
 */
import type { Level, Venue } from "./events.js";

export type FactStatus = "verified" | "corroborated" | "unverified";

export interface InstrumentFacts {
  venue: Venue;
  /** The venue's instrument name, e.g. `BTC-USDT-SWAP`, `BTCUSDT`, `kPEPE`. */
  instrument: string;
  /** Unified symbol, e.g. `BTCUSDT`. */
  symbol: string;
  /** Base-asset units in one unit of the venue's size field, as a decimal string (OKX `ctVal`). */
  sizeUnitBase: string;
  /** Base-asset units the venue's price field is the price of, as a decimal string. */
  priceUnitBase: string;
  /** unified qty = venue size × 10^qtyExp. */
  qtyExp: number;
  /** unified price = venue price × 10^priceExp. */
  priceExp: number;
  /** unified qty = base-asset qty × 10^baseExp (−3 for `1000PEPEUSDT`, else 0), for fields the venue states in the base asset (OKX `oiCcy`). */
  baseExp: number;
  status: FactStatus;
  /** Where the fact comes from (URL and date retrieved, or the recording that states it). */
  source: string;
}

/** Base-asset units one unit of a unified symbol counts; symbols not listed count 1. */
export const UNIFIED_UNITS: Readonly<Record<string, string>> = {
  // Binance and Bybit list 1000PEPEUSDT (base coin `1000PEPE`); liqflow keeps that spelling.
  "1000PEPEUSDT": "1000",
};

const POWER_OF_TEN = /^(?:1(0*)|0\.(0*)1)$/;

const RETRIEVED = "retrieved 2026-11-28";
const OKX_HELP_BTC = `https://www.okx.com/help/7053456733325 ("BTCUSDT Perpetual Contract Specifications: Contract Size 0.01BTC"), ${RETRIEVED}`;
const CRYPTO_CRAWLER =
  "corroborated by crypto-crawler-rs crypto-contract-value/src/exchanges/okx.rs (offline table the authors generated from OKX GET /api/v5/public/instruments?instType=SWAP, ~2022), " +
  RETRIEVED;
const OKX_LIVE_FIXTURE_2026 =
  "an OKX instruments record recorded live on 2026-09-25 and published in a public test fixture (Bytex.Adapters OkxPayloads.cs)";
const BYBIT_INSTRUMENTS_2026 =
  "Bybit v5 linear qty is in the base coin (https://bybit-exchange.github.io/docs/v5/market/instrument); baseCoin as stated by GET /v5/market/instruments-info?category=linear in data/recorded/bybit/cryptofeed_BYBIT_v5_20260809.jsonl.gz (line 2, 2026-08-09)";
const HYPERLIQUID_SZ =
  "Hyperliquid sizes and prices are in coin units (https://hyperliquid.gitbook.io/hyperliquid-docs/for-developers/api/websocket/subscriptions: WsTrade px/sz, WsLevel px/sz, PerpsAssetCtx openInterest)";

/** [unified symbol, OKX instId, ctVal (base units per contract), status, source]. */
const OKX_SWAPS: ReadonlyArray<readonly [string, string, string, FactStatus, string]> = [
  ["BTCUSDT", "BTC-USDT-SWAP", "0.01", "verified", `${OKX_HELP_BTC}; also ${OKX_LIVE_FIXTURE_2026}`],
  ["ETHUSDT", "ETH-USDT-SWAP", "0.1", "corroborated", `${OKX_LIVE_FIXTURE_2026}; ${CRYPTO_CRAWLER}`],
  ["SOLUSDT", "SOL-USDT-SWAP", "1", "corroborated", CRYPTO_CRAWLER],
  ["XRPUSDT", "XRP-USDT-SWAP", "100", "corroborated", CRYPTO_CRAWLER],
  [
    "BNBUSDT",
    "BNB-USDT-SWAP",
    "0.01",
    "corroborated",
    `weak: test fixtures in two public repositories give ctVal 0.01 (no OKX statement found), ${RETRIEVED}`,
  ],
  ["DOGEUSDT", "DOGE-USDT-SWAP", "1000", "corroborated", CRYPTO_CRAWLER],
  ["ADAUSDT", "ADA-USDT-SWAP", "100", "corroborated", CRYPTO_CRAWLER],
  ["AVAXUSDT", "AVAX-USDT-SWAP", "1", "corroborated", CRYPTO_CRAWLER],
  ["LINKUSDT", "LINK-USDT-SWAP", "1", "corroborated", CRYPTO_CRAWLER],
  ["LTCUSDT", "LTC-USDT-SWAP", "1", "corroborated", CRYPTO_CRAWLER],
  ["DOTUSDT", "DOT-USDT-SWAP", "1", "corroborated", CRYPTO_CRAWLER],
  ["TRXUSDT", "TRX-USDT-SWAP", "1000", "corroborated", CRYPTO_CRAWLER],
  ["BCHUSDT", "BCH-USDT-SWAP", "0.1", "corroborated", CRYPTO_CRAWLER],
  [
    "SUIUSDT",
    "SUI-USDT-SWAP",
    "1",
    "verified",
    `OKX listing announcement for SUIUSDT perpetual (May 2023, "Face Value 1 SUI"), read in a re-post at https://pastorq.com/2266.html, ${RETRIEVED}`,
  ],
  ["NEARUSDT", "NEAR-USDT-SWAP", "10", "corroborated", CRYPTO_CRAWLER],
  [
    "APTUSDT",
    "APT-USDT-SWAP",
    "1",
    "verified",
    `OKX listing announcement for APTUSDT perpetual (2022-10-18, "合约面值 1APT"), read in a re-post at https://fjop.com/info/231523.html, ${RETRIEVED}`,
  ],
  [
    "ARBUSDT",
    "ARB-USDT-SWAP",
    "10",
    "verified",
    `OKX help page "OKX to enable margin trading and savings and list perpetual for ARB" (2023-03-23, face value 10), mirror https://www.oyuzh.com/ru/help/okx-to-enable-margin-trading-and-savings-and-list-perpetual-for-arb, ${RETRIEVED}`,
  ],
  ["OPUSDT", "OP-USDT-SWAP", "1", "corroborated", CRYPTO_CRAWLER],
  ["TONUSDT", "TON-USDT-SWAP", "1", "corroborated", `${CRYPTO_CRAWLER} (listed there as TONCOIN/USDT, OKX's earlier name for TON)`],
  [
    "1000PEPEUSDT",
    "PEPE-USDT-SWAP",
    "10000000",
    "verified",
    `OKX listing announcement for PEPE USDT perpetual swap (2023-05-03, "Face Value 10,000,000 PEPE"), read in a re-post at https://www.amorrr.com/5671.html, ${RETRIEVED}`,
  ],
  [
    "WIFUSDT",
    "WIF-USDT-SWAP",
    "1",
    "unverified",
    `no OKX statement found; public code disagrees (1 and 10), ${RETRIEVED}. Not used until verified (see checkOkxInstruments)`,
  ],
];

/** Unified symbols Bybit lists as linear perpetuals (recorded instruments-info, 2026-08-09): TONUSDT is absent there. */
const BYBIT_LINEAR: readonly string[] = [
  "BTCUSDT", "ETHUSDT", "SOLUSDT", "XRPUSDT", "BNBUSDT", "DOGEUSDT", "ADAUSDT", "AVAXUSDT", "LINKUSDT", "LTCUSDT", "DOTUSDT",
  "TRXUSDT", "BCHUSDT", "SUIUSDT", "NEARUSDT", "APTUSDT", "ARBUSDT", "OPUSDT", "1000PEPEUSDT", "WIFUSDT",
];

/** [unified symbol, Hyperliquid coin]. */
const HYPERLIQUID_COINS: ReadonlyArray<readonly [string, string]> = [
  ["BTCUSDT", "BTC"], ["ETHUSDT", "ETH"], ["SOLUSDT", "SOL"], ["XRPUSDT", "XRP"], ["BNBUSDT", "BNB"], ["DOGEUSDT", "DOGE"],
  ["ADAUSDT", "ADA"], ["AVAXUSDT", "AVAX"], ["LINKUSDT", "LINK"], ["LTCUSDT", "LTC"], ["DOTUSDT", "DOT"], ["TRXUSDT", "TRX"],
  ["BCHUSDT", "BCH"], ["SUIUSDT", "SUI"], ["NEARUSDT", "NEAR"], ["APTUSDT", "APT"], ["ARBUSDT", "ARB"], ["OPUSDT", "OP"],
  ["TONUSDT", "TON"], ["1000PEPEUSDT", "kPEPE"], ["WIFUSDT", "WIF"],
];

/** Every fact, built and checked once at module load. */
export const INSTRUMENT_FACTS: readonly InstrumentFacts[] = [
  ...OKX_SWAPS.map(([symbol, instrument, ctVal, status, source]) =>
    facts("okx", instrument, symbol, ctVal, "1", status, `ctVal ${ctVal} ${baseAsset(instrument)} per contract: ${source}`),
  ),
  ...BYBIT_LINEAR.map((symbol) => {
    const unit = UNIFIED_UNITS[symbol] ?? "1";
    return facts("bybit", symbol, symbol, unit, unit, "verified", BYBIT_INSTRUMENTS_2026);
  }),
  ...HYPERLIQUID_COINS.map(([symbol, coin]) => {
    if (coin !== "kPEPE") return facts("hyperliquid", coin, symbol, "1", "1", "verified", HYPERLIQUID_SZ);
    return facts(
      "hyperliquid",
      coin,
      symbol,
      "1000",
      "1000",
      "corroborated",
      `${HYPERLIQUID_SZ}; kPEPE counts 1000 PEPE: a public SDK's token list documents "KPEPE: the 1000PEPE token" (no Hyperliquid page stating it was found), ${RETRIEVED}`,
    );
  }),
];

/** Lookup of instrument facts by venue instrument and by unified symbol. */
export class InstrumentTable {
  private readonly byInstrument = new Map<string, InstrumentFacts>();
  private readonly bySymbol = new Map<string, InstrumentFacts>();

  constructor(readonly facts: readonly InstrumentFacts[] = INSTRUMENT_FACTS) {
    for (const f of facts) {
      const key = `${f.venue}:${f.instrument}`;
      if (this.byInstrument.has(key)) throw new Error(`InstrumentTable: duplicate instrument ${key}`);
      this.byInstrument.set(key, f);
      this.bySymbol.set(`${f.venue}:${f.symbol}`, f);
    }
  }

  /** Facts of a venue instrument, or undefined when the table has none. */
  instrument(venue: Venue, instrument: string): InstrumentFacts | undefined {
    return this.byInstrument.get(`${venue}:${instrument}`);
  }

  /** Facts of a unified symbol on a venue, or undefined when the table has none. */
  symbol(venue: Venue, symbol: string): InstrumentFacts | undefined {
    return this.bySymbol.get(`${venue}:${symbol}`);
  }
}

export const INSTRUMENTS = new InstrumentTable();

/**
 * A facts record, checked: both unit strings must be powers of ten (`0.01`, `1`, `10000000`).
 * Throws naming the instrument and the field otherwise.
 */
export function facts(
  venue: Venue,
  instrument: string,
  symbol: string,
  sizeUnitBase: string,
  priceUnitBase: string,
  status: FactStatus,
  source: string,
): InstrumentFacts {
  const unified = UNIFIED_UNITS[symbol] ?? "1";
  const sizeExp = powerOfTen(sizeUnitBase, `${venue}:${instrument} sizeUnitBase`);
  const priceExp = powerOfTen(priceUnitBase, `${venue}:${instrument} priceUnitBase`);
  const unifiedExp = powerOfTen(unified, `UNIFIED_UNITS[${symbol}]`);
  return {
    venue,
    instrument,
    symbol,
    sizeUnitBase,
    priceUnitBase,
    qtyExp: sizeExp - unifiedExp,
    priceExp: unifiedExp - priceExp,
    baseExp: 0 - unifiedExp, // not `-unifiedExp`: that is -0 for 0
    status,
    source,
  };
}

function baseAsset(okxInstId: string): string {
  return okxInstId.slice(0, okxInstId.indexOf("-"));
}

/** log10 of a power-of-ten decimal string; throws naming `what` for anything else. */
function powerOfTen(text: string, what: string): number {
  const m = POWER_OF_TEN.exec(text);
  if (m === null) throw new Error(`instrument facts: ${what} must be a power of ten (1, 10, 0.01, …), got ${JSON.stringify(text)}`);
  return m[1] !== undefined ? m[1].length : -(m[2].length + 1);
}

/**
 * `text × 10^exp` as the nearest double, where `text` is a plain decimal (`"415"`, `"0.00001068"`,
 * `"-0.0001"`): the decimal point is moved in the text, so `"415"` at exp −2 is exactly `4.15`.
 */
export function scaleDecimal(text: string, exp: number): number {
  if (exp === 0) return Number(text);
  const negative = text.charCodeAt(0) === 0x2d;
  const body = negative ? text.slice(1) : text;
  const dot = body.indexOf(".");
  const digits = dot < 0 ? body : body.slice(0, dot) + body.slice(dot + 1);
  const point = (dot < 0 ? body.length : dot) + exp;
  const shifted = placePoint(digits, point);
  return Number(negative ? `-${shifted}` : shifted);
}

/**
 * The plain decimal text of `value × 10^exp`, canonical as OKX writes numbers (no exponent, no
 * leading zeros but one, no trailing fractional zeros): the inverse of {@link scaleDecimal} on
 * canonical text, used to rebuild a venue's own strings for its book checksum.
 */
export function decimalText(value: number, exp: number): string {
  let text = String(value);
  const e = text.indexOf("e");
  let shift = exp;
  if (e >= 0) {
    shift += Number(text.slice(e + 1));
    text = text.slice(0, e);
  }
  const negative = text.charCodeAt(0) === 0x2d;
  const body = negative ? text.slice(1) : text;
  const dot = body.indexOf(".");
  const digits = dot < 0 ? body : body.slice(0, dot) + body.slice(dot + 1);
  const point = (dot < 0 ? body.length : dot) + shift;
  const out = canonical(placePoint(digits, point));
  return negative && out !== "0" ? `-${out}` : out;
}

function placePoint(digits: string, point: number): string {
  if (point <= 0) return `0.${"0".repeat(-point)}${digits}`;
  if (point >= digits.length) return digits + "0".repeat(point - digits.length);
  return `${digits.slice(0, point)}.${digits.slice(point)}`;
}

function canonical(text: string): string {
  const dot = text.indexOf(".");
  let int = dot < 0 ? text : text.slice(0, dot);
  let frac = dot < 0 ? "" : text.slice(dot + 1);
  let i = 0;
  while (i < int.length - 1 && int.charCodeAt(i) === 0x30) i++;
  int = int.slice(i);
  let j = frac.length;
  while (j > 0 && frac.charCodeAt(j - 1) === 0x30) j--;
  frac = frac.slice(0, j);
  return frac === "" ? int || "0" : `${int || "0"}.${frac}`;
}

/** Levels in unified units back into the venue's canonical price and size text (for checksums). */
export function venueLevelText(levels: readonly Level[], count: number, f: Pick<InstrumentFacts, "qtyExp" | "priceExp">): Array<[string, string]> {
  const n = Math.min(count, levels.length);
  const out: Array<[string, string]> = new Array(n);
  for (let i = 0; i < n; i++) out[i] = [decimalText(levels[i][0], -f.priceExp), decimalText(levels[i][1], -f.qtyExp)];
  return out;
}

/** A difference between this table and a venue's instruments answer. */
export interface InstrumentMismatch {
  instrument: string;
  field: string;
  table: string;
  venue: string;
}

/**
 * Compares the OKX facts with an OKX `GET /api/v5/public/instruments?instType=SWAP` response body:
 * every tracked instrument must be listed, linear, with the table's `ctVal` and `ctValCcy`.
 * Returns the differences (empty when all agree), unverified entries included, so that a live
 * answer can confirm or correct them.
 */
export function checkOkxInstruments(body: unknown, table: InstrumentTable = INSTRUMENTS): InstrumentMismatch[] {
  const listed = new Map<string, Record<string, unknown>>();
  const data = typeof body === "object" && body !== null ? (body as { data?: unknown }).data : undefined;
  if (Array.isArray(data)) {
    for (const item of data) {
      if (typeof item === "object" && item !== null && typeof (item as { instId?: unknown }).instId === "string") {
        listed.set((item as { instId: string }).instId, item as Record<string, unknown>);
      }
    }
  }
  const out: InstrumentMismatch[] = [];
  for (const f of table.facts) {
    if (f.venue !== "okx") continue;
    const item = listed.get(f.instrument);
    if (item === undefined) {
      out.push({ instrument: f.instrument, field: "instId", table: f.instrument, venue: "(not listed)" });
      continue;
    }
    const ctVal = String(item.ctVal ?? "");
    if (ctVal === "" || Number(ctVal) !== Number(f.sizeUnitBase)) out.push({ instrument: f.instrument, field: "ctVal", table: f.sizeUnitBase, venue: ctVal });
    const ccy = String(item.ctValCcy ?? "");
    if (ccy !== baseAsset(f.instrument)) out.push({ instrument: f.instrument, field: "ctValCcy", table: baseAsset(f.instrument), venue: ccy });
    if (item.ctType !== "linear") out.push({ instrument: f.instrument, field: "ctType", table: "linear", venue: String(item.ctType ?? "") });
  }
  return out;
}
