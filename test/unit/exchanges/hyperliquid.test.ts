import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { OrderBook } from "../../../src/domain/book.js";
import { type CanonicalEvent, CanonicalEventSchema } from "../../../src/domain/events.js";
import { HYPERLIQUID_CONNECTION } from "../../../src/exchanges/hyperliquid-connection.js";
import { HyperliquidMapper } from "../../../src/exchanges/hyperliquid.js";
import { parseRecordingLine } from "../../../src/exchanges/recording.js";
import { getMapper, normalizeLine } from "../../../src/exchanges/registry.js";
import type { MapResult } from "../../../src/exchanges/types.js";
import { venueData, venueFixtureLine, venueRecordingLines } from "./helpers.js";

const mapper = new HyperliquidMapper();

function raw(name: string): { message: Record<string, unknown>; recvTs?: number } {
  const parsed = parseRecordingLine(venueFixtureLine("hyperliquid", name));
  if (parsed.type !== "message") throw new Error(`${name}: ${parsed.type}`);
  return { message: parsed.message as Record<string, unknown>, recvTs: parsed.recvTs };
}

function mapFixture(name: string): MapResult {
  const r = raw(name);
  return mapper.map(r.message, r.recvTs);
}

function documented(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(venueData("hyperliquid", `fixtures/${name}`), "utf8")) as Record<string, unknown>;
}

function eventsOf(result: MapResult): CanonicalEvent[] {
  if (result.rejected !== undefined) throw new Error(`rejected: ${result.rejected}`);
  if (result.ignored !== undefined) throw new Error(`ignored: ${result.ignored}`);
  for (const e of result.events) expect(CanonicalEventSchema.parse(e)).toStrictEqual(e);
  return result.events;
}

describe("HyperliquidMapper trades", () => {
  it("maps a trade: side B is an aggressor buy, qty = sz in coins, tradeId = tid, ts = time, recvTs from the ns local time", () => {
    expect(eventsOf(mapFixture("trades-single.txt"))).toStrictEqual([
      {
        kind: "trade",
        venue: "hyperliquid",
        symbol: "BTCUSDT",
        ts: 1737918847000,
        price: 105056,
        qty: 0.02222,
        side: "buy",
        tradeId: "917211710228416",
        recvTs: 1737918847319.919,
      },
    ]);
  });

  it("maps the first push after subscribing, which replays 30 recent trades from up to 49 s earlier, in order", () => {
    const list = eventsOf(mapFixture("trades-first-push-replays-recent.txt"));
    expect(list).toHaveLength(30);
    expect(list[0]).toMatchObject({ ts: 1737918794873, price: 105056, qty: 0.00219, side: "buy", tradeId: "121451470284048" });
    expect(list[2]).toMatchObject({ side: "sell" });
    expect(list[29].ts).toBe(1737918840013);
    expect(list.filter((e) => e.kind === "trade" && e.side === "buy")).toHaveLength(19);
    expect(list.every((e, i) => i === 0 || e.ts >= list[i - 1].ts)).toBe(true);
  });

  it("keeps 21 fills of one sweep at the same time as 21 trades with distinct ids", () => {
    const list = eventsOf(mapFixture("trades-batch-same-time.txt"));
    expect(list).toHaveLength(21);
    expect(new Set(list.map((e) => e.kind === "trade" && e.tradeId)).size).toBe(21);
    expect(list.every((e) => e.ts === 1737918867964 && e.kind === "trade" && e.side === "sell")).toBe(true);
  });

  it("UNITS: kPEPE is 1000 PEPE, the unit of 1000PEPEUSDT: 81,000 kPEPE at 0.012345 = 999.945 USD = 81,000,000 PEPE × 0.000012345", () => {
    const [e] = eventsOf(mapper.map(documented("documented-schema-trades-kpepe.json")));
    expect(e).toStrictEqual({ kind: "trade", venue: "hyperliquid", symbol: "1000PEPEUSDT", ts: 1737918900123, price: 0.012345, qty: 81000, side: "sell", tradeId: "42" });
    if (e.kind !== "trade") throw new Error(e.kind);
    expect(e.price * e.qty).toBeCloseTo(81_000_000 * 0.000012345, 9);
  });

  it("rejects malformed trades, naming the field, and ignores untracked coins", () => {
    const frame = raw("trades-single.txt").message;
    const item = (frame.data as Record<string, unknown>[])[0];
    expect(mapper.map({ ...frame, data: [{ ...item, side: "S" }] }).rejected).toBe('trades: field "data[0].side" must be one of "B", "A", got "S"');
    expect(mapper.map({ ...frame, data: [{ ...item, sz: 0.02222 }] }).rejected).toBe('trades: field "data[0].sz" must be a string, got 0.02222');
    expect(mapper.map({ ...frame, data: [{ ...item, tid: undefined }] }).rejected).toBe('trades: missing field "data[0].tid"');
    expect(mapper.map({ ...frame, data: [{ ...item, coin: "@107" }] })).toStrictEqual({ events: [], ignored: "untracked-symbol" });
  });
});

describe("HyperliquidMapper l2Book", () => {
  it("maps every push to a full snapshot: levels[0] bids, levels[1] asks, seq = ts = time", () => {
    const [e] = eventsOf(mapFixture("l2book.txt"));
    if (e.kind !== "book") throw new Error(e.kind);
    expect([e.symbol, e.type, e.ts, e.seq, e.bids.length, e.asks.length, e.bids[0], e.asks[0], e.bids[19], e.asks[19], e.recvTs]).toStrictEqual([
      "BTCUSDT",
      "snapshot",
      1737918843542,
      1737918843542,
      20,
      20,
      [105055, 3.03622],
      [105056, 6.34472],
      [105030, 17.50772],
      [105079, 0.00637],
      1737918843893.903,
    ]);
  });

  it("rebuilds the recorded book from its 46 snapshots (one pushed twice), never crossed", async () => {
    const m = getMapper("hyperliquid");
    const b = new OrderBook({ maxLevels: 1000, maxBufferedDeltas: 10 });
    let snapshots = 0;
    for (const line of await venueRecordingLines("hyperliquid", "hftbacktest_hyperliquid_btc_20250126.gz")) {
      for (const e of normalizeLine(m, line).events) {
        if (e.kind !== "book") continue;
        b.apply(e);
        snapshots++;
        expect(b.bestBid()!).toBeLessThan(b.bestAsk()!);
      }
    }
    expect(snapshots).toBe(46);
    expect(b.counters()).toMatchObject({ snapshots: 46, gaps: 0, applied: 0 });
    expect([b.bidLevels, b.askLevels]).toStrictEqual([20, 20]);
  });

  it("rejects a malformed level, naming it", () => {
    const frame = raw("l2book.txt").message;
    const data = frame.data as { levels: unknown[][] };
    expect(mapper.map({ ...frame, data: { ...data, levels: [[{ px: "105055.0" }], []] } }).rejected).toBe(
      'l2Book: field "data.levels[0][0].sz" must be an unsigned decimal string, got undefined',
    );
    expect(mapper.map({ ...frame, data: { ...data, levels: [[]] } }).rejected).toMatch(/^l2Book: field "data.levels/);
  });
});

describe("HyperliquidMapper activeAssetCtx (documented schema)", () => {
  it("maps markPx, oraclePx as index, the hourly funding and openInterest in coins, at the local receive time (the push has none)", () => {
    expect(eventsOf(mapper.map(documented("documented-schema-active-asset-ctx.json"), 1737918900123.456))).toStrictEqual([
      {
        kind: "mark",
        venue: "hyperliquid",
        symbol: "ETHUSDT",
        ts: 1737918900123,
        markPrice: 3227.4,
        indexPrice: 3230.1,
        fundingRate: 0.0000125,
        fundingIntervalMs: 3_600_000,
        recvTs: 1737918900123.456,
      },
      { kind: "oi", venue: "hyperliquid", symbol: "ETHUSDT", ts: 1737918900123, oiBase: 446072.075, recvTs: 1737918900123.456 },
    ]);
  });

  it("accepts numbers as the docs type them, and rejects a push with no receive time rather than inventing one", () => {
    const frame = documented("documented-schema-active-asset-ctx.json");
    const data = frame.data as { coin: string; ctx: Record<string, unknown> };
    const numeric = { ...frame, data: { ...data, ctx: { ...data.ctx, markPx: 3227.4, funding: -0.0000125 } } };
    expect(eventsOf(mapper.map(numeric, 1))[0]).toMatchObject({ markPrice: 3227.4, fundingRate: -0.0000125 });
    expect(mapper.map(frame).rejected).toBe("activeAssetCtx: the push carries no time and no local receive time was given");
    expect(mapper.map({ ...frame, data: { ...data, ctx: { ...data.ctx, openInterest: "-1" } } }, 1).rejected).toBe(
      'activeAssetCtx: field "data.ctx.openInterest" must be a decimal string, got "-1"',
    );
  });
});

describe("HyperliquidMapper other messages", () => {
  it("ignores subscription responses, pongs and unused channels; rejects what is not Hyperliquid's", () => {
    expect(mapper.map({ channel: "subscriptionResponse", data: { method: "subscribe", subscription: { type: "trades", coin: "BTC" } } })).toStrictEqual({
      events: [],
      ignored: "subscription-response",
    });
    expect(mapper.map({ channel: "pong" })).toStrictEqual({ events: [], ignored: "pong" });
    expect(mapper.map({ channel: "allMids", data: {} })).toStrictEqual({ events: [], ignored: "unused-channel:allMids" });
    expect(mapper.map({ topic: "x" }).rejected).toBe('unrecognized message: no "channel": {"topic":"x"}');
  });
});

describe("HYPERLIQUID_CONNECTION", () => {
  it("subscribes trades, l2Book and activeAssetCtx per coin, one frame each; pings every 30 s; no liquidation stream", () => {
    expect(HYPERLIQUID_CONNECTION.wsUrl).toBe("wss://api.hyperliquid.xyz/ws");
    expect(HYPERLIQUID_CONNECTION.topics("kPEPE")).toStrictEqual(["trades:kPEPE", "l2Book:kPEPE", "activeAssetCtx:kPEPE"]);
    expect(HYPERLIQUID_CONNECTION.subscribeFrames(["l2Book:BTC"])).toStrictEqual(['{"method":"subscribe","subscription":{"type":"l2Book","coin":"BTC"}}']);
    expect(HYPERLIQUID_CONNECTION.keepalive).toStrictEqual({ intervalMs: 30_000, frame: '{"method":"ping"}' });
    expect(HYPERLIQUID_CONNECTION.isControl({ channel: "pong" })).toBe(true);
    expect(HYPERLIQUID_CONNECTION.isControl(raw("trades-single.txt").message)).toBe(false);
    expect(HYPERLIQUID_CONNECTION.liquidationSampling).toBeNull();
    expect(HYPERLIQUID_CONNECTION.staleAfterMs("l2Book:BTC")).toBe(30_000);
    expect(HYPERLIQUID_CONNECTION.topicOf?.(raw("l2book.txt").message, undefined)).toBe("l2Book:BTC");
    expect(HYPERLIQUID_CONNECTION.topicOf?.(raw("trades-single.txt").message, undefined)).toBe("trades:BTC");
    expect(HYPERLIQUID_CONNECTION.topicOf?.({ channel: "pong" }, undefined)).toBeUndefined();
  });
});
