/**
 * Card costs per 10 s cycle: all cards × 3 timeframes on one symbol, the per-family share, and
 * the per-event ingest cost with and without cards, each a median over several runs.
 *
 * Input: bench/all-inputs-stream.ts (the real Binance BTCUSDT recording with every other card
 * input woven in), cut at every cycle boundary: the events before a boundary are ingested
 * untimed, then `advanceTo(boundary)` runs exactly one cycle and is timed. A cycle's cost is all
 * of it: every card on 1m, 5m and 1h, the bias, the liquidation view and the zones. The
 * "no cards" registry gives the cost of that frame alone. Per family: each card's `compute` is
 * timed (summed over the three timeframes) in one more pass; a card that is the first to read a
 * lazy input (the bar series, book depth, the level view) pays for building it.
 *
 * Warm: before the recording each engine gets a day of one-minute bars as history (the first
 * 1,440 bars of the real AVAXUSDT month, prices scaled to BTC's at the recording's start and
 * volumes scaled to keep their notional, times moved to end where the recording begins), as a
 * live warm start gives it: the bar cards compute (none is warming up). After each cycle the
 * engine's summary goes to an in-process `MarketMemory` and its context comes back, as the
 * Coordinator's reply does, so the market-context cards compute too (untimed: that is the
 * Coordinator's work).
 *
 *   npx tsx bench/cards.ts [--runs 5]
 */
import { readFileSync } from "node:fs";
import type { BarEvent } from "../src/domain/events.js";
import { MarketMemory } from "../src/domain/market/memory.js";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { gunzipSync } from "node:zlib";
import { SymbolEngine } from "../src/domain/engine.js";
import type { CanonicalEvent } from "../src/domain/events.js";
import { CATEGORY_IDS } from "../src/domain/cards/categories.js";
import { CardRegistry, DEFAULT_CARDS } from "../src/domain/cards/registry.js";
import { getMapper, normalizeLine } from "../src/exchanges/registry.js";
import { withAllInputs } from "./all-inputs-stream.js";
import { median, type BenchRow } from "./liquidation.js";

const FILE = "data/recorded/binance/hftbacktest_btcusdt_20240808.gz";
const S = "BTCUSDT";

const BARS = "data/recorded/binance/klines/AVAXUSDT-1m-2026-02.csv.gz";

function stream(): { base: CanonicalEvent[]; all: CanonicalEvent[]; warm: CanonicalEvent[] } {
  const lines = gunzipSync(readFileSync(join(process.cwd(), FILE))).toString("utf8").split("\n").filter((l) => l.length > 0);
  const mapper = getMapper("binance");
  const base = lines.flatMap((l) => normalizeLine(mapper, l, { instrument: S }).events);
  return { base, all: withAllInputs(base, S), warm: warmDay(base) };
}

/** A day of real one-minute bars ending at the recording's first minute, scaled to its price (see the header). */
function warmDay(base: readonly CanonicalEvent[]): CanonicalEvent[] {
  const firstTrade = base.find((e) => e.kind === "trade");
  if (!firstTrade || firstTrade.kind !== "trade") throw new Error("cards bench: the recording has no trade");
  const mapper = getMapper("binance");
  const lines = gunzipSync(readFileSync(join(process.cwd(), BARS))).toString("utf8").split("\n").filter((l) => l.length > 0);
  const bars: BarEvent[] = [];
  for (const l of lines) {
    for (const e of normalizeLine(mapper, l, { instrument: "AVAXUSDT" }).events) if (e.kind === "bar") bars.push(e);
    if (bars.length >= 1_440) break;
  }
  const k = firstTrade.price / (bars.at(-1) as BarEvent).close;
  const end = Math.floor(firstTrade.ts / 60_000) * 60_000;
  const shift = end - ((bars.at(-1) as BarEvent).openTs + 60_000);
  return bars.map((b) => ({
    ...b,
    symbol: S,
    ts: b.ts + shift,
    recvTs: b.recvTs === undefined ? undefined : b.recvTs + shift,
    openTs: b.openTs + shift,
    open: b.open * k,
    high: b.high * k,
    low: b.low * k,
    close: b.close * k,
    volumeBase: b.volumeBase / k,
    takerBuyBase: b.takerBuyBase === null ? null : b.takerBuyBase / k,
  }));
}

let warm: readonly CanonicalEvent[] = [];

/** An engine with the warm day applied and its market context answered after every cycle. */
function warmEngine(registry: CardRegistry): { engine: SymbolEngine; report: () => void } {
  const engine = new SymbolEngine(S, { registry });
  engine.backfill(warm);
  const market = new MarketMemory(engine.config.cycleMs, engine.config.biasNeutralBand);
  const report = () => {
    const summary = engine.summary();
    if (summary === null) return;
    market.report(summary);
    engine.setMarketContext(market.context(summary.symbol, summary.ts));
  };
  return { engine, report };
}

/** Per-cycle times (ns) of one pass over `events` with `registry`. */
function cycleTimes(events: readonly CanonicalEvent[], registry: CardRegistry): number[] {
  const { engine, report } = warmEngine(registry);
  const times: number[] = [];
  let i = 0;
  while (i < events.length) {
    const boundary = engine.nextBoundaryTs;
    let j = i;
    if (boundary === null) j = i + 1;
    else while (j < events.length && events[j].ts < boundary) j++;
    engine.ingest(events.slice(i, j));
    i = j;
    const b = engine.nextBoundaryTs;
    if (b === null || i >= events.length) continue;
    const t = process.hrtime.bigint();
    engine.advanceTo(b);
    times.push(Number(process.hrtime.bigint() - t));
    report();
  }
  return times;
}

/** Median per-cycle ns over `runs` passes (after one warm-up), and the p90 and max of the pooled cycles. */
function cycleStats(events: readonly CanonicalEvent[], registry: CardRegistry, runs: number): { median: number; p90: number; max: number; cycles: number } {
  cycleTimes(events, registry);
  const pooled: number[] = [];
  const medians: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t = cycleTimes(events, registry);
    medians.push(median(t));
    pooled.push(...t);
  }
  pooled.sort((a, b) => a - b);
  return { median: median(medians), p90: pooled[Math.floor(pooled.length * 0.9)], max: pooled[pooled.length - 1], cycles: pooled.length / runs };
}

function ingestPerEvent(events: readonly CanonicalEvent[], registry: CardRegistry | undefined, runs: number, batch = 500): number {
  const once = () => {
    const engine = new SymbolEngine(S, registry ? { registry } : {});
    const t = process.hrtime.bigint();
    for (let i = 0; i < events.length; i += batch) engine.ingest(events.slice(i, i + batch));
    return Number(process.hrtime.bigint() - t) / events.length;
  };
  once();
  return median(Array.from({ length: runs }, once));
}

export function runCardBench(runs = 5): { rows: BenchRow[]; notes: string[] } {
  const { base, all, warm: day } = stream();
  warm = day;
  const none = new CardRegistry([]);
  const full = new CardRegistry(DEFAULT_CARDS);
  const frame = cycleStats(all, none, runs);
  const cards = cycleStats(all, full, runs);
  const rows: BenchRow[] = [
    { name: "cycle, no cards (bias, maps view, zones)", ns: frame.median, items: 1 },
    { name: `cycle, all ${DEFAULT_CARDS.length} cards × 3 timeframes`, ns: cards.median, items: 1 },
    { name: "cycle, all cards: p90", ns: cards.p90, items: 1 },
    { name: "cycle, all cards: max (incl. first cycles)", ns: cards.max, items: 1 },
  ];
  const notes: string[] = [`cards bench: ${all.length} events (${base.length} recorded + synthetic marks, OI and a second venue), ${Math.round(cards.cycles)} cycles, median of ${runs} runs`];
  const spent = new Map<string, number>();
  let cycleSpent = 0;
  const timed = DEFAULT_CARDS.map((c) => ({
    ...c,
    compute: (input: Parameters<typeof c.compute>[0], self: Parameters<typeof c.compute>[1]) => {
      const t = process.hrtime.bigint();
      const v = c.compute(input, self);
      const dt = Number(process.hrtime.bigint() - t);
      spent.set(c.category, (spent.get(c.category) ?? 0) + dt);
      cycleSpent += dt;
      return v;
    },
  }));
  // Per cycle: the sum of every card's compute on the three timeframes, in a pass after a warm-up one.
  const timedRegistry = new CardRegistry(timed);
  cycleTimes(all, timedRegistry);
  spent.clear();
  const perCycle: number[] = [];
  const { engine, report } = warmEngine(timedRegistry);
  let available = 0;
  for (let i = 0; i < all.length; ) {
    const boundary = engine.nextBoundaryTs;
    let j = i;
    if (boundary === null) j = i + 1;
    else while (j < all.length && all[j].ts < boundary) j++;
    engine.ingest(all.slice(i, j));
    i = j;
    const b = engine.nextBoundaryTs;
    if (b === null || i >= all.length) continue;
    cycleSpent = 0;
    const snaps = engine.advanceTo(b);
    perCycle.push(cycleSpent);
    const last = snaps.at(-1);
    if (last) available = last.cards.filter((c) => Object.values(c.timeframes).some((t) => t.available)).length;
    report();
  }
  notes.push(`cards available on at least one timeframe at the last timed cycle: ${available} of ${DEFAULT_CARDS.length} (the rest name a feed the bench does not carry)`);
  const timedCycles = perCycle.length;
  rows.push({ name: `all cards' compute per cycle (timed pass, median of ${perCycle.length})`, ns: median(perCycle), items: 1 });
  const families = CATEGORY_IDS.filter((c) => spent.has(c)).map((c) => `${c} (${DEFAULT_CARDS.filter((d) => d.category === c).length}) ${((spent.get(c) as number) / timedCycles / 1000).toFixed(0)}`);
  notes.push(`per family, µs per cycle of compute (mean of ${timedCycles} cycles): ${families.join(", ")}`);
  const ingestNone = ingestPerEvent(base, none, runs);
  const ingestAll = ingestPerEvent(base, undefined, runs);
  rows.push({ name: "ingest per event, recording only, no cards (batches of 500)", ns: ingestNone, items: 1 });
  rows.push({ name: "ingest per event, recording only, all cards (batches of 500)", ns: ingestAll, items: 1 });
  return { rows, notes };
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const runsArg = process.argv.indexOf("--runs");
  const { rows, notes } = runCardBench(runsArg > 0 ? Number(process.argv[runsArg + 1]) : 5);
  const { printRows } = await import("./liquidation.js");
  printRows(rows);
  for (const n of notes) console.log(n);
}
