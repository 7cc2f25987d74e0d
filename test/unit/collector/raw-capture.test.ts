import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseRecordingLine } from "../../../src/exchanges/recording.js";
import { getMapper, normalizeLine } from "../../../src/exchanges/registry.js";
import { readLines } from "../../../src/replay/lines.js";
import { runNormalize } from "../../../scripts/normalize.js";
import { chunkKey, frameLine, gzipLines, RawChunker, restLine, type RawChunk } from "../../../workers/collector/src/raw-capture.js";
import { fixtureLine, recordingLines } from "../exchanges/helpers.js";

/** The JSON body of a recorded `<ts> <json>` line: the frame as the venue sent it. */
function body(line: string): string {
  return line.slice(line.indexOf(" ") + 1);
}

const OI_URL = "http://127.0.0.1:9000/fapi/v1/openInterest?symbol=BTCUSDT";
// Binance's documented example response of GET /fapi/v1/openInterest.
const OI_BODY = `{"openInterest":"10659.509","symbol":"BTCUSDT","time":1589437530011}`;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "liqflow-raw-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("raw capture lines", () => {
  it("writes a frame as `<recv_ms> <frame>` that the recording parser reads back with its stream", () => {
    const frame = body(fixtureLine("trade-buyer-maker.txt"));
    const line = frameLine(1680652700441.533, frame)!;
    expect(line).toBe(`1680652700441 ${frame}`);
    const parsed = parseRecordingLine(line);
    expect(parsed).toMatchObject({ type: "message", recvTs: 1680652700441, stream: "btcusdt@trade" });
  });

  it("writes a REST response with its url, so a depth snapshot keeps its symbol", () => {
    const snapshot = body(fixtureLine("depth-snapshot-rest.txt"));
    const url = "http://127.0.0.1:9000/fapi/v1/depth?symbol=BTCUSDT&limit=1000";
    const line = restLine(url, 1680652700599.4, snapshot)!;
    expect(line.startsWith(`${url} -> 1680652700.599: {"lastUpdateId"`)).toBe(true);
    const result = normalizeLine(getMapper("binance"), line);
    expect(result.events).toHaveLength(1);
    expect(result.events[0]).toMatchObject({ kind: "book", type: "snapshot", symbol: "BTCUSDT", seq: 2710246765483, recvTs: 1680652700599 });
    const oi = normalizeLine(getMapper("binance"), restLine(OI_URL, 1589437530100, OI_BODY)!);
    expect(oi.events).toEqual([{ kind: "oi", venue: "binance", symbol: "BTCUSDT", ts: 1589437530011, oiBase: 10659.509, recvTs: 1589437530100 }]);
  });

  it("folds a multi-line JSON body onto one line and refuses multi-line text it cannot fold", () => {
    expect(frameLine(1, '{"a":\n1}')).toBe('1 {"a":1}');
    expect(frameLine(1, "not\njson")).toBeNull();
  });
});

describe("raw capture chunks", () => {
  it("closes a chunk at the size bound, with the line that crossed it", () => {
    const c = new RawChunker({ venue: "binance", maxChars: 20, maxAgeMs: 60_000 });
    expect(c.add("123456789", 1_000)).toBeNull(); // 10 chars with the newline
    const full = c.add("123456789", 1_001)!;
    expect(full.lines).toEqual(["123456789", "123456789"]);
    expect(full.chars).toBe(20);
    expect(full.key).toBe("raw/binance/1970-01-01/binance-19700101T000001000Z-000001.log.gz");
    expect(c.pending).toEqual({ lines: 0, chars: 0 });
    c.add("x", 5_000);
    expect(c.take()!.key).toBe(chunkKey("binance", 5_000, 2));
  });

  it("closes a chunk once its first line is maxAgeMs old", () => {
    const c = new RawChunker({ venue: "binance", maxChars: 1e9, maxAgeMs: 60_000 });
    c.add("a", 1_000);
    c.add("b", 30_000);
    expect(c.due(60_999)).toBeNull();
    const chunk = c.due(61_000)!;
    expect(chunk.lines).toEqual(["a", "b"]);
    expect([chunk.firstRecvMs, chunk.lastRecvMs]).toEqual([1_000, 30_000]);
    expect(c.due(1e12)).toBeNull(); // nothing open
  });

  it("stores chunks that `npm run normalize` reads back into exactly the events of the frames", async () => {
    // 3,000 real frames of the 2023-04-04 BTCUSDT capture, re-written as the collector writes them
    const source = (await recordingLines("hftbacktest_btcusdt_20230404.dat.gz")).slice(0, 3_000);
    const chunker = new RawChunker({ venue: "binance", maxChars: 250_000, maxAgeMs: 3_600_000 });
    const chunks: RawChunk[] = [];
    let recvMs = 1_700_000_000_000;
    for (const line of source) {
      const captured = line.includes('"lastUpdateId"')
        ? restLine("https://fapi.binance.com/fapi/v1/depth?symbol=BTCUSDT&limit=1000", recvMs, body(line))!
        : frameLine(recvMs, body(line))!;
      const done = chunker.add(captured, recvMs++);
      if (done) chunks.push(done);
    }
    chunks.push(chunker.take()!);
    expect(chunks.length).toBeGreaterThan(3);
    expect(chunks.reduce((n, c) => n + c.lines.length, 0)).toBe(3_000);

    const files: string[] = [];
    for (const [i, chunk] of chunks.entries()) {
      const gz = await gzipLines(chunk.lines);
      expect([gz[0], gz[1]]).toEqual([0x1f, 0x8b]);
      const roundTrip: string[] = [];
      for await (const l of readLines(new Blob([gz]).stream())) roundTrip.push(l);
      expect(roundTrip).toEqual(chunk.lines);
      const file = join(dir, `chunk-${i}.log.gz`);
      writeFileSync(file, gz);
      files.push(file);
    }

    const expected = new Map<string, number>();
    const mapper = getMapper("binance");
    for (const line of source) {
      for (const e of normalizeLine(mapper, line, { instrument: "BTCUSDT" }).events) expected.set(e.kind, (expected.get(e.kind) ?? 0) + 1);
    }
    let stdout = "";
    let stderr = "";
    const code = await runNormalize(["--venue", "binance", ...files], { out: (c) => void (stdout += c), err: (t) => void (stderr += t) });
    expect(code).toBe(0);
    const got = new Map<string, number>();
    for (const l of stdout.split("\n").filter(Boolean)) {
      const e = JSON.parse(l) as { kind: string };
      got.set(e.kind, (got.get(e.kind) ?? 0) + 1);
    }
    expect(Object.fromEntries(got)).toEqual(Object.fromEntries(expected));
    expect(stderr).toMatch(/^rejected\s+0$/m);
    expect(stderr).toMatch(/^messages\s+3000$/m);
  });
});
