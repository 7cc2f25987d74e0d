import { describe, expect, it } from "vitest";
import { StaleMonitor } from "../../../workers/collector/src/stale-monitor.js";
import { BINANCE_CONNECTION } from "../../../src/exchanges/binance-connection.js";

const TOPICS = ["btcusdt@trade", "btcusdt@depth@100ms", "btcusdt@markPrice@1s", "!forceOrder@arr"];

describe("stale topic detection", () => {
  it("declares a topic stale once it has been silent for longer than its threshold", () => {
    const m = new StaleMonitor(TOPICS, (t) => BINANCE_CONNECTION.staleAfterMs(t), 0);
    for (let t = 1_000; t <= 15_000; t += 1_000) {
      m.touch("btcusdt@trade", t);
      m.touch("btcusdt@depth@100ms", t);
    }
    // the mark price never spoke: silent since the connection opened at 0, threshold 15 s
    expect(m.staleTopics(15_000)).toEqual([]);
    expect(m.staleTopics(15_001)).toEqual(["btcusdt@markPrice@1s"]);
    m.touch("btcusdt@markPrice@1s", 15_001);
    expect(m.staleTopics(20_000)).toEqual([]);
    // trades: 120 s threshold, depth 60 s
    expect(m.staleTopics(75_001)).toEqual(["btcusdt@depth@100ms", "btcusdt@markPrice@1s"]);
  });

  it("never declares the liquidation stream stale by itself (bursty by nature)", () => {
    const m = new StaleMonitor(["!forceOrder@arr"], (t) => BINANCE_CONNECTION.staleAfterMs(t), 0);
    expect(m.staleTopics(86_400_000)).toEqual([]);
  });

  it("counts a message of an unknown topic as a sign of life for every topic", () => {
    const m = new StaleMonitor(["a", "b"], () => 10, 0);
    expect(m.touch("c", 5)).toBe(false);
    m.touchAll(8);
    expect(m.staleTopics(18)).toEqual([]);
    expect(m.staleTopics(19)).toEqual(["a", "b"]);
    expect(m.silenceMs("a", 19)).toBe(11);
    expect(m.silenceMs("c", 19)).toBeUndefined();
  });
});
