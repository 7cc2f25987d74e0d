import { describe, expect, it } from "vitest";
import { flowCvd } from "../../../../src/domain/cards/order-flow/cvd.js";
import { cardOf, engineFor, expectUnavailable, expectValue, firstScore, snapshotAt, trade, valuesAt } from "./helpers.js";

describe("flow.cvd", () => {
  it("scores the taker imbalance (1.5 + 1.5 − 1) / 4 = 0.5 against its 1m prior of 0.3, confidence 3 / 100 trades", () => {
    const v = valuesAt(flowCvd, [trade(1_000, "buy", 1.5), trade(2_000, "sell", 1), trade(3_000, "buy", 1.5)], 10_000);
    expectValue(v["1m"], { score: firstScore(0.5, 0.3), strength: firstScore(0.5, 0.3), confidence: 0.03, value: 2 });
    expectValue(v["1h"], { score: firstScore(0.5, 0.1), confidence: 0.03, value: 2 });
  });

  it("learns the symbol's own dispersion: after one sample of 0.5 the 1m σ is √((0.25 + 180·0.09)/181)", () => {
    const engine = engineFor(flowCvd, { config: { cards: { scaleAdapt: true } } });
    snapshotAt(engine, [trade(1_000, "buy", 1.5), trade(2_000, "sell", 1), trade(3_000, "buy", 1.5)], 10_000);
    // second cycle: the 1m window [−50 000, 20 000) holds the same three trades and one more buy of 1
    const v = cardOf(snapshotAt(engine, [trade(11_000, "buy", 1)], 20_000), "flow.cvd").timeframes["1m"];
    const x = 3 / 5; // (4 − 1) / 5
    const n0 = 1_800_000 / 10_000;
    const sigma = Math.sqrt((0.5 * 0.5 + n0 * 0.09) / (1 + n0));
    expectValue(v, { score: Math.tanh(x / sigma), value: 3 });
  });

  it("is available with score 0 and confidence 0 on a window without trades once the feed delivered", () => {
    const v = valuesAt(flowCvd, [trade(1_000, "buy", 1), trade(125_000, "sell", 1)], 190_000);
    // 1m window [130 000, 190 000) is empty
    expectValue(v["1m"], { score: 0, strength: 0, confidence: 0, value: 0 });
  });

  it("is unavailable without a trade feed", () => {
    const engine = engineFor(flowCvd);
    engine.ingest([{ venue: "binance", symbol: "BTCUSDT", ts: 1_000, kind: "mark", markPrice: 100 }]);
    engine.advanceTo(10_000);
    expectUnavailable(cardOf(engine.latest()!, "flow.cvd").timeframes["5m"], "no trade feed");
    expect(cardOf(engine.latest()!, "flow.cvd").state).toBe("neutral");
  });
});
