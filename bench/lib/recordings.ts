/**
 * The real recordings the benchmarks read (data/recorded, see its SOURCES.md), as lines.
 * Read once per process; gzip is detected by its magic bytes.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";

/** A recording of one venue instrument: the file, and the instrument its REST snapshots are about. */
export interface Recording {
  file: string;
  instrument: string;
}

/** The two Binance USDⓈ-M hftbacktest recordings of 2024-08-08 (same window, BTCUSDT and ETHUSDT). */
export const BINANCE_RECORDINGS: readonly Recording[] = [
  { file: "data/recorded/binance/hftbacktest_btcusdt_20240808.gz", instrument: "BTCUSDT" },
  { file: "data/recorded/binance/hftbacktest_ethusdt_20240808.gz", instrument: "ETHUSDT" },
];

/** The Bybit v5 cryptofeed recording (linear and spot connections, 2026-08-09). */
export const BYBIT_RECORDING = "data/recorded/bybit/cryptofeed_BYBIT_v5_20260809.jsonl.gz";

/** The non-empty lines of a recording file (relative to the repository root), gunzipped when gzip. */
export function readRecordingLines(file: string): string[] {
  const raw = readFileSync(join(process.cwd(), file));
  const bytes = raw[0] === 0x1f && raw[1] === 0x8b ? gunzipSync(raw) : raw;
  return bytes.toString("utf8").split("\n").filter((l) => l.length > 0);
}
