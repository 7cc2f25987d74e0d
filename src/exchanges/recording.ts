/**
 * Parser of one line of a recording into a raw exchange message, before any venue mapper.
 *
 * Accepted line formats (see data/recorded/SOURCES.md for where each comes from):
 * - hftbacktest: `<local_ts> <json>`, `local_ts` an integer in seconds, milliseconds,
 *   microseconds or nanoseconds (the unit is inferred from the digit count: ≤11 s,
 *   12–14 ms, 15–17 µs, 18–20 ns; epochs from 1973 to 5138 fall unambiguously in these bands);
 * - cryptofeed received: `<epoch_seconds.frac>: <json>`;
 * - cryptofeed REST response: `<url> -> <epoch_seconds.frac>: <body>` (the url is kept, because
 *   a Binance REST depth snapshot does not name its symbol);
 * - cryptofeed connect `<url> <-> <ts>` and sent `<url> <- <ts>: <json>` lines: skipped;
 * - cryptofeed JSON Lines records (cryptofeed v3 `*.jsonl`): one object per line,
 *   `{"t": "header"|"connect"|"send"|"recv"|"http", "conn": <connection id>, "ts": <epoch seconds>,
 *   "addr"|"url": <endpoint>, "data": <payload as a JSON string>}`. `recv` and `http` hold a
 *   message (the `data` string is parsed again; `http` keeps its request url); `header`, `connect`
 *   and `send` hold none and are skipped with their reason, `connect` and `send` keeping the
 *   connection id and address so that a reader can tell which endpoint a later `recv` of the same
 *   connection came from (records are grouped by connection, so one file can mix endpoints);
 * - plain JSON (a live WebSocket frame as received);
 * - CSV (a line with commas and no space: Binance's kline archives, data.binance.vision): a row
 *   becomes the array of its field strings, for the venue mapper to read by position; a header
 *   line (every field a column name such as `open_time`) is skipped (`csv-header`);
 * - empty lines: skipped.
 *
 * A combined-stream envelope `{"stream": …, "data": …}` is unwrapped and its stream name kept.
 * Pure: no I/O, no clock.
 */
import { shiftedDecimal } from "./decimal.js";

/** One recording line turned into a raw message, or the reason it holds none. */
export type RecordingLine =
  | {
      type: "message";
      /** The raw message, JSON-parsed, envelope removed. */
      message: unknown;
      /** Local receive time in epoch milliseconds (fractional when the recorder had sub-ms precision). */
      recvTs?: number;
      /** Stream name of the combined-stream envelope, e.g. `btcusdt@trade`. */
      stream?: string;
      /** Request URL of a recorded REST response. */
      url?: string;
      /** Recorder's connection id (cryptofeed jsonl `conn`), e.g. `BYBIT.ws.2`. */
      connection?: string;
    }
  /**
   * A line with no market message by design (empty, connect, sent request). Not an error. A
   * jsonl `connect`/`send` record keeps its connection id and endpoint address.
   */
  | { type: "skip"; reason: string; connection?: string; url?: string }
  /** A line that should hold a message but cannot be read. */
  | { type: "reject"; reason: string };

const INTEGER_TS = /^\d+$/;
/** A CSV column name (`open_time`, `taker_buy_volume`): a header line holds only these. */
const CSV_COLUMN_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const CRYPTOFEED_RECV_HEAD = /^(\d+)(?:\.(\d+))?:$/;
const CRYPTOFEED_HTTP_REST = /^-> (\d+)(?:\.(\d+))?: /;
/** How every cryptofeed jsonl record line starts (the record type comes first). */
const JSONL_RECORD_HEAD = '{"t":"';

/** Parses one line of a recording (without its line terminator). */
export function parseRecordingLine(line: string): RecordingLine {
  const first = line.charCodeAt(0);
  // `{` or `[`: a bare JSON message (live frame, or a hftbacktest-less recording), or a jsonl record.
  if (first === 0x7b && line.startsWith(JSONL_RECORD_HEAD)) return parseRecord(line);
  if (first === 0x7b || first === 0x5b) return parseBody(line, undefined, undefined);
  if (line.trim() === "") return { type: "skip", reason: "empty-line" };

  const space = line.indexOf(" ");
  if (space < 0 && line.includes(",")) return parseCsvLine(line);
  if (space <= 0) return { type: "reject", reason: `unrecognized line format: ${preview(line)}` };
  const head = line.slice(0, space);

  if (INTEGER_TS.test(head)) {
    const recvTs = integerTimestampMs(head);
    if (recvTs === undefined) return { type: "reject", reason: `unrecognized local timestamp ${preview(head)} (${head.length} digits)` };
    return parseBody(line.slice(space + 1), recvTs, undefined);
  }

  const recv = CRYPTOFEED_RECV_HEAD.exec(head);
  if (recv) return parseBody(line.slice(space + 1), decimalToMs(recv[1], recv[2] ?? "", 3), undefined);

  if (head.includes("://")) {
    const rest = line.slice(space + 1);
    if (rest.startsWith("<-> ")) return { type: "skip", reason: "connect-line" };
    if (rest.startsWith("<- ")) return { type: "skip", reason: "sent-line" };
    const http = CRYPTOFEED_HTTP_REST.exec(rest);
    if (http) return parseBody(rest.slice(http[0].length), decimalToMs(http[1], http[2] ?? "", 3), head);
  }
  return { type: "reject", reason: `unrecognized line format: ${preview(line)}` };
}

/**
 * Epoch milliseconds from an integer timestamp whose unit is inferred from its digit count.
 * Nanosecond values exceed 2^53, so the decimal point is moved in the text, not by division.
 */
export function integerTimestampMs(digits: string): number | undefined {
  const n = digits.length;
  if (n <= 11) return decimalToMs(digits, "", 3);
  if (n <= 14) return decimalToMs(digits, "", 0);
  if (n <= 17) return decimalToMs(digits, "", -3);
  // Nanoseconds (hftbacktest's 2024 files, a line each): the point goes 6 digits from the end,
  // which is what decimalToMs(digits, "", -6) computes, without its general case's copies.
  if (n <= 20) return Number(`${digits.slice(0, n - 6)}.${digits.slice(n - 6)}`);
  return undefined;
}

/** `int.frac × 10^shift` as the nearest double, computed by moving the decimal point in the text. */
function decimalToMs(int: string, frac: string, shift: number): number {
  let all = int + frac;
  let point = int.length + shift;
  if (point > all.length) all = all.padEnd(point, "0");
  if (point < 0) {
    all = "0".repeat(-point) + all;
    point = 0;
  }
  return Number(`${all.slice(0, point) || "0"}.${all.slice(point) || "0"}`);
}

/** A cryptofeed jsonl record (see the module comment). */
function parseRecord(line: string): RecordingLine {
  let record: unknown;
  try {
    record = JSON.parse(line);
  } catch (err) {
    return { type: "reject", reason: `invalid JSON: ${(err as Error).message}` };
  }
  const r = record as { t?: unknown; conn?: unknown; ts?: unknown; addr?: unknown; url?: unknown; data?: unknown };
  const connection = typeof r.conn === "string" ? r.conn : undefined;
  const address = typeof r.addr === "string" ? r.addr : undefined;
  switch (r.t) {
    case "header":
      return { type: "skip", reason: "header-record" };
    case "connect":
    case "send": {
      const out: RecordingLine = { type: "skip", reason: r.t === "connect" ? "connect-record" : "sent-record" };
      if (connection !== undefined) out.connection = connection;
      if (address !== undefined) out.url = address;
      return out;
    }
    case "recv":
    case "http": {
      if (typeof r.data !== "string") return { type: "reject", reason: `${r.t} record: field "data" must be a string (the payload), got ${typeof r.data}` };
      const recvTs = typeof r.ts === "number" && Number.isFinite(r.ts) && r.ts >= 0 ? secondsToMs(r.ts) : undefined;
      const url = r.t === "http" && typeof r.url === "string" ? r.url : undefined;
      const out = parseBody(r.data, recvTs, url);
      if (out.type === "message" && connection !== undefined) out.connection = connection;
      return out;
    }
    default:
      // Not a record after all: a venue message whose first key is `t`.
      return parseBody(line, undefined, undefined);
  }
}

/** Epoch seconds (a JSON number with a fraction) to ms, moving the point in its shortest text. */
function secondsToMs(seconds: number): number {
  const text = String(seconds);
  if (text.includes("e")) return seconds * 1000;
  const dot = text.indexOf(".");
  if (dot < 0) return decimalToMs(text, "", 3);
  // More than 3 fraction digits (cryptofeed's microsecond times): the double nearest the text
  // with its point moved, without building that text when the digits allow (src/exchanges/decimal.ts).
  const fast = shiftedDecimal(text, 3);
  if (!Number.isNaN(fast)) return fast;
  return decimalToMs(text.slice(0, dot), text.slice(dot + 1), 3);
}

/** A CSV line: a header of column names is skipped; a row is its fields, unchanged, as the message. */
function parseCsvLine(line: string): RecordingLine {
  const fields = line.split(",");
  if (fields.every((field) => CSV_COLUMN_NAME.test(field))) return { type: "skip", reason: "csv-header" };
  return { type: "message", message: fields };
}

function parseBody(body: string, recvTs: number | undefined, url: string | undefined): RecordingLine {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch (err) {
    return { type: "reject", reason: `invalid JSON: ${(err as Error).message}` };
  }
  const out: RecordingLine = { type: "message", message: parsed };
  if (isEnvelope(parsed)) {
    out.message = parsed.data;
    out.stream = parsed.stream;
  }
  if (recvTs !== undefined) out.recvTs = recvTs;
  if (url !== undefined) out.url = url;
  return out;
}

function isEnvelope(value: unknown): value is { stream: string; data: unknown } {
  return (
    typeof value === "object" &&
    value !== null &&
    !Array.isArray(value) &&
    typeof (value as { stream?: unknown }).stream === "string" &&
    "data" in value
  );
}

function preview(text: string): string {
  return JSON.stringify(text.length > 60 ? `${text.slice(0, 60)}…` : text);
}
