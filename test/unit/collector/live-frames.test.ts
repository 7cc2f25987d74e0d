/**
 * Reading one live WebSocket frame (`live-frames.ts`) with the real Binance and OKX connection
 * specs and mappers: a recorded trade frame, a subscribe acknowledgement, OKX's bare `pong`, an
 * unreadable frame, and a mapper that throws. The counters are checked by hand.
 */
import { describe, expect, it } from "vitest";
import { getConnectionSpec } from "../../../src/exchanges/connections.js";
import { getMapper } from "../../../src/exchanges/registry.js";
import type { ExchangeMapper } from "../../../src/exchanges/types.js";
import { readFrame } from "../../../workers/collector/src/live-frames.js";
import { newStreamHealth } from "../../../workers/collector/src/live-health.js";
import { fixtureLine } from "../exchanges/helpers.js";

const RECV_MS = 1_680_652_700_460;
/** The frame as the venue sent it: the recorded line without its receive time. */
const TRADE_FRAME = fixtureLine("trade-buyer-maker.txt").replace(/^\d+ /, "");

describe("reading a live frame", () => {
  it("maps a Binance trade frame to one trade and names its stream as the topic it proves alive", () => {
    const stats = newStreamHealth("ws", "wss://x", 1);
    const read = readFrame(getConnectionSpec("binance"), getMapper("binance"), stats, TRADE_FRAME, RECV_MS);
    expect(read.topic).toBe("btcusdt@trade");
    // "m":true: the buyer was the maker, so the seller was the aggressor
    expect(read.events.map((e) => (e.kind === "trade" ? [e.symbol, e.ts, e.price, e.qty, e.side, e.tradeId] : e.kind))).toEqual([
      ["BTCUSDT", 1680652700452, 28145.1, 0.002, "sell", "3535186032"],
    ]);
    expect(stats).toMatchObject({ messages: 1, lastMessageMs: RECV_MS, control: 0, ignored: {}, rejected: {} });
  });

  it("counts a subscribe acknowledgement and OKX's bare pong as control frames, with no events", () => {
    const stats = newStreamHealth("ws", "wss://x", 1);
    expect(readFrame(getConnectionSpec("binance"), getMapper("binance"), stats, '{"result":null,"id":1}', RECV_MS)).toEqual({ topic: undefined, events: [] });
    expect(readFrame(getConnectionSpec("okx"), getMapper("okx"), stats, "pong", RECV_MS + 1)).toEqual({ topic: undefined, events: [] });
    expect(stats).toMatchObject({ messages: 2, lastMessageMs: RECV_MS + 1, control: 2, rejected: {} });
  });

  it("rejects a frame that cannot be read and a frame whose mapper throws, counting each reason", () => {
    const stats = newStreamHealth("ws", "wss://x", 1);
    const unreadable = readFrame(getConnectionSpec("binance"), getMapper("binance"), stats, "{not json", RECV_MS);
    expect(unreadable.events).toEqual([]);
    const throwing: ExchangeMapper = {
      ...getMapper("binance"),
      map: () => {
        throw new Error("boom");
      },
    };
    const thrown = readFrame(getConnectionSpec("binance"), throwing, stats, TRADE_FRAME, RECV_MS);
    // the topic is still alive: the venue sent something on it
    expect(thrown).toEqual({ topic: "btcusdt@trade", events: [] });
    expect(stats.messages).toBe(2);
    expect(stats.rejected["mapper threw: Error: boom"]).toBe(1);
    // the parser's reason carries the JSON engine's message, whose wording varies by version
    expect(Object.keys(stats.rejected).filter((r) => r.startsWith("invalid JSON: "))).toHaveLength(1);
    expect(Object.values(stats.rejected).reduce((a, b) => a + b, 0)).toBe(2);
  });
});
