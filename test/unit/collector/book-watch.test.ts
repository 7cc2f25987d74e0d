import { describe, expect, it } from "vitest";
import { BookWatch } from "../../../workers/collector/src/book-watch.js";

describe("resubscribing a connection whose book the engine reports unsynced", () => {
  it("resubscribes once the book has stayed unsynced for the grace period", () => {
    const w = new BookWatch(5_000, 60_000);
    expect(w.report("ETHUSDT", "okx:ws-0", true, 0)).toBe(false);
    expect(w.report("ETHUSDT", "okx:ws-0", true, 4_999)).toBe(false);
    expect(w.report("ETHUSDT", "okx:ws-0", true, 5_000)).toBe(true);
  });

  it("forgets a book that synced again (a pushed snapshot arrived in time)", () => {
    const w = new BookWatch(5_000, 60_000);
    w.report("ETHUSDT", "okx:ws-0", true, 0);
    w.report("ETHUSDT", "okx:ws-0", false, 3_000);
    expect(w.report("ETHUSDT", "okx:ws-0", true, 6_000)).toBe(false);
    expect(w.report("ETHUSDT", "okx:ws-0", true, 11_000)).toBe(true);
  });

  it("resubscribes one connection at most once a minute, whatever its books do", () => {
    const w = new BookWatch(5_000, 60_000);
    w.report("ETHUSDT", "okx:ws-0", true, 0);
    expect(w.report("ETHUSDT", "okx:ws-0", true, 5_000)).toBe(true);
    w.report("SOLUSDT", "okx:ws-0", true, 6_000);
    expect(w.report("SOLUSDT", "okx:ws-0", true, 20_000)).toBe(false);
    expect(w.report("SOLUSDT", "okx:ws-0", true, 65_000)).toBe(true);
    // another connection is not held back
    w.report("BTCUSDT", "okx:ws-1", true, 6_000);
    expect(w.report("BTCUSDT", "okx:ws-1", true, 11_000)).toBe(true);
  });

  it("starts over for the books of a connection that reconnected", () => {
    const w = new BookWatch(5_000, 60_000);
    w.report("ETHUSDT", "okx:ws-0", true, 0);
    w.reset(["ETHUSDT"]);
    expect(w.report("ETHUSDT", "okx:ws-0", true, 5_000)).toBe(false);
  });
});
