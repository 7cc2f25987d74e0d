/**
 * Recording files for the Node commands (`normalize`, `replay`): their lines, and the
 * instrument they are about, read from the head of the file only.
 */
import { createReadStream } from "node:fs";
import { basename } from "node:path";
import { Readable } from "node:stream";
import { inferInstrument } from "../../src/exchanges/registry.js";
import type { ExchangeMapper } from "../../src/exchanges/types.js";
import { readLines } from "../../src/replay/lines.js";

/** Lines read from the start of a file to infer its instrument. */
export const INFER_LINES = 1000;

/** The lines of a recording (plain or gzip), streamed. Destroy the returned source to stop early. */
export function recordingLines(file: string): { lines: AsyncGenerator<string>; source: Readable } {
  const source = createReadStream(file);
  return { lines: readLines(Readable.toWeb(source) as unknown as ReadableStream<Uint8Array>), source };
}

/**
 * Binance's archive file names (data.binance.vision): `<SYMBOL>-<interval>-<YYYY-MM>[-<DD>].csv`,
 * e.g. `AVAXUSDT-1m-2026-02.csv`, here also gzipped (`.csv.gz`). Their rows name no symbol.
 */
const ARCHIVE_FILE_NAME = /^([A-Z0-9]+)-\d+[smhdwM]-\d{4}-\d{2}(?:-\d{2})?\.csv(?:\.gz)?$/;

/** The instrument an archive file is named after (`AVAXUSDT-1m-2026-02.csv.gz` → `AVAXUSDT`), else undefined. */
export function archiveFileInstrument(file: string): string | undefined {
  return ARCHIVE_FILE_NAME.exec(basename(file))?.[1];
}

/**
 * The venue instrument a recording is about: from its first lines (see `inferInstrument`), as
 * recordings such as hftbacktest's hold REST depth snapshots that name no symbol; else from an
 * archive file name (Binance kline CSVs, whose rows name none).
 */
export async function inferFileInstrument(mapper: ExchangeMapper, file: string): Promise<string | undefined> {
  const head: string[] = [];
  const { lines, source } = recordingLines(file);
  try {
    for await (const line of lines) {
      head.push(line);
      if (head.length >= INFER_LINES) break;
    }
  } finally {
    source.destroy();
  }
  return inferInstrument(mapper, head) ?? archiveFileInstrument(file);
}
