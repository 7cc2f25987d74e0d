/**
 * One-minute bars of every venue and format → canonical `bar` events (src/exchanges/bars.ts and
 * the venue mappers), the REST requests for a span (src/exchanges/bars-rest.ts), and the Binance
 * kline archive through the `normalize` command. Values are the recorded ones (Binance archive CSV,
 * Binance `kline_1m` and Bybit `kline.1` pushes) or the venues' documented examples; see SOURCES.md.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { type BarEvent, CanonicalEventSchema } from "../../../src/domain/events.js";
import { DEFAULT_SYMBOLS, SymbolRegistry } from "../../../src/domain/symbols.js";
import { REST_CLOSE_GRACE_MS, restBarClosed } from "../../../src/exchanges/bars.js";
import { BARS_PER_REQUEST, mapRestBars, restBarsRequests } from "../../../src/exchanges/bars-rest.js";
import { BinanceMapper } from "../../../src/exchanges/binance.js";
import { BybitMapper } from "../../../src/exchanges/bybit.js";
import { HyperliquidMapper } from "../../../src/exchanges/hyperliquid.js";
import { OkxMapper } from "../../../src/exchanges/okx.js";
import { parseRecordingLine } from "../../../src/exchanges/recording.js";
import { getMapper, normalizeLine } from "../../../src/exchanges/registry.js";
import type { MapResult } from "../../../src/exchanges/types.js";
import { runNormalize } from "../../../scripts/normalize.js";
import { archiveFileInstrument, inferFileInstrument } from "../../../scripts/lib/recording-file.js";
import { type RecordedVenue, venueData, venueFixtureLine } from "./helpers.js";

/** The bars of a result, each parsed by the canonical schema (exact round trip). */
function barsOf(result: MapResult): BarEvent[] {
  if (result.rejected !== undefined) throw new Error(`rejected: ${result.rejected}`);
  if (result.ignored !== undefined) throw new Error(`ignored: ${result.ignored}`);
  for (const e of result.events) expect(CanonicalEventSchema.parse(e)).toStrictEqual(e);
  return result.events as BarEvent[];
}

/** A fixture line parsed into its raw message, local receive time and url. */
function line(venue: RecordedVenue, name: string): { message: unknown; recvTs?: number } {
  const parsed = parseRecordingLine(venueFixtureLine(venue, name));
  if (parsed.type !== "message") throw new Error(`${venue}/${name}: ${parsed.type}`);
  return { message: parsed.message, recvTs: parsed.recvTs };
}

/** A JSON fixture (a documented example or a built answer), a fresh copy each call. */
function json<T = unknown>(venue: RecordedVenue, name: string): T {
  return JSON.parse(readFileSync(venueData(venue, `fixtures/${name}`), "utf8")) as T;
}

/** Registry tracking the cryptofeed Binance recording's CTKUSDT besides the default symbols. */
const WITH_CTK = new SymbolRegistry([...DEFAULT_SYMBOLS, { symbol: "CTKUSDT", instruments: { binance: "CTKUSDT" } }]);

const AVAX = { instrument: "AVAXUSDT" };
/** The first data row of AVAXUSDT-1m-2026-02.csv (2026-02-01 00:00 UTC). */
const AVAX_FIRST_BAR: BarEvent = {
  kind: "bar",
  venue: "binance",
  symbol: "AVAXUSDT",
  ts: 1769904059999,
  openTs: 1769904000000,
  open: 10.113,
  high: 10.13,
  low: 10.109,
  close: 10.128,
  volumeBase: 38521,
  volumeQuote: 389800.331,
  takerBuyBase: 28754,
  takerBuyQuote: 290983.007,
  trades: 1077,
  closed: true,
};

describe("Binance kline archive CSV (data.binance.vision futures/um 1m)", () => {
  const row = venueFixtureLine("binance", "kline-archive-row.txt");
  /** The first row with field `i` replaced. */
  const rowWith = (i: number, value: string): string[] => row.split(",").map((f, j) => (j === i ? value : f));
  const mapRow = (fields: unknown, context: { instrument?: string } = AVAX): MapResult => new BinanceMapper().map(fields, undefined, context);

  it("skips the header line and reads a row as its 12 field strings", () => {
    expect(parseRecordingLine(venueFixtureLine("binance", "kline-archive-header.txt"))).toStrictEqual({ type: "skip", reason: "csv-header" });
    expect(parseRecordingLine(row)).toStrictEqual({
      type: "message",
      message: ["1769904000000", "10.1130", "10.1300", "10.1090", "10.1280", "38521", "1769904059999", "389800.3310", "1077", "28754", "290983.0070", "0"],
    });
  });

  it("maps the first AVAXUSDT row to a closed bar: ts = close_time = open_time + 59 999, taker split and count kept", () => {
    expect(barsOf(normalizeLine(new BinanceMapper(), row, AVAX))).toStrictEqual([AVAX_FIRST_BAR]);
  });

  it("needs the instrument (an archive row names none) and ignores an untracked one", () => {
    expect(mapRow(row.split(","), {}).rejected).toBe(
      "kline-csv: no symbol (an archive row names none; pass the request url or the instrument in the map context)",
    );
    expect(mapRow(row.split(","), { instrument: "SUSHIUSDT" })).toStrictEqual({ events: [], ignored: "untracked-symbol" });
  });

  it("rejects, naming the column, a wrong field count, a non-decimal, high < low, taker buy > volume, a close time other than open + 59 999", () => {
    expect(mapRow(row.split(",").slice(0, 11)).rejected).toBe(
      "kline-csv: 11 fields, expected 12 (open_time,open,high,low,close,volume,close_time,quote_volume,count,taker_buy_volume,taker_buy_quote_volume,ignore)",
    );
    expect(mapRow(rowWith(2, "1e3")).rejected).toBe('kline-csv: field "high" (high) must be an unsigned decimal string, got "1e3"');
    expect(mapRow(rowWith(5, "-5")).rejected).toBe('kline-csv: field "volume" (volume) must be an unsigned decimal string, got "-5"');
    expect(mapRow(rowWith(8, "10.5")).rejected).toBe('kline-csv: field "count" (trade count) must be an integer >= 0, got "10.5"');
    expect(mapRow(rowWith(3, "10.1400")).rejected).toBe("kline-csv: high 10.13 is below low 10.14");
    expect(mapRow(rowWith(9, "38522")).rejected).toBe("kline-csv: taker buy volume 38522 exceeds volume 38521");
    expect(mapRow(rowWith(10, "389800.3311")).rejected).toBe("kline-csv: taker buy quote volume 389800.3311 exceeds quote volume 389800.331");
    expect(mapRow(rowWith(6, "1769904060000")).rejected).toBe(
      'kline-csv: field "close_time" (close time) 1769904060000 is not open time + 59 999 (1769904059999): not a one-minute bar',
    );
    // A five-minute kline of the same archive format.
    expect(mapRow(rowWith(6, "1769904299999")).rejected).toMatch(/^kline-csv: field "close_time" .* not a one-minute bar$/);
  });

  it("rejects an open time off the minute, a price of 0 and an open outside [low, high]", () => {
    expect(mapRow(rowWith(0, "1769904000001")).rejected).toBe('kline-csv: field "open_time" (open time) 1769904000001 is not a whole minute');
    expect(mapRow(rowWith(4, "0")).rejected).toBe('kline-csv: field "close" (close) must be > 0, got "0"');
    expect(mapRow(rowWith(1, "10.2000")).rejected).toBe("kline-csv: open 10.2 is outside [low 10.109, high 10.13]");
  });

  it("names the instrument of every archive file from its file name", async () => {
    const files = ["AVAXUSDT", "DOTUSDT", "LINKUSDT", "LTCUSDT", "NEARUSDT"].map((s) => `klines/${s}-1m-2026-02.csv.gz`);
    expect(files.map((f) => archiveFileInstrument(venueData("binance", f)))).toStrictEqual(["AVAXUSDT", "DOTUSDT", "LINKUSDT", "LTCUSDT", "NEARUSDT"]);
    expect(await inferFileInstrument(getMapper("binance"), venueData("binance", files[0]))).toBe("AVAXUSDT");
    expect(archiveFileInstrument("BTCUSDT-1m-2024-01-15.csv")).toBe("BTCUSDT");
    expect(archiveFileInstrument("hftbacktest_btcusdt_20230404.dat.gz")).toBeUndefined();
  });

  it("normalize: the AVAXUSDT month is 40,320 closed bars, one a minute, the header ignored", async () => {
    const file = venueData("binance", "klines/AVAXUSDT-1m-2026-02.csv.gz");
    let stdout = "";
    let stderr = "";
    const code = await runNormalize(["--venue", "binance", file], { out: (c) => void (stdout += c), err: (t) => void (stderr += t) });
    expect(code).toBe(0);
    expect(stderr).toBe(
      [
        "normalize --venue binance",
        "files     1",
        `  ${file}: 40321 lines, 40320 messages, 40320 events, instrument AVAXUSDT (inferred)`,
        "lines     40321",
        "messages  40320",
        "events    40320",
        "  bar          40320",
        "ignored   1",
        "        1  csv-header",
        "rejected  0",
        "",
      ].join("\n"),
    );
    const bars = stdout.trimEnd().split("\n").map((l) => JSON.parse(l) as BarEvent);
    expect(bars).toHaveLength(40320);
    expect(bars[0]).toStrictEqual(AVAX_FIRST_BAR);
    // 2026-02-28 23:59 UTC, the last minute of the month.
    expect(bars[40319]).toMatchObject({ openTs: 1772323140000, ts: 1772323199999, close: 9.162, volumeBase: 5486, trades: 224 });
    for (let i = 0; i < bars.length; i++) {
      expect(bars[i].openTs).toBe(1769904000000 + i * 60_000);
      expect(bars[i].closed).toBe(true);
    }
    for (const bar of bars) CanonicalEventSchema.parse(bar);
  });
});

describe("Binance <symbol>@kline_1m stream", () => {
  it("maps a closed kline (k.x true) to a bar with the taker split and trade count (CTKUSDT, tracked for the test)", () => {
    const { message, recvTs } = line("binance", "kline-closed.txt");
    expect(barsOf(new BinanceMapper(WITH_CTK).map(message, recvTs))).toStrictEqual([
      {
        kind: "bar",
        venue: "binance",
        symbol: "CTKUSDT",
        ts: 1626992759999,
        openTs: 1626992700000,
        open: 1.01,
        high: 1.012,
        low: 1.01,
        close: 1.012,
        volumeBase: 11074,
        volumeQuote: 11193.49,
        takerBuyBase: 8674,
        takerBuyQuote: 8769.444,
        trades: 86,
        closed: true,
        recvTs: 1626992760837.571,
      },
    ]);
  });

  it("ignores a forming kline (k.x false) as kline-open, and an untracked symbol first", () => {
    const open = line("binance", "kline.txt").message;
    expect(new BinanceMapper(WITH_CTK).map(open)).toStrictEqual({ events: [], ignored: "kline-open" });
    expect(new BinanceMapper().map(line("binance", "kline-closed.txt").message)).toStrictEqual({ events: [], ignored: "untracked-symbol" });
  });

  it("rejects a kline without k, without x, without T, or of another interval", () => {
    const m = new BinanceMapper(WITH_CTK);
    const frame = line("binance", "kline-closed.txt").message as { k: Record<string, unknown> };
    expect(m.map({ ...frame, k: undefined }).rejected).toBe('kline: missing field "k"');
    expect(m.map({ ...frame, k: { ...frame.k, x: "true" } }).rejected).toBe('kline: field "k.x" (closed) must be a boolean, got "true"');
    expect(m.map({ ...frame, k: { ...frame.k, T: undefined } }).rejected).toBe('kline: missing field "k.T"');
    expect(m.map({ ...frame, k: { ...frame.k, i: "5m", T: 1626992999999 } }).rejected).toBe(
      'kline: field "k.T" (close time) 1626992999999 is not open time + 59 999 (1626992759999): not a one-minute bar',
    );
    expect(m.map({ ...frame, k: { ...frame.k, V: "11075" } }).rejected).toBe("kline: taker buy volume 11075 exceeds volume 11074");
  });
});

describe("Binance REST GET /fapi/v1/klines", () => {
  const url = "https://fapi.binance.com/fapi/v1/klines?symbol=AVAXUSDT&interval=1m&startTime=1769904000000&endTime=1769904179999&limit=1500";
  const rows = () => json<unknown[][]>("binance", "documented-schema-klines-avaxusdt.json");
  /** The newest of the three rows closes at 1769904179999. */
  const newestClose = 1769904179999;

  it("maps every row but the newest when no receive time proves the newest closed", () => {
    const bars = barsOf(new BinanceMapper().map(rows(), undefined, { url }));
    expect(bars).toHaveLength(2);
    expect(bars[0]).toStrictEqual(AVAX_FIRST_BAR);
    expect(bars[1]).toMatchObject({ openTs: 1769904060000, ts: 1769904119999, open: 10.127, takerBuyBase: 15799, trades: 764, closed: true });
  });

  it("counts the newest closed once received more than 5 s after its close, not before", () => {
    expect(barsOf(new BinanceMapper().map(rows(), newestClose + REST_CLOSE_GRACE_MS + 1, { url }))).toHaveLength(3);
    expect(barsOf(new BinanceMapper().map(rows(), newestClose + REST_CLOSE_GRACE_MS, { url }))).toHaveLength(2);
    // A span whose only row is still forming.
    expect(new BinanceMapper().map(rows().slice(2), newestClose - 30_000, { url })).toStrictEqual({ events: [], ignored: "kline-open" });
  });

  it("rejects Binance's documented example: a one-week kline (close time 6 days 23:59:59.999 after open)", () => {
    const result = new BinanceMapper().map(json("binance", "documented-example-klines.json"), 1700000000000, {
      url: "https://fapi.binance.com/fapi/v1/klines?symbol=BTCUSDT&interval=1w",
    });
    expect(result.rejected).toBe('klines: field "[0][6]" (close time) 1499644799999 is not open time + 59 999 (1499040059999): not a one-minute bar');
  });

  it("needs the endpoint: rows of no url are rejected, mark-price klines ignored; the symbol is the url's", () => {
    expect(new BinanceMapper().map(rows()).rejected).toMatch(/^klines: rows of an unnamed endpoint/);
    expect(new BinanceMapper().map(rows(), 1, { url: "https://fapi.binance.com/fapi/v1/markPriceKlines?symbol=AVAXUSDT&interval=1m" })).toStrictEqual({
      events: [],
      ignored: "unused-rest:markPriceKlines",
    });
    expect(new BinanceMapper().map(rows(), 1, { url: url.replace("AVAXUSDT", "SUSHIUSDT") })).toStrictEqual({ events: [], ignored: "untracked-symbol" });
    const short = rows();
    short[1] = short[1].slice(0, 11);
    expect(new BinanceMapper().map(short, 1, { url }).rejected).toMatch(/^klines: row \[1\] must be an array of 12 fields, got /);
  });
});

describe("Bybit kline.1.{symbol} stream", () => {
  it("maps the closed minute of a push that also carries the new forming one (BTCUSDT, line 189)", () => {
    const { message, recvTs } = line("bybit", "kline-closed.txt");
    expect(barsOf(new BybitMapper().map(message, recvTs))).toStrictEqual([
      {
        kind: "bar",
        venue: "bybit",
        symbol: "BTCUSDT",
        ts: 1786310819999,
        openTs: 1786310760000,
        open: 65119.9,
        high: 65119.9,
        low: 65114.2,
        close: 65114.2,
        volumeBase: 3.712,
        volumeQuote: 241712.1394,
        takerBuyBase: null,
        takerBuyQuote: null,
        trades: null,
        closed: true,
        recvTs: 1786310820549.9258,
      },
    ]);
  });

  it("ignores a push of a forming minute only as kline-open", () => {
    expect(new BybitMapper().map(line("bybit", "kline.txt").message)).toStrictEqual({ events: [], ignored: "kline-open" });
  });

  it("rejects another interval, an end other than start + 59 999, and a confirm that is not a boolean", () => {
    const frame = line("bybit", "kline-closed.txt").message as { topic: string; data: Record<string, unknown>[] };
    const m = new BybitMapper();
    expect(m.map({ ...frame, topic: "kline.5.BTCUSDT" }).rejected).toBe('kline: topic "kline.5.BTCUSDT" is not one-minute bars (interval "5")');
    expect(m.map({ ...frame, data: [{ ...frame.data[0], end: 1786310820000 }] }).rejected).toBe(
      'kline: field "data[0].end" (close time) 1786310820000 is not open time + 59 999 (1786310819999): not a one-minute bar',
    );
    expect(m.map({ ...frame, data: [{ ...frame.data[0], confirm: 1 }] }).rejected).toBe('kline: field "data[0].confirm" must be a boolean, got 1');
    expect(m.map({ ...frame, topic: "kline.1.ROSEUSDT" })).toStrictEqual({ events: [], ignored: "untracked-symbol" });
  });
});

describe("Bybit REST GET /v5/market/kline", () => {
  const url = "https://api.bybit.com/v5/market/kline?category=linear&symbol=BTCUSDT&interval=1&start=1786310760000&end=1786310879999&limit=1000";

  it("maps the closed rows; the newest, not over by the answer's own time, is left out", () => {
    const bars = barsOf(new BybitMapper().map(json("bybit", "documented-schema-kline-linear-btcusdt.json"), 1786310820600, { url }));
    expect(bars).toStrictEqual([
      {
        kind: "bar",
        venue: "bybit",
        symbol: "BTCUSDT",
        ts: 1786310819999,
        openTs: 1786310760000,
        open: 65119.9,
        high: 65119.9,
        low: 65114.2,
        close: 65114.2,
        volumeBase: 3.712,
        volumeQuote: 241712.1394,
        takerBuyBase: null,
        takerBuyQuote: null,
        trades: null,
        closed: true,
        recvTs: 1786310820600,
      },
    ]);
  });

  it("judges the newest by Bybit's clock (time), not the local one", () => {
    const answer = json<{ time: number }>("bybit", "documented-schema-kline-linear-btcusdt.json");
    // Received long after, but Bybit answered inside the newest minute: still forming.
    expect(barsOf(new BybitMapper().map(answer, 1786311000000, { url }))).toHaveLength(1);
    answer.time = 1786310880000;
    expect(barsOf(new BybitMapper().map(answer, undefined, { url })).map((b) => b.openTs)).toStrictEqual([1786310820000, 1786310760000]);
  });

  it("ignores Bybit's documented example (inverse BTCUSD) and rejects an answer to a request of another interval", () => {
    const example = json("bybit", "documented-example-kline.json");
    const exampleUrl = "https://api-testnet.bybit.com/v5/market/kline?category=inverse&symbol=BTCUSD&interval=60&start=1670601600000&end=1670608800000";
    expect(new BybitMapper().map(example, 1672025956600, { url: exampleUrl })).toStrictEqual({ events: [], ignored: "not-linear-market:inverse" });
    const linear = json("bybit", "documented-schema-kline-linear-btcusdt.json");
    expect(new BybitMapper().map(linear, 1, { url: url.replace("interval=1", "interval=60") }).rejected).toBe(
      'market/kline: the request url asks for interval "60", not one-minute bars ("1")',
    );
    expect(new BybitMapper().map({ retCode: 10001, retMsg: "params error", result: {} }, 1, { url })).toStrictEqual({ events: [], ignored: "error-response:10001" });
  });
});

describe("OKX REST GET /api/v5/market/history-candles", () => {
  const url = "https://www.okx.com/api/v5/market/history-candles?instId=BTC-USDT-SWAP&bar=1m&after=1786310880000&before=1786310699999&limit=100";

  it("maps each row: base volume from volCcy = vol (contracts) × ctVal 0.01; the forming row (confirm 0) has closed: false", () => {
    const bars = barsOf(new OkxMapper().map(json("okx", "documented-schema-history-candles-btc-swap.json"), 1786310830000, { url }));
    expect(bars.map((b) => [b.openTs, b.ts, b.closed, b.volumeBase, b.volumeQuote])).toStrictEqual([
      [1786310820000, 1786310879999, false, 0.3145, 20478.6813],
      // 1439.97 contracts × 0.01 BTC = 14.3997 BTC = volCcy
      [1786310760000, 1786310819999, true, 14.3997, 937768.4227],
      [1786310700000, 1786310759999, true, 5.123, 333640.1457],
    ]);
    expect(bars[1]).toStrictEqual({
      kind: "bar",
      venue: "okx",
      symbol: "BTCUSDT",
      ts: 1786310819999,
      openTs: 1786310760000,
      open: 65125.5,
      high: 65128.9,
      low: 65110.2,
      close: 65118.4,
      volumeBase: 14.3997,
      volumeQuote: 937768.4227,
      takerBuyBase: null,
      takerBuyQuote: null,
      trades: null,
      closed: true,
      recvTs: 1786310830000,
    });
  });

  it("converts PEPE-USDT-SWAP into 1000PEPEUSDT units: 25 contracts × 10,000,000 PEPE = 250,000 × 1000 PEPE, prices × 1000", () => {
    const pepeUrl = "https://www.okx.com/api/v5/market/history-candles?instId=PEPE-USDT-SWAP&bar=1m";
    const [bar] = barsOf(new OkxMapper().map(json("okx", "documented-schema-history-candles-pepe-swap.json"), undefined, { url: pepeUrl }));
    expect(bar).toMatchObject({ symbol: "1000PEPEUSDT", open: 0.00731, high: 0.00733, low: 0.0073, close: 0.00732, volumeBase: 250000, volumeQuote: 1828.75 });
  });

  it("rejects a candle whose volCcy disagrees with vol × ctVal (a changed contract value)", () => {
    const answer = json<{ data: string[][] }>("okx", "documented-schema-history-candles-btc-swap.json");
    answer.data[1][5] = "143.997";
    expect(new OkxMapper().map(answer, 1, { url }).rejected).toBe(
      'history-candles: field "data[1][6]" (volCcy "14.3997") disagrees with vol × ctVal ("143.997" × 0.01): the contract value of BTC-USDT-SWAP may have changed',
    );
    answer.data[1][5] = "1439.97";
    answer.data[1][8] = "2";
    expect(new OkxMapper().map(answer, 1, { url }).rejected).toBe('history-candles: field "data[1][8]" (confirm) must be one of "0", "1", got "2"');
  });

  it("OKX's documented example: BTC-USDT spot is untracked; as a swap its times are not whole minutes", () => {
    const example = json("okx", "documented-example-history-candles.json");
    expect(new OkxMapper().map(example, 1, { url: "https://www.okx.com/api/v5/market/history-candles?instId=BTC-USDT" })).toStrictEqual({
      events: [],
      ignored: "untracked-symbol",
    });
    expect(new OkxMapper().map(example, 1, { url }).rejected).toBe('history-candles: field "data[0][0]" (open time) 1597026383085 is not a whole minute');
  });

  it("rejects an answer to another bar size, ignores an error answer; /candles reads the same", () => {
    const answer = json("okx", "documented-schema-history-candles-btc-swap.json");
    expect(new OkxMapper().map(answer, 1, { url: url.replace("bar=1m", "bar=5m") }).rejected).toBe(
      'history-candles: the request url asks for bar "5m", not one-minute bars ("1m")',
    );
    expect(new OkxMapper().map({ code: "51001", msg: "Instrument ID does not exist", data: [] }, 1, { url })).toStrictEqual({
      events: [],
      ignored: "error-response:51001",
    });
    const candlesUrl = "https://www.okx.com/api/v5/market/candles?instId=BTC-USDT-SWAP";
    expect(barsOf(new OkxMapper().map(answer, 1, { url: candlesUrl }))).toHaveLength(3);
  });
});

describe("Hyperliquid POST /info candleSnapshot", () => {
  const candles = () => json<Record<string, unknown>[]>("hyperliquid", "documented-schema-candle-snapshot-btc.json");
  /** The newer of the two candles closes at 1786310819999. */
  const newestClose = 1786310819999;

  it("maps candles to bars with no quote volume and no taker split; the newest counts once received 5 s after its close", () => {
    const bars = barsOf(new HyperliquidMapper().map(candles(), newestClose + REST_CLOSE_GRACE_MS + 1));
    expect(bars[0]).toStrictEqual({
      kind: "bar",
      venue: "hyperliquid",
      symbol: "BTCUSDT",
      ts: 1786310759999,
      openTs: 1786310700000,
      open: 65131,
      high: 65133,
      low: 65120,
      close: 65125,
      volumeBase: 12.34567,
      volumeQuote: null,
      takerBuyBase: null,
      takerBuyQuote: null,
      trades: 321,
      closed: true,
      recvTs: newestClose + REST_CLOSE_GRACE_MS + 1,
    });
    expect(bars.map((b) => b.openTs)).toStrictEqual([1786310700000, 1786310760000]);
    expect(barsOf(new HyperliquidMapper().map(candles(), newestClose + REST_CLOSE_GRACE_MS)).map((b) => b.openTs)).toStrictEqual([1786310700000]);
    expect(barsOf(new HyperliquidMapper().map(candles())).map((b) => b.openTs)).toStrictEqual([1786310700000]);
    expect(new HyperliquidMapper().map(candles().slice(1), newestClose)).toStrictEqual({ events: [], ignored: "kline-open" });
  });

  it("reads a close written as the next minute's open (T = t + 60 000) as the same minute, ts = t + 59 999", () => {
    const list = candles();
    list[0].T = 1786310760000;
    expect(barsOf(new HyperliquidMapper().map(list, 1786310900000))[0]).toMatchObject({ openTs: 1786310700000, ts: 1786310759999 });
    list[0].T = 1786310759998;
    expect(new HyperliquidMapper().map(list, 1786310900000).rejected).toBe(
      'candleSnapshot: field "[0].T" (close time) 1786310759998 is not open time + 59 999 (1786310759999): not a one-minute bar',
    );
  });

  it("rejects Hyperliquid's documented example, a 15-minute candle; ignores untracked coins and an empty answer", () => {
    expect(new HyperliquidMapper().map(json("hyperliquid", "documented-example-candle-snapshot.json"), 1681924600000).rejected).toBe(
      'candleSnapshot: field "[0].i" (interval) "15m" is not one minute ("1m")',
    );
    const list = candles().map((c) => ({ ...c, s: "HYPE" }));
    expect(new HyperliquidMapper().map(list, 1786310900000)).toStrictEqual({ events: [], ignored: "untracked-symbol" });
    expect(new HyperliquidMapper().map([], 1786310900000)).toStrictEqual({ events: [], ignored: "empty-batch" });
    expect(new HyperliquidMapper().canHandle(candles())).toBe(true);
  });
});

describe("restBarClosed", () => {
  it("a bar followed by a newer one is closed; the newest by the venue's clock, else by the receive time less the grace", () => {
    expect(restBarClosed(0, 60_000, undefined, undefined)).toBe(true);
    expect(restBarClosed(60_000, 60_000, undefined, undefined)).toBe(false);
    expect(restBarClosed(60_000, 60_000, 120_000, undefined)).toBe(true);
    expect(restBarClosed(60_000, 60_000, 119_999, 1e12)).toBe(false);
    expect(restBarClosed(60_000, 60_000, undefined, 119_999 + REST_CLOSE_GRACE_MS + 1)).toBe(true);
    expect(restBarClosed(60_000, 60_000, undefined, 119_999 + REST_CLOSE_GRACE_MS)).toBe(false);
  });
});

describe("restBarsRequests: the requests for a span, within each venue's limit", () => {
  const start = 1769904000000;

  it("Binance: 1,500 bars a page, open times [startTime, endTime] inclusive", () => {
    const pages = restBarsRequests("binance", "AVAXUSDT", start, start + 2_000 * 60_000);
    expect(pages).toStrictEqual([
      { method: "GET", url: `https://fapi.binance.com/fapi/v1/klines?symbol=AVAXUSDT&interval=1m&startTime=${start}&endTime=${start + 1_500 * 60_000 - 1}&limit=1500` },
      {
        method: "GET",
        url: `https://fapi.binance.com/fapi/v1/klines?symbol=AVAXUSDT&interval=1m&startTime=${start + 1_500 * 60_000}&endTime=${start + 2_000 * 60_000 - 1}&limit=1500`,
      },
    ]);
  });

  it("Bybit: 1,000 bars a page, linear, interval 1", () => {
    expect(restBarsRequests("bybit", "BTCUSDT", start, start + 1_000 * 60_000)).toStrictEqual([
      { method: "GET", url: `https://api.bybit.com/v5/market/kline?category=linear&symbol=BTCUSDT&interval=1&start=${start}&end=${start + 1_000 * 60_000 - 1}&limit=1000` },
    ]);
  });

  it("OKX: 100 bars a page, paginated with after (exclusive end) and before (exclusive start)", () => {
    const pages = restBarsRequests("okx", "BTC-USDT-SWAP", start, start + 250 * 60_000);
    expect(pages.map((p) => p.url)).toStrictEqual([
      `https://www.okx.com/api/v5/market/history-candles?instId=BTC-USDT-SWAP&bar=1m&after=${start + 100 * 60_000}&before=${start - 1}&limit=100`,
      `https://www.okx.com/api/v5/market/history-candles?instId=BTC-USDT-SWAP&bar=1m&after=${start + 200 * 60_000}&before=${start + 100 * 60_000 - 1}&limit=100`,
      `https://www.okx.com/api/v5/market/history-candles?instId=BTC-USDT-SWAP&bar=1m&after=${start + 250 * 60_000}&before=${start + 200 * 60_000 - 1}&limit=100`,
    ]);
  });

  it("Hyperliquid: a POST to /info with the candleSnapshot body, up to 5,000 candles", () => {
    expect(restBarsRequests("hyperliquid", "BTC", start, start + 24 * 60 * 60_000)).toStrictEqual([
      {
        method: "POST",
        url: "https://api.hyperliquid.xyz/info",
        body: `{"type":"candleSnapshot","req":{"coin":"BTC","interval":"1m","startTime":${start},"endTime":${start + 1_440 * 60_000 - 1}}}`,
        headers: { "content-type": "application/json" },
      },
    ]);
    expect(restBarsRequests("hyperliquid", "BTC", start, start + 5_001 * 60_000)).toHaveLength(2);
  });

  it("starts at the first whole minute, covers the span exactly, takes a REST base override, refuses bad arguments", () => {
    for (const venue of ["binance", "bybit", "okx", "hyperliquid"] as const) {
      const span = 3 * BARS_PER_REQUEST[venue] + 7;
      expect(restBarsRequests(venue, "X", start - 59_999, start + span * 60_000)).toHaveLength(4);
    }
    expect(restBarsRequests("binance", "AVAXUSDT", start + 1, start + 60_000)).toStrictEqual([]);
    expect(restBarsRequests("bybit", "BTCUSDT", start, start)).toStrictEqual([]);
    expect(restBarsRequests("binance", "AVAXUSDT", start, start + 60_000, "http://127.0.0.1:9000/")[0].url).toBe(
      `http://127.0.0.1:9000/fapi/v1/klines?symbol=AVAXUSDT&interval=1m&startTime=${start}&endTime=${start + 59_999}&limit=1500`,
    );
    expect(() => restBarsRequests("okx", "", start, start + 60_000)).toThrow("restBarsRequests: instrument must not be empty");
    expect(() => restBarsRequests("okx", "BTC-USDT-SWAP", 1.5, start)).toThrow("restBarsRequests: startMs must be an integer >= 0 (epoch ms), got 1.5");
  });

  it("an answer maps through mapRestBars with the request's url", () => {
    const [page] = restBarsRequests("binance", "AVAXUSDT", start, start + 3 * 60_000);
    const bars = barsOf(mapRestBars("binance", json("binance", "documented-schema-klines-avaxusdt.json"), start + 10 * 60_000, { url: page.url }));
    expect(bars.map((b) => b.openTs)).toStrictEqual([start, start + 60_000, start + 120_000]);
    expect(bars[0]).toStrictEqual({ ...AVAX_FIRST_BAR, recvTs: start + 10 * 60_000 });
  });
});
