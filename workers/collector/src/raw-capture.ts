/**
 * Raw capture of a live feed, in the line formats `npm run normalize` and the replay read
 * (src/exchanges/recording.ts), so a capture is a replay set:
 *
 * - a WebSocket frame: `<recv_ms> <frame as received>` (the combined-stream envelope kept);
 * - a REST response: `<url> -> <recv_seconds.mmm>: <body>` (cryptofeed's form: the url names
 *   the symbol a Binance depth snapshot does not).
 *
 * Lines are cut into chunks per venue: a chunk closes when it holds `maxChars` characters or
 * when its first line is `maxAgeMs` old, and is stored gzipped under
 * `raw/<venue>/<yyyy-mm-dd>/<venue>-<first recv time>-<n>.log.gz`. Pure, except `gzipLines`,
 * which uses the web-standard CompressionStream (Node and workerd alike).
 */

export interface RawCaptureOptions {
  venue: string;
  /** Uncompressed size bound of one chunk, in characters (≈ bytes: frames are ASCII JSON). */
  maxChars: number;
  /** Age bound of one chunk, ms from its first line. */
  maxAgeMs: number;
}

export interface RawChunk {
  key: string;
  lines: string[];
  chars: number;
  firstRecvMs: number;
  lastRecvMs: number;
}

/** A WebSocket frame as a recording line; null when the frame spans lines and is not JSON. */
export function frameLine(recvMs: number, text: string): string | null {
  const body = oneLine(text);
  return body === null ? null : `${Math.floor(recvMs)} ${body}`;
}

/** A REST response as a recording line; null when the body spans lines and is not JSON. */
export function restLine(url: string, recvMs: number, body: string): string | null {
  const one = oneLine(body);
  return one === null ? null : `${url} -> ${(recvMs / 1000).toFixed(3)}: ${one}`;
}

function oneLine(text: string): string | null {
  if (!text.includes("\n") && !text.includes("\r")) return text;
  try {
    return JSON.stringify(JSON.parse(text));
  } catch {
    return null;
  }
}

/** `raw/binance/2026-11-28/binance-20261128T101500123Z-000001.log.gz` */
export function chunkKey(venue: string, firstRecvMs: number, index: number): string {
  const iso = new Date(firstRecvMs).toISOString();
  const compact = iso.replace(/[-:]/g, "").replace(".", "");
  return `raw/${venue}/${iso.slice(0, 10)}/${venue}-${compact}-${String(index).padStart(6, "0")}.log.gz`;
}

export class RawChunker {
  private open: RawChunk | null = null;
  private index = 0;

  constructor(readonly options: RawCaptureOptions) {
    if (!(options.maxChars > 0)) throw new Error(`RawChunker: maxChars must be > 0 (got ${options.maxChars})`);
    if (!(options.maxAgeMs > 0)) throw new Error(`RawChunker: maxAgeMs must be > 0 (got ${options.maxAgeMs})`);
  }

  /** Lines and characters waiting in the open chunk. */
  get pending(): { lines: number; chars: number } {
    return { lines: this.open?.lines.length ?? 0, chars: this.open?.chars ?? 0 };
  }

  /** Adds a line received at `recvMs`; returns the chunk it completed, if it reached the size bound. */
  add(line: string, recvMs: number): RawChunk | null {
    if (this.open === null) {
      this.open = { key: chunkKey(this.options.venue, recvMs, ++this.index), lines: [], chars: 0, firstRecvMs: recvMs, lastRecvMs: recvMs };
    }
    const chunk = this.open;
    chunk.lines.push(line);
    chunk.chars += line.length + 1;
    chunk.lastRecvMs = recvMs;
    if (chunk.chars >= this.options.maxChars) return this.take();
    return null;
  }

  /** The open chunk when its first line is at least `maxAgeMs` old at `nowMs`. */
  due(nowMs: number): RawChunk | null {
    if (this.open !== null && nowMs - this.open.firstRecvMs >= this.options.maxAgeMs) return this.take();
    return null;
  }

  /** The open chunk, whatever its size or age (null when empty). */
  take(): RawChunk | null {
    const chunk = this.open;
    this.open = null;
    return chunk;
  }
}

/** The chunk's lines, newline-terminated, gzipped. */
export async function gzipLines(lines: readonly string[]): Promise<Uint8Array> {
  const bytes = new TextEncoder().encode(lines.join("\n") + "\n");
  const stream = new Blob([bytes]).stream().pipeThrough(new CompressionStream("gzip") as unknown as TransformStream<Uint8Array, Uint8Array>);
  return new Uint8Array(await new Response(stream).arrayBuffer());
}
