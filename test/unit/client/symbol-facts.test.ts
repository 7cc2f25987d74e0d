import { describe, expect, it } from "vitest";
import type { SymbolSnapshot } from "../../../src/client/types.js";
import { symbolFacts } from "../../../src/client/ui/symbol-facts.js";

const T = Date.UTC(2026, 7, 9, 21, 59, 10);
const carried = (value: number | null, ageMs: number, limitMs: number) => ({ value, ts: T - ageMs, ageMs, limitMs, stale: ageMs > limitMs });

/** A snapshot of what the header reads: a Bybit mark and book 31.5 min old next to current trades (a replay loop's seam). */
function snapshot(markAgeMs: number, bookAgeMs: number): SymbolSnapshot {
  return {
    mark: { venue: "bybit", markPrice: 65_118, indexPrice: 65_138.4, fundingRate: 0.0001, nextFundingTs: Date.UTC(2026, 7, 10) },
    book: { synced: true, bestBid: 65_114.2, bestAsk: 65_114.3, bidLevels: 200, askLevels: 200 },
    carried: { price: carried(28_150, 1_000, 120_000), mark: carried(65_118, markAgeMs, 300_000), book: carried(null, bookAgeMs, 60_000), oi: null },
  } as unknown as SymbolSnapshot;
}

describe("the symbol page's facts line", () => {
  it("shows current mark and book plainly", () => {
    expect(symbolFacts(snapshot(2_000, 500))).toEqual([
      { key: "mark", value: "65,118.0", stale: false },
      { key: "index", value: "65,138.4", stale: false },
      { key: "funding", value: "0.0100%", stale: false },
      { key: "next funding", value: "00:00:00 UTC", stale: false },
      { key: "bid / ask", value: "65,114.2 / 65,114.3", stale: false },
      { key: "book", value: "synced · 400 levels", stale: false },
    ]);
  });

  it("says a mark and a book older than their limits are stale, with their own time, instead of showing them as current", () => {
    const facts = symbolFacts(snapshot(1_890_000, 1_890_000)); // 31.5 min: past 300 s (mark) and 60 s (book)
    expect(facts.find((f) => f.key === "mark")).toEqual({ key: "mark", value: "65,118.0 · stale, as of 2026-08-09 21:27:40 UTC", stale: true });
    expect(facts.filter((f) => f.stale).map((f) => f.key)).toEqual(["mark", "index", "funding", "next funding", "bid / ask", "book"]);
    expect(facts.find((f) => f.key === "bid / ask")?.value).toBe("65,114.2 / 65,114.3 · stale, as of 2026-08-09 21:27:40 UTC");
    expect(facts.find((f) => f.key === "book")?.value).toBe("synced · 400 levels · stale");
  });
});
