import { describe, it } from "vitest";
import { momentumReturn } from "../../../../src/domain/cards/momentum/return.js";
import { expectUnavailable, expectValue, firstScore, trade, valuesAt } from "./helpers.js";

describe("momentum.return", () => {
  it("is ln(close / open) of the window against the 1m prior of 0.1 %", () => {
    // 1m window [0, 60 000): first trade 100 at 1 000, last 100.2 at 50 000
    const v = valuesAt(momentumReturn, [trade(1_000, "buy", 1, 100), trade(20_000, "sell", 1, 99.9), trade(50_000, "buy", 1, 100.2)], 60_000);
    const x = Math.log(100.2 / 100);
    expectValue(v["1m"], { score: firstScore(x, 0.001), strength: firstScore(x, 0.001), confidence: 0.03, value: x });
    expectValue(v["1h"], { score: firstScore(x, 0.01), value: x });
  });

  it("leans bearish on a falling window", () => {
    const v = valuesAt(momentumReturn, [trade(1_000, "buy", 1, 100), trade(2_000, "sell", 1, 99.8)], 10_000);
    expectValue(v["5m"], { score: firstScore(Math.log(0.998), 0.0025) });
  });

  it("is unavailable on a window without trades, and without a trade feed", () => {
    const v = valuesAt(momentumReturn, [trade(1_000, "buy", 1, 100), trade(125_000, "sell", 1, 101)], 190_000);
    expectUnavailable(v["1m"], "no trades in the window");
    const none = valuesAt(momentumReturn, [{ venue: "binance", symbol: "BTCUSDT", ts: 1_000, kind: "mark", markPrice: 100 }], 10_000);
    expectUnavailable(none["1h"], "no trade feed");
  });
});
