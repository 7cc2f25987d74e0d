/**
 * Property-based tests over the four venue mappers: garbage in never throws, never yields a
 * non-canonical event (NaN, Infinity, a size <= 0, …), and anything a mapper cannot read comes
 * back `rejected` with a reason. Frames are real recorded messages (or documented-schema
 * fixtures where no recording exists), mutated one leaf at a time.
 */
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CanonicalEventSchema } from "../../../src/domain/events.js";
import { BinanceMapper } from "../../../src/exchanges/binance.js";
import { BybitMapper } from "../../../src/exchanges/bybit.js";
import { HyperliquidMapper } from "../../../src/exchanges/hyperliquid.js";
import { OkxMapper } from "../../../src/exchanges/okx.js";
import { DEFAULT_SYMBOLS, SymbolRegistry } from "../../../src/domain/symbols.js";
import { parseRecordingLine } from "../../../src/exchanges/recording.js";
import type { ExchangeMapper, MapContext, MapResult } from "../../../src/exchanges/types.js";
import { fixtureLine, type RecordedVenue, venueData, venueFixtureLine } from "./helpers.js";

type Path = Array<string | number>;

interface Frame {
  name: string;
  message: unknown;
  recvTs?: number;
  /** What the message does not say itself (a REST answer's url, an archive row's instrument). */
  context?: MapContext;
  /** Fields holding a number the mapper must read: a non-number there must reject the frame. */
  numeric: Path[];
}

/** The default symbols and CTKUSDT, whose recorded closed kline is the Binance kline frame. */
const WITH_CTK = new SymbolRegistry([...DEFAULT_SYMBOLS, { symbol: "CTKUSDT", instruments: { binance: "CTKUSDT" } }]);

interface Venue {
  venue: RecordedVenue;
  /** A fresh mapper, primed with the state `frame` needs (Bybit ticker deltas, OKX funding). */
  mapper(frame: string): ExchangeMapper;
  frames: Frame[];
}

function line(venue: RecordedVenue, name: string): { message: unknown; recvTs?: number } {
  const parsed = parseRecordingLine(venue === "binance" ? fixtureLine(name) : venueFixtureLine(venue, name));
  if (parsed.type !== "message") throw new Error(`${venue}/${name}: ${parsed.type}`);
  return { message: parsed.message, recvTs: parsed.recvTs };
}

function json(venue: RecordedVenue, name: string): unknown {
  return JSON.parse(readFileSync(venueData(venue, `fixtures/${name}`), "utf8"));
}

const VENUES: Venue[] = [
  {
    venue: "binance",
    mapper: () => new BinanceMapper(WITH_CTK),
    frames: [
      { name: "trade-buyer-maker.txt", ...line("binance", "trade-buyer-maker.txt"), numeric: [["p"], ["q"]] },
      { name: "depth-update.txt", ...line("binance", "depth-update.txt"), numeric: [["b", 0, 0], ["a", 1, 1]] },
      { name: "mark-price.txt", ...line("binance", "mark-price.txt"), numeric: [["p"]] },
      { name: "book-ticker.txt", ...line("binance", "book-ticker.txt"), numeric: [["b"], ["A"]] },
      { name: "forceorder-long.txt", ...line("binance", "forceorder-long.txt"), numeric: [["o", "ap"], ["o", "z"]] },
      { name: "kline-closed.txt", ...line("binance", "kline-closed.txt"), numeric: [["k", "o"], ["k", "v"], ["k", "Q"]] },
      { name: "kline-archive-row.txt", ...line("binance", "kline-archive-row.txt"), context: { instrument: "AVAXUSDT" }, numeric: [[1], [5], [9]] },
      {
        name: "documented-schema-klines-avaxusdt.json",
        message: json("binance", "documented-schema-klines-avaxusdt.json"),
        context: { url: "https://fapi.binance.com/fapi/v1/klines?symbol=AVAXUSDT&interval=1m" },
        numeric: [[0, 2], [1, 5], [2, 10]],
      },
    ],
  },
  {
    venue: "bybit",
    mapper: (frame) => {
      const m = new BybitMapper();
      if (frame === "tickers-delta-mark.txt") m.map(line("bybit", "tickers-snapshot.txt").message);
      return m;
    },
    frames: [
      { name: "public-trade-batch.txt", ...line("bybit", "public-trade-batch.txt"), numeric: [["data", 0, "p"], ["data", 4, "v"]] },
      { name: "orderbook-delta.txt", ...line("bybit", "orderbook-delta.txt"), numeric: [["data", "b", 0, 0], ["data", "a", 3, 1]] },
      { name: "tickers-snapshot.txt", ...line("bybit", "tickers-snapshot.txt"), numeric: [["data", "markPrice"], ["data", "singleOpenInterest"]] },
      { name: "tickers-delta-mark.txt", ...line("bybit", "tickers-delta-mark.txt"), numeric: [["data", "markPrice"]] },
      { name: "documented-schema-all-liquidation-btc-buy.json", message: json("bybit", "documented-schema-all-liquidation-btc-buy.json"), numeric: [["data", 0, "p"], ["data", 1, "v"]] },
      { name: "kline-closed.txt", ...line("bybit", "kline-closed.txt"), numeric: [["data", 0, "open"], ["data", 0, "volume"], ["data", 0, "turnover"]] },
      {
        name: "documented-schema-kline-linear-btcusdt.json",
        message: json("bybit", "documented-schema-kline-linear-btcusdt.json"),
        context: { url: "https://api.bybit.com/v5/market/kline?category=linear&symbol=BTCUSDT&interval=1" },
        numeric: [["result", "list", 1, 1], ["result", "list", 1, 5]],
      },
    ],
  },
  {
    venue: "okx",
    mapper: (frame) => {
      const m = new OkxMapper();
      if (frame === "documented-schema-funding-rate.json") m.map(json("okx", "documented-schema-mark-price.json"));
      return m;
    },
    frames: [
      { name: "documented-schema-trades-pepe-swap.json", message: json("okx", "documented-schema-trades-pepe-swap.json"), numeric: [["data", 0, "px"], ["data", 0, "sz"]] },
      { name: "documented-schema-books-snapshot-seqid.json", message: json("okx", "documented-schema-books-snapshot-seqid.json"), numeric: [["data", 0, "bids", 0, 0], ["data", 0, "asks", 1, 1]] },
      { name: "documented-schema-books-update-seqid.json", message: json("okx", "documented-schema-books-update-seqid.json"), numeric: [["data", 0, "bids", 0, 1]] },
      { name: "documented-schema-mark-price.json", message: json("okx", "documented-schema-mark-price.json"), numeric: [["data", 0, "markPx"]] },
      { name: "documented-schema-funding-rate.json", message: json("okx", "documented-schema-funding-rate.json"), numeric: [["data", 0, "fundingRate"]] },
      { name: "documented-schema-open-interest.json", message: json("okx", "documented-schema-open-interest.json"), numeric: [["data", 0, "oi"], ["data", 0, "oiCcy"]] },
      {
        name: "documented-schema-liquidation-orders-net-mode.json",
        message: json("okx", "documented-schema-liquidation-orders-net-mode.json"),
        numeric: [["data", 0, "details", 0, "bkPx"], ["data", 0, "details", 0, "sz"]],
      },
      {
        name: "documented-schema-history-candles-btc-swap.json",
        message: json("okx", "documented-schema-history-candles-btc-swap.json"),
        context: { url: "https://www.okx.com/api/v5/market/history-candles?instId=BTC-USDT-SWAP&bar=1m" },
        numeric: [["data", 1, 2], ["data", 1, 5], ["data", 1, 6]],
      },
    ],
  },
  {
    venue: "hyperliquid",
    mapper: () => new HyperliquidMapper(),
    frames: [
      { name: "trades-single.txt", ...line("hyperliquid", "trades-single.txt"), numeric: [["data", 0, "px"], ["data", 0, "sz"]] },
      { name: "l2book.txt", ...line("hyperliquid", "l2book.txt"), numeric: [["data", "levels", 0, 0, "px"], ["data", "levels", 1, 19, "sz"]] },
      {
        name: "documented-schema-active-asset-ctx.json",
        message: json("hyperliquid", "documented-schema-active-asset-ctx.json"),
        recvTs: 1737918900123.456,
        numeric: [["data", "ctx", "markPx"], ["data", "ctx", "openInterest"]],
      },
      {
        name: "documented-schema-candle-snapshot-btc.json",
        message: json("hyperliquid", "documented-schema-candle-snapshot-btc.json"),
        recvTs: 1786310900000,
        numeric: [[0, "o"], [1, "v"]],
      },
    ],
  },
];

/** Every number inside a value, recursively. */
function numbers(value: unknown, out: number[] = []): number[] {
  if (typeof value === "number") out.push(value);
  else if (Array.isArray(value)) for (const v of value) numbers(v, out);
  else if (typeof value === "object" && value !== null) for (const v of Object.values(value)) numbers(v, out);
  return out;
}

/** The invariants of any mapping result. */
function checkResult(result: MapResult): void {
  const outcomes = [result.rejected !== undefined, result.ignored !== undefined, result.events.length > 0].filter(Boolean).length;
  expect(outcomes).toBe(1);
  if (result.rejected !== undefined) {
    expect(typeof result.rejected).toBe("string");
    expect(result.rejected.length).toBeGreaterThan(0);
    expect(result.events).toHaveLength(0);
  }
  if (result.ignored !== undefined) {
    expect(result.ignored.length).toBeGreaterThan(0);
    expect(result.events).toHaveLength(0);
  }
  for (const event of result.events) {
    const parsed = CanonicalEventSchema.safeParse(event);
    expect(parsed.success, JSON.stringify(event).slice(0, 300)).toBe(true);
    for (const n of numbers(event)) expect(Number.isFinite(n)).toBe(true);
    if (event.kind === "trade" || event.kind === "liquidation") expect(event.qty).toBeGreaterThan(0);
    if (event.kind === "book") for (const [p, q] of [...event.bids, ...event.asks]) expect(p > 0 && q >= 0).toBe(true);
  }
}

/** Leaf paths of a JSON value (primitives), and the containers' keys themselves. */
function paths(value: unknown, prefix: Path = [], out: Path[] = []): Path[] {
  if (Array.isArray(value)) value.forEach((v, i) => paths(v, [...prefix, i], out));
  else if (typeof value === "object" && value !== null) for (const [k, v] of Object.entries(value)) paths(v, [...prefix, k], out);
  if (prefix.length > 0) out.push(prefix);
  return out;
}

const DELETE = Symbol("delete");

/** A deep copy of `value` with the value at `path` replaced (or the key removed). */
function mutate(value: unknown, path: Path, replacement: unknown): unknown {
  const copy = structuredClone(value) as Record<string | number, unknown>;
  let node = copy;
  for (let i = 0; i < path.length - 1; i++) node = node[path[i]] as Record<string | number, unknown>;
  const last = path[path.length - 1];
  if (replacement === DELETE) {
    if (Array.isArray(node)) node.splice(last as number, 1);
    else delete node[last];
  } else node[last] = replacement;
  return copy;
}

/** Replacement values: odd strings a venue could send, numbers of every kind, other types. */
const strangeValue = fc.oneof(
  fc.constantFrom<unknown>("", "-1", "0", "0.0", "1e5", "NaN", "Infinity", "-0", " 1", "1.", ".5", "0x10", "1".padEnd(400, "0"), "9".repeat(17), DELETE),
  fc.string({ maxLength: 12 }),
  fc.double(),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string({ maxLength: 4 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 3 }), fc.string({ maxLength: 3 }), { maxKeys: 2 }),
);

/** A string that is not a plain decimal: where a number must be, it must reject the frame. */
const notADecimal = fc.oneof(
  fc.constantFrom("abc", "1e5", "NaN", "Infinity", "-", "1.", ".5", " 1", "1,5", "0x10", "١٢"),
  fc.string({ minLength: 1, maxLength: 10 }).filter((s) => !/^-?\d+(?:\.\d+)?$/.test(s)),
);

/** A decimal of 400 digits: Infinity if converted unchecked. */
const OVERFLOW = "1".padEnd(400, "0");

describe("every mapper on arbitrary input", () => {
  for (const v of VENUES) {
    it(`${v.venue}: arbitrary JSON values never throw, and a non-object is rejected with a reason`, () => {
      fc.assert(
        fc.property(fc.jsonValue(), fc.option(fc.double({ min: 0, max: 4e12, noNaN: true }), { nil: undefined }), (value, recvTs) => {
          const result = v.mapper("").map(value, recvTs);
          checkResult(result);
          if (typeof value !== "object" || value === null) {
            // Arrays are Binance's batch form; everything else that is not an object is unreadable.
            if (!(v.venue === "binance" && Array.isArray(value))) expect(result.rejected).toBeDefined();
          }
        }),
        { numRuns: 300 },
      );
    });

    it(`${v.venue}: arbitrary objects shaped like its frames never give a non-canonical event`, () => {
      const keys = [...new Set(v.frames.flatMap((f) => paths(f.message).map((p) => String(p[p.length - 1]))))].filter((k) => Number.isNaN(Number(k)));
      const shaped = fc.dictionary(fc.constantFrom(...keys), fc.oneof(fc.jsonValue(), strangeValue.filter((x) => x !== DELETE)), { maxKeys: 6 });
      fc.assert(fc.property(shaped, (value) => checkResult(v.mapper("").map(value, 1))), { numRuns: 300 });
    });
  }
});

describe("every mapper on mutated real frames", () => {
  for (const v of VENUES) {
    for (const frame of v.frames) {
      const leafPaths = paths(frame.message);
      const value = v.venue === "binance" ? strangeValue.filter((x) => x !== OVERFLOW) : strangeValue;
      it(`${v.venue} ${frame.name}: one leaf replaced or removed never throws nor gives a non-canonical event`, () => {
        const unmutated = v.mapper(frame.name).map(frame.message, frame.recvTs, frame.context);
        checkResult(unmutated);
        expect(unmutated.events.length, "the unmutated frame maps to events").toBeGreaterThan(0);
        fc.assert(
          fc.property(fc.constantFrom(...leafPaths), value, (path, replacement) => {
            checkResult(v.mapper(frame.name).map(mutate(frame.message, path, replacement), frame.recvTs, frame.context));
          }),
          { numRuns: 200 },
        );
      });

      it(`${v.venue} ${frame.name}: a non-number where a number must be is rejected, naming the frame`, () => {
        fc.assert(
          fc.property(fc.constantFrom(...frame.numeric), notADecimal, (path, text) => {
            const result = v.mapper(frame.name).map(mutate(frame.message, path, text), frame.recvTs, frame.context);
            expect(result.events).toHaveLength(0);
            expect(result.rejected, `${path.join(".")} = ${JSON.stringify(text)}`).toMatch(/^\S+: /);
          }),
          { numRuns: 100 },
        );
      });

      it(`${v.venue} ${frame.name}: a number too large for a double is rejected, never Infinity`, () => {
        if (v.venue === "binance") return;
        for (const path of frame.numeric) {
          const result = v.mapper(frame.name).map(mutate(frame.message, path, OVERFLOW), frame.recvTs, frame.context);
          checkResult(result);
          expect(result.rejected, path.join(".")).toBeDefined();
        }
      });
    }
  }

  // Found by the properties above: `Number("1000…0")` with 309+ digits is Infinity. Binance's
  // decimal strings are now length-bounded, so such a frame is rejected with a reason.
  it("binance: a 400-digit price is rejected, never Infinity", () => {
    const trade = line("binance", "trade-buyer-maker.txt").message as Record<string, unknown>;
    const result = new BinanceMapper().map({ ...trade, p: OVERFLOW });
    checkResult(result);
    expect(result.rejected).toMatch(/"p" must be an unsigned decimal string/);
  });
});
