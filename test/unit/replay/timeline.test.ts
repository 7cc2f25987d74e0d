import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { CanonicalEvent } from "../../../src/domain/events.js";
import { DEFAULT_IDLE_GAP_MS, HOUR_MS, loopShiftMs, manifestIdleGapMs, manifestStartTs, ReplayPacer, replaySeq, SEQ_PER_LOOP, shiftEvent } from "../../../src/replay/timeline.js";

describe("replay timeline", () => {
  it("shifts each loop by the whole span rounded up to whole hours", () => {
    expect(loopShiftMs({ firstTs: 0, lastTs: HOUR_MS - 1 })).toBe(HOUR_MS);
    expect(loopShiftMs({ firstTs: 0, lastTs: HOUR_MS })).toBe(2 * HOUR_MS);
    // 2023-04-04T23:58:20Z → 2025-12-28T20:43:47Z: 1,000 days and change.
    const span = { firstTs: Date.UTC(2023, 3, 4, 23, 58, 20), lastTs: Date.UTC(2025, 11, 28, 20, 43, 47) };
    const shift = loopShiftMs(span);
    expect(shift % HOUR_MS).toBe(0);
    expect(shift).toBeGreaterThan(span.lastTs - span.firstTs);
    expect(shift - (span.lastTs - span.firstTs)).toBeLessThanOrEqual(HOUR_MS);
  });

  it("numbers events so a later loop always has larger sequence numbers", () => {
    expect(replaySeq({ loop: 0, index: 41 })).toBe(41);
    expect(replaySeq({ loop: 2, index: 0 })).toBe(2 * SEQ_PER_LOOP);
    expect(replaySeq({ loop: 1, index: SEQ_PER_LOOP - 1 })).toBeLessThan(replaySeq({ loop: 2, index: 0 }));
  });

  it("moves ts, recvTs and the next funding time forward together", () => {
    const mark: CanonicalEvent = {
      venue: "binance", symbol: "BTCUSDT", kind: "mark", ts: 1000, recvTs: 990, markPrice: 1, nextFundingTs: 5000,
    };
    expect(shiftEvent(mark, 100)).toEqual({ ...mark, ts: 1100, recvTs: 1090, nextFundingTs: 5100 });
    expect(mark.ts).toBe(1000);
  });

  it("paces events at the configured speed and skips idle gaps instead of waiting", () => {
    const pacer = new ReplayPacer(10, 60_000);
    expect(pacer.delayFor(1_000_000, 0)).toBe(0);
    expect(pacer.delayFor(1_005_000, 0)).toBe(500); // 5 s of event time at 10x
    expect(pacer.delayFor(1_005_000, 500)).toBe(0);
    // 1 year later: skipped, re-anchored on the wall clock.
    expect(pacer.delayFor(1_005_000 + 365 * 86_400_000, 600)).toBe(0);
    expect(pacer.skippedGaps).toBe(1);
    expect(pacer.delayFor(1_005_000 + 365 * 86_400_000 + 1_000, 600)).toBe(100);
  });

  it("starts each loop afresh: the first event of a loop is not paced against the last of the previous", () => {
    const pacer = new ReplayPacer(100, 60_000);
    const first2023 = Date.UTC(2023, 3, 4, 23, 58, 20);
    const later2024 = Date.UTC(2024, 7, 8, 23, 54, 16);
    pacer.delayFor(first2023, 0);
    pacer.delayFor(Date.UTC(2025, 11, 28, 20, 43, 47), 10); // end of loop 0 (a skipped gap)
    pacer.reanchor(); // loop 1 starts over with unshifted times
    expect(pacer.delayFor(first2023, 20)).toBe(0);
    expect(pacer.delayFor(first2023 + 1_000, 20)).toBe(10);
    // The jump to the 2024 recording is an idle gap in loop 1 too, not a 4-day wait at 100x.
    expect(pacer.delayFor(later2024, 30)).toBe(0);
  });

  it("rejects a speed that is not a positive number", () => {
    expect(() => new ReplayPacer(0)).toThrow(/REPLAY_SPEED/);
    expect(() => new ReplayPacer(Number.NaN)).toThrow(/REPLAY_SPEED/);
  });
});

describe("manifestStartTs", () => {
  it("reads the manifest's start as epoch ms, null without one, and refuses a time that does not parse", () => {
    expect(manifestStartTs({ files: [] })).toBeNull();
    expect(manifestStartTs({ files: [], start: "2025-01-26T16:50:00Z" })).toBe(Date.UTC(2025, 0, 26, 16, 50));
    for (const start of ["yesterday", "2025-01-26", "2025-13-40T00:00:00Z", 1737910200000 as unknown as string]) {
      expect(() => manifestStartTs({ files: [], start })).toThrow(/"start" must be an ISO 8601 time/);
    }
  });

  it("reads the manifest's idle gap, 60 s without one, and refuses one that is not a positive number of ms up to an hour", () => {
    expect(manifestIdleGapMs({ files: [] })).toBe(DEFAULT_IDLE_GAP_MS);
    expect(DEFAULT_IDLE_GAP_MS).toBe(60_000);
    expect(manifestIdleGapMs({ files: [], idleGapMs: 2_000 })).toBe(2_000);
    for (const idleGapMs of [0, -1, 3_600_001, Number.NaN, "2s" as unknown as number]) {
      expect(() => manifestIdleGapMs({ files: [], idleGapMs })).toThrow(/"idleGapMs" must be a number of ms/);
    }
  });

  it("the shipped manifest starts at the first liquidation recording and skips silences over 2 s, so liquidations and a BTC bias come in the first minute at 1x", () => {
    const manifest = JSON.parse(readFileSync("data/recorded/replay.json", "utf8")) as { start?: string; idleGapMs?: number };
    expect(manifest.start).toBe("2025-01-26T16:50:00Z");
    expect(manifest.idleGapMs).toBe(2_000);
  });
});
