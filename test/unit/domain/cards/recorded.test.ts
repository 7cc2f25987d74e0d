import { createReadStream } from "node:fs";
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { SymbolEngine } from "../../../../src/domain/engine.js";
import type { CanonicalEvent } from "../../../../src/domain/events.js";
import { getMapper, normalizeLine } from "../../../../src/exchanges/registry.js";
import { readLines } from "../../../../src/replay/lines.js";
import { SymbolSnapshotSchema, type SymbolSnapshot } from "../../../../src/protocol/snapshot.js";
import { venueData } from "../../exchanges/helpers.js";

/** The Bybit v5 recording (four symbols: trades, books, tickers with mark, index, funding and OI), normalized as replay does. */
async function bybitEvents(): Promise<CanonicalEvent[]> {
  const mapper = getMapper("bybit");
  const stream = Readable.toWeb(createReadStream(venueData("bybit", "cryptofeed_BYBIT_v5_20260809.jsonl.gz"))) as unknown as ReadableStream<Uint8Array>;
  const out: CanonicalEvent[] = [];
  for await (const line of readLines(stream)) out.push(...normalizeLine(mapper, line).events);
  return out.sort((a, b) => a.ts - b.ts);
}

describe("every card on a real recording", () => {
  it("is computed or unavailable with a reason at every cycle, and each snapshot is valid on the wire", async () => {
    const events = await bybitEvents();
    const engines = new Map<string, SymbolEngine>();
    const snapshots: SymbolSnapshot[] = [];
    for (const ev of events) {
      let e = engines.get(ev.symbol);
      if (e === undefined) engines.set(ev.symbol, (e = new SymbolEngine(ev.symbol)));
      snapshots.push(...e.ingest([ev]));
    }
    expect([...engines.keys()].sort()).toEqual(["BTCUSDT", "DOGEUSDT", "ETHUSDT", "SOLUSDT"]);
    expect(snapshots.length).toBeGreaterThanOrEqual(20);
    for (const s of snapshots) {
      SymbolSnapshotSchema.parse(s);
      for (const c of s.cards) {
        for (const v of Object.values(c.timeframes)) {
          if (v.available) expect(Number.isFinite(v.value), `${s.symbol} ${c.id}`).toBe(true);
          else expect(v.reason, `${s.symbol} ${c.id}`).toMatch(/\S/);
        }
      }
    }
    // with trades, a book, marks with index and funding, and open interest, most families are live
    const btc = engines.get("BTCUSDT")!;
    const live = new Set(btc.latest()!.cards.filter((c) => Object.values(c.timeframes).some((v) => v.available)).map((c) => c.category));
    for (const category of ["order-flow", "orderbook", "spread", "funding", "derivatives", "open-interest", "levels", "cascade"]) expect(live, category).toContain(category);
    expect(btc.availableCards().available).toBeGreaterThan(40);
  });
});
