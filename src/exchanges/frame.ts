/**
 * Boundary helpers shared by the venue mappers, so that every venue reads a frame by the same
 * rules: result constructors, decimal string checks, the start of every map method (look the
 * instrument up, ignore an untracked one, check the frame, reject naming the field: `admit`
 * for a frame, `mapItems` for a batch's items), book level parsing with unit conversion, and
 * one-line reasons that name the field. Pure; every schema and regex is built once at module load.
 */
import { z } from "zod";
import type { CanonicalEvent, Level } from "../domain/events.js";
import { type InstrumentFacts, scaleDecimal } from "../domain/instruments.js";
import { unsignedDecimal } from "./decimal.js";
import type { InstrumentLookup, KnownInstrument, TrackedSymbol } from "./tracked-instruments.js";
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
/** A non-empty string: instrument names, trade ids. */
export const nonEmptyText = z.string().min(1, "must not be empty");

export function isFrame(value: unknown): value is Frame {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The frame names an instrument (a non-empty string); validation reports any other value. */
export function isNamed(instrument: unknown): instrument is string {
  return typeof instrument === "string" && instrument.length > 0;
}

/** The events a message became, each stamped with the local receive time when there is one. */
export function events(list: CanonicalEvent[], recvTs: number | undefined): MapResult {
  if (recvTs !== undefined) for (const e of list) e.recvTs = recvTs;
  return { events: list };
}

/** A message understood but not used (see {@link MapResult}). */
export function ignored(reason: string): MapResult {
  return { events: [], ignored: reason };
}

/** A malformed message, with the reason naming the field (see {@link MapResult}). */
export function rejected(reason: string): MapResult {
  return { events: [], rejected: reason };
}

/** A value as a reason quotes it: JSON, cut to 60 characters. */
export function preview(value: unknown): string {
  const text = typeof value === "number" && !Number.isFinite(value) ? String(value) : (JSON.stringify(value) ?? String(value));
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}

/** How a venue writes a book level `["price", "size", …]`. */
export interface LevelFormat {
  /** Exactly two strings (Binance's `[price, qty]` pair); otherwise two or more (Bybit sends pairs, OKX four strings). */
  readonly pairOnly: boolean;
  /** Most digits on each side of the point (Binance bounds them; Infinity for no bound). */
  readonly maxDigits: number;
}

/** Levels of two or more strings, digits unbounded (Bybit, OKX). */
export const LEVELS: LevelFormat = { pairOnly: false, maxDigits: Number.POSITIVE_INFINITY };

/** Prices and sizes already in unified units (no conversion). */
export const UNIT_FACTS: Pick<InstrumentFacts, "qtyExp" | "priceExp"> = { priceExp: 0, qtyExp: 0 };

/**
 * Book levels `[["price", "size", …], …]` → unified `[price, qty]`, checked by hand rather than
 * by zod: depth frames carry tens to thousands of levels and this loop is a mapper's hot path.
 * Prices must be > 0; sizes >= 0 (0 removes a level). Returns the reason naming the first bad
 * level instead.
 */
export function parseLevels(
  raw: unknown,
  frame: string,
  field: string,
  f: Pick<InstrumentFacts, "qtyExp" | "priceExp">,
  format: LevelFormat = LEVELS,
): Level[] | string {
  if (raw === undefined) return `${frame}: missing field "${field}"`;
  if (!Array.isArray(raw)) return `${frame}: field "${field}" must be an array, got ${preview(raw)}`;
  const out: Level[] = new Array(raw.length);
  const { pairOnly, maxDigits } = format;
  for (let i = 0; i < raw.length; i++) {
    const level: unknown = raw[i];
    if (!Array.isArray(level) || (pairOnly ? level.length !== 2 : level.length < 2)) {
      return `${frame}: field "${field}[${i}]" must be ${pairOnly ? "a [price, qty] pair" : "a [price, size] array"}, got ${preview(level)}`;
    }
    const p: unknown = level[0];
    const q: unknown = level[1];
    // One pass per string checks the unsigned decimal shape and, in the venue's own units, converts (NaN: not that shape).
    const rawPrice = typeof p === "string" ? unsignedDecimal(p, maxDigits) : Number.NaN;
    if (Number.isNaN(rawPrice)) return `${frame}: field "${field}[${i}][0]" must be an unsigned decimal string, got ${preview(p)}`;
    const rawQty = typeof q === "string" ? unsignedDecimal(q, maxDigits) : Number.NaN;
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
  // Unscaled, an unsigned decimal converts in one pass (`Number(text)` bit for bit, decimal.ts); anything else the long way.
  let value = exp === 0 ? unsignedDecimal(text) : Number.NaN;
  if (Number.isNaN(value)) value = scaleDecimal(text, exp);
  if (!(value > 0) || !Number.isFinite(value)) return `${what} must be > 0, got "${text}"`;
  return value;
}

/**
 * A frame's (or an item's) zod schema under the name its reasons use, with, on hot paths, a
 * hand-written twin: `accepts` accepts exactly the values `schema` accepts
 * (test/unit/exchanges/frame-checks.test.ts holds the two equal on real and mutated frames), and
 * zod runs only on a value the twin refuses, to find the first issue and name it. Same verdict,
 * same reason, without zod's cost on every good frame (issue 16).
 */
export interface FrameCheck<T = unknown> {
  /** The frame's name in reasons, e.g. `depthUpdate` (`depthUpdate: field "u" must be …`). */
  readonly name: string;
  readonly schema: z.ZodType<T>;
  /** The schema's hand-written twin; a check with one yields the frame itself (its schema only checks, never transforms). */
  readonly accepts?: (frame: Frame) => boolean;
  /** Where the checked value sits in the message, prefixed to field paths in reasons (`data` for `frame.data`); default: the message itself. */
  readonly at?: string;
}

/** A check with its hand-written twin (the hot-path frames of Binance and Bybit). */
export type TwinnedCheck<T = unknown> = FrameCheck<T> & { readonly accepts: (frame: Frame) => boolean };

/**
 * The value, checked (and, for a check without a twin, as zod outputs it); the reason naming the
 * first bad field otherwise. `at` places the value in its message when the check's own `at` does
 * not (an item of a batch: `data[2]`).
 */
export function parseFrame<T>(value: unknown, check: FrameCheck<T>, at = check.at): T | string {
  const accepts = check.accepts;
  if (accepts !== undefined && isFrame(value) && accepts(value)) return value as T;
  const parsed = check.schema.safeParse(value);
  if (!parsed.success) return describeIssue(check.name, parsed.error.issues[0], value, at);
  return accepts !== undefined ? (value as T) : parsed.data;
}

/** A message past the start of a map method: the instrument it names, and the checked frame. */
export interface Admitted<K extends TrackedSymbol, T> {
  readonly known: K;
  readonly frame: T;
}

/**
 * The start of every map method that reads one frame, one rule for every venue: the instrument
 * the frame names (`name`, read by the caller from wherever the venue puts it) is looked up, and
 * a frame of one the mapper does not map is ignored with the lookup's reason before it is
 * validated; then `value` (the frame, or the part of it `check.at` names) is checked, and a bad
 * one rejected naming the field. Returns the known instrument and the checked value, or the
 * result to return (tell them apart with {@link isMapResult}).
 */
export function admit<K extends TrackedSymbol, T>(lookup: InstrumentLookup<K>, name: unknown, value: unknown, check: FrameCheck<T>): Admitted<K, T> | MapResult {
  const known = isNamed(name) ? lookup.find(name) : undefined;
  if (typeof known === "string") return ignored(known);
  const checked = parseFrame(value, check);
  if (typeof checked === "string") return rejected(checked);
  // Every check requires the instrument's name; a schema that did not would land here.
  if (known === undefined) return rejected(`${check.name}: the frame names no instrument`);
  return { known, frame: checked };
}

/** True for a {@link MapResult} (what `admit` returns when the message is done with). */
export function isMapResult<K extends TrackedSymbol, T>(value: Admitted<K, T> | MapResult): value is MapResult {
  return "events" in value;
}

/** A batch frame's `data` as a non-empty array, or the result to return: rejected when it is not an array, ignored when empty. */
export function batchData(frame: Frame, name: string): unknown[] | MapResult {
  const data = frame.data;
  if (!Array.isArray(data)) return rejected(`${name}: field "data" must be an array, got ${preview(data)}`);
  if (data.length === 0) return ignored("empty-batch");
  return data;
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

/**
 * Maps a batch frame's `data[]` (Bybit, OKX, Hyperliquid) by one rule for every venue and
 * channel, the batch form of {@link admit}: an item whose instrument (`item[nameField]`) the
 * lookup does not map is skipped with that reason; an item that fails `check` rejects the whole
 * frame, naming the field (`data[i]…`); otherwise `mapItem` gives its event(s), a skip, or a
 * rejection. With no event at all, the frame is ignored with the first skip reason.
 */
export function mapItems<T>(
  data: readonly unknown[],
  nameField: string,
  lookup: InstrumentLookup<KnownInstrument>,
  check: FrameCheck<T>,
  mapItem: (item: T, known: KnownInstrument, i: number) => ItemResult,
  recvTs: number | undefined,
): MapResult {
  const { name: frameName, schema, accepts } = check;
  const out: CanonicalEvent[] = [];
  let firstSkipped: string | undefined;
  for (let i = 0; i < data.length; i++) {
    const raw: unknown = data[i];
    const name = isFrame(raw) ? raw[nameField] : undefined;
    const known = isNamed(name) ? lookup.find(name) : undefined;
    if (typeof known === "string") {
      firstSkipped ??= known;
      continue;
    }
    let item: T;
    // A hand-written twin of the schema (see FrameCheck) lets a good item skip zod; zod names what is wrong with a bad one.
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
