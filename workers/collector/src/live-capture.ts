/**
 * Raw capture of one live feed (`RAW_CAPTURE=1`): every frame and REST response the feed reads,
 * as recording lines (`raw-capture.ts`), cut into chunks by size and age and written gzipped to
 * R2, one object after the other so that objects appear in the order their lines were received.
 * Built at the feed's start only when capture is on and the bucket is bound; its counters are
 * `rawCapture` in `/v1/health`. A failed write is counted, never thrown into the socket loop.
 */
import type { RawCaptureHealth } from "./live-health.js";
import { gzipLines, RawChunker, type RawChunk } from "./raw-capture.js";

/** The part of an R2 bucket the capture writes to (`R2Bucket` satisfies it). */
export interface CaptureBucket {
  put(
    key: string,
    value: Uint8Array,
    options: { httpMetadata: { contentType: string }; customMetadata: Record<string, string> },
  ): Promise<unknown>;
}

export interface LiveCaptureOptions {
  venue: string;
  /** Uncompressed size bound of one chunk, in characters (`RAW_CAPTURE_CHUNK_MB`). */
  chunkChars: number;
  /** Age bound of one chunk, ms from its first line (`RAW_CAPTURE_CHUNK_MINUTES`). */
  chunkMs: number;
}

/** Name of the bucket the capture is reported under in `/v1/health`. */
export const RAW_CAPTURE_BUCKET_NAME = "liqflow-raw";

export class LiveCapture {
  private readonly stats: RawCaptureHealth;
  private readonly chunker: RawChunker;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly bucket: CaptureBucket,
    private readonly options: LiveCaptureOptions,
  ) {
    this.chunker = new RawChunker({ venue: options.venue, maxChars: options.chunkChars, maxAgeMs: options.chunkMs });
    this.stats = { enabled: true, bucket: RAW_CAPTURE_BUCKET_NAME, objects: 0, bytes: 0, lines: 0, pendingLines: 0, lastKey: null, skipped: 0, errors: 0, lastError: null };
  }

  /** One line received at `recvMs`; null (a multi-line frame that is not JSON) is counted as skipped. */
  add(line: string | null, recvMs: number): void {
    if (line === null) {
      this.stats.skipped++;
      return;
    }
    this.stats.lines++;
    const chunk = this.chunker.add(line, recvMs);
    if (chunk !== null) this.store(chunk);
  }

  /** Closes the open chunk once its first line is old enough at `nowMs`, and refreshes the pending count. */
  tick(nowMs: number): void {
    const chunk = this.chunker.due(nowMs);
    if (chunk !== null) this.store(chunk);
    this.stats.pendingLines = this.chunker.pending.lines;
  }

  /** Resolves once every chunk handed to the bucket so far is written or counted as failed. */
  settled(): Promise<void> {
    return this.writing;
  }

  /** The counters as `/v1/health` reports them (`pendingLines` current). */
  health(): RawCaptureHealth {
    return { ...this.stats, pendingLines: this.chunker.pending.lines };
  }

  /** Writes a chunk gzipped, after the previous one (so objects appear in order). */
  private store(chunk: RawChunk): void {
    const stats = this.stats;
    this.writing = this.writing.then(async () => {
      try {
        const bytes = await gzipLines(chunk.lines);
        await this.bucket.put(chunk.key, bytes, {
          httpMetadata: { contentType: "text/plain; charset=utf-8" },
          customMetadata: {
            venue: this.options.venue,
            lines: String(chunk.lines.length),
            firstRecvMs: String(chunk.firstRecvMs),
            lastRecvMs: String(chunk.lastRecvMs),
            format: "recording lines (npm run normalize)",
          },
        });
        stats.objects++;
        stats.bytes += bytes.length;
        stats.lastKey = chunk.key;
      } catch (err) {
        stats.errors++;
        stats.lastError = String(err);
      }
    });
  }
}
