/**
 * The live feed's raw capture (`live-capture.ts`) with an in-memory bucket: chunks cut by size
 * and by age, written gzipped in order even when a write is slow, failures counted, and the
 * counters `/v1/health` shows. Time is passed in; no timers.
 */
import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { LiveCapture, type CaptureBucket } from "../../../workers/collector/src/live-capture.js";

const T0 = Date.UTC(2026, 11, 1, 10, 0, 0);

interface Put {
  key: string;
  text: string;
  metadata: Record<string, string>;
}

/** A bucket that records each put; `gate` (when given) holds the first put until it resolves. */
function memoryBucket(options: { failFirst?: boolean; gate?: Promise<void> } = {}) {
  const puts: Put[] = [];
  let calls = 0;
  const bucket: CaptureBucket = {
    async put(key, value, putOptions) {
      calls++;
      if (calls === 1 && options.gate) await options.gate;
      if (calls === 1 && options.failFirst) throw new Error("bucket full");
      puts.push({ key, text: gunzipSync(value).toString("utf8"), metadata: putOptions.customMetadata });
      return null;
    },
  };
  return { bucket, puts };
}

describe("raw capture of a live feed", () => {
  it("closes a chunk when it reaches its size bound and stores it gzipped under the venue's key", async () => {
    const { bucket, puts } = memoryBucket();
    // each line is 9 characters + its newline: the third reaches 30
    const capture = new LiveCapture(bucket, { venue: "binance", chunkChars: 30, chunkMs: 60_000 });
    capture.add("1 {\"a\":1}", T0);
    capture.add("2 {\"a\":2}", T0 + 5);
    expect(capture.health()).toMatchObject({ lines: 2, pendingLines: 2, objects: 0 });
    capture.add("3 {\"a\":3}", T0 + 9);
    await capture.settled();
    expect(puts).toEqual([
      {
        key: "raw/binance/2026-12-01/binance-20261201T100000000Z-000001.log.gz",
        text: '1 {"a":1}\n2 {"a":2}\n3 {"a":3}\n',
        metadata: { venue: "binance", lines: "3", firstRecvMs: String(T0), lastRecvMs: String(T0 + 9), format: "recording lines (npm run normalize)" },
      },
    ]);
    const health = capture.health();
    expect(health).toMatchObject({ enabled: true, bucket: "liqflow-raw", objects: 1, lines: 3, pendingLines: 0, skipped: 0, errors: 0, lastError: null });
    expect(health.lastKey).toBe(puts[0].key);
    expect(health.bytes).toBeGreaterThan(0);
  });

  it("closes a chunk once its first line is chunkMs old, and counts a frame that cannot be one line as skipped", async () => {
    const { bucket, puts } = memoryBucket();
    const capture = new LiveCapture(bucket, { venue: "okx", chunkChars: 1_000_000, chunkMs: 600_000 });
    capture.add(null, T0);
    capture.add("line", T0);
    capture.tick(T0 + 599_999);
    await capture.settled();
    expect(puts).toEqual([]);
    expect(capture.health()).toMatchObject({ skipped: 1, lines: 1, pendingLines: 1 });
    capture.tick(T0 + 600_000);
    await capture.settled();
    expect(puts.map((p) => [p.key, p.text])).toEqual([["raw/okx/2026-12-01/okx-20261201T100000000Z-000001.log.gz", "line\n"]]);
    expect(capture.health().pendingLines).toBe(0);
  });

  it("writes chunks in order behind a slow write, and counts a failed write without stopping the next", async () => {
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const slow = memoryBucket({ gate });
    const capture = new LiveCapture(slow.bucket, { venue: "bybit", chunkChars: 2, chunkMs: 60_000 });
    capture.add("a", T0);
    capture.add("b", T0 + 1_000);
    open();
    await capture.settled();
    expect(slow.puts.map((p) => p.text)).toEqual(["a\n", "b\n"]);

    const failing = memoryBucket({ failFirst: true });
    const second = new LiveCapture(failing.bucket, { venue: "bybit", chunkChars: 2, chunkMs: 60_000 });
    second.add("a", T0);
    second.add("b", T0 + 1_000);
    await second.settled();
    expect(failing.puts.map((p) => p.text)).toEqual(["b\n"]);
    expect(second.health()).toMatchObject({ objects: 1, errors: 1, lastError: "Error: bucket full", lastKey: "raw/bybit/2026-12-01/bybit-20261201T100001000Z-000002.log.gz" });
  });
});
