import { beforeAll, describe, expect, it } from "vitest";
import type { CanonicalEvent, TradeEvent } from "../../../src/domain/events.js";
import { EventDedupe, eventKey, RecentKeys, SeqAllocator } from "../../../workers/collector/src/stream-seq.js";
import { recordedEvents } from "./helpers.js";

let events: CanonicalEvent[];

beforeAll(async () => {
  events = await recordedEvents("hftbacktest_btcusdt_20230404.dat.gz", "BTCUSDT");
});

describe("per-stream sequence numbers", () => {
  it("reserves a block by persisting its ceiling before handing out its first number", () => {
    const seq = new SeqAllocator(null, 3);
    expect([seq.next(), seq.next(), seq.next(), seq.next()]).toEqual([
      { seq: 0, persistCeiling: 3 },
      { seq: 1 },
      { seq: 2 },
      { seq: 3, persistCeiling: 6 },
    ]);
  });

  it("stays strictly increasing across a restart: it resumes at the persisted ceiling", () => {
    const first = new SeqAllocator(null, 100);
    let persisted: number | null = null;
    let last = -1;
    for (let i = 0; i < 150; i++) {
      const n = first.next();
      persisted = n.persistCeiling ?? persisted;
      last = n.seq;
    }
    expect(last).toBe(149);
    expect(persisted).toBe(200);
    // the object is evicted here, having used up to 149 of the block reserved through 199
    const second = new SeqAllocator(persisted, 100);
    expect(second.next()).toEqual({ seq: 200, persistCeiling: 300 });
  });

  it("rejects a persisted ceiling that is not a non-negative integer", () => {
    expect(() => new SeqAllocator(-1)).toThrow(/ceiling/);
    expect(() => new SeqAllocator(1.5)).toThrow(/ceiling/);
  });
});

describe("duplicate detection by content", () => {
  it("remembers the last `capacity` keys", () => {
    const keys = new RecentKeys(2);
    expect(["a", "b", "a", "c", "a", "b"].map((k) => keys.firstSeen(k))).toEqual([true, true, false, true, true, true]);
    expect(keys.size).toBe(2);
  });

  it("drops real trades re-sent after a reconnect and keeps every first occurrence", () => {
    const trades = events.filter((e): e is TradeEvent => e.kind === "trade");
    expect(trades).toHaveLength(2197);
    const dedupe = new EventDedupe();
    const firstPass = trades.slice(0, 1000).filter((t) => !dedupe.isDuplicate(t));
    // the venue re-sends the last 50 before continuing
    const secondPass = trades.slice(950, 2197).filter((t) => !dedupe.isDuplicate(t));
    expect(firstPass).toHaveLength(1000);
    expect(secondPass).toHaveLength(1197);
    expect(secondPass[0].tradeId).toBe(trades[1000].tradeId);
  });

  it("keys each kind by what identifies it, and leaves book events to their sequence numbers", () => {
    const mark = events.find((e) => e.kind === "mark")!;
    const trade = events.find((e) => e.kind === "trade")!;
    const book = events.find((e) => e.kind === "book")!;
    expect(eventKey(trade)).toBe((trade as TradeEvent).tradeId);
    expect(eventKey(mark)).toMatch(/^\d+\|\d/);
    expect(eventKey(book)).toBeNull();
    const dedupe = new EventDedupe();
    expect(dedupe.isDuplicate(book)).toBe(false);
    expect(dedupe.isDuplicate(book)).toBe(false);
    expect(dedupe.isDuplicate(mark)).toBe(false);
    expect(dedupe.isDuplicate({ ...mark })).toBe(true);
    expect(dedupe.isDuplicate({ ...mark, symbol: "ETHUSDT" })).toBe(false);
  });
});

describe("duplicate detection across a collector restart", () => {
  it("drops what a venue re-sends after the restart, using the persisted watermarks, for a while only", async () => {
    const trades = events.filter((e): e is TradeEvent => e.kind === "trade");
    const before = new EventDedupe();
    for (const t of trades.slice(0, 1000)) expect(before.isDuplicate(t, 0)).toBe(false);
    expect(before.dirty).toBe(true);
    const saved = JSON.parse(JSON.stringify(before.watermarks())) as ReturnType<EventDedupe["watermarks"]>;
    expect(before.dirty).toBe(false);
    expect(saved["BTCUSDT|trade"].ts).toBe(trades[999].ts);
    expect(saved["BTCUSDT|trade"].keys).toContain(trades[999].tradeId);

    const after = new EventDedupe();
    after.restore(saved, 60_000);
    // the venue sends the last 50 trades again on subscribe, then new ones
    const resent = trades.slice(950, 1100).filter((t) => !after.isDuplicate(t, 1_000));
    expect(resent.map((t) => t.tradeId)).toEqual(trades.slice(1000, 1100).map((t) => t.tradeId));
    // once the restored watermark has expired, an old event is judged by memory only
    expect(after.isDuplicate(trades[10], 60_000)).toBe(false);
  });
});
