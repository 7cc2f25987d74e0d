/**
 * Recording files for the Node commands (`normalize`, `replay`): their lines, and the
 * instrument they are about, read from the head of the file only.
 */
import { createReadStream } from "node:fs";
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
 * The venue instrument a recording is about, from its first lines (see `inferInstrument`):
 * recordings such as hftbacktest's hold REST depth snapshots that name no symbol.
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
  return inferInstrument(mapper, head);
}
