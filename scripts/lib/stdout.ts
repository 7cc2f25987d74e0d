/**
 * Buffered stdout for the NDJSON commands: writes in 64 KiB chunks, honours back-pressure,
 * and exits quietly when the reader goes away (`| head`).
 */
const CHUNK_BYTES = 1 << 16;

export interface StdoutWriter {
  write(text: string): void;
  /**
   * While the reader is behind (stdout's buffer past its high-water mark), a promise that resolves
   * when it has drained; null otherwise. A producer that never yields to the event loop must await
   * it, or a pipe's writes pile up in memory (a month's replay into `| sha256sum` reached 3.7 GB and
   * failed with ENOBUFS): to a file stdout writes synchronously, to a pipe it does not.
   */
  backpressure(): Promise<void> | null;
  end(): Promise<void>;
}

export function createStdoutWriter(): StdoutWriter {
  let buffer = "";
  let draining: Promise<void> | null = null;
  process.stdout.on("error", (err: NodeJS.ErrnoException) => {
    if (err.code === "EPIPE") process.exit(0);
    throw err;
  });
  const flush = () => {
    if (buffer.length === 0) return;
    const ok = process.stdout.write(buffer);
    buffer = "";
    if (!ok && !draining) draining = new Promise((r) => process.stdout.once("drain", () => ((draining = null), r())));
  };
  return {
    write(text: string) {
      buffer += text;
      if (buffer.length >= CHUNK_BYTES) flush();
    },
    backpressure() {
      return draining;
    },
    async end() {
      flush();
      if (draining) await draining;
    },
  };
}
