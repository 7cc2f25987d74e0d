import { describe, expect, it } from "vitest";
import { ZoneTracker, type ZoneInputs } from "../../../../src/domain/zones/tracker.js";
import { DEFAULT_ZONE_CONFIG, parseZoneConfig } from "../../../../src/domain/zones/config.js";
import { mergeCandidates } from "../../../../src/domain/zones/candidates.js";
import { LevelView } from "../../../../src/domain/liquidation/level-view.js";
import type { Level } from "../../../../src/domain/events.js";
import { ZonesSchema, type Zones } from "../../../../src/protocol/zones.js";

/** A minute-aligned start (2023-11-14T22:14:00Z), so bar k is minute T0/60 000 + k. */
const T0 = 60_000 * 28_333_334;
const M = 60_000;

/** Isolated candidates: no volume nodes, fixed 5 bps merge tolerance (pad 2.5 bps each side). */
const ISOLATED = { maxNodes: 0, mergeSigmaMult: 0 };

const noFeeds = (ts: number, price: number | null): ZoneInputs => ({ ts, price, bids: null, asks: null });

/** Bars 0..6 with lows 101.5, 101, 100.5, 100, 100.5, 101, 101.5 (high = low + 0.3, close = low + 0.15): one swing low at 100 (bar 3). */
function swingLow(t: ZoneTracker): void {
  [101.5, 101, 100.5, 100, 100.5, 101, 101.5].forEach((low, k) => {
    t.onTrade(T0 + k * M + 1_000, low + 0.3, 1, "buy");
    t.onTrade(T0 + k * M + 2_000, low, 1, "sell");
    t.onTrade(T0 + k * M + 3_000, low + 0.15, 1, "buy");
  });
}

const ladder = (from: number, to: number, step: number, qty = 1, overrides: Record<string, number> = {}): Level[] => {
  const out: Level[] = [];
  const n = Math.round(Math.abs(to - from) / step);
  for (let i = 0; i <= n; i++) {
    const p = Math.round((from + Math.sign(to - from) * i * step) * 100) / 100;
    out.push([p, overrides[p.toFixed(2)] ?? qty]);
  }
  return out;
};

describe("zone pipeline on hand-computable sequences", () => {
  it("turns a swing low at 100 into a support zone [99.975, 100.025] with strength 1 − e^(−w)", () => {
    const t = new ZoneTracker(ISOLATED);
    swingLow(t);
    const ts = T0 + 7 * M;
    const z = t.compute(noFeeds(ts, 101.65));
    ZonesSchema.parse(z);
    expect(z.zones).toHaveLength(1);
    const zone = z.zones[0];
    // age of the pivot = end of bar 3 to ts = 3 min; weight = 0.5^(3 min / 2 h)
    const w = Math.pow(0.5, (3 * M) / 7_200_000);
    expect(zone).toMatchObject({ id: "z1", kind: "support", mid: 100, touches: 0, holds: 0, trap: false, flipped: false, ageMs: 0 });
    expect(zone.low).toBeCloseTo(99.975, 10);
    expect(zone.high).toBeCloseTo(100.025, 10);
    expect(zone.sources).toEqual([{ kind: "swing-low", price: 100, weight: w, notionalUsd: null }]);
    expect(zone.strength).toBeCloseTo(1 - Math.exp(-w), 12);
    expect(z.inputs).toEqual({ trades: "available", book: "unavailable", levels: "unavailable", clusters: "unavailable" });
    expect(z.model.mergeBps).toBe(5);
  });

  it("counts a touch and a hold when price enters the zone and leaves upward, and adds the hold bonus", () => {
    const t = new ZoneTracker(ISOLATED);
    swingLow(t);
    t.compute(noFeeds(T0 + 7 * M, 101.65));
    t.onTrade(T0 + 7 * M + 1_000, 100.01, 1, "sell");
    t.onTrade(T0 + 7 * M + 2_000, 101, 1, "buy");
    const z = t.compute(noFeeds(T0 + 7 * M + 10_000, 101));
    const zone = z.zones[0];
    const w = Math.pow(0.5, (3 * M + 10_000) / 7_200_000);
    expect(zone).toMatchObject({ id: "z1", touches: 1, holds: 1, lastTouchTs: T0 + 7 * M + 1_000, trap: false, ageMs: 10_000 });
    expect(zone.strength).toBeCloseTo(1 - Math.exp(-(w + 0.5 / 5)), 12);
  });

  it("flags a sweep below the swing low reclaimed within 5 min as a trap, without counting a hold or a break", () => {
    const t = new ZoneTracker(ISOLATED);
    swingLow(t);
    t.compute(noFeeds(T0 + 7 * M, 101.65));
    t.onTrade(T0 + 7 * M + 1_000, 99.5, 1, "sell"); // through the zone in one jump
    t.onTrade(T0 + 8 * M + 5_000, 99.4, 1, "sell"); // the 7th bar closed at 99.5, below: a break...
    t.onTrade(T0 + 8 * M + 30_000, 100.6, 1, "buy"); // ...reclaimed 89 s after the cross: a sweep
    const z = t.compute(noFeeds(T0 + 8 * M + 40_000, 100.6));
    const zone = z.zones.find((x) => x.id === "z1")!;
    expect(zone).toMatchObject({ kind: "support", touches: 2, holds: 0, trap: true, trapReasons: ["sweep-reclaim"], flipped: false });
    expect(zone.evidence.lastSweepTs).toBe(T0 + 8 * M + 30_000);
    // T0 + 8 min 30 s = 2023-11-14T22:22:30Z
    expect(zone.trapReason).toBe("swept and reclaimed at 2023-11-14T22:22:30Z");
    expect(zone.evidence.lastSweepTs).toBe(T0 + 8 * M + 30_000);
    // the flag lasts trapMemoryMs (30 min) of event time
    expect(t.compute(noFeeds(T0 + 38 * M + 30_000, 100.6)).zones.find((x) => x.id === "z1")?.trap).toBe(true);
    expect(t.compute(noFeeds(T0 + 38 * M + 40_000, 100.6)).zones.find((x) => x.id === "z1")?.trap).toBe(false);
  });

  it("flips a support broken by a bar close into a resistance, and removes it on the second break", () => {
    const t = new ZoneTracker(ISOLATED);
    swingLow(t);
    t.compute(noFeeds(T0 + 7 * M, 101.65));
    t.onTrade(T0 + 7 * M + 1_000, 99.5, 1, "sell");
    t.onTrade(T0 + 14 * M, 99.4, 1, "sell"); // 7 min later: no reclaim
    const z = t.compute(noFeeds(T0 + 14 * M + 10_000, 99.4));
    expect(z.zones.find((x) => x.id === "z1")).toMatchObject({ kind: "resistance", flipped: true, trap: false });
    t.onTrade(T0 + 14 * M + 20_000, 100.5, 1, "buy"); // closes minute 14 above the zone: second break
    t.onTrade(T0 + 15 * M + 1_000, 100.5, 1, "buy");
    // bars 10.. include new pivots; the zone at 100 is gone and only a new id may appear there
    const after = t.compute(noFeeds(T0 + 15 * M + 10_000, 100.5));
    expect(after.zones.find((x) => x.id === "z1")).toBeUndefined();
  });

  it("makes a bid wall of 10× the median a support with weight 0.75 and strength 1 − e^(−0.6)", () => {
    const t = new ZoneTracker(ISOLATED);
    t.onTrade(T0 + 1_000, 100, 1, "buy");
    const bids = ladder(99.9, 98.5, 0.1, 1, { "99.00": 10 });
    const asks = ladder(100.1, 101.5, 0.1);
    const z = t.compute({ ts: T0 + 10_000, price: 100, bids, asks });
    ZonesSchema.parse(z);
    expect(z.zones).toHaveLength(1);
    expect(z.zones[0].sources).toEqual([{ kind: "bid-wall", price: 99, weight: 0.75, notionalUsd: 990 }]);
    expect(z.zones[0].kind).toBe("support");
    expect(z.zones[0].strength).toBeCloseTo(1 - Math.exp(-0.6), 12);
    // the book covers the trap band (98.678 .. 99.025): 98.7 + 98.8 + 98.9 + 990 = 1,286.4 USD
    expect(z.zones[0].evidence.depthUsd).toBeCloseTo(1_286.4, 6);
    expect(z.zones[0].evidence.liqBeyondUsd).toBeNull();
    expect(z.zones[0].trap).toBe(false);
  });

  it("flags a wall that rested 3 cycles and was pulled with no trade at its price, not one trades reached or a one-cycle flicker", () => {
    const bids = ladder(99.9, 98.5, 0.1, 1, { "99.00": 10 });
    const pulled = ladder(99.9, 98.5, 0.1, 1);
    const asks = ladder(100.1, 101.5, 0.1);
    const run = (tradeAt: number, restingCycles: number, after = pulled, config = {}) => {
      const t = new ZoneTracker({ ...ISOLATED, ...config });
      t.onTrade(T0 + 1_000, 100, 1, "buy");
      for (let i = 1; i <= restingCycles; i++) t.compute({ ts: T0 + i * 10_000, price: 100, bids, asks });
      const ts = T0 + (restingCycles + 1) * 10_000;
      t.onTrade(ts - 5_000, tradeAt, 1, "sell");
      t.onTrade(ts - 4_000, 100, 1, "buy");
      return t.compute({ ts, price: 100, bids: after, asks }).zones.find((z) => z.id === "z1")!;
    };
    const quiet = run(99.5, 3);
    expect(quiet).toMatchObject({ trap: true, trapReasons: ["wall-pulled"], trapReason: "wall pulled without trades at 2023-11-14T22:14:40Z" });
    expect(quiet.evidence.wallPulledTs).toBe(T0 + 40_000);
    const filled = run(99, 3);
    expect(filled.trap).toBe(false);
    expect(filled.evidence.wallPulledTs).toBeNull();
    expect(run(99.5, 2).trap).toBe(false);
    // Requoted one tick lower (0.1 at 99: 10.1 bps), full size: pulled at the default 5 bps, moved
    // at 15 bps; 10 ticks lower is pulled at 15 bps too.
    const requoted = ladder(99.9, 98.5, 0.1, 1, { "98.90": 10 });
    expect(run(99.5, 3, requoted).evidence.wallPulledTs).toBe(T0 + 40_000);
    expect(run(99.5, 3, requoted, { wallMoveBps: 15 }).evidence.wallPulledTs).toBeNull();
    expect(run(99.5, 3, ladder(99.9, 98.5, 0.1, 1, { "98.00": 10 }), { wallMoveBps: 15 }).evidence.wallPulledTs).toBe(T0 + 40_000);
  });

  it("flags a wall with more estimated liquidations just beyond than resting depth, and says so only with both inputs", () => {
    const bids = ladder(99.9, 98.5, 0.1, 1, { "99.00": 10 });
    const asks = ladder(100.1, 101.5, 0.1);
    // 1M USD of long liquidations at 98.8, inside the band [98.678, 98.975) under the wall zone
    const levels = new LevelView(Float64Array.of(98.8), Float64Array.of(1_000_000), new Float64Array(0), new Float64Array(0));
    const run = (inputs: Partial<ZoneInputs>) => {
      const t = new ZoneTracker({ ...ISOLATED, maxLevelPeaksPerSide: 0 });
      t.onTrade(T0 + 1_000, 100, 1, "buy");
      return t.compute({ ts: T0 + 10_000, price: 100, bids, asks, ...inputs });
    };
    const both = run({ levels });
    expect(both.zones[0]).toMatchObject({ trap: true, trapReasons: ["liquidations-beyond"] });
    expect(both.zones[0].evidence.liqBeyondUsd).toBe(1_000_000);
    expect(both.zones[0].trapReason).toBe("estimated liquidations 1000000 USD within 30 bps beyond vs 1286 USD resting depth");
    expect(both.inputs.levels).toBe("available");
    // a book that stops at 98.9 does not reach the band's end: depth unknown, no trap
    const shallow = run({ levels, bids: ladder(99.9, 98.9, 0.1, 1, { "99.00": 10 }) });
    expect(shallow.zones[0]).toMatchObject({ trap: false, evidence: { depthUsd: null, liqBeyondUsd: 1_000_000 } });
    const noLevels = run({ levels: null });
    expect(noLevels.inputs.levels).toBe("unavailable");
    expect(noLevels.zones[0]).toMatchObject({ trap: false, evidence: { liqBeyondUsd: null } });
  });

  it("merges candidates within the tolerance and keeps farther ones apart", () => {
    const g = mergeCandidates(
      [
        { kind: "swing-low", price: 100, weight: 1, notionalUsd: null },
        { kind: "bid-wall", price: 100.04, weight: 0.5, notionalUsd: 1 },
        { kind: "liq-cluster", price: 100.2, weight: 1, notionalUsd: 1 },
      ],
      5,
      100,
    );
    expect(g).toHaveLength(2);
    expect(g[0].sources.map((s) => s.kind)).toEqual(["swing-low", "bid-wall"]);
    expect(g[0].mid).toBeCloseTo((100 + 0.5 * 100.04) / 1.5, 12);
  });

  it("rejects a config out of bounds, naming the field", () => {
    expect(() => parseZoneConfig({ maxPerSide: 0 })).toThrow(/invalid zone config: maxPerSide/);
    expect(() => parseZoneConfig({ minMergeBps: 60 })).toThrow(/minMergeBps must be <= maxMergeBps/);
    expect(parseZoneConfig()).toEqual(DEFAULT_ZONE_CONFIG);
  });

  it("has no zones and says trades are unavailable before any trade", () => {
    const z = new ZoneTracker().compute(noFeeds(T0, null));
    expect(z.zones).toEqual([]);
    expect(z.inputs.trades).toBe("unavailable");
  });
});

export type { Zones };
