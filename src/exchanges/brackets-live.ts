/**
 * The maintenance-margin tiers Bybit and OKX publish without a key, fetched live and turned into
 * `BracketTable`s (src/domain/liquidation/brackets.ts), and where to fetch them. Pure: no I/O, no
 * clock (the fetch time comes in as `fetchedAtMs`). The collector polls these in live mode and
 * hands the tables to each symbol's engine (`SymbolObject.setBrackets`); Binance's tiers need an
 * API key, so Binance stays on its shipped table.
 *
 * | venue | endpoint | one row | units |
 * |---|---|---|---|
 * | Bybit | `GET /v5/market/risk-limit?category=linear&symbol=BTCUSDT` | `riskLimitValue` (cap of position value), `maintenanceMargin`, `initialMargin`, `maxLeverage`, `mmDeduction` | cap in USDT for linear contracts; the rates are **fractions in live answers but percent in the documented example** (see below) |
 * | OKX | `GET /api/v5/public/position-tiers?instType=SWAP&tdMode=isolated&instFamily=BTC-USDT` | `tier`, `minSz`, `maxSz` (contracts), `mmr`, `imr`, `maxLever` | caps in contracts (× ctVal → base units), rates as fractions, no deduction |
 *
 * Bybit's rate units. The documentation page (https://bybit-exchange.github.io/docs/v5/market/risk-limit,
 * read 2026-11-28) types `maintenanceMargin` and `initialMargin` as "number … rate" and prints an
 * inverse example with `"maintenanceMargin": "0.5"`, `"initialMargin": "1"` beside `"maxLeverage": "100.00"`:
 * percent (1 % initial margin is 100×). An answer of the linear endpoint recorded from Bybit's
 * testnet on 2026-09-17 (kept in a public Go client's tests) has `"0.005"` / `"0.01"` beside
 * `"100.00"`: fractions. So the unit is decided per answer from a relation the venue keeps,
 * initial margin = 1 / max leverage: `initialMargin × maxLeverage` ≈ 1 means fractions, ≈ 100
 * percent; anything else, or rows disagreeing, rejects the answer naming the field. The same
 * recording lists tiers out of order (`id` 2 before 1), so rows are sorted by cap.
 *
 * OKX: https://www.okx.com/docs-v5/en/#public-data-rest-api-get-position-tiers (read from a
 * markdown copy dated 2026-07-16). Its only example is a `MARGIN` row (`instId` BTC-USDT,
 * `instFamily` ""), which a swap poll never receives and which is rejected here; a live `SWAP`
 * answer (recorded 2026-09-25, BYTEX-TRADE/bytex) names `instFamily` on every row and may hold
 * several families. OKX has no deduction: the tier's mmr applies to the whole position, so
 * `cumUsd` is 0 (see `OKX_RULE` in brackets-data.ts). A bracket's USD cap is its base cap at a
 * reference price the caller gives (the collector's last price of the symbol), as the shipped
 * OKX tables do with their dated reference price; without one the family is skipped.
 */
import { z } from "zod";
import { VENUES, type Venue } from "../domain/events.js";
import { INSTRUMENTS, scaleDecimal } from "../domain/instruments.js";
import { bracketTableProblems, type Bracket, type BracketTable } from "../domain/liquidation/brackets.js";
import { SYMBOLS } from "../domain/symbols.js";
import { UNSIGNED_DECIMAL } from "./frame.js";

/** Default period of the bracket polls (the collector's `BRACKETS_POLL_SECONDS`): venues change tiers rarely. */
export const BRACKETS_POLL_EVERY_MS = 3_600_000;

/** What one answer gave: tables per tracked symbol (and why others were skipped), or why the answer was refused. */
export type LiveBracketsResult = { tables: BracketTable[]; skipped: string[] } | { rejected: string };

export interface LiveBracketsContext {
  /** Wall-clock time of the answer, ms: the tables' `asOf`. */
  fetchedAtMs: number;
  /** The request URL's path and query, for the tables' `source`. */
  endpoint: string;
  /** Price of one unified unit of `symbol` in USD, for OKX's USD caps; undefined when unknown. */
  referencePriceUsd?(symbol: string): number | undefined;
}

/** Where and how one venue's tiers are fetched. */
export interface LiveBracketSource {
  readonly venue: Venue;
  /** Request targets for the instruments a feed holds: Bybit one per instrument, OKX one per family. */
  targets(instruments: readonly string[]): string[];
  /** The unified symbol a target's answer is for (what the OKX parse needs a reference price of). */
  symbolOf(target: string): string | undefined;
  /** True when `parse` needs `referencePriceUsd` for the target's symbol. */
  readonly needsReferencePrice: boolean;
  /** Request URL for one target under the (possibly overridden) REST base URL. */
  url(restUrl: string, target: string): string;
  parse(body: unknown, ctx: LiveBracketsContext): LiveBracketsResult;
}

function base(restUrl: string): string {
  return restUrl.replace(/\/+$/, "");
}

const decimalText = z.string().regex(UNSIGNED_DECIMAL, "must be a decimal string");
/** Bybit documents the rates as numbers and sends strings; both are read. */
const rate = z.union([decimalText, z.number().nonnegative()]);

function issueText(issue: z.core.$ZodIssue): string {
  return `${issue.path.map(String).join(".") || "(answer)"}: ${issue.message}`;
}

function sourceOf(venue: string, endpoint: string, fields: string, iso: string): string {
  return `fetched live from ${venue} GET ${endpoint} at ${iso} (${fields})`;
}

function finish(table: BracketTable): BracketTable | string {
  const problems = bracketTableProblems(table);
  return problems.length === 0 ? table : `${table.symbol}: ${problems.join("; ")}`;
}

// ---------------------------------------------------------------------------------------------
// Bybit
// ---------------------------------------------------------------------------------------------

const BybitRiskLimitRow = z.object({
  symbol: z.string().min(1, "must not be empty"),
  riskLimitValue: decimalText,
  maintenanceMargin: rate,
  initialMargin: rate,
  maxLeverage: decimalText,
  /** "" (or absent) on the first tier. */
  mmDeduction: z.union([z.literal(""), decimalText]).optional(),
});

const BybitRiskLimitAnswer = z.object({
  retCode: z.number(),
  retMsg: z.string().optional(),
  result: z.object({
    category: z.string(),
    list: z.array(z.unknown()).min(1, "must hold at least one tier"),
  }),
});

/** How far `initialMargin × maxLeverage` may be from 1 (fractions) or 100 (percent): Bybit rounds both to 2–4 digits. */
const UNIT_TOLERANCE = 0.05;

/**
 * A Bybit `GET /v5/market/risk-limit?category=linear` answer → one table per tracked symbol in it
 * (sorted by cap; `mmr` as a fraction whatever unit the answer used; cum = `mmDeduction`, on a tier
 * without one the continuity rule's cum_{n−1} + cap_{n−1}·(mmr_n − mmr_{n−1}), 0 on the first).
 */
export function parseBybitRiskLimit(body: unknown, ctx: LiveBracketsContext): LiveBracketsResult {
  const answer = BybitRiskLimitAnswer.safeParse(body);
  if (!answer.success) return { rejected: issueText(answer.error.issues[0]) };
  const { retCode, retMsg, result } = answer.data;
  if (retCode !== 0) return { rejected: `retCode: must be 0 (got ${retCode}${retMsg ? `: ${retMsg}` : ""})` };
  if (result.category !== "linear") return { rejected: `result.category: must be "linear" (got "${result.category}"; inverse caps are in coins)` };
  const bySymbol = new Map<string, { cap: number; lev: number; mmr: number; cum: number | null }[]>();
  let unit: "fraction" | "percent" | undefined;
  for (let i = 0; i < result.list.length; i++) {
    const at = `result.list.${i}`;
    const row = BybitRiskLimitRow.safeParse(result.list[i]);
    if (!row.success) return { rejected: `${at}.${issueText(row.error.issues[0])}` };
    const r = row.data;
    const lev = Number(r.maxLeverage);
    const im = Number(r.initialMargin);
    const mm = Number(r.maintenanceMargin);
    const product = im * lev;
    const rowUnit = Math.abs(product - 1) <= UNIT_TOLERANCE ? "fraction" : Math.abs(product - 100) <= 100 * UNIT_TOLERANCE ? "percent" : undefined;
    if (rowUnit === undefined) {
      return { rejected: `${at}.initialMargin: initialMargin × maxLeverage must be ≈ 1 (fractions) or ≈ 100 (percent), got ${r.initialMargin} × ${r.maxLeverage}` };
    }
    if (unit !== undefined && rowUnit !== unit) return { rejected: `${at}.initialMargin: in ${rowUnit} while earlier rows are in ${unit}` };
    unit = rowUnit;
    if (!(mm <= im)) return { rejected: `${at}.maintenanceMargin: must not exceed initialMargin (got ${r.maintenanceMargin} > ${r.initialMargin})` };
    const list = bySymbol.get(r.symbol) ?? [];
    list.push({ cap: Number(r.riskLimitValue), lev, mmr: rowUnit === "percent" ? mm / 100 : mm, cum: r.mmDeduction ? Number(r.mmDeduction) : null });
    bySymbol.set(r.symbol, list);
  }
  const iso = new Date(ctx.fetchedAtMs).toISOString();
  const tables: BracketTable[] = [];
  const skipped: string[] = [];
  for (const [instrument, rows] of bySymbol) {
    const symbol = SYMBOLS.unify("bybit", instrument);
    if (symbol === undefined) {
      skipped.push(`untracked-symbol:${instrument}`);
      continue;
    }
    rows.sort((a, b) => a.cap - b.cap);
    // A tier without `mmDeduction` ("" on the first, absent in abridged answers) gets the deduction
    // that keeps the margin continuous, as Bybit's published ones do (0 on the first tier).
    let derived = 0;
    const brackets: Bracket[] = [];
    rows.forEach((r, i) => {
      let cum = r.cum;
      if (cum === null) {
        const prev = brackets[i - 1];
        cum = prev === undefined ? 0 : prev.cumUsd + (prev.maxNotionalUsd as number) * (r.mmr - prev.mmr);
        if (prev !== undefined) derived++;
      }
      brackets.push({ maxNotionalUsd: r.cap, maxLeverage: r.lev, mmr: r.mmr, cumUsd: cum });
    });
    const derivedNote = derived > 0 ? `; cum of ${derived} tier(s) without mmDeduction derived by continuity` : "";
    const table = finish({
      id: `bybit:${symbol}:live:${iso}`,
      venue: "bybit",
      symbol,
      source: sourceOf("Bybit", ctx.endpoint, `${rows.length} tiers; riskLimitValue = cap in USDT, maintenanceMargin read as ${unit}, mmDeduction = cum${derivedNote}`, iso),
      asOf: iso,
      assumed: false,
      brackets,
    });
    if (typeof table === "string") return { rejected: table };
    tables.push(table);
  }
  return { tables, skipped };
}

/** Bybit: one request per instrument (the endpoint pages 15 symbols at a time without `symbol`). */
export const BYBIT_BRACKETS: LiveBracketSource = {
  venue: "bybit",
  targets: (instruments) => [...instruments],
  symbolOf: (target) => SYMBOLS.unify("bybit", target),
  needsReferencePrice: false,
  url: (restUrl, instrument) => `${base(restUrl)}/v5/market/risk-limit?category=linear&symbol=${encodeURIComponent(instrument)}`,
  parse: parseBybitRiskLimit,
};

// ---------------------------------------------------------------------------------------------
// OKX
// ---------------------------------------------------------------------------------------------

const OkxTierRow = z.object({
  instFamily: z.string(),
  tier: z.string().regex(/^\d+$/, "must be a tier number"),
  maxSz: decimalText,
  mmr: decimalText,
  imr: decimalText,
  maxLever: decimalText,
});

const OkxTiersAnswer = z.object({
  code: z.string(),
  msg: z.string().optional(),
  data: z.array(z.unknown()).min(1, "must hold at least one tier"),
});

/** OKX instrument family of a swap id: `BTC-USDT-SWAP` → `BTC-USDT`. */
function familyOf(instId: string): string {
  return instId.replace(/-SWAP$/, "");
}

/**
 * An OKX `GET /api/v5/public/position-tiers?instType=SWAP&tdMode=isolated` answer → one table per
 * tracked family in it: `maxBaseQty` = `maxSz` contracts in unified base units (ctVal of
 * src/domain/instruments.ts), `maxNotionalUsd` = that at `referencePriceUsd`, `mmr` as given, cum 0.
 */
export function parseOkxPositionTiers(body: unknown, ctx: LiveBracketsContext): LiveBracketsResult {
  const answer = OkxTiersAnswer.safeParse(body);
  if (!answer.success) return { rejected: issueText(answer.error.issues[0]) };
  const { code, msg, data } = answer.data;
  if (code !== "0") return { rejected: `code: must be "0" (got "${code}"${msg ? `: ${msg}` : ""})` };
  const byFamily = new Map<string, { tier: number; maxSz: string; lev: number; mmr: number }[]>();
  for (let i = 0; i < data.length; i++) {
    const at = `data.${i}`;
    const row = OkxTierRow.safeParse(data[i]);
    if (!row.success) return { rejected: `${at}.${issueText(row.error.issues[0])}` };
    const r = row.data;
    if (r.instFamily === "") return { rejected: `${at}.instFamily: must name a swap family such as BTC-USDT (got ""; a MARGIN answer?)` };
    const lev = Number(r.maxLever);
    const imr = Number(r.imr);
    if (Math.abs(imr * lev - 1) > UNIT_TOLERANCE) return { rejected: `${at}.imr: imr × maxLever must be ≈ 1 (fractions), got ${r.imr} × ${r.maxLever}` };
    const list = byFamily.get(r.instFamily) ?? [];
    list.push({ tier: Number(r.tier), maxSz: r.maxSz, lev, mmr: Number(r.mmr) });
    byFamily.set(r.instFamily, list);
  }
  const iso = new Date(ctx.fetchedAtMs).toISOString();
  const tables: BracketTable[] = [];
  const skipped: string[] = [];
  for (const [family, rows] of byFamily) {
    const instrument = `${family}-SWAP`;
    const symbol = SYMBOLS.unify("okx", instrument);
    const f = INSTRUMENTS.instrument("okx", instrument);
    if (symbol === undefined || f === undefined) {
      skipped.push(`untracked-family:${family}`);
      continue;
    }
    if (f.status === "unverified") {
      skipped.push(`unverified-instrument-facts:${instrument}`);
      continue;
    }
    const price = ctx.referencePriceUsd?.(symbol);
    if (price === undefined || !(price > 0) || !Number.isFinite(price)) {
      skipped.push(`no-reference-price:${symbol}`);
      continue;
    }
    rows.sort((a, b) => a.tier - b.tier);
    const brackets: Bracket[] = rows.map((r) => {
      const maxBaseQty = scaleDecimal(r.maxSz, f.qtyExp);
      return { maxNotionalUsd: maxBaseQty * price, maxLeverage: r.lev, mmr: r.mmr, cumUsd: 0, maxBaseQty };
    });
    const table = finish({
      id: `okx:${symbol}:live:${iso}`,
      venue: "okx",
      symbol,
      source: sourceOf(
        "OKX",
        ctx.endpoint,
        `${rows.length} tiers; maxSz contracts × ctVal ${f.sizeUnitBase} = maxBaseQty; maxNotionalUsd = maxBaseQty × ${price} (last price seen by the collector); mmr as given; cumUsd 0, OKX applies the tier's mmr to the whole position`,
        iso,
      ),
      asOf: iso,
      assumed: false,
      brackets,
    });
    if (typeof table === "string") return { rejected: table };
    tables.push(table);
  }
  return { tables, skipped };
}

/** OKX: one request per instrument family (10 requests per 2 s allowed per IP). */
export const OKX_BRACKETS: LiveBracketSource = {
  venue: "okx",
  targets: (instruments) => [...new Set(instruments.map(familyOf))],
  symbolOf: (family) => SYMBOLS.unify("okx", `${family}-SWAP`),
  needsReferencePrice: true,
  url: (restUrl, family) => `${base(restUrl)}/api/v5/public/position-tiers?instType=SWAP&tdMode=isolated&instFamily=${encodeURIComponent(family)}`,
  parse: parseOkxPositionTiers,
};

const SOURCES: Readonly<Partial<Record<Venue, LiveBracketSource>>> = { bybit: BYBIT_BRACKETS, okx: OKX_BRACKETS };

/** The live bracket source of a venue, or undefined (Binance needs a key; Hyperliquid has none here). */
export function liveBracketSource(venue: string): LiveBracketSource | undefined {
  return (VENUES as readonly string[]).includes(venue) ? SOURCES[venue as Venue] : undefined;
}
