/**
 * Cursor paging of `/v1/symbols/:symbol/liquidations` (issue 14, item 5): a walk from the newest
 * row to the oldest yields every stored row exactly once, in order, though rows with equal
 * timestamps straddle page boundaries and new liquidations arrive mid-walk.
 */
import { runInDurableObject, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { CanonicalEvent } from "../../src/domain/events.js";
import type { SymbolObject } from "../../src/objects/symbol-object.js";
import { LIQUIDATION_PAGE_SQL, LIQUIDATION_PRUNE_SQL } from "../../src/objects/liquidation-rows.js";
import { liquidation, symbolStub } from "./helpers.js";

const BASE = 1_766_950_000_000; // a multiple of 10 s
const url = (path: string) => `https://liqflow.test${path}`;
const b64url = (s: string) => btoa(s).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");

/** One liquidation per offset (ms after BASE); its price, 100 + its index, names the row. */
function rows(symbol: string, offsetsMs: number[], firstPrice = 100): CanonicalEvent[] {
  return offsetsMs.map((dt, i) => liquidation(symbol, BASE + dt, i % 2 === 0 ? "long" : "short", firstPrice + i, 1));
}

/** The prices in list order: newest ts first, and among equal ts the later arrival first. */
function expectedOrder(events: CanonicalEvent[]): number[] {
  return events
    .map((e, arrival) => ({ ts: e.ts, arrival, price: (e as { price: number }).price }))
    .sort((a, b) => b.ts - a.ts || b.arrival - a.arrival)
    .map((r) => r.price);
}

async function page(symbol: string, query: string): Promise<any> {
  const res = await SELF.fetch(url(`/v1/symbols/${symbol}/liquidations?${query}`));
  expect(res.status, query).toBe(200);
  return res.json();
}

/** Follows nextCursor from the first page to the end; `between` runs after each page. */
async function walk(symbol: string, query: string, between?: (pageIndex: number) => Promise<void>): Promise<{ pages: any[]; prices: number[] }> {
  const pages: any[] = [];
  let cursor: string | null = null;
  do {
    const body = await page(symbol, cursor === null ? query : `${query}&cursor=${cursor}`);
    pages.push(body);
    cursor = body.nextCursor;
    if (between) await between(pages.length - 1);
  } while (cursor !== null && pages.length < 100);
  return { pages, prices: pages.flatMap((p) => p.liquidations.map((l: any) => l.price)) };
}

describe("liquidation list paging", () => {
  it("walks every row exactly once, newest first, though equal timestamps straddle the page boundaries", async () => {
    const stub = symbolStub("ADAUSDT");
    // Four rows share ts +4 s (split 3 | 1 by limit 3), three share +1 s (split 1 | 2).
    const events = rows("ADAUSDT", [0, 1_000, 1_000, 1_000, 2_000, 3_000, 3_000, 4_000, 4_000, 4_000, 4_000]);
    await stub.ingest("ADAUSDT", { source: "s", events, seqs: events.map((_, i) => i + 1) });
    const { pages, prices } = await walk("ADAUSDT", "limit=3");
    expect(pages.map((p) => p.liquidations.length)).toEqual([3, 3, 3, 2]);
    expect(prices).toEqual([110, 109, 108, 107, 106, 105, 104, 103, 102, 101, 100]);
    expect(prices).toEqual(expectedOrder(events));
    expect(pages.map((p) => p.liquidations.map((l: any) => l.ts - BASE))).toEqual([
      [4_000, 4_000, 4_000],
      [4_000, 3_000, 3_000],
      [2_000, 1_000, 1_000],
      [1_000, 0],
    ]);
    for (const p of pages.slice(0, -1)) expect(p.nextCursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(pages.at(-1).nextCursor).toBeNull();
    // The existing fields stay as they were.
    expect(pages[0]).toMatchObject({ symbol: "ADAUSDT", since: null, limit: 3, stored: 11 });
    expect(pages[0].liquidations[0]).toEqual({ ts: BASE + 4_000, venue: "binance", side: "long", price: 110, qty: 1, notionalUsd: 110, sampling: "sampled-1s" });
  });

  it("ends with nextCursor null on a page that holds the last row, never with an empty page", async () => {
    const stub = symbolStub("APTUSDT");
    const events = rows("APTUSDT", [0, 1_000, 2_000, 3_000, 4_000, 5_000]);
    await stub.ingest("APTUSDT", { source: "s", events, seqs: events.map((_, i) => i + 1) });
    expect((await page("APTUSDT", "limit=6")).nextCursor).toBeNull();
    const { pages } = await walk("APTUSDT", "limit=2");
    expect(pages.map((p) => p.liquidations.length)).toEqual([2, 2, 2]);
    const five = await page("APTUSDT", "limit=5");
    expect(five.nextCursor).not.toBeNull();
    const rest = await page("APTUSDT", `limit=5&cursor=${five.nextCursor}`);
    expect(rest.liquidations.map((l: any) => l.price)).toEqual([100]);
    expect(rest.nextCursor).toBeNull();
  });

  it("keeps a walk exact while new liquidations arrive: every row stored before it once, late rows at their place, newer rows left to the next walk", async () => {
    const symbol = "ARBUSDT";
    const stub = symbolStub(symbol);
    const before = rows(symbol, [1_000, 2_000, 3_000, 3_000, 3_000, 4_000, 5_000, 6_000]);
    await stub.ingest(symbol, { source: "s", events: before, seqs: before.map((_, i) => i + 1) });
    const arriving = [
      liquidation(symbol, BASE + 7_000, "long", 200, 1), // newer than the walk's start: not in it
      liquidation(symbol, BASE + 4_000, "long", 201, 1), // same ts as page 1's last row, later arrival: sorts before the cursor
      liquidation(symbol, BASE + 3_000, "short", 202, 1), // late, ts of rows not yet walked: first of its ts
      liquidation(symbol, BASE + 500, "short", 203, 1), // late and oldest: last of the walk
    ];
    const { pages, prices } = await walk(symbol, "limit=3", async (i) => {
      if (i === 0) await stub.ingest(symbol, { source: "s", events: arriving, seqs: [9, 10, 11, 12] });
    });
    expect(pages[0].liquidations.map((l: any) => l.price)).toEqual([107, 106, 105]);
    expect(prices).toEqual([107, 106, 105, 202, 104, 103, 102, 101, 100, 203]);
    expect(new Set(prices).size).toBe(prices.length);
    // A new walk from the top holds everything, once.
    const again = await walk(symbol, "limit=4&since=0");
    expect(again.prices).toEqual(expectedOrder([...before, ...arriving]));
    expect(again.pages[0].stored).toBe(12);
  });

  it("bounds a walk with since (inclusive), on every page", async () => {
    const symbol = "AVAXUSDT";
    const stub = symbolStub(symbol);
    const events = rows(symbol, [0, 1_000, 2_000, 2_000, 2_000, 3_000, 4_000]);
    await stub.ingest(symbol, { source: "s", events, seqs: events.map((_, i) => i + 1) });
    const { pages, prices } = await walk(symbol, `since=${BASE + 2_000}&limit=2`);
    expect(prices).toEqual([106, 105, 104, 103, 102]);
    expect(pages.map((p) => p.since)).toEqual([BASE + 2_000, BASE + 2_000, BASE + 2_000]);
    expect(pages.at(-1).nextCursor).toBeNull();
    // A cursor already below since (after the +1 s row): nothing left.
    const six = await page(symbol, "limit=6");
    expect(six.liquidations.at(-1).ts).toBe(BASE + 1_000);
    const empty = await page(symbol, `since=${BASE + 2_000}&limit=2&cursor=${six.nextCursor}`);
    expect(empty.liquidations).toEqual([]);
    expect(empty.nextCursor).toBeNull();
  });

  it("answers a cursor it did not issue with 400 bad_parameter and the reason", async () => {
    const cases: Array<[string, RegExp]> = [
      ["", /^cursor: .*empty/],
      ["not*base64", /^cursor: .*base64url/],
      [b64url("2.1766953699489.5"), /^cursor: .*version 2 is not supported/],
      [b64url("1.abc.5"), /^cursor: .*ts must be a whole number/],
      ["A".repeat(200), /^cursor: .*at most 64/],
    ];
    for (const [cursor, message] of cases) {
      const res = await SELF.fetch(url(`/v1/symbols/BTCUSDT/liquidations?limit=5&cursor=${encodeURIComponent(cursor)}`));
      expect(res.status, cursor).toBe(400);
      expect(res.headers.get("Content-Type")).toMatch(/application\/json/);
      const body = await res.json<any>();
      expect(body.error.code).toBe("bad_parameter");
      expect(body.error.message, cursor).toMatch(message);
    }
  });

  it("reads each page and each prune through the ts index, with no sort and no table scan", async () => {
    const stub = symbolStub("BCHUSDT");
    const events = rows("BCHUSDT", [0, 1_000]);
    await stub.ingest("BCHUSDT", { source: "s", events, seqs: [1, 2] });
    const plans = await runInDurableObject(stub, async (_instance: SymbolObject, state: DurableObjectState) => {
      const plan = (sql: string, ...args: unknown[]) =>
        state.storage.sql
          .exec<{ detail: string }>(`EXPLAIN QUERY PLAN ${sql}`, ...args)
          .toArray()
          .map((r) => r.detail);
      return {
        first: plan(LIQUIDATION_PAGE_SQL, 0, Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER, 101),
        next: plan(LIQUIDATION_PAGE_SQL, 0, BASE + 1_000, 2, 101),
        prune: plan(LIQUIDATION_PRUNE_SQL, BASE, 500),
      };
    });
    for (const [name, details] of Object.entries(plans)) {
      expect(details.join(" | "), name).toMatch(/SEARCH liquidations USING (COVERING )?INDEX liquidations_ts \(ts/);
      expect(details.join(" | "), name).not.toMatch(/TEMP B-TREE|SCAN liquidations/);
    }
  });

  it("documents cursor and nextCursor in OpenAPI, with an example walk", async () => {
    const doc = await (await SELF.fetch(url("/openapi.json"))).json<any>();
    const op = doc.paths["/v1/symbols/{symbol}/liquidations"].get;
    const cursor = op.parameters.find((p: any) => p.name === "cursor");
    expect(cursor).toMatchObject({ in: "query", required: false, schema: { type: "string", maxLength: 64 } });
    expect(cursor.description).toMatch(/nextCursor/);
    const ok = op.responses[200].content["application/json"];
    expect(ok.schema.required).toEqual(expect.arrayContaining(["nextCursor", "liquidations", "stored"]));
    expect(JSON.stringify(ok.schema.properties.nextCursor)).toMatch(/null/);
    expect(ok.example.nextCursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(op.description).toMatch(/cursor/);
  });
});
