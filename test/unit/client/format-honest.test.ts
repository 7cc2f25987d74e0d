import { describe, expect, it } from "vitest";
import { confidenceStyle, formatClock, formatRangeUtc, noDataText, WEAK_CONFIDENCE } from "../../../src/client/ui/format.js";

const DAY = 86_400_000;
const T = Date.UTC(2025, 11, 1, 16, 51, 0); // 2025-12-01 16:51:00 UTC

describe("formatRangeUtc", () => {
  it("prints the end date when a range crosses midnight (a 24 h heatmap read 16:51:00 → 16:51:00)", () => {
    expect(formatRangeUtc(T - DAY, T)).toBe("2025-11-30 16:51:00 → 2025-12-01 16:51:00 UTC");
  });

  it("prints the date once when both ends fall on the same day", () => {
    expect(formatRangeUtc(T - 15 * 60_000, T)).toBe("2025-12-01 16:36:00 → 16:51:00 UTC");
  });

  it("says what is missing instead of printing dashes", () => {
    expect(formatRangeUtc(null, T)).toBe("no time range");
  });
});

describe("confidenceStyle", () => {
  it("reads a score below the documented threshold as weak, dimmed, with its confidence beside it", () => {
    expect(WEAK_CONFIDENCE).toBe(0.3);
    expect(confidenceStyle(0.09)).toEqual({ weak: true, className: "weak", opacity: 0.45, label: "weak · 9% confidence" });
    expect(confidenceStyle(0.04).weak).toBe(true);
  });

  it("reads a score at or above the threshold at full strength", () => {
    expect(confidenceStyle(0.3)).toEqual({ weak: false, className: "firm", opacity: 1, label: "30% confidence" });
    expect(confidenceStyle(0.87).label).toBe("87% confidence");
  });

  it("treats an unknown confidence as weak, never as full strength", () => {
    expect(confidenceStyle(null)).toEqual({ weak: true, className: "weak", opacity: 0.45, label: "weak · confidence unknown" });
    expect(confidenceStyle(Number.NaN).weak).toBe(true);
  });
});

describe("formatClock", () => {
  it("says a replay is a replay, with the event time's date, the recording's real date and the loop", () => {
    const c = { mode: "replay" as const, eventTs: T + 3 * 365 * DAY, eventTime: "", loop: 2, loopShiftMs: 3 * 365 * DAY, recordingTs: T, recordingTime: "", speed: 10 };
    expect(formatClock(c)).toEqual({
      mode: "REPLAY",
      event: "2028-11-30 16:51:00 UTC",
      detail: "recorded 2025-12-01 16:51:00 UTC · loop 2 · 10×",
      title: expect.stringContaining("recorded on 2025-12-01"),
    });
  });

  it("shows live event time with its date and nothing about recordings", () => {
    expect(formatClock({ mode: "live", eventTs: T, eventTime: "" })).toEqual({ mode: "LIVE", event: "2025-12-01 16:51:00 UTC", detail: "", title: expect.stringContaining("exchanges' event time") });
  });

  it("says when no event has arrived yet", () => {
    expect(formatClock({ mode: "replay", eventTs: null, eventTime: null }).event).toBe("no event yet");
  });
});

describe("noDataText", () => {
  it("says why a row is empty instead of a dash", () => {
    expect(noDataText("replay")).toBe("no data for this symbol in the recording yet");
    expect(noDataText(null)).toBe("no data for this symbol yet");
    expect(noDataText("live")).toBe("no data for this symbol from the exchanges yet");
  });
});
