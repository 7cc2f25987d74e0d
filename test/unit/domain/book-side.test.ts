import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BookSide } from "../../../src/domain/book-side.js";
import type { Level } from "../../../src/domain/events.js";

/** The rules in plain arrays (what OrderBook did before BookSide): sorted best first, at most `max` levels. */
function reference(levels: Level[], price: number, q: number, descending: boolean, max: number): number {
  const better = (a: number, b: number) => (descending ? a > b : a < b);
  let i = 0;
  while (i < levels.length && better(levels[i][0], price)) i++;
  if (i < levels.length && levels[i][0] === price) {
    const before = levels[i][1];
    if (q === 0) levels.splice(i, 1);
    else levels[i] = [price, q];
    return before;
  }
  if (q === 0) return 0;
  if (i >= max) return -1;
  levels.splice(i, 0, [price, q]);
  if (levels.length > max) levels.pop();
  return 0;
}

describe("BookSide", () => {
  it("keeps bids best first, replaces, removes, and ignores a new level beyond the kept ones", () => {
    const bids = new BookSide(true, 3);
    expect([bids.set(100, 1), bids.set(102, 2), bids.set(101, 3)]).toEqual([0, 0, 0]);
    expect(bids.levels()).toEqual([[102, 2], [101, 3], [100, 1]]);
    expect(bids.set(99, 5)).toBe(-1); // worse than the 3 kept
    expect(bids.set(103, 4)).toBe(0); // better: the worst (100) drops out
    expect(bids.levels()).toEqual([[103, 4], [102, 2], [101, 3]]);
    expect(bids.set(102, 7)).toBe(2);
    expect(bids.set(103, 0)).toBe(4);
    expect(bids.set(50, 0)).toBe(0); // removing an absent level changes nothing
    expect(bids.levels()).toEqual([[102, 7], [101, 3]]);
    expect([bids.priceAt(0), bids.sizeAt(0), bids.length]).toEqual([102, 7, 2]);
  });

  it("loads a snapshot sorted best first, without zero sizes, a repeated price keeping its later size, at most maxLevels", () => {
    const asks = new BookSide(false, 3);
    asks.load([[12, 1], [10, 2], [11, 0], [10, 5], [13, 1], [14, 1]]);
    expect(asks.levels()).toEqual([[10, 5], [12, 1], [13, 1]]);
    asks.clear();
    expect(asks.levels()).toEqual([]);
  });

  it("applies any sequence of updates exactly as the plain-array rules, growing past its first capacity and wrapping its ring", () => {
    const op = fc.tuple(fc.integer({ min: 0, max: 300 }), fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 9 })));
    fc.assert(
      fc.property(fc.boolean(), fc.integer({ min: 1, max: 200 }), fc.array(op, { maxLength: 600 }), (descending, max, ops) => {
        const side = new BookSide(descending, max);
        const model: Level[] = [];
        for (const [price, q] of ops) expect(side.set(price, q)).toBe(reference(model, price, q, descending, max));
        expect(side.levels()).toEqual(model);
      }),
      { numRuns: 200, seed: 7 },
    );
  });
});
