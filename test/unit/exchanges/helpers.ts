/** Paths and readers for the recorded Binance data used by the exchange tests. */
import { createReadStream, readFileSync } from "node:fs";
import { Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import { readLines } from "../../../src/replay/lines.js";

/** Absolute path of a file under data/recorded/binance. */
export function binanceData(relative: string): string {
  return fileURLToPath(new URL(`../../../data/recorded/binance/${relative}`, import.meta.url));
}

/** The single line of a fixture file in data/recorded/binance/fixtures, without its line end. */
export function fixtureLine(name: string): string {
  const lines = readFileSync(binanceData(`fixtures/${name}`), "utf8").split("\n").filter((l) => l !== "");
  if (lines.length !== 1) throw new Error(`fixture ${name} has ${lines.length} lines, expected 1`);
  return lines[0];
}

/** Every line of a recording (plain or gzip), read the way replay reads it. */
export async function recordingLines(relative: string): Promise<string[]> {
  const lines: string[] = [];
  const stream = Readable.toWeb(createReadStream(binanceData(relative))) as unknown as ReadableStream<Uint8Array>;
  for await (const line of readLines(stream)) lines.push(line);
  return lines;
}

export type RecordedVenue = "binance" | "bybit" | "okx" | "hyperliquid";

/** Absolute path of a file under data/recorded/<venue>. */
export function venueData(venue: RecordedVenue, relative: string): string {
  return fileURLToPath(new URL(`../../../data/recorded/${venue}/${relative}`, import.meta.url));
}

/** The single line of a fixture file in data/recorded/<venue>/fixtures, without its line end (LF or CRLF). */
export function venueFixtureLine(venue: RecordedVenue, name: string): string {
  const lines = readFileSync(venueData(venue, `fixtures/${name}`), "utf8")
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => (l.endsWith("\r") ? l.slice(0, -1) : l));
  if (lines.length !== 1) throw new Error(`fixture ${venue}/${name} has ${lines.length} lines, expected 1`);
  return lines[0];
}

/** Every line of a recording of any venue (plain or gzip), read the way replay reads it. */
export async function venueRecordingLines(venue: RecordedVenue, relative: string): Promise<string[]> {
  const lines: string[] = [];
  const stream = Readable.toWeb(createReadStream(venueData(venue, relative))) as unknown as ReadableStream<Uint8Array>;
  for await (const line of readLines(stream)) lines.push(line);
  return lines;
}
