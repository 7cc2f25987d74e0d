import { describe, expect, it } from "vitest";
import { VenueLead, type VenueLeadParams } from "../../../../src/domain/inputs/venue-lead.js";
import type { Venue } from "../../../../src/domain/events.js";

const T = 1_200_000_000; // a whole minute (20,000 minutes)
const P: VenueLeadParams = { maxLag: 5, graceMs: 0, staleS: 60 };
const g = Math.log(1.01);

/** Both venues trade at mid-second every second of [from, to); each jumps 1 % at its own second. */
function run(lead: VenueLead, from: number, to: number, jumps: Partial<Record<Venue, number>>, venues: Venue[] = ["binance", "bybit"]): void {
  for (let s = from; s < to; s++) {
    for (const v of venues) {
      const at = jumps[v];
      lead.onTrade(v, T + s * 1000 + 500, at !== undefined && s >= at ? 101 : 100);
    }
  }
}

describe("VenueLead: one-second lead and lag between venues", () => {
  it("binance moving one second before bybit: lead = g² / (5 g²) = +0.2, no same-second correlation", () => {
    const l = new VenueLead(P);
    run(l, 0, 30, { binance: 10, bybit: 11 });
    l.closeThrough(T + 30_000);
    const v = l.view(T + 30_000, 60_000);
    // Seconds 1..29 have a return (second 0 has no price before it).
    expect(v.venues).toEqual([
      { venue: "binance", seconds: 29, variance: (g * g) / 29 },
      { venue: "bybit", seconds: 29, variance: (g * g) / 29 },
    ]);
    expect(v.pairs).toHaveLength(1);
    expect(v.pairs[0].a).toBe("binance");
    expect(v.pairs[0].b).toBe("bybit");
    expect(v.pairs[0].seconds).toBe(29);
    expect(v.pairs[0].lead).toBeCloseTo(0.2, 12);
    expect(v.pairs[0].sync).toBe(0);
  });

  it("bybit first: the pair reads −0.2; a lag beyond maxLag is not a lead", () => {
    const l = new VenueLead(P);
    run(l, 0, 30, { binance: 13, bybit: 10 });
    l.closeThrough(T + 30_000);
    // bybit 3 s ahead: A = 0, B = g² (lag 3) → (0 − g²) / (5 g²)
    expect(l.view(T + 30_000, 60_000).pairs[0].lead).toBeCloseTo(-0.2, 12);
    const far = new VenueLead(P);
    run(far, 0, 30, { binance: 17, bybit: 10 });
    far.closeThrough(T + 30_000);
    expect(far.view(T + 30_000, 60_000).pairs[0].lead).toBe(0);
  });

  it("moving in the same second: sync = 1, lead 0; a venue that never moves gives null", () => {
    const l = new VenueLead(P);
    run(l, 0, 30, { binance: 10, bybit: 10, okx: undefined }, ["binance", "bybit", "okx"]);
    l.closeThrough(T + 30_000);
    const pairs = l.view(T + 30_000, 60_000).pairs;
    expect(pairs.map((p) => `${p.a}-${p.b}`)).toEqual(["binance-bybit", "binance-okx", "bybit-okx"]);
    expect(pairs[0].sync).toBeCloseTo(1, 12);
    expect(pairs[0].lead).toBe(0);
    expect(pairs[1]).toEqual({ a: "binance", b: "okx", seconds: 29, lead: null, sync: null });
  });

  it("the grace: a slower venue's trade lands in its second until the second closes, later it is counted late", () => {
    const l = new VenueLead({ ...P, graceMs: 2_000 });
    l.onTrade("binance", T + 500, 100);
    l.onTrade("binance", T + 1_500, 101);
    l.onTrade("binance", T + 3_200, 101); // closes second 0 (ends at 1 s, + 2 s grace)
    l.onTrade("bybit", T + 900, 100); // second 0 closed: late
    expect(l.late).toBe(1);
    l.onTrade("bybit", T + 1_900, 100); // second 1 still open (closes at 4 s)
    l.closeThrough(T + 10_000);
    const v = l.view(T + 10_000, 60_000);
    expect(v.venues.map((x) => x.venue)).toEqual(["binance", "bybit"]);
    // binance: returns at seconds 1..7 (closed through 7 = 10 s − 2 s − 1); bybit from second 2.
    expect(v.venues[0].seconds).toBe(7);
    expect(v.venues[1].seconds).toBe(6);
  });

  it("a venue quiet longer than staleS has no price; a long gap restarts the returns", () => {
    const l = new VenueLead({ ...P, staleS: 5 });
    run(l, 0, 10, { binance: 5 }, ["binance"]);
    l.closeThrough(T + 30_000);
    // Seconds 1..9 traded; 10..14 held (within 5 s of the last trade at 9); 15.. stale.
    expect(l.view(T + 30_000, 60_000).venues[0].seconds).toBe(14);
    // A day later (three seconds of trades): the first second has no return (no price before it);
    // 86,401..86,402 traded and 86,403..86,407 held.
    run(l, 86_400, 86_403, {}, ["binance"]);
    l.closeThrough(T + 86_410_000);
    expect(l.view(T + 86_410_000, 60_000).venues[0].seconds).toBe(7);
  });

  it("1h reads whole minutes; 1m and 5m read ten-second buckets", () => {
    const l = new VenueLead(P);
    run(l, 0, 125, { binance: 100, bybit: 101 });
    l.closeThrough(T + 125_000);
    // 1m window [70 s, 130 s): both jumps inside.
    expect(l.view(T + 130_000, 60_000).pairs[0].lead).toBeCloseTo(0.2, 12);
    // 1h at 130 s: minutes 0 and 1 (seconds 0..119) complete: both jumps in minute 1.
    const hour = l.view(T + 130_000, 3_600_000);
    expect(hour.venues[0].seconds).toBe(119);
    expect(hour.pairs[0].lead).toBeCloseTo(0.2, 12);
    // 1m window [70 s, 130 s) at 130 s: seconds 70..124 closed.
    expect(l.view(T + 130_000, 60_000).venues[0].seconds).toBe(55);
  });

  it("a JSON round trip mid-stream continues identically", () => {
    const a = new VenueLead({ ...P, graceMs: 2_000 });
    run(a, 0, 20, { binance: 8, bybit: 9 });
    const b = VenueLead.fromJSON(JSON.parse(JSON.stringify(a.toJSON())), { ...P, graceMs: 2_000 });
    for (const l of [a, b]) {
      run(l, 20, 40, { binance: 8, bybit: 9 });
      l.closeThrough(T + 40_000);
    }
    expect(b.view(T + 40_000, 60_000)).toEqual(a.view(T + 40_000, 60_000));
    expect(b.toJSON()).toEqual(a.toJSON());
  });
});
