/**
 * Boundary helpers shared by the venue mappers: result constructors, decimal
 * string checks, book level parsing with unit conversion, and one-line reasons that name the
 * field. Pure; every schema and regex is built once at module load.
 */
import { z } from "zod";
import type { CanonicalEvent, Level } from "../domain/events.js";
import { type InstrumentFacts, scaleDecimal } from "../domain/instruments.js";
import { unsignedDecimal } from "./decimal.js";
import type { MapResult } from "./types.js";

export type Frame = Record<string, unknown>;

/** An unsigned plain decimal as the venues write numbers: digits, optionally a point and digits. */
export const UNSIGNED_DECIMAL = /^\d+(?:\.\d+)?$/;
/** A signed plain decimal (funding rates). */
export const SIGNED_DECIMAL = /^-?\d+(?:\.\d+)?$/;
/** Epoch milliseconds written as a string (OKX, Bybit `nextFundingTime`). */
export const EPOCH_MS_TEXT = /^\d{1,16}$/;

/** A venue's decimal string (price, size), unsigned: the mappers' shared field schema. */
export const decimalText = z.string().regex(UNSIGNED_DECIMAL, "must be an unsigned decimal string");
/** Epoch milliseconds as a JSON number. */
export const epochMsNumber = z.number().int("must be an integer (epoch ms)").nonnegative("must be >= 0");

export function isFrame(value: unknown): value is Frame {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The frame names an instrument (a non-empty string); validation reports any other value. */
export function isNamed(instrument: unknown): instrument is string {
  return typeof instrument === "string" && instrument.length > 0;
}

export function events(list: CanonicalEvent[], recvTs: number | undefined): MapResult {
  if (recvTs !== undefined) for (const e of list) e.recvTs = recvTs;
  return { events: list };
}

export function ignored(reason: string): MapResult {
  return { events: [], ignored: reason };
}

export function rejected(reason: string): MapResult {
  return { events: [], rejected: reason };
}

export function preview(value: unknown): string {
  const text = typeof value === "number" && !Number.isFinite(value) ? String(value) : (JSON.stringify(value) ?? String(value));
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}

/**
 * Book levels `[["price", "size", …], …]` (Bybit sends pairs, OKX four strings) → unified
 * `[price, qty]`, checked by hand rather than by zod: this loop is a mapper's hot path. Prices
 * must be > 0; sizes >= 0 (0 removes a level). Returns the reason naming the first bad level instead.
 */
export function parseLevels(raw: unknown, frame: string, field: string, f: Pick<InstrumentFacts, "qtyExp" | "priceExp">): Level[] | string {
  if (raw === undefined) return `${frame}: missing field "${field}"`;
  if (!Array.isArray(raw)) return `${frame}: field "${field}" must be an array, got ${preview(raw)}`;
  const out: Level[] = new Array(raw.length);
  for (let i = 0; i < raw.length; i++) {
    const level: unknown = raw[i];
    if (!Array.isArray(level) || level.length < 2) return `${frame}: field "${field}[${i}]" must be a [price, size] array, got ${preview(level)}`;
    const p: unknown = level[0];
    const q: unknown = level[1];
    // One pass per string checks the UNSIGNED_DECIMAL shape and, in the venue's own units, converts (NaN: not that shape).
    const rawPrice = typeof p === "string" ? unsignedDecimal(p) : Number.NaN;
    if (Number.isNaN(rawPrice)) return `${frame}: field "${field}[${i}][0]" must be an unsigned decimal string, got ${preview(p)}`;
    const rawQty = typeof q === "string" ? unsignedDecimal(q) : Number.NaN;
    if (Number.isNaN(rawQty)) return `${frame}: field "${field}[${i}][1]" must be an unsigned decimal string, got ${preview(q)}`;
    const price = f.priceExp === 0 ? rawPrice : scaleDecimal(p as string, f.priceExp);
    if (!(price > 0) || !Number.isFinite(price)) return `${frame}: field "${field}[${i}][0]" (price) must be > 0, got "${p as string}"`;
    const qty = f.qtyExp === 0 ? rawQty : scaleDecimal(q as string, f.qtyExp);
    if (!Number.isFinite(qty)) return `${frame}: field "${field}[${i}][1]" (size) must be finite, got "${q as string}"`;
    out[i] = [price, qty];
  }
  return out;
}

/**
 * A positive quantity or price from a checked decimal string, in unified units; the reason
 * otherwise. `what` names the field in the reason, e.g. `trades: field "data[0].sz" (size)`.
 */
export function positive(text: string, exp: number, what: string): number | string {
  const value = scaleDecimal(text, exp);
  if (!(value > 0) || !Number.isFinite(value)) return `${what} must be > 0, got "${text}"`;
  return value;
}

/**
 * Checks a frame against its zod schema the cheap way. `accepts` is a hand-written predicate
 * that accepts exactly the values `schema` accepts (test/unit/exchanges/frame-checks.test.ts
 * holds the two equal on real and mutated frames); zod runs only on a frame the predicate
 * refuses, to find the first issue and name it. Same verdict, same reason, without zod's cost
 * on every good frame of the hot path (issue 16). Returns the reason, or undefined when the frame passes.
 */
export function checkFrame(frame: Frame, accepts: (frame: Frame) => boolean, schema: z.ZodType, name: string): string | undefined {
  if (accepts(frame)) return undefined;
  const parsed = schema.safeParse(frame);
  return parsed.success ? undefined : describeIssue(name, parsed.error.issues[0], frame);
}

/** What `z.number().int().nonnegative()` accepts (ids, epoch ms): a safe integer >= 0. */
export function isNonNegativeInt(value: unknown): value is number {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0;
}

/** What `z.number().int()` accepts: a safe integer. */
export function isSafeInt(value: unknown): value is number {
  return typeof value === "number" && Number.isSafeInteger(value);
}

/** What `z.string().min(1)` accepts. */
export function isNonEmptyString(value: unknown): value is string {
  return typeof value === "string" && value.length > 0;
}

/** A one-line reason naming the frame, the field path and what was wrong with it. */
export function describeIssue(frame: string, issue: z.core.$ZodIssue, raw: unknown, prefix = ""): string {
  const path = prefix + formatPath(issue.path, prefix !== "");
  let value: unknown = raw;
  for (const key of issue.path) value = isFrame(value) || Array.isArray(value) ? (value as Record<PropertyKey, unknown>)[key] : undefined;
  if (value === undefined) return `${frame}: missing field "${path}"`;
  let problem: string;
  switch (issue.code) {
    case "invalid_type":
      if (issue.expected === "int") problem = issue.message;
      else problem = `must be ${issue.expected === "array" || issue.expected === "object" ? "an" : "a"} ${issue.expected}`;
      break;
    case "invalid_value":
      problem = `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`;
      break;
    default:
      problem = issue.message;
  }
  return `${frame}: field "${path}" ${problem}, got ${preview(value)}`;
}

function formatPath(path: readonly PropertyKey[], continued: boolean): string {
  let out = "";
  for (const key of path) out += typeof key === "number" ? `[${key}]` : out === "" && !continued ? String(key) : `.${String(key)}`;
  return out;
}

/** What one item of a batch frame gave: event(s), a reason to skip the item, or a rejection of the whole frame. */
export type ItemResult = CanonicalEvent | CanonicalEvent[] | { skip: string } | { reject: string };

/** An instrument the venue tracks: its unified symbol and unit facts; or the reason it is not used. */
export type KnownInstrument = { symbol: string; f: InstrumentFacts };

/**
 * Maps a batch frame's `data[]` (Bybit, OKX, Hyperliquid) by one rule for every venue and
 * channel: an item whose instrument (`item[nameField]`) `factsOf` does not track is skipped with
 * that reason; an item that fails `schema` rejects the whole frame, naming the field; otherwise
 * `mapItem` gives its event(s), a skip, or a rejection. With no event at all, the frame is
 * ignored with the first skip reason. `accepts`, when given, is `schema`'s hand-written twin
 * (it must accept exactly what the schema accepts): an item it accepts skips zod.
 */
export function mapItems<T>(
  data: readonly unknown[],
  frameName: string,
  nameField: string,
  factsOf: (instrument: string) => KnownInstrument | string,
  schema: z.ZodType<T>,
  mapItem: (item: T, known: KnownInstrument, i: number) => ItemResult,
  recvTs: number | undefined,
  accepts?: (item: Frame) => boolean,
): MapResult {
  const out: CanonicalEvent[] = [];
  let firstSkipped: string | undefined;
  for (let i = 0; i < data.length; i++) {
    const raw: unknown = data[i];
    const name = isFrame(raw) ? raw[nameField] : undefined;
    const known = isNamed(name) ? factsOf(name) : undefined;
    if (typeof known === "string") {
      firstSkipped ??= known;
      continue;
    }
    let item: T;
    // A hand-written twin of `schema` (see checkFrame) lets a good item skip zod; zod names what is wrong with a bad one.
    if (accepts !== undefined && isFrame(raw) && accepts(raw)) item = raw as T;
    else {
      const parsed = schema.safeParse(raw);
      if (!parsed.success) return rejected(describeIssue(frameName, parsed.error.issues[0], raw, `data[${i}]`));
      item = parsed.data;
    }
    if (known === undefined) return rejected(`${frameName}: field "data[${i}].${nameField}" must be a non-empty string`);
    const result = mapItem(item, known, i);
    if (Array.isArray(result)) out.push(...result);
    else if ("kind" in result) out.push(result);
    else if ("skip" in result) firstSkipped ??= result.skip;
    else return rejected(result.reject);
  }
  return out.length > 0 ? events(out, recvTs) : ignored(firstSkipped ?? "empty-batch");
}
