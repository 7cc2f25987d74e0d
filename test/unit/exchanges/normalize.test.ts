import { spawn, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { type CanonicalEvent, CanonicalEventSchema } from "../../../src/domain/events.js";
import { runNormalize } from "../../../scripts/normalize.js";
import { binanceData, venueData } from "./helpers.js";

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
    expect(run.stderr).toMatch(/^normalize: missing --venue\nusage: npm run normalize -- --venue <binance\|bybit\|okx\|hyperliquid>/);
    expect(run.stdout).toBe("");
  });

  it("names the known venues for an unknown one", async () => {
    const run = await normalize("--venue", "kraken", binanceData("fixtures/book-ticker.txt"));
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('normalize: unknown venue "kraken"; known venues: binance, bybit, okx, hyperliquid');
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
        "        1  untracked-symbol",
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

describe("normalize command on the Bybit, OKX and Hyperliquid recordings (summaries as in SOURCES.md)", () => {
  const summary = (venue: string, file: string, fileLine: string, body: string[]): string =>
    [`normalize --venue ${venue}`, "files     1", `  ${file}: ${fileLine}`, ...body, ""].join("\n");

  it("bybit cryptofeed jsonl: linear frames mapped (the 4 closed klines as bars, 67 forming ones ignored), the spot connection ignored, no reject", async () => {
    const file = venueData("bybit", "cryptofeed_BYBIT_v5_20260809.jsonl.gz");
    const run = await normalize("--venue", "bybit", file);
    expect(run.stderr).toBe(
      summary("bybit", file, "3256 lines, 3229 messages, 2174 events", [
        "lines     3256",
        "messages  3229",
        "events    2174",
        "  trade        327",
        "  book         1598",
        "  mark         140",
        "  oi           105",
        "  bar          4",
        "ignored   1396",
        "      681  not-linear-market:spot",
        "      602  tickers-unused-fields",
        "       67  kline-open",
        "       24  sent-record",
        "       17  subscribe-response",
        "        2  connect-record",
        "        2  rest-response:instruments-info",
        "        1  header-record",
        "rejected  0",
      ]),
    );
    for (const event of events(run.stdout)) expect(CanonicalEventSchema.safeParse(event).success).toBe(true);
  });

  it("bybit nautilus ob500 (CRLF): 1 snapshot + 49 deltas", async () => {
    const file = venueData("bybit", "2024-12-01_XRPUSDT_ob500.data");
    const run = await normalize("--venue", "bybit", file);
    expect(run.stderr).toBe(
      summary("bybit", file, "50 lines, 50 messages, 50 events, instrument XRPUSDT (inferred)", [
        "lines     50",
        "messages  50",
        "events    50",
        "  book         50",
        "ignored   0",
        "rejected  0",
      ]),
    );
    expect(countBy(events(run.stdout), (e) => (e.kind === "book" ? e.type : e.kind))).toStrictEqual({ snapshot: 1, delta: 49 });
  });

  it("okx: every message counted as ignored, none of its instruments being a tracked USDT swap", async () => {
    const file = venueData("okx", "cryptofeed_OKX.ws.1.0.gz");
    const run = await normalize("--venue", "okx", file);
    expect(run.stdout).toBe("");
    expect(run.stderr).toBe(
      summary("okx", file, "414 lines, 410 messages, 0 events", [
        "lines     414",
        "messages  410",
        "events    0",
        "ignored   414",
        "      364  untracked-symbol",
        "       28  unused-channel:tickers",
        "       18  subscribe-response",
        "        3  sent-line",
        "        1  connect-line",
        "rejected  0",
      ]),
    );
  });

  it("hyperliquid: 64 trades in 9 pushes and 46 book snapshots", async () => {
    const file = venueData("hyperliquid", "hftbacktest_hyperliquid_btc_20250126.gz");
    const run = await normalize("--venue", "hyperliquid", file);
    expect(run.stderr).toBe(
      summary("hyperliquid", file, "55 lines, 55 messages, 110 events, instrument BTC (inferred)", [
        "lines     55",
        "messages  55",
        "events    110",
        "  trade        64",
        "  book         46",
        "ignored   0",
        "rejected  0",
      ]),
    );
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
