import { describe, expect, it } from "vitest";
import { directionArrow, formatDateTimeUtc, formatPct, formatPrice, formatScore, formatTimeUtc, formatUsd, scoreStrength } from "../../../src/client/ui/format.js";

describe("formatting", () => {
  it("gives prices a precision that suits their magnitude", () => {
    expect([61702.7, 2345.123, 145.678, 0.51234, 0.00001234, null].map(formatPrice)).toEqual(["61,702.7", "2,345.12", "145.68", "0.5123", "0.00001234", "–"]);
  });

  it("signs scores with a true minus and never shows −0.00", () => {
    expect([0.318, -0.328, -0.001, 0, 1, Number.NaN].map(formatScore)).toEqual(["+0.32", "\u22120.33", "0.00", "0.00", "+1.00", "–"]);
  });

  it("shortens USD notionals", () => {
    expect([437.69, 1663.3664, 25_400, 2_345_678, 1.2e9, -5_000].map(formatUsd)).toEqual(["$438", "$1.66k", "$25.4k", "$2.35M", "$1.2B", "\u2212$5k"]);
  });

  it("shows event time in UTC", () => {
    expect(formatTimeUtc(1723161430000)).toBe("23:57:10");
    expect(formatDateTimeUtc(1723161430000)).toBe("2024-08-08 23:57:10");
    expect(formatPct(0.687)).toBe("69%");
  });

  it("maps direction to an arrow and score to a strength class", () => {
    expect(["long", "short", "neutral", null].map((d) => directionArrow(d as "long"))).toEqual(["▲", "▼", "▶", "·"]);
    expect([0.05, -0.2, 0.3, -0.9].map(scoreStrength)).toEqual([0, 1, 2, 3]);
  });
});
