/**
 * Converts the recorded Binance liquidation CSVs back into raw `forceOrder` WebSocket
 * messages, so that replay feeds them through the same normalizer as live data.
 *
 *   npx tsx scripts/convert-liquidations.ts
 *
 * Reads every `data/recorded/binance/liquidations/forceorder_<range>.csv` and writes
 * `data/recorded/binance/forceorder_<range>.jsonl.gz`: one line per CSV row, in the CSV's row
 * (arrival) order, each the combined-stream envelope Binance sends on `!forceOrder@arr`:
 *
 *   {"stream":"!forceOrder@arr","data":{"e":"forceOrder","E":<T>,"o":{"s":…,"S":…,"o":…,"f":…,"q":…,"p":…,"ap":…,"X":…,"l":…,"z":…,"T":<T>}}}
 *
 * - String fields are the CSV text verbatim (Binance sends numbers as strings).
 * - `s`: the recorder removed every `USDT` substring; the symbol is `s + "USDT"` unless `s`
 *   already ends in another quote asset (`USDC`, `BUSD`), which the recorder kept.
 * - `E` (event time) is not in the CSV; it is set to `T` (order trade time).
 * - The 12th column (`usd_size` = z × p) and an optional 13th column are dropped.
 * - A row whose message is identical to an earlier row's is the recorder writing one event
 *   twice (1,673 such rows in forceorder_20250126-20250206.csv, where two recorder versions
 *   wrote the same file) and is dropped. This cannot drop a real liquidation: Binance
 *   pushes at most one liquidation per symbol per 1000 ms, so two genuine events never share
 *   symbol and `T`, let alone every field.
 *
 * Output is byte-reproducible: gzip via node:zlib at level 9, mtime 0 and OS byte forced to 3
 * (Unix), no file name in the header.
 */
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";

/** CSV columns, in order, as the recorder wrote them (no header row). */
export const CSV_COLUMNS = ["s", "S", "o", "f", "q", "p", "ap", "X", "l", "z", "T", "usd_size"] as const;

/** Quote assets other than USDT that the recorder left in the symbol. */
const KEPT_QUOTES = /(?:USDC|BUSD)$/;
const DECIMAL = /^\d+(?:\.\d+)?$/;
const EPOCH_MS = /^\d{13}$/;

/** The Binance symbol of a recorder `s` value (`BTC` → `BTCUSDT`, `BTCUSDC` stays). */
export function reconstructSymbol(s: string): string {
  return KEPT_QUOTES.test(s) ? s : `${s}USDT`;
}

/** One CSV row → one raw `!forceOrder@arr` combined-stream message (JSON text). Throws on a malformed row. */
export function csvRowToForceOrderLine(row: string, lineNo: number): string {
  const cols = row.split(",");
  if (cols.length !== 12 && cols.length !== 13) throw new Error(`line ${lineNo}: expected 12 or 13 columns, got ${cols.length}`);
  const [s, S, o, f, q, p, ap, X, l, z, T] = cols;
  if (s === "") throw new Error(`line ${lineNo}: empty symbol`);
  if (S !== "BUY" && S !== "SELL") throw new Error(`line ${lineNo}: side ${JSON.stringify(S)} is not BUY or SELL`);
  for (const [name, value] of [["q", q], ["p", p], ["ap", ap], ["l", l], ["z", z]] as const) {
    if (!DECIMAL.test(value)) throw new Error(`line ${lineNo}: ${name} ${JSON.stringify(value)} is not a decimal`);
  }
  if (!EPOCH_MS.test(T)) throw new Error(`line ${lineNo}: T ${JSON.stringify(T)} is not epoch ms`);
  const t = Number(T);
  return JSON.stringify({
    stream: "!forceOrder@arr",
    data: { e: "forceOrder", E: t, o: { s: reconstructSymbol(s), S, o, f, q, p, ap, X, l, z, T: t } },
  });
}

/** A whole CSV file's text → the JSONL text (LF line ends, final LF), recorder duplicates dropped. */
export function convertCsv(csv: string): { jsonl: string; rows: number; duplicates: number } {
  const rows = csv.split("\n");
  if (rows[rows.length - 1] === "") rows.pop();
  const seen = new Set<string>();
  let jsonl = "";
  rows.forEach((row, i) => {
    const line = csvRowToForceOrderLine(row.replace(/\r$/, ""), i + 1);
    if (seen.has(line)) return;
    seen.add(line);
    jsonl += `${line}\n`;
  });
  return { jsonl, rows: rows.length, duplicates: rows.length - seen.size };
}

/** Deterministic gzip: fixed level, mtime 0 (zlib's default), OS byte pinned to Unix. */
export function gzipDeterministic(text: string): Buffer {
  const out = gzipSync(Buffer.from(text, "utf8"), { level: 9, memLevel: 8, windowBits: 15 });
  out.writeUInt32LE(0, 4);
  out[9] = 3;
  return out;
}

function main(): void {
  const root = resolve(import.meta.dirname, "..");
  const csvDir = join(root, "data/recorded/binance/liquidations");
  const files = readdirSync(csvDir).filter((f) => /^forceorder_.+\.csv$/.test(f)).sort();
  if (files.length === 0) throw new Error(`no forceorder_*.csv in ${csvDir}`);
  for (const file of files) {
    const { jsonl, rows, duplicates } = convertCsv(readFileSync(join(csvDir, file), "utf8"));
    const target = join(root, "data/recorded/binance", file.replace(/\.csv$/, ".jsonl.gz"));
    writeFileSync(target, gzipDeterministic(jsonl));
    process.stderr.write(`${file} → ${target.slice(root.length + 1)}: ${rows} rows, ${duplicates} recorder duplicates dropped, ${rows - duplicates} lines\n`);
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) main();
