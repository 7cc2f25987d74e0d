import { describe, expect, it } from "vitest";
import { SymbolEngine, type SymbolEngineOptions } from "../../../../src/domain/engine.js";
import { S, flatBrackets, mark, oi, trade } from "./helpers.js";
import { available, withCohort as withCohortOf } from "./helpers.js";

const DAY = 86_400_000;
const LP_LONG = (100_000 * 0.99) / 0.996; // 99,397.59: 100x, mmr 0.4 %, cum 0
const LP_SHORT = (100_000 * 1.01) / 1.004; // 100,597.61
const decay = (ageMs: number, halfLifeMs = DAY) => Math.pow(0.5, ageMs / halfLifeMs);

/** One 100x tier under a flat 0.4 % table: every cohort makes one long and one short level. */
const ONE_TIER: SymbolEngineOptions = {
  config: { liquidation: { leverageTiers: [{ leverage: 100, weight: 1 }], brackets: flatBrackets(0.004), oiBucketMs: 60_000 } },
};


const withCohort = (options: SymbolEngineOptions = ONE_TIER) => withCohortOf(options);

describe("estimated levels from open interest", () => {
  it("say `no open-interest feed` without OI, never a made-up map", () => {
    const engine = new SymbolEngine(S);
    engine.ingest([trade(1_000, 100)]);
    expect(engine.levels()).toEqual({ symbol: S, kind: "estimated-levels", estimated: true, available: false, ts: 1_000, reason: "no open-interest feed" });
    expect(engine.cascade()).toMatchObject({ available: false, reason: "no open-interest feed" });
  });

  it("place ΔOI > 0 at the bucket VWAP on both sides at the bracket liquidation prices", () => {
    const engine = withCohort();
    const l = available(engine.levels({ rangePct: 1, binBps: 10 }));
    expect([l.totals.levels, l.totals.cohorts]).toEqual([2, 1]);
    expect(l.totals.longUsd).toBeCloseTo(10 * LP_LONG * decay(1_000), 6);
    expect(l.totals.shortUsd).toBeCloseTo(10 * LP_SHORT * decay(1_000), 6);
    // bins of 10 bps of 100,000 = 100: the long level in [99,300, 99,400), the short in [100,500, 100,600)
    expect(l.price.binWidth).toBe(100);
    expect(l.price.edges[0]).toBe(99_000);
    expect(l.longUsd[3]).toBeCloseTo(10 * LP_LONG * decay(1_000), 6);
    expect(l.shortUsd[15]).toBeCloseTo(10 * LP_SHORT * decay(1_000), 6);
    expect(l.longUsd.filter((x) => x > 0)).toHaveLength(1);
    expect(l.longUsd.reduce((a, b) => a + b, 0)).toBeCloseTo(l.totals.longUsd, 6);
    expect(l.coverage.venues).toEqual([{ venue: "bybit", oiBase: 1_010, placedBase: 10, placedShare: 10 / 1_010 }]);
    expect(l.model.brackets).toEqual([{ venue: "bybit", tableId: "flat-0.004", source: "test", asOf: "2026", assumed: true }]);
    // cumulative curves from the price outward
    expect(l.cumulative.down.find(([p]) => p === 99_400)?.[1]).toBe(0);
    expect(l.cumulative.down.find(([p]) => p === 99_300)?.[1]).toBeCloseTo(10 * LP_LONG * decay(1_000), 6);
    expect(l.cumulative.up.find(([p]) => p === 100_500)?.[1]).toBe(0);
    expect(l.cumulative.up.find(([p]) => p === 100_600)?.[1]).toBeCloseTo(10 * LP_SHORT * decay(1_000), 6);
    // with one level per side both are the nearest large clusters
    expect(l.magnets.down).toMatchObject({ priceLow: 99_300, priceHigh: 99_400, price: 99_350 });
    expect(l.magnets.down?.notionalUsd).toBeCloseTo(10 * LP_LONG * decay(1_000), 6);
    expect(l.magnets.up).toMatchObject({ priceLow: 100_500, priceHigh: 100_600, price: 100_550 });
    expect(l.magnets.up?.distancePct).toBeCloseTo(0.55, 12);
  });

  it("use the venue's shipped bracket table by default (Bybit BTCUSDT tier 1: mmr 0.5 %)", () => {
    const engine = withCohort({ config: { liquidation: { leverageTiers: [{ leverage: 100, weight: 1 }] } } });
    const l = available(engine.levels());
    expect(l.model.brackets[0]).toMatchObject({ venue: "bybit", tableId: "bybit:BTCUSDT:2026-11", assumed: false });
    expect(l.totals.longUsd).toBeCloseTo(10 * ((100_000 * 0.99) / 0.995) * decay(1_000), 6);
  });

  it("spread each side over the leverage tiers by weight", () => {
    const engine = withCohort({
      config: {
        liquidation: {
          leverageTiers: [
            { leverage: 10, weight: 0.75 },
            { leverage: 100, weight: 0.25 },
          ],
          brackets: flatBrackets(0.004),
        },
      },
    });
    const l = available(engine.levels({ rangePct: 20 }));
    const lp10 = (100_000 * 0.9) / 0.996;
    expect(l.totals.levels).toBe(4);
    expect(l.totals.longUsd).toBeCloseTo((10 * 0.75 * lp10 + 10 * 0.25 * LP_LONG) * decay(1_000), 6);
  });

  it("keep only the asked leverage tiers under a tier filter, each level's notional as in the full map", () => {
    const tiers = { leverageTiers: [{ leverage: 10, weight: 0.75 }, { leverage: 100, weight: 0.25 }], brackets: flatBrackets(0.004) };
    const engine = withCohort({ config: { liquidation: tiers } });
    const lp10 = (100_000 * 0.9) / 0.996; // 90,361.45: 10x, mmr 0.4 %
    const lp10Short = (100_000 * 1.1) / 1.004; // 109,561.75
    const all = available(engine.levels({ rangePct: 20 }));
    const only10 = available(engine.levels({ rangePct: 20, leverages: [10] }));
    const only100 = available(engine.levels({ rangePct: 20, leverages: [100] }));
    expect(all.tierFilter).toBeUndefined();
    expect([only10.tierFilter, only100.tierFilter]).toEqual([[10], [100]]);
    expect([only10.totals.levels, only100.totals.levels]).toEqual([2, 2]);
    expect(only10.totals.longUsd).toBeCloseTo(10 * 0.75 * lp10 * decay(1_000), 6);
    expect(only10.totals.shortUsd).toBeCloseTo(10 * 0.75 * lp10Short * decay(1_000), 6);
    expect(only100.totals.longUsd).toBeCloseTo(10 * 0.25 * LP_LONG * decay(1_000), 6);
    // the tiers partition the map: bin by bin, the two filtered maps add up to the whole
    only10.longUsd.forEach((x, i) => expect(x + only100.longUsd[i]).toBeCloseTo(all.longUsd[i], 6));
    // the 10x long level sits at 90,361: only the 10x map has mass 9.6 % below the price
    expect(only10.cumulative.down.find(([p]) => p === 90_000)?.[1]).toBeCloseTo(only10.totals.longUsd, 6);
    expect(only100.cumulative.down.find(([p]) => p === 90_000)?.[1]).toBeCloseTo(only100.totals.longUsd, 6);
    expect(only100.magnets.down).toMatchObject({ priceLow: 99_300, priceHigh: 99_400 });
    expect(only10.magnets.down).toMatchObject({ priceLow: 90_300, priceHigh: 90_400 });
    // both tiers asked (any order, repeated) is the whole map, named
    const both = available(engine.levels({ rangePct: 20, leverages: [100, 10, 100] }));
    expect(both.tierFilter).toEqual([10, 100]);
    expect(both.longUsd).toEqual(all.longUsd);
    // the filtered read leaves the cycle's cached view alone
    expect(available(engine.levels({ rangePct: 20 })).longUsd).toEqual(all.longUsd);
  });

  it("refuse a tier filter naming a leverage the model does not have, or none", () => {
    const engine = withCohort();
    expect(() => engine.levels({ leverages: [25] })).toThrow("levels query: leverages: 25 is not one of the model's tiers: 100");
    expect(() => engine.levels({ leverages: [] })).toThrow("levels query: leverages must name at least one tier");
  });

  it("remove a level when price trades through it and count the sweep with its notional", () => {
    const engine = withCohort();
    engine.ingest([trade(65_000, 99_500), trade(70_000, LP_LONG - 1)]);
    const l = available(engine.levels());
    expect(l.totals.longUsd).toBe(0);
    expect(l.totals.levels).toBe(1);
    expect(l.sweeps.long).toEqual({ count: 1, notionalUsd: 10 * LP_LONG * decay(10_000) });
    expect(l.sweeps.short).toEqual({ count: 0, notionalUsd: 0 });
    expect(l.sweeps.recent).toEqual([{ ts: 70_000, venue: "bybit", side: "long", leverage: 100, price: LP_LONG, notionalUsd: 10 * LP_LONG * decay(10_000) }]);
    // a later trade back above does not bring it back; a trade at the short level sweeps that one
    engine.ingest([trade(80_000, 100_000), trade(90_000, LP_SHORT)]);
    const after = available(engine.levels());
    expect(after.totals.levels).toBe(0);
    expect(after.sweeps.short.count).toBe(1);
  });

  it("scale a venue's levels down pro rata when its open interest falls", () => {
    const engine = withCohort();
    engine.ingest([oi(65_000, 1_005), oi(121_000, 1_005)]); // bucket [60, 120 s) closes with ΔOI = −5
    const l = available(engine.levels());
    expect(l.totals.longUsd).toBeCloseTo(10 * (1_005 / 1_010) * LP_LONG * decay(61_000), 6);
    expect(l.coverage.venues[0]).toMatchObject({ oiBase: 1_005, placedBase: 10 * (1_005 / 1_010) });
    // another venue's OI does not touch Bybit's levels
    // (a trade at 180 s keeps the price current: src/domain/inputs/carried.ts)
    engine.ingest([oi(122_000, 50, "okx"), oi(123_000, 40, "okx"), trade(180_000, 100_000), oi(181_000, 40, "okx")]);
    expect(available(engine.levels()).coverage.venues[0].placedBase).toBeCloseTo(10 * (1_005 / 1_010), 12);
  });

  it("decay monotonically with age: half the notional after one half-life", () => {
    const engine = withCohort();
    const created = 60_000;
    const totals: number[] = [];
    for (const age of [1_000, 3_600_000, 6 * 3_600_000, DAY, 2 * DAY]) {
      // A trade at 100,000 (no level there) and unchanged open interest move event time and keep
      // both current (src/domain/inputs/carried.ts): only age changes the levels.
      engine.ingest([trade(created + age, 100_000), oi(created + age, 1_010)]);
      totals.push(available(engine.levels()).totals.shortUsd);
    }
    for (let i = 1; i < totals.length; i++) expect(totals[i]).toBeLessThan(totals[i - 1]);
    expect(totals[3]).toBeCloseTo(10 * LP_SHORT * 0.5, 6);
    expect(totals[4]).toBeCloseTo(10 * LP_SHORT * 0.25, 6);
  });

  it("drop cohorts older than levelMaxAgeMs and keep at most maxLevelCohorts", () => {
    const engine = new SymbolEngine(S, { config: { liquidation: { maxLevelCohorts: 50, levelMaxAgeMs: 3_600_000, leverageTiers: [{ leverage: 100, weight: 1 }] } } });
    const evs = [trade(0, 100_000), oi(0, 1_000)];
    for (let i = 1; i <= 200; i++) evs.push(trade(i * 60_000 - 500, 100_000), oi(i * 60_000, 1_000 + i));
    engine.ingest(evs);
    const l = available(engine.levels());
    // 199 buckets closed with ΔOI = +1 (the first observation is the baseline, bucket 200 is still open)
    expect(l.totals.cohorts).toBe(50);
    expect(l.coverage.cohortsEvicted).toBe(149);
    expect(engine.liquidationMapSizes().cohorts).toBe(50);
    // an hour later with no new OI the age limit empties the map
    engine.advanceTo(200 * 60_000 + 3_600_000 + 120_000);
    expect(engine.liquidationMapSizes().cohorts).toBe(0);
  });

  it("skew new positions toward the taker side when takerSkew > 0 (off by default)", () => {
    const skewed = withCohort({ config: { liquidation: { ...ONE_TIER.config!.liquidation, takerSkew: 1 } } });
    // both trades in the bucket were taker buys: imbalance 1 → all 2·ΔOI on the long side
    const l = available(skewed.levels());
    expect(l.totals.longUsd).toBeCloseTo(20 * LP_LONG * decay(1_000), 6);
    expect(l.totals.shortUsd).toBe(0);
    const plain = available(withCohort().levels());
    expect(plain.totals.longUsd).toBeCloseTo(10 * LP_LONG * decay(1_000), 6);
  });

  it("reject bad level queries naming the field", () => {
    const engine = withCohort();
    expect(() => engine.levels({ rangePct: 80 })).toThrow("levels query: rangePct must be <= 50 (got 80)");
    expect(() => engine.levels({ binBps: 0.1, rangePct: 50 })).toThrow("levels query: 2 × rangePct / binBps must be <= 10000 bins (got 100000)");
  });
});
