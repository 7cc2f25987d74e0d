import { describe, expect, it } from "vitest";
import { findClusters } from "../../../../src/domain/liquidation/clusters.js";

const bins = (pairs: [number, number][]) => pairs.map(([index, mass]) => ({ index, mass }));

describe("findClusters (peaks of the smoothed price profile)", () => {
  it("finds separated bumps as separate clusters with their peaks", () => {
    // h = 1: s(i) = (m(i−1) + 2·m(i) + m(i+1)) / 4
    const out = findClusters(bins([[10, 1], [11, 4], [12, 1], [20, 2], [21, 2]]), 1);
    expect(out).toEqual([
      { fromIndex: 10, toIndex: 12, peakIndex: 11, peakMass: (1 + 8 + 1) / 4 },
      { fromIndex: 20, toIndex: 21, peakIndex: 20, peakMass: (0 + 4 + 2) / 4 },
    ]);
  });

  it("splits one run at its smoothed valley (watershed)", () => {
    // masses 5 0 0 1 0 0 5 with h = 1: smoothed 2.5 1.25 .25 .5 .25 1.25 2.5 around; valleys at 8 and 10
    const out = findClusters(bins([[5, 5], [8, 1], [11, 5]]), 1);
    expect(out.map((c) => [c.fromIndex, c.toIndex, c.peakIndex])).toEqual([
      [5, 5, 5],
      [8, 8, 8],
      [11, 11, 11],
    ]);
    // a small bump next to a big one: separate without smoothing, merged once smoothed
    // (h = 1: s = 2.5, 1.5, 0.5, 0.25 from index 5 falls monotonically, no valley)
    expect(findClusters(bins([[5, 5], [7, 1]]), 0).map((c) => [c.fromIndex, c.toIndex])).toEqual([
      [5, 5],
      [7, 7],
    ]);
    expect(findClusters(bins([[5, 5], [7, 1]]), 1).map((c) => [c.fromIndex, c.toIndex, c.peakIndex])).toEqual([[5, 7, 5]]);
  });

  it("without smoothing, every run of adjacent bins between minima is a cluster", () => {
    expect(findClusters(bins([[1, 3], [2, 1], [3, 2], [7, 1]]), 0).map((c) => [c.fromIndex, c.toIndex, c.peakIndex])).toEqual([
      [1, 2, 1],
      [3, 3, 3],
      [7, 7, 7],
    ]);
  });

  it("ignores empty input and zero masses", () => {
    expect(findClusters([], 2)).toEqual([]);
    expect(findClusters(bins([[3, 0]]), 2)).toEqual([]);
  });
});
