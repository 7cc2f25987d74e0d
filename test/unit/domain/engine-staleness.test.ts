import { describe, expect, it } from "vitest";
import { SymbolEngine } from "../../../src/domain/engine.js";
import { DEFAULT_ENGINE_CONFIG } from "../../../src/domain/config.js";
import type { CanonicalEvent } from "../../../src/domain/events.js";
import { SymbolSnapshotSchema, type SymbolSnapshot } from "../../../src/protocol/snapshot.js";
import { S, liq, mark, oi, trade } from "./liquidation/helpers.js";

/**
 * The replay defect of issue 15: the last Hyperliquid trade of 2025-01-26 (105,051) was served as
 * the current price while the 2025-12-27 liquidations printed at 87.5k, and zones, levels and the
 * cascade were computed around it. Scripted: two minutes of trades, marks and open interest on
 * 2025-01-26, then liquidations on 2025-12-27 only.
 */
const T0 = Date.UTC(2025, 0, 26, 23, 0, 0);
const T1 = Date.UTC(2025, 11, 27, 10, 0, 0);
const LAST_TRADE_TS = T0 + 119_000;

function january(): CanonicalEvent[] {
  const out: CanonicalEvent[] = [];
  for (let t = T0; t < T0 + 120_000; t += 1_000) {
    if (t % 10_000 === 0) {
      out.push(oi(t, 80_000 + (t - T0) / 100));
      out.push(mark(t, 105_040));
    }
    out.push(trade(t, 105_051));
  }
  return out;
}

function runToDecember(): { engine: SymbolEngine; snapshots: SymbolSnapshot[] } {
  const engine = new SymbolEngine(S);
  const snapshots = [...engine.ingest(january())];
  snapshots.push(...engine.ingest([liq(T1, "long", 87_500, 50_000), liq(T1 + 10_000, "long", 87_480, 20_000)]));
  return { engine, snapshots };
}

const card = (s: SymbolSnapshot, id: string) => s.cards.find((c) => c.id === id)!.timeframes["1m"];

describe("SymbolEngine: carried-forward inputs go stale in event time", () => {
  it("keeps the January price out of the December snapshot: null headline price, the last trade kept with its ts, age and stale flag", () => {
    const { snapshots } = runToDecember();
    const dec = snapshots.find((s) => s.ts === T1 + 10_000)!;
    expect(SymbolSnapshotSchema.parse(dec)).toBeTruthy();
    expect(dec.price).toBeNull();
    expect(dec.carried.price).toEqual({ value: 105_051, ts: LAST_TRADE_TS, ageMs: T1 + 10_000 - LAST_TRADE_TS, limitMs: DEFAULT_ENGINE_CONFIG.staleAfterMs.price, stale: true });
    // The mark (with its funding) and open interest stopped on 2025-01-26 too.
    expect(dec.mark).toBeNull();
    expect(dec.carried.mark).toMatchObject({ value: 105_040, ts: T0 + 110_000, stale: true });
    expect(dec.carried.oi).toMatchObject({ ts: T0 + 110_000, stale: true, limitMs: DEFAULT_ENGINE_CONFIG.inputs.oiStaleMs });
    expect(dec.carried.book).toBeNull();
    // The newest event the snapshot covers, and its boundary.
    expect(dec.eventTs).toBe(T1);
  });

  it("stops the cards, the level map, the cascade and the zones from reading the stale price, and says since when", () => {
    const { engine, snapshots } = runToDecember();
    const dec = snapshots[snapshots.length - 1];
    const reason = /^price is stale: last trade 2025-01-26T23:01:59\.000Z, 334 days before 2025-12-27T10:00:(00|10)\.000Z \(limit 120 s\)$/;
    for (const id of ["levels.distance", "levels.magnet", "levels.build-up", "cascade.approach", "liq.cluster-proximity", "positioning.trapped"]) {
      const v = card(dec, id);
      expect(v.available, id).toBe(false);
      expect(v.reason, id).toMatch(reason);
    }
    const levels = engine.levels();
    expect(levels.available).toBe(false);
    expect(levels.available === false && levels.reason).toMatch(reason);
    const cascade = engine.cascade();
    expect(cascade.available).toBe(false);
    expect(cascade.available === false && cascade.reason).toMatch(reason);
    const zones = engine.zones()!;
    expect(zones.price).toBeNull();
    expect(zones.zones).toEqual([]);
  });

  it("reads a price exactly at the limit as current and one millisecond past it as stale", () => {
    const limit = DEFAULT_ENGINE_CONFIG.staleAfterMs.price;
    const engine = new SymbolEngine(S);
    engine.ingest([trade(T0, 100)]);
    // The boundary after T0 is T0 + 10 s; advance so the next boundary sits at T0 + limit exactly.
    const atLimit = engine.advanceTo(T0 + limit).at(-1)!;
    expect(atLimit.ts).toBe(T0 + limit);
    expect(atLimit.price).toBe(100);
    expect(atLimit.carried.price).toEqual({ value: 100, ts: T0, ageMs: limit, limitMs: limit, stale: false });
    const past = engine.advanceTo(T0 + limit + 10_000).at(-1)!;
    expect(past.price).toBeNull();
    expect(past.carried.price).toMatchObject({ value: 100, stale: true, ageMs: limit + 10_000 });
  });

  it("reports nothing carried before the first event of each kind", () => {
    const engine = new SymbolEngine(S);
    const [first] = engine.ingest([liq(T1, "long", 87_500, 1_000), liq(T1 + 10_000, "long", 87_500, 1_000)]);
    expect(first.price).toBeNull();
    expect(first.carried).toEqual({ price: null, mark: null, book: null, oi: null });
    expect(card(first, "levels.distance").reason).toBe("no oi feed");
    const levels = engine.levels();
    expect(levels.available === false && levels.reason).toBe("no open-interest feed");
  });
});
