/**
 * Insurance-fund REST responses → `insurance` events, for the venues that publish their fund
 * on a public endpoint, and the polls that fetch them. Pure: no I/O, no clock.
 *
 * | venue | endpoint | what one response holds |
 * |---|---|---|
 * | Bybit | `GET /v5/market/insurance?coin=USDT` | every USDT pool: `symbols` sharing it, `balance`, USD `value`, one `updatedTime` |
 * | OKX | `GET /api/v5/public/insurance-fund?instType=SWAP&instFamily=BTC-USDT` | one instrument family: USD `total`, `details[]` rows with `ts` |
 * | Binance | `GET /fapi/v1/insuranceBalance` | every group of symbols sharing a fund: per-asset `marginBalance` and `updateTime` |
 * | Hyperliquid | — | publishes no insurance fund |
 *
 * Each venue mapper (bybit.ts, okx.ts, binance.ts) hands its REST insurance responses to the
 * function here, so a raw capture replays through `normalize` like a live poll. A response whose
 * structure is wrong is rejected naming the field; pools of untracked symbols are skipped
 * (`untracked-symbol`), and a response with no tracked pool at all is ignored with that reason.
 *
 * Docs (read 2026-11-28):
 * - https://bybit-exchange.github.io/docs/v5/market/insurance (isolated pools update every
 *   minute, shared pools every 24 h)
 * - https://www.okx.com/docs-v5/en/#public-data-rest-api-get-insurance-fund (`regular_update`
 *   rows: daily snapshots after settlement since 2026-06-09, OKX announcement "OKX to optimize
 *   the front-end display and API of the security fund")
 * - https://developers.binance.com/docs/derivatives/usds-margined-futures/market-data/rest-api/Insurance-Fund-Balance
 */
import { z } from "zod";
import type { CanonicalEvent, InsuranceEvent } from "../domain/events.js";
import type { SymbolRegistry } from "../domain/symbols.js";
import type { RestPoll } from "./connection-spec.js";
import { describeIssue, EPOCH_MS_TEXT, events, ignored, isFrame, rejected, SIGNED_DECIMAL } from "./frame.js";
import type { MapResult } from "./types.js";

/** Name of the insurance poll in every venue's `polls` (its period is configurable in the collector). */
export const INSURANCE_POLL_NAME = "insurance";
/** Default period of an insurance poll: the finest cadence any venue publishes (Bybit isolated pools: 1 min). */
export const INSURANCE_POLL_EVERY_MS = 60_000;

const signedDecimal = z.string().regex(SIGNED_DECIMAL, "must be a decimal string");
const epochMsText = z.string().regex(EPOCH_MS_TEXT, "must be epoch milliseconds as a string");

function base(restUrl: string): string {
  return restUrl.replace(/\/+$/, "");
}

/**
 * A short, stable id of a pool shared by `names` in `asset`: `USDT:3:1a2b3c4d` (asset, number of
 * contracts, FNV-1a of the sorted names). Every symbol of the pool gets the same id; a venue that
 * regroups its pools gives a new one.
 */
export function poolIdOf(asset: string, names: readonly string[]): string {
  const sorted = [...names].sort();
  let h = 0x811c9dc5;
  for (const ch of sorted.join(",")) {
    h ^= ch.charCodeAt(0);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return `${asset}:${sorted.length}:${h.toString(16).padStart(8, "0")}`;
}

function finite(text: string, what: string): number | string {
  const n = Number(text);
  return Number.isFinite(n) ? n : `${what} must be finite, got "${text}"`;
}

// ---------------------------------------------------------------------------------------------
// Bybit
// ---------------------------------------------------------------------------------------------

/** https://bybit-exchange.github.io/docs/v5/market/insurance */
const BybitInsuranceResponse = z.object({
  retCode: z.number().int(),
  result: z.object({
    updatedTime: epochMsText,
    list: z.array(z.object({ coin: z.string().min(1, "must not be empty"), symbols: z.string(), balance: signedDecimal, value: signedDecimal })),
  }),
});

/** True for a Bybit `GET /v5/market/insurance` answer (by url, or by shape when there is none). */
export function isBybitInsurance(message: Record<string, unknown>, url: string | undefined): boolean {
  if (url !== undefined && /\/v5\/market\/insurance(?:[?#]|$)/.test(url)) return true;
  const result = message.result;
  return isFrame(result) && "updatedTime" in result && Array.isArray(result.list);
}

/**
 * Bybit pools → one event per tracked symbol listed in a pool's `symbols` (comma-separated;
 * one name = an isolated pool): `balanceUsd` = `value` (USD), `asset` = `coin`, `ts` =
 * `updatedTime`, `shared` when the pool lists more than one contract. A pool with `symbols: ""`
 * (older docs: a pool not tied to named contracts) names no symbol and is skipped.
 */
export function mapBybitInsurance(message: Record<string, unknown>, symbols: SymbolRegistry, recvTs: number | undefined): MapResult {
  if (typeof message.retCode === "number" && message.retCode !== 0) return ignored(`error-response:${message.retCode}`);
  const parsed = BybitInsuranceResponse.safeParse(message);
  if (!parsed.success) return rejected(describeIssue("insurance", parsed.error.issues[0], message));
  const { updatedTime, list } = parsed.data.result;
  const ts = Number(updatedTime);
  const out: CanonicalEvent[] = [];
  let firstSkipped: string | undefined;
  for (let i = 0; i < list.length; i++) {
    const pool = list[i];
    const names = pool.symbols.split(",").map((s) => s.trim()).filter((s) => s !== "");
    if (names.length === 0) {
      firstSkipped ??= "pool-without-symbols";
      continue;
    }
    const balanceUsd = finite(pool.value, `insurance: field "result.list[${i}].value"`);
    if (typeof balanceUsd === "string") return rejected(balanceUsd);
    const poolId = poolIdOf(pool.coin, names);
    for (const name of names) {
      const symbol = symbols.unify("bybit", name);
      if (symbol === undefined) {
        firstSkipped ??= "untracked-symbol";
        continue;
      }
      const event: InsuranceEvent = { kind: "insurance", venue: "bybit", symbol, ts, balanceUsd, asset: pool.coin, poolId, shared: names.length > 1 };
      out.push(event);
    }
  }
  return out.length > 0 ? events(out, recvTs) : ignored(firstSkipped ?? "empty-insurance-list");
}

/** Bybit: every USDT pool in one request (weight: Bybit's public market limit, 1 request a minute here). */
export const BYBIT_INSURANCE_POLL: RestPoll = {
  name: INSURANCE_POLL_NAME,
  everyMs: INSURANCE_POLL_EVERY_MS,
  targets: () => ["USDT"],
  url: (restUrl: string, coin: string) => `${base(restUrl)}/v5/market/insurance?coin=${encodeURIComponent(coin)}`,
};

// ---------------------------------------------------------------------------------------------
// OKX
// ---------------------------------------------------------------------------------------------

/** https://www.okx.com/docs-v5/en/#public-data-rest-api-get-insurance-fund */
const OkxInsuranceItem = z.object({
  instType: z.string(),
  instFamily: z.string(),
  total: signedDecimal,
  details: z.array(z.object({ ccy: z.string().min(1, "must not be empty"), ts: epochMsText })),
});
const OkxInsuranceResponse = z.object({ code: z.string(), data: z.array(z.unknown()) });

/** True for an OKX `GET /api/v5/public/insurance-fund` answer (by url, or by shape when there is none). */
export function isOkxInsurance(message: Record<string, unknown>, url: string | undefined): boolean {
  if (url !== undefined && /\/api\/v5\/public\/insurance-fund(?:[?#]|$)/.test(url)) return true;
  const data = message.data;
  return typeof message.code === "string" && Array.isArray(data) && data.length > 0 && isFrame(data[0]) && "details" in data[0] && "total" in data[0];
}

/**
 * OKX → one event per `data[]` item of a tracked swap family: `balanceUsd` = `total` (the
 * fund's total balance in USD), `ts` = the newest `details[].ts`, `asset` = that row's `ccy`,
 * `poolId` = `SWAP:<instFamily>`, not `shared` (OKX states one fund per instrument family and
 * type). Items of other instrument types (`OPTION`, `FUTURES`) or untracked families are
 * skipped; an item without `details` carries no time and is skipped (`no-details`).
 */
export function mapOkxInsurance(message: Record<string, unknown>, symbols: SymbolRegistry, recvTs: number | undefined): MapResult {
  const parsed = OkxInsuranceResponse.safeParse(message);
  if (!parsed.success) return rejected(describeIssue("insurance-fund", parsed.error.issues[0], message));
  if (parsed.data.code !== "0") return ignored(`error-response:${parsed.data.code.slice(0, 10)}`);
  const out: CanonicalEvent[] = [];
  let firstSkipped: string | undefined;
  const data = parsed.data.data;
  for (let i = 0; i < data.length; i++) {
    const raw = data[i];
    const item = OkxInsuranceItem.safeParse(raw);
    if (!item.success) return rejected(describeIssue("insurance-fund", item.error.issues[0], raw, `data[${i}]`));
    const { instType, instFamily, total, details } = item.data;
    if (instType !== "SWAP") {
      firstSkipped ??= `not-swap:${instType.slice(0, 20)}`;
      continue;
    }
    const symbol = symbols.unify("okx", `${instFamily}-SWAP`);
    if (symbol === undefined) {
      firstSkipped ??= "untracked-symbol";
      continue;
    }
    if (details.length === 0) {
      firstSkipped ??= "no-details";
      continue;
    }
    let newest = details[0];
    for (const d of details) if (Number(d.ts) > Number(newest.ts)) newest = d;
    const balanceUsd = finite(total, `insurance-fund: field "data[${i}].total"`);
    if (typeof balanceUsd === "string") return rejected(balanceUsd);
    const event: InsuranceEvent = {
      kind: "insurance",
      venue: "okx",
      symbol,
      ts: Number(newest.ts),
      balanceUsd,
      asset: newest.ccy,
      poolId: `SWAP:${instFamily}`,
      shared: false,
    };
    out.push(event);
  }
  return out.length > 0 ? events(out, recvTs) : ignored(firstSkipped ?? "empty-insurance-list");
}

/** OKX instrument family of a swap id: `BTC-USDT-SWAP` → `BTC-USDT`. */
export function okxInstFamily(instId: string): string {
  return instId.replace(/-SWAP$/, "");
}

/** OKX: one request per instrument family, spread over the period (10 requests per 2 s allowed per IP). */
export const OKX_INSURANCE_POLL: RestPoll = {
  name: INSURANCE_POLL_NAME,
  everyMs: INSURANCE_POLL_EVERY_MS,
  targets: (instruments: readonly string[]) => [...new Set(instruments.map(okxInstFamily))],
  url: (restUrl: string, family: string) => `${base(restUrl)}/api/v5/public/insurance-fund?instType=SWAP&instFamily=${encodeURIComponent(family)}`,
};

// ---------------------------------------------------------------------------------------------
// Binance
// ---------------------------------------------------------------------------------------------

/** https://developers.binance.com/docs/derivatives/usds-margined-futures/market-data/rest-api/Insurance-Fund-Balance — one group. */
const BinanceInsuranceGroup = z.object({
  symbols: z.array(z.string()),
  assets: z.array(
    z.object({
      asset: z.string().min(1, "must not be empty"),
      marginBalance: signedDecimal,
      updateTime: z.number().int("must be an integer (epoch ms)").nonnegative("must be >= 0"),
    }),
  ),
});

/** True for one group of a Binance `GET /fapi/v1/insuranceBalance` answer. */
export function isBinanceInsuranceGroup(message: Record<string, unknown>): boolean {
  return "symbols" in message && "assets" in message;
}

/**
 * One Binance group → one event per tracked symbol of `symbols`: `balanceUsd` = the `USDT`
 * asset's `marginBalance`, counted at par (the response values no asset in USD; the USDⓈ-M
 * perpetuals liqflow tracks settle in USDT), `ts` = its `updateTime`, `shared` when the group
 * lists more than one symbol. Other assets of the group (USDC, BTC, BNFCR in the documented
 * example) are left out, not converted. A group without a USDT asset is skipped (`no-usdt-asset`).
 */
export function mapBinanceInsuranceGroup(message: Record<string, unknown>, symbols: SymbolRegistry, recvTs: number | undefined): MapResult {
  const parsed = BinanceInsuranceGroup.safeParse(message);
  if (!parsed.success) return rejected(describeIssue("insuranceBalance", parsed.error.issues[0], message));
  const group = parsed.data;
  const tracked: string[] = [];
  for (const name of group.symbols) {
    const symbol = symbols.unify("binance", name);
    if (symbol !== undefined) tracked.push(symbol);
  }
  if (tracked.length === 0) return ignored("untracked-symbol");
  const usdtAt = group.assets.findIndex((a) => a.asset === "USDT");
  if (usdtAt < 0) return ignored("no-usdt-asset");
  const usdt = group.assets[usdtAt];
  const balanceUsd = finite(usdt.marginBalance, `insuranceBalance: field "assets[${usdtAt}].marginBalance"`);
  if (typeof balanceUsd === "string") return rejected(balanceUsd);
  const poolId = poolIdOf("USDT", group.symbols);
  const shared = group.symbols.length > 1;
  return events(
    tracked.map((symbol): InsuranceEvent => ({ kind: "insurance", venue: "binance", symbol, ts: usdt.updateTime, balanceUsd, asset: "USDT", poolId, shared })),
    recvTs,
  );
}

/** Binance: every group in one request without `symbol` (weight 1). */
export const BINANCE_INSURANCE_POLL: RestPoll = {
  name: INSURANCE_POLL_NAME,
  everyMs: INSURANCE_POLL_EVERY_MS,
  targets: () => ["all"],
  url: (restUrl: string) => `${base(restUrl)}/fapi/v1/insuranceBalance`,
};
