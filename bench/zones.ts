/**
 * Zone pipeline costs on the real BTCUSDT recording (trades + depth): `ZoneTracker.onTrade`
 * per trade, and `compute` per cycle with the recording's synced book (up to 1,000 levels a
 * side), each a median of several runs with the same `JSON.parse` baseline as bench/run.ts.
 * The engine rows of bench/run.ts already include the zones (every cycle computes them).
 *
 *   npx tsx bench/zones.ts [--runs 7]
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { gunzipSync } from "node:zlib";
import { OrderBook } from "../src/domain/book.js";
import type { CanonicalEvent, TradeEvent } from "../src/domain/events.js";
import { ZoneTracker } from "../src/domain/zones/tracker.js";
import { getMapper, normalizeLine } from "../src/exchanges/registry.js";
import { measure, type BenchRow } from "./liquidation.js";

const FILE = "data/recorded/binance/hftbacktest_btcusdt_20240808.gz";

export function runZoneBench(runs = 7): { rows: BenchRow[]; notes: string[] } {
  const lines = gunzipSync(readFileSync(join(process.cwd(), FILE))).toString("utf8").split("\n").filter((l) => l.length > 0);
  const events: CanonicalEvent[] = lines.flatMap((l) => normalizeLine(getMapper("binance"), l, { instrument: "BTCUSDT" }).events);
  const trades = events.filter((e): e is TradeEvent => e.kind === "trade");
  let sink = 0;
  const rows: BenchRow[] = [];
  rows.push({
    name: "baseline: JSON.parse per line",
    ns: measure(runs, lines.length, () => null, () => {
      for (const l of lines) sink += (JSON.parse(l.slice(l.indexOf(" ") + 1)) as object) ? 1 : 0;
    }),
    items: lines.length,
  });
  rows.push({
    name: "zones: onTrade per trade (profile, bars, price path)",
    ns: measure(runs, trades.length, () => new ZoneTracker(), (t) => {
      for (const e of trades) t.onTrade(e.ts, e.price, e.qty, e.side);
    }),
    items: trades.length,
  });
  // The tracker and the book as they stand at every 10 s boundary of the recording.
  const cycles: { tracker: ZoneTracker; ts: number; price: number; bids: [number, number][]; asks: [number, number][] }[] = [];
  const tracker = new ZoneTracker();
  const book = new OrderBook({ maxLevels: 1_000, maxBufferedDeltas: 2_000 });
  let next: number | null = null;
  let price = 0;
  for (const e of events) {
    if (next === null) next = Math.ceil(e.ts / 10_000) * 10_000;
    while (e.ts >= next) {
      if (book.synced && price > 0) {
        const lv = book.levels();
        cycles.push({ tracker: ZoneTracker.fromJSON(tracker.toJSON()), ts: next, price, bids: lv.bids, asks: lv.asks });
      }
      next += 10_000;
    }
    if (e.kind === "book") book.apply(e);
    else if (e.kind === "trade") {
      price = e.price;
      tracker.onTrade(e.ts, e.price, e.qty, e.side);
    }
  }
  rows.push({
    name: `zones: compute per cycle (book ≤ 1,000 levels a side, ${cycles.length} cycles)`,
    ns: measure(runs, cycles.length, () => cycles.map((c) => ({ ...c, tracker: ZoneTracker.fromJSON(c.tracker.toJSON()) })), (cs) => {
      for (const c of cs) sink += c.tracker.compute({ ts: c.ts, price: c.price, bids: c.bids, asks: c.asks }).zones.length;
    }),
    items: cycles.length,
  });
  const size = JSON.stringify(tracker.toJSON()).length;
  const notes = [`zones: ${trades.length} trades, tracker state after the recording ${(size / 1024).toFixed(1)} KiB`];
  if (sink === -1) notes.push(String(sink));
  return { rows, notes };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const runsArg = process.argv.indexOf("--runs");
  const runs = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 7;
  const { printRows } = await import("./liquidation.js");
  const { rows, notes } = runZoneBench(runs);
  for (const n of notes) console.log(n);
  printRows(rows);
}
