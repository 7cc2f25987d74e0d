import { spawn, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { type CanonicalEvent, CanonicalEventSchema } from "../../../src/domain/events.js";
import { runNormalize } from "../../../scripts/normalize.js";
import { binanceData } from "./helpers.js";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function normalize(...argv: string[]): Promise<Run> {
  let stdout = "";
  let stderr = "";
  const code = await runNormalize(argv, { out: (chunk) => void (stdout += chunk), err: (text) => void (stderr += text) });
  return { code, stdout, stderr };
}

function events(stdout: string): CanonicalEvent[] {
  return stdout === "" ? [] : stdout.trimEnd().split("\n").map((line) => JSON.parse(line) as CanonicalEvent);
}

function countBy<T>(items: readonly T[], key: (item: T) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const item of items) out[key(item)] = (out[key(item)] ?? 0) + 1;
  return out;
}

describe("normalize command: usage errors exit with 2", () => {
  it("needs --venue", async () => {
    const run = await normalize(binanceData("fixtures/book-ticker.txt"));
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^normalize: missing --venue\nusage: npm run normalize -- --venue <binance>/);
    expect(run.stdout).toBe("");
  });

  it("names the known venues for an unknown one", async () => {
    const run = await normalize("--venue", "kraken", binanceData("fixtures/book-ticker.txt"));
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('normalize: unknown venue "kraken"; known venues: binance');
  });

  it("checks every file exists before writing anything", async () => {
    const run = await normalize("--venue", "binance", binanceData("fixtures/book-ticker.txt"), "no/such/file.gz");
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("normalize: no such file: no/such/file.gz");
    expect(run.stdout).toBe("");
  });

  it("needs at least one file and knows its options", async () => {
    expect((await normalize("--venue", "binance")).stderr).toContain("normalize: no input FILE");
    expect((await normalize("--venue=binance", "--speed", "x")).stderr).toContain("normalize: unknown option --speed");
  });
});

describe("normalize command: output", () => {
  it("prints events as NDJSON in file order and a summary of events, ignored and rejected lines", async () => {
    const files = ["trade-buyer-maker.txt", "cryptofeed-connect.txt", "kline.txt", "mark-price.txt"].map((f) => binanceData(`fixtures/${f}`));
    const run = await normalize("--", "--venue", "binance", ...files);
    expect(run.code).toBe(0);
    expect(events(run.stdout).map((e) => [e.kind, e.ts])).toStrictEqual([
      ["trade", 1680652700452],
      ["mark", 1680652701000],
    ]);
    expect(run.stdout.split("\n")[0]).toBe(
      '{"kind":"trade","venue":"binance","symbol":"BTCUSDT","ts":1680652700452,"price":28145.1,"qty":0.002,"side":"sell","tradeId":"3535186032","recvTs":1680652700441.533}',
    );
    expect(run.stderr).toBe(
      [
        "normalize --venue binance",
        "files     4",
        `  ${files[0]}: 1 lines, 1 messages, 1 events, instrument BTCUSDT (inferred)`,
        `  ${files[1]}: 1 lines, 0 messages, 0 events`,
        `  ${files[2]}: 1 lines, 1 messages, 0 events`,
        `  ${files[3]}: 1 lines, 1 messages, 1 events, instrument BTCUSDT (inferred)`,
        "lines     4",
        "messages  3",
        "events    2",
        "  trade        1",
        "  mark         1",
        "ignored   2",
        "        1  connect-line",
        "        1  unused-event:kline",
        "rejected  0",
        "",
      ].join("\n"),
    );
  });

  it("rejects a lone REST snapshot with no known symbol, and maps it with --instrument", async () => {
    const file = binanceData("fixtures/depth-snapshot-rest.txt");
    const without = await normalize("--venue", "binance", file);
    expect(without.code).toBe(0);
    expect(without.stdout).toBe("");
    expect(without.stderr).toContain("rejected  1\n        1  depth snapshot: no symbol");
    const withInstrument = await normalize("--venue", "binance", "--instrument", "BTCUSDT", file);
    expect(events(withInstrument.stdout).map((e) => [e.kind, e.symbol, e.ts])).toStrictEqual([["book", "BTCUSDT", 1680652700590]]);
  });

  it("normalizes the whole 20230404 recording to the counts stated in SOURCES.md", async () => {
    const run = await normalize("--venue", "binance", binanceData("hftbacktest_btcusdt_20230404.dat.gz"));
    const out = events(run.stdout);
    expect(out).toHaveLength(13384);
    expect(countBy(out, (e) => (e.kind === "book" ? `book:${e.type}` : e.kind))).toStrictEqual({
      trade: 2197,
      "book:delta": 4322,
      quote: 6765,
      mark: 99,
      "book:snapshot": 1,
    });
    const snapshotAt = out.findIndex((e) => e.kind === "book" && e.type === "snapshot");
    expect(snapshotAt).toBe(16); // line 17
    expect(out[snapshotAt]).toMatchObject({ symbol: "BTCUSDT", seq: 2710246765483 });
    expect(run.stderr).toContain("ignored   0\nrejected  0\n");
    for (const event of out) expect(CanonicalEventSchema.safeParse(event).success).toBe(true);
  });

  it("keeps every trade of the 20240808 recording: count, aggressor buys (m false) and qty sum equal the raw file", async () => {
    const file = binanceData("hftbacktest_btcusdt_20240808.gz");
    let rawTrades = 0;
    let rawBuys = 0;
    let rawQty = 0;
    for (const line of gunzipSync(readFileSync(file)).toString("utf8").split("\n")) {
      if (!line.includes('"e":"trade"')) continue;
      const data = JSON.parse(line.slice(line.indexOf(" ") + 1)).data as { m: boolean; q: string };
      rawTrades++;
      if (!data.m) rawBuys++;
      rawQty += Number(data.q);
    }
    const trades = events((await normalize("--venue", "binance", file)).stdout).filter((e) => e.kind === "trade");
    expect([rawTrades, rawBuys]).toStrictEqual([21313, 9616]);
    expect(trades).toHaveLength(rawTrades);
    expect(trades.filter((t) => t.side === "buy")).toHaveLength(rawBuys);
    expect(trades.reduce((sum, t) => sum + t.qty, 0)).toBe(rawQty);
  });
});

describe("normalize command as a process", () => {
  const cli = ["--import", "tsx", "scripts/normalize.ts"];

  it("exits with 2 on a usage error", () => {
    const run = spawnSync(process.execPath, [...cli, "--venue", "nowhere", "x"], { cwd: ROOT, encoding: "utf8" });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('unknown venue "nowhere"');
  });

  it("stops quietly with 0 when the reader closes stdout early (| head)", async () => {
    const child = spawn(process.execPath, [...cli, "--venue", "binance", "data/recorded/binance/hftbacktest_btcusdt_20240808.gz"], {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const first = await new Promise<string>((resolve) => child.stdout.once("data", (chunk: Buffer) => resolve(chunk.toString())));
    child.stdout.destroy();
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(first.startsWith('{"kind":"book"')).toBe(true);
    expect(code).toBe(0);
    expect(stderr).toContain("stdout closed by the reader: stopped early");
  });
});
