import { describe, expect, it } from "vitest";
import { SymbolEngine } from "../../../../src/domain/engine.js";
import { CascadeRiskSchema } from "../../../../src/protocol/liquidation.js";
import type { CanonicalEvent } from "../../../../src/domain/events.js";
import { S, book, flatBrackets, oi, trade } from "./helpers.js";

// the bucket's VWAP: three trades of 1 at 100,000 and three of 0.000001 at 100,100
const VWAP = (3 * 100_000 + 3 * 100_100 * 0.000001) / (3 + 3 * 0.000001);
const LP_LONG = (VWAP * 0.99) / 0.996;
const LP_SHORT = (VWAP * 1.01) / 1.004;
const decay = (ageMs: number) => Math.pow(0.5, ageMs / 86_400_000);

/** One cohort of 10 BTC at 100,000 (closed at 61 s) and one trade per 10 s alternating 100,000 / 100,100. */
function scripted(withBook: boolean): SymbolEngine {
  const engine = new SymbolEngine(S, { config: { liquidation: { leverageTiers: [{ leverage: 100, weight: 1 }], brackets: flatBrackets(0.004) } } });
  const evs: CanonicalEvent[] = [oi(500, 1_000)];
  for (let i = 0; i < 6; i++) evs.push(trade(5_000 + i * 10_000, i % 2 === 0 ? 100_000 : 100_100, i % 2 === 0 ? 1 : 0.000001));
  evs.push(oi(30_000, 1_010), oi(61_000, 1_010), trade(61_000, 100_000, 1));
  if (withBook) evs.push(book(61_000, [[99_900, 2], [99_500, 3]], [[100_100, 1], [100_800, 4]]));
  engine.ingest(evs);
  return engine;
}

describe("cascade risk", () => {
  it("compares level notional in each band with the book depth in the same band, per side", () => {
    const c = scripted(true).cascade();
    CascadeRiskSchema.parse(c);
    if (!c.available) throw new Error(c.reason);
    expect(c.referencePrice).toBe(100_000);
    expect(c.bookSynced).toBe(true);
    const short = 10 * LP_SHORT * decay(1_000);
    const long = 10 * LP_LONG * decay(1_000);
    // mid 100,000. ±0.5 %: asks ≤ 100,500 = 100,100; bids ≥ 99,500 = 99,900·2 + 99,500·3 = 498,300.
    // ±1 %: asks add 100,800·4 → 503,300. The levels sit 0.6 % away: only the 1 % and 2 % bands hold them.
    expect(c.bands[0]).toEqual({ bandPct: 0.5, up: { levelsUsd: 0, depthUsd: 100_100, ratio: 0 }, down: { levelsUsd: 0, depthUsd: 498_300, ratio: 0 } });
    const [, one] = c.bands;
    expect([one.bandPct, one.up.depthUsd, one.down.depthUsd]).toEqual([1, 503_300, 498_300]);
    expect(one.up.levelsUsd).toBeCloseTo(short, 6);
    expect(one.up.ratio).toBeCloseTo(short / 503_300, 12);
    expect(one.down.levelsUsd).toBeCloseTo(long, 6);
    expect(one.down.ratio).toBeCloseTo(long / 498_300, 12);
    expect(c.bands[2].bandPct).toBe(2);
  });

  it("reports the share of levels a k·σ move would sweep, σ from 10 s log returns scaled to the hour", () => {
    const c = scripted(true).cascade();
    if (!c.available) throw new Error(c.reason);
    // closes of buckets 0..5: 100000, 100100, 100000, 100100, 100000, 100100 → 5 returns ±ln(1.001)
    const r = Math.log(100_100 / 100_000);
    const rets = [r, -r, r, -r, r];
    const mean = rets.reduce((a, b) => a + b, 0) / 5;
    const sigma = Math.sqrt(rets.reduce((a, x) => a + (x - mean) ** 2, 0) / 4);
    expect(c.volatility.returns).toBe(5);
    expect(c.volatility.sigmaPerBucket).toBeCloseTo(sigma, 15);
    expect(c.volatility.sigmaHorizon).toBeCloseTo(sigma * Math.sqrt(360), 14);
    // σ_h ≈ 2 %: one σ already reaches both levels 0.6 % away
    expect(c.volatility.sweepShare.map((s) => [s.k, s.up, s.down])).toEqual([
      [1, 1, 1],
      [2, 1, 1],
      [3, 1, 1],
    ]);
    expect(c.volatility.sweepShare[1].movePct).toBeCloseTo(2 * sigma * Math.sqrt(360) * 100, 10);
  });

  it("leaves depth and ratio null without a synced book, never inventing depth", () => {
    const c = scripted(false).cascade();
    if (!c.available) throw new Error(c.reason);
    expect(c.bookSynced).toBe(false);
    expect(c.bands[1].up).toMatchObject({ depthUsd: null, ratio: null });
    expect(c.bands[1].up.levelsUsd).toBeCloseTo(10 * LP_SHORT * decay(1_000), 6);
  });
});
