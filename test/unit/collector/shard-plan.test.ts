import { describe, expect, it } from "vitest";
import { SYMBOLS } from "../../../src/domain/symbols.js";
import { BINANCE_CONNECTION } from "../../../src/exchanges/binance-connection.js";
import type { LiveConnectionSpec } from "../../../src/exchanges/connection-spec.js";
import { planShards } from "../../../workers/collector/src/shard-plan.js";

const BINANCE_INSTRUMENTS = SYMBOLS.symbols.map((s) => SYMBOLS.instrument("binance", s)!);

describe("shard planning", () => {
  it("routes Binance depth and trades to /public and mark price and liquidations to /market", () => {
    const plans = planShards(BINANCE_CONNECTION, BINANCE_INSTRUMENTS, "ws://127.0.0.1:9000");
    expect(plans.map((p) => [p.key, p.url, p.topics.length])).toEqual([
      ["public-0", "ws://127.0.0.1:9000/public/stream", 42],
      ["market-0", "ws://127.0.0.1:9000/market/stream", 22],
    ]);
    expect(plans[0].topics.slice(0, 4)).toEqual(["btcusdt@trade", "btcusdt@depth@100ms", "ethusdt@trade", "ethusdt@depth@100ms"]);
    expect(plans[1].topics[0]).toBe("btcusdt@markPrice@1s");
    expect(plans[1].topics.at(-1)).toBe("!forceOrder@arr");
    expect(plans[0].topics).toContain("1000pepeusdt@depth@100ms");
  });

  it("cuts an endpoint's topics into connections of at most maxTopicsPerConnection, in order", () => {
    const small: LiveConnectionSpec = { ...BINANCE_CONNECTION, maxTopicsPerConnection: 16 };
    const plans = planShards(small, BINANCE_INSTRUMENTS, "wss://fstream.binance.com");
    expect(plans.map((p) => `${p.key}:${p.topics.length}`)).toEqual(["public-0:16", "public-1:16", "public-2:10", "market-0:16", "market-1:6"]);
    const all = plans.flatMap((p) => p.topics);
    expect(new Set(all).size).toBe(all.length);
    expect(all).toHaveLength(64);
    expect(plans[0].url).toBe("wss://fstream.binance.com/public/stream");
  });

  it("puts every topic on the one URL of a venue without routing, as ws-0, ws-1, …", () => {
    const { endpoint: _e, ...plain } = BINANCE_CONNECTION;
    const plans = planShards({ ...plain, maxTopicsPerConnection: 50 }, BINANCE_INSTRUMENTS, "wss://example.test/ws");
    expect(plans.map((p) => [p.key, p.url, p.topics.length])).toEqual([
      ["ws-0", "wss://example.test/ws", 50],
      ["ws-1", "wss://example.test/ws", 14],
    ]);
  });

  it("is deterministic: the same plan for the same inputs (stream names survive restarts)", () => {
    expect(planShards(BINANCE_CONNECTION, BINANCE_INSTRUMENTS, "x")).toEqual(planShards(BINANCE_CONNECTION, BINANCE_INSTRUMENTS, "x"));
  });

  it("rejects a spec whose connection limit is not a positive integer", () => {
    expect(() => planShards({ ...BINANCE_CONNECTION, maxTopicsPerConnection: 0 }, ["BTCUSDT"], "x")).toThrow(/maxTopicsPerConnection/);
  });
});
