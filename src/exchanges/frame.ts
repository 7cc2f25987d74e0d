/**
 * Boundary helpers shared by the venue mappers: result constructors, decimal
 * string checks, book level parsing with unit conversion, and one-line reasons that name the
 * field. Pure; every schema and regex is built once at module load.
 */
import { z } from "zod";
import type { CanonicalEvent, Level } from "../domain/events.js";
import { type InstrumentFacts, scaleDecimal } from "../domain/instruments.js";
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
    if (typeof p !== "string" || !UNSIGNED_DECIMAL.test(p)) return `${frame}: field "${field}[${i}][0]" must be an unsigned decimal string, got ${preview(p)}`;
    if (typeof q !== "string" || !UNSIGNED_DECIMAL.test(q)) return `${frame}: field "${field}[${i}][1]" must be an unsigned decimal string, got ${preview(q)}`;
    const price = scaleDecimal(p, f.priceExp);
    if (!(price > 0) || !Number.isFinite(price)) return `${frame}: field "${field}[${i}][0]" (price) must be > 0, got "${p}"`;
    const qty = scaleDecimal(q, f.qtyExp);
    if (!Number.isFinite(qty)) return `${frame}: field "${field}[${i}][1]" (size) must be finite, got "${q}"`;
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
 * ignored with the first skip reason.
 */
export function mapItems<T>(
  data: readonly unknown[],
  frameName: string,
  nameField: string,
  factsOf: (instrument: string) => KnownInstrument | string,
  schema: z.ZodType<T>,
  mapItem: (item: T, known: KnownInstrument, i: number) => ItemResult,
  recvTs: number | undefined,
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
    const parsed = schema.safeParse(raw);
    if (!parsed.success) return rejected(describeIssue(frameName, parsed.error.issues[0], raw, `data[${i}]`));
    if (known === undefined) return rejected(`${frameName}: field "data[${i}].${nameField}" must be a non-empty string`);
    const result = mapItem(parsed.data, known, i);
    if (Array.isArray(result)) out.push(...result);
    else if ("kind" in result) out.push(result);
    else if ("skip" in result) firstSkipped ??= result.skip;
    else return rejected(result.reject);
  }
  return out.length > 0 ? events(out, recvTs) : ignored(firstSkipped ?? "empty-batch");
}
