/**
 * Line reading over Web Streams, shared by the Node commands and the collector in workerd.
 * Gzip is detected from the magic bytes (0x1f 0x8b), not the file name, because an asset
 * server may or may not have decoded the body already.
 */

const GZIP_MAGIC_0 = 0x1f;
const GZIP_MAGIC_1 = 0x8b;

/** Returns a stream of the decompressed bytes when the input starts with the gzip magic. */
export async function maybeGunzip(stream: ReadableStream<Uint8Array>): Promise<ReadableStream<Uint8Array>> {
  const reader = stream.getReader();
  const first = await reader.read();
  if (first.done) return new ReadableStream({ start: (c) => c.close() });
  const head = first.value;
  const rest = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(head);
    },
    async pull(controller) {
      const next = await reader.read();
      if (next.done) controller.close();
      else controller.enqueue(next.value);
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
  const gzipped = head.length >= 2 && head[0] === GZIP_MAGIC_0 && head[1] === GZIP_MAGIC_1;
  return gzipped ? rest.pipeThrough(new DecompressionStream("gzip") as unknown as TransformStream<Uint8Array, Uint8Array>) : rest;
}

/** Yields the lines of a (possibly gzipped) byte stream, without line terminators (LF or CRLF). */
export async function* readLines(stream: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  const text = (await maybeGunzip(stream)).pipeThrough(new TextDecoderStream() as unknown as TransformStream<Uint8Array, string>);
  const reader = text.getReader();
  let pending = "";
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    pending += value;
    let start = 0;
    for (let nl = pending.indexOf("\n", start); nl >= 0; nl = pending.indexOf("\n", start)) {
      yield stripCr(pending.slice(start, nl));
      start = nl + 1;
    }
    pending = pending.slice(start);
  }
  if (pending.length > 0) yield stripCr(pending);
}

function stripCr(line: string): string {
  return line.endsWith("\r") ? line.slice(0, -1) : line;
}
