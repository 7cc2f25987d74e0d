import { describe, expect, it } from "vitest";
import { eventTimeLabel } from "../../../src/client/embed.js";

describe("<liqflow-score> event time", () => {
  const now = Date.UTC(2026, 11, 6, 10, 0, 0);

  it("shows the time alone for an event of the viewer's today, in the viewer's time zone", () => {
    expect(eventTimeLabel(Date.UTC(2026, 11, 6, 14, 3, 20), now, "UTC")).toEqual({ text: "14:03:20", title: "2026-12-06T14:03:20.000Z (event time)", today: true });
    expect(eventTimeLabel(Date.UTC(2026, 11, 6, 14, 3, 20), now, "Asia/Tokyo").text).toBe("23:03:20");
  });

  it("adds the date when the event is not from the viewer's today (a replay of 2025 data, or yesterday across midnight)", () => {
    expect(eventTimeLabel(Date.UTC(2025, 0, 26, 14, 3, 20), now, "UTC")).toEqual({ text: "2025-01-26 14:03", title: "2025-01-26T14:03:20.000Z (event time)", today: false });
    // Now is the 6th in Tokyo (19:00) and in New York (05:00); 23:30 UTC on the 5th is the 6th in Tokyo, the 5th in New York.
    const late = Date.UTC(2026, 11, 5, 23, 30, 0);
    expect(eventTimeLabel(late, now, "Asia/Tokyo")).toMatchObject({ text: "08:30:00", today: true });
    expect(eventTimeLabel(late, now, "America/New_York")).toMatchObject({ text: "2026-12-05 18:30", today: false });
  });
});
