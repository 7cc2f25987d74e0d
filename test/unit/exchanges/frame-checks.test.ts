/**
 * The cheap checks on the normalize hot path (issue 16) decide exactly as the checks they stand
 * in for:
 * - `unsignedDecimal` gives `Number(text)` bit for bit when the text matches the unsigned
 *   decimal regex, and NaN exactly when it does not;
 * - each hand-written Binance and Bybit frame predicate accepts exactly what its zod schema accepts, on
 *   real frames with one leaf replaced or removed and on arbitrary objects with the same keys.
 * - a recording's local times (a jsonl record's seconds, an hftbacktest line's nanoseconds) are
 *   the same doubles as moving the decimal point in their text gives.
 * A frame a predicate refuses is handed to zod, so its rejection reason is zod's, unchanged.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BINANCE_FRAME_CHECKS } from "../../../src/exchanges/binance.js";
import { BYBIT_FRAME_CHECKS } from "../../../src/exchanges/bybit.js";
import { shiftedDecimal, unsignedDecimal } from "../../../src/exchanges/decimal.js";
import { integerTimestampMs, parseRecordingLine } from "../../../src/exchanges/recording.js";
import { fixtureLine, venueFixtureLine } from "./helpers.js";

const BOUNDED = /^\d{1,24}(?:\.\d{1,24})?$/;
const UNBOUNDED = /^\d+(?:\.\d+)?$/;

function expected(text: string, re: RegExp): number {
  return re.test(text) ? Number(text) : Number.NaN;
}

/** Digit strings of every length a venue could send, and then some. */
const digits = (max: number) => fc.string({ unit: fc.constantFrom("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"), minLength: 0, maxLength: max });
const decimalLike = fc.oneof(
  fc.tuple(digits(30), fc.constantFrom("", "."), digits(30)).map(([a, dot, b]) => a + dot + b),
  fc.double({ min: 0, noNaN: true }).map((x) => String(x)),
  fc.double({ min: 0, max: 1e6, noNaN: true }).chain((x) => fc.integer({ min: 0, max: 20 }).map((k) => x.toFixed(k))),
  fc.string({ unit: fc.constantFrom("0", "9", ".", "-", "e", "+", " ", "x", "١"), maxLength: 12 }),
  fc.string({ maxLength: 20 }),
);

describe("unsignedDecimal", () => {
  it("is Number(text) when the text is an unsigned decimal of at most 24 digits a side, NaN otherwise", () => {
    fc.assert(
      fc.property(decimalLike, (text) => {
        expect(Object.is(unsignedDecimal(text, 24), expected(text, BOUNDED))).toBe(true);
      }),
      { numRuns: 20_000 },
    );
  });

  it("unbounded: is Number(text) for any unsigned plain decimal, NaN otherwise", () => {
    fc.assert(
      fc.property(decimalLike, (text) => {
        expect(Object.is(unsignedDecimal(text), expected(text, UNBOUNDED))).toBe(true);
      }),
      { numRuns: 20_000 },
    );
  });

  it("the recorded prices and sizes convert exactly as Number() does", () => {
    for (const text of ["61496.50", "0.010", "0.000", "58710.20", "2671.65", "0", "000123.4500", "999999999999999", "9999999999999999", "1.000000000000000000000001"]) {
      expect(Object.is(unsignedDecimal(text, 24), Number(text))).toBe(true);
    }
    for (const text of ["", ".5", "1.", "-1", "1e5", " 1", "1 ", "0x10", "1,5", "NaN", "Infinity", "١٢", "1".repeat(25)]) {
      expect(unsignedDecimal(text, 24)).toBeNaN();
    }
  });
});

/** A real frame (envelope removed) for each Binance schema the hot path checks. */
function frame(name: string): Record<string, unknown> {
  const parsed = parseRecordingLine(fixtureLine(name));
  if (parsed.type !== "message") throw new Error(name);
  return parsed.message as Record<string, unknown>;
}
const REAL: Record<string, Record<string, unknown>> = {
  trade: frame("trade-buyer-maker.txt"),
  aggTrade: frame("aggtrade.txt"),
  depthUpdate: frame("depth-update.txt"),
  "depth snapshot": { ...frame("depth-snapshot-rest.txt"), bids: [], asks: [] },
  markPriceUpdate: frame("mark-price.txt"),
  bookTicker: frame("book-ticker.txt"),
  forceOrder: frame("forceorder-long.txt"),
  // The documented example of GET /fapi/v1/openInterest (no recording holds one).
  openInterest: { openInterest: "10659.509", symbol: "BTCUSDT", time: 1589437530011 },
};

function bybitFrame(name: string): Record<string, unknown> {
  const parsed = parseRecordingLine(venueFixtureLine("bybit", name));
  if (parsed.type !== "message") throw new Error(name);
  return parsed.message as Record<string, unknown>;
}
const BYBIT_REAL: Record<string, Record<string, unknown>> = {
  "publicTrade item": (bybitFrame("public-trade-buy.txt").data as Array<Record<string, unknown>>)[0],
  orderbook: { ...bybitFrame("orderbook-delta.txt"), data: { ...(bybitFrame("orderbook-delta.txt").data as object), b: [], a: [] } },
  tickers: bybitFrame("tickers-delta-mark.txt"),
};

/** Values a leaf can take: what the schemas test for (types, signs, integers, ranges, decimals), and removal. */
const DELETE = Symbol("delete");
const leafValue = fc.oneof(
  fc.constantFrom<unknown>(DELETE, undefined, null, "", "0", "-1", "1.5", "1e5", "abc", "BUY", "SELL", "buy", "Buy", "Sell", "snapshot", "delta", "MARKET", true, false, [], {}),
  fc.constantFrom<unknown>(0, -0, -1, 1.5, 2 ** 53 - 1, 2 ** 53, -(2 ** 53), 1e300, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY),
  fc.integer(),
  fc.double(),
  fc.string({ maxLength: 6 }),
  decimalLike,
  fc.dictionary(fc.constantFrom("s", "S", "ap", "z", "T", "u", "symbol"), fc.oneof(fc.string({ maxLength: 4 }), fc.integer()), { maxKeys: 5 }),
);

function withLeaf(value: Record<string, unknown>, path: string[], leaf: unknown): Record<string, unknown> {
  const copy = structuredClone(value);
  let node: Record<string, unknown> = copy;
  for (let i = 0; i < path.length - 1; i++) node = node[path[i]] as Record<string, unknown>;
  if (leaf === DELETE) delete node[path[path.length - 1]];
  else node[path[path.length - 1]] = leaf;
  return copy;
}

function leafPaths(value: Record<string, unknown>, prefix: string[] = []): string[][] {
  const out: string[][] = [];
  for (const [k, v] of Object.entries(value)) {
    out.push([...prefix, k]);
    if (typeof v === "object" && v !== null && !Array.isArray(v)) out.push(...leafPaths(v as Record<string, unknown>, [...prefix, k]));
  }
  return out;
}

describe("Binance and Bybit frame predicates accept exactly what their zod schemas accept", () => {
  const checks = [...BINANCE_FRAME_CHECKS.map((c) => ({ ...c, real: REAL[c.name] })), ...BYBIT_FRAME_CHECKS.map((c) => ({ ...c, name: `bybit ${c.name}`, real: BYBIT_REAL[c.name] }))];
  for (const check of checks) {
    const real = check.real;
    it(`${check.name}: the real frame passes both`, () => {
      expect(check.accepts(real)).toBe(true);
      expect(check.schema.safeParse(real).success).toBe(true);
    });
    it(`${check.name}: one or two leaves replaced or removed, same verdict`, () => {
      const paths = leafPaths(real);
      fc.assert(
        fc.property(fc.constantFrom(...paths), leafValue, fc.constantFrom(...paths), leafValue, fc.boolean(), (p1, v1, p2, v2, two) => {
          let mutated = withLeaf(real, p1, v1);
          if (two) {
            try {
              mutated = withLeaf(mutated, p2, v2);
            } catch {
              // the first change removed or replaced the second path's parent: one leaf it is
            }
          }
          expect(check.accepts(mutated)).toBe(check.schema.safeParse(mutated).success);
        }),
        { numRuns: 3_000 },
      );
    });
    it(`${check.name}: arbitrary objects with its keys, same verdict`, () => {
      const keys = leafPaths(real).filter((p) => p.length === 1).map((p) => p[0]);
      const value = fc.oneof(leafValue, fc.constantFrom(...Object.values(real)));
      fc.assert(
        fc.property(fc.dictionary(fc.constantFrom(...keys), value, { maxKeys: keys.length }), (obj) => {
          expect(check.accepts(obj)).toBe(check.schema.safeParse(obj).success);
        }),
        { numRuns: 3_000 },
      );
    });
  }
});

/** The point moved in the text, as recording.ts did before issue 16 (the reference). */
function movedPoint(int: string, frac: string, shift: number): number {
  let all = int + frac;
  let point = int.length + shift;
  if (point > all.length) all = all.padEnd(point, "0");
  if (point < 0) {
    all = "0".repeat(-point) + all;
    point = 0;
  }
  return Number(`${all.slice(0, point) || "0"}.${all.slice(point) || "0"}`);
}

function referenceSecondsToMs(seconds: number): number {
  const text = String(seconds);
  if (text.includes("e")) return seconds * 1000;
  const dot = text.indexOf(".");
  return dot < 0 ? movedPoint(text, "", 3) : movedPoint(text.slice(0, dot), text.slice(dot + 1), 3);
}

describe("local times of recordings", () => {
  const seconds = fc.oneof(
    fc.double({ min: 0, max: 4e9, noNaN: true }),
    fc.integer({ min: 1_500_000_000, max: 1_900_000_000 }).chain((s) => fc.integer({ min: 0, max: 9_999_999 }).map((f) => Number(`${s}.${String(f).padStart(7, "0")}`))),
    fc.integer({ min: 1_500_000_000, max: 1_900_000_000 }).chain((s) => fc.integer({ min: 0, max: 999_999 }).map((f) => Number(`${s}.${f}`))),
  );

  it("a jsonl record's seconds become the ms that moving the point in their shortest text gives", () => {
    fc.assert(
      fc.property(seconds, (ts) => {
        const parsed = parseRecordingLine(JSON.stringify({ t: "recv", conn: "X.ws.1", ts, data: "{}" }));
        expect(parsed.type).toBe("message");
        if (parsed.type === "message") expect(Object.is(parsed.recvTs, referenceSecondsToMs(ts))).toBe(true);
      }),
      { numRuns: 20_000 },
    );
  });

  it("shiftedDecimal is the moved point's Number() wherever it answers", () => {
    fc.assert(
      fc.property(digits(12), digits(12), fc.integer({ min: 0, max: 6 }), (int, frac, shift) => {
        const text = `${int}.${frac}`;
        const fast = shiftedDecimal(text, shift);
        if (int === "" || frac.length <= shift) expect(fast).toBeNaN();
        else if (!Number.isNaN(fast)) expect(Object.is(fast, movedPoint(int, frac, shift))).toBe(true);
      }),
      { numRuns: 20_000 },
    );
  });

  it("an hftbacktest nanosecond prefix becomes the ms that moving the point gives", () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"), minLength: 18, maxLength: 20 }), (ns) => {
        expect(Object.is(integerTimestampMs(ns), movedPoint(ns, "", -6))).toBe(true);
      }),
    );
  });
});
