import { describe, expect, it } from "vitest";
import { zoneDirection, type ZoneAtPrice, type ZoneDirectionInputs } from "../../../../src/domain/zones/direction.js";

const support = (o: Partial<ZoneAtPrice["evidence"]> = {}): ZoneAtPrice => ({
  kind: "support",
  low: 99,
  high: 99.5,
  mid: 99.25,
  evidence: { depthUsd: null, liqBeyondUsd: null, lastSweepTs: null, ...o },
});
const resistance = (o: Partial<ZoneAtPrice["evidence"]> = {}): ZoneAtPrice => ({
  kind: "resistance",
  low: 101,
  high: 101.5,
  mid: 101.25,
  evidence: { depthUsd: null, liqBeyondUsd: null, lastSweepTs: null, ...o },
});
const T = 10_000_000;
const inputs = (o: Partial<ZoneDirectionInputs> = {}): ZoneDirectionInputs => ({
  ts: T,
  price: 100,
  flowScore: null,
  magnetScore: null,
  rangeBps: 300,
  memoryMs: 1_800_000,
  weights: { liquidity: 1, draw: 1, sweep: 1 },
  ...o,
});

describe("zone direction (step 8)", () => {
  it("liquidity held: bids outweighing the stops under a support point up, stops outweighing them down", () => {
    // (3 − 1) / (3 + 1) = 0.5; no sweep (0); draw unavailable: score = (0.5 + 0) / 2
    expect(zoneDirection(support({ depthUsd: 3e6, liqBeyondUsd: 1e6 }), inputs())).toEqual({ score: 0.25, confidence: 2 / 3, liquidity: 0.5, draw: null, sweep: 0 });
    expect(zoneDirection(support({ depthUsd: 1e6, liqBeyondUsd: 3e6 }), inputs()).liquidity).toBe(-0.5);
    // A resistance with short stops above outweighing its asks: fuel for a squeeze up.
    expect(zoneDirection(resistance({ depthUsd: 1e6, liqBeyondUsd: 3e6 }), inputs()).liquidity).toBe(0.5);
    expect(zoneDirection(resistance({ depthUsd: 3e6, liqBeyondUsd: 1e6 }), inputs()).liquidity).toBe(-0.5);
  });

  it("liquidity is unavailable without both figures, or when both are 0", () => {
    expect(zoneDirection(support({ depthUsd: 3e6 }), inputs()).liquidity).toBeNull();
    expect(zoneDirection(support({ depthUsd: 0, liqBeyondUsd: 0 }), inputs()).liquidity).toBeNull();
  });

  it("draw: flow and magnet toward the zone, by proximity to its near edge", () => {
    // Resistance 101 above price 100: 100 bps to its near edge of a 300 bps range → proximity 2/3.
    // f = (0.6 + 0.3) / 2 = 0.45 → draw = 0.45 · 2/3 = 0.3; score = (0.3 + 0) / 2.
    const d = zoneDirection(resistance(), inputs({ flowScore: 0.6, magnetScore: 0.3 }));
    expect(d.draw).toBeCloseTo(0.3, 12);
    expect(d.score).toBeCloseTo(0.15, 12);
    expect(d.confidence).toBeCloseTo(2 / 3, 12);
    // Selling draws price down to the support 50 bps below: f = −0.6 → draw = −0.6 · (1 − 50/300).
    expect(zoneDirection(support(), inputs({ flowScore: -0.6 })).draw).toBeCloseTo(-0.5, 12);
    // Buying points away from the support: no draw to it (a measured 0).
    expect(zoneDirection(support(), inputs({ flowScore: 0.6 })).draw).toBe(0);
    // Beyond the range: proximity 0.
    expect(zoneDirection(support(), inputs({ flowScore: -0.6, price: 104 })).draw).toBe(0);
    expect(zoneDirection(support(), inputs()).draw).toBeNull();
  });

  it("sweep: a reclaimed support points up, a reclaimed resistance down, fading over the memory", () => {
    // Swept 15 min ago of a 30 min memory: 1 − 0.5.
    expect(zoneDirection(support({ lastSweepTs: T - 900_000 }), inputs()).sweep).toBe(0.5);
    expect(zoneDirection(resistance({ lastSweepTs: T - 900_000 }), inputs()).sweep).toBe(-0.5);
    expect(zoneDirection(resistance({ lastSweepTs: T - 1_800_001 }), inputs()).sweep).toBe(0);
  });

  it("weights: the score is the weighted mean of the available components", () => {
    const w = { liquidity: 2, draw: 1, sweep: 1 };
    // liquidity −0.5 (w 2), draw −0.5 (w 1), sweep 0.5 (w 1): (−1 − 0.5 + 0.5) / 4 = −0.25
    const d = zoneDirection(support({ depthUsd: 1e6, liqBeyondUsd: 3e6, lastSweepTs: T - 900_000 }), inputs({ flowScore: -0.6, weights: w }));
    expect(d.score).toBeCloseTo(-0.25, 12);
    expect(d.confidence).toBe(1);
  });
});
