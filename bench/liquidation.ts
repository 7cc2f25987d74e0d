/**
 * Liquidation-map costs: a map update per event (trade, liquidation, open interest), the
 * per-cycle work the liquidation cards cause, and the map queries, each a median of several
 * runs and a ratio to a baseline measured in the same run (`JSON.parse` of the recording's
 * lines, as in bench/run.ts), because this machine is noisy.
 *
 * Input: the real Binance BTCUSDT trade recording, with open interest (one Bybit OI event per
 * second of event time, a seeded random walk that mostly rises) and liquidations (one every
 * 40 trades at the trade price, alternating Binance sampled / Bybit complete) woven in by
 * event time. There is no public recording with all three on one clock, so OI and
 * liquidations are synthetic; their rates are in the range of BTCUSDT on a busy day.
 *
 *   npx tsx bench/liquidation.ts [--runs 7]
 *
 * `runLiquidationBench()` returns the rows for bench/run.ts to print.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { gunzipSync } from "node:zlib";
import { SymbolEngine } from "../src/domain/engine.js";
import { parseEngineConfig } from "../src/domain/config.js";
import type { CanonicalEvent, LiquidationEvent, OiEvent, TradeEvent } from "../src/domain/events.js";
import { LiquidationMaps, NO_BOOKS } from "../src/domain/liquidation/maps.js";
import { getMapper, normalizeLine } from "../src/exchanges/registry.js";

const FILE = "data/recorded/binance/hftbacktest_btcusdt_20240808.gz";
const S = "BTCUSDT";

export interface BenchRow {
  name: string;
  /** Median ns per item. */
  ns: number;
  items: number;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Median ns per item of `fn` over `runs` runs (after one warm-up run). `setup` runs untimed before each. */
export function measure<T>(runs: number, items: number, setup: () => T, fn: (state: T) => void): number {
  fn(setup());
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const state = setup();
    const t = process.hrtime.bigint();
    fn(state);
    samples.push(Number(process.hrtime.bigint() - t) / items);
  }
  return median(samples);
}

/** The recording's trades with synthetic OI and liquidations woven in (deterministic). */
export function liquidationBenchStream(): { lines: string[]; events: CanonicalEvent[] } {
  const lines = gunzipSync(readFileSync(join(process.cwd(), FILE))).toString("utf8").split("\n").filter((l) => l.length > 0);
  const mapper = getMapper("binance");
  const base = lines.flatMap((l) => normalizeLine(mapper, l, { instrument: S }).events);
  let x = 12_345;
  const rnd = () => {
    x = (Math.imul(x, 1_664_525) + 1_013_904_223) >>> 0;
    return x / 2 ** 32;
  };
  const events: CanonicalEvent[] = [];
  let oi = 80_000;
  let nextOiTs = -1;
  let trades = 0;
  for (const ev of base) {
    if (nextOiTs < 0) nextOiTs = ev.ts;
    while (ev.ts >= nextOiTs) {
      oi = Math.max(1_000, oi + (rnd() - 0.35) * 20);
      events.push({ venue: "bybit", symbol: S, ts: nextOiTs, kind: "oi", oiBase: oi });
      nextOiTs += 1_000;
    }
    events.push(ev);
    if (ev.kind === "trade" && ++trades % 40 === 0) {
      const bybit = trades % 80 === 0;
      const qty = Math.round(rnd() * 500) / 1_000 + 0.001;
      events.push({ venue: bybit ? "bybit" : "binance", symbol: S, ts: ev.ts, kind: "liquidation", side: rnd() < 0.5 ? "long" : "short", price: ev.price, qty, notionalUsd: ev.price * qty, sampling: bybit ? "complete" : "sampled-1s" });
    }
  }
  return { lines, events };
}

/** Runs every measurement; rows in print order, the first is the baseline. */
export function runLiquidationBench(runs = 7): { rows: BenchRow[]; notes: string[] } {
  const { lines, events } = liquidationBenchStream();
  const trades = events.filter((e): e is TradeEvent => e.kind === "trade");
  const liqs = events.filter((e): e is LiquidationEvent => e.kind === "liquidation");
  const ois = events.filter((e): e is OiEvent => e.kind === "oi");
  const config = parseEngineConfig();
  let sink = 0;
  const rows: BenchRow[] = [];
  const row = (name: string, ns: number, items: number) => rows.push({ name, ns, items });

  row(
    "baseline: JSON.parse per line",
    measure(runs, lines.length, () => null, () => {
      for (const l of lines) sink += (JSON.parse(l.slice(l.indexOf(" ") + 1)) as object) ? 1 : 0;
    }),
    lines.length,
  );

  // A map that has seen the whole stream: the state the per-event and per-cycle costs run against.
  const warm = (cfg = config): LiquidationMaps => {
    const m = new LiquidationMaps(S, cfg);
    let lastTs = -1;
    let cycle = -1;
    for (const ev of events) {
      const b = Math.floor(ev.ts / config.cycleMs) * config.cycleMs;
      if (cycle >= 0 && b > cycle) m.onCycle(b);
      cycle = b;
      if (ev.kind === "trade") {
        m.onTrade(ev.ts, ev.price, ev.qty, ev.side === "buy", ev.ts >= lastTs);
        if (ev.ts > lastTs) lastTs = ev.ts;
      } else if (ev.kind === "liquidation") m.onLiquidation(ev);
      else if (ev.kind === "oi") m.onOi(ev);
    }
    return m;
  };
  const warmed = warm();
  // Worst case for the cycle: 10 s OI buckets, so every cycle closes one and changes the level set.
  const busy = parseEngineConfig({ liquidation: { oiBucketMs: 10_000 } });
  const sizes = warmed.sizes();
  const lastTs = events[events.length - 1].ts;
  const lastPrice = trades[trades.length - 1].price;

  row(
    "map update per trade (VWAP, 10 s close, sweep check)",
    measure(runs, trades.length, warm, (m) => {
      for (const t of trades) m.onTrade(t.ts, t.price, t.qty, t.side === "buy", true);
    }),
    trades.length,
  );
  row(
    "map update per liquidation (ring, profile, minute bin)",
    measure(runs, liqs.length, warm, (m) => {
      for (const l of liqs) m.onLiquidation(l);
    }),
    liqs.length,
  );
  row(
    "map update per open-interest event (bucket, cohort)",
    measure(runs, ois.length, () => new LiquidationMaps(S, config), (m) => {
      for (const o of ois) m.onOi(o);
    }),
    ois.length,
  );

  const CYCLES = 200;
  row(
    `map per cycle, level set unchanged (${sizes.cohorts} cohorts)`,
    measure(runs, CYCLES, () => warmed, (m) => {
      for (let i = 1; i <= CYCLES; i++) {
        const ts = lastTs + i * config.cycleMs;
        m.onCycle(ts);
        const v = m.cardView(ts, lastPrice, NO_BOOKS);
        sink += (v.levels()?.levels ?? 0) + v.realizedClusters().length + v.minuteStats().minutes;
      }
    }),
    CYCLES,
  );
  const busyCohorts = warm(busy).sizes().cohorts;
  row(
    `map per cycle, level set changed each cycle (${busyCohorts} cohorts)`,
    measure(runs, CYCLES, () => warm(busy), (m) => {
      for (let i = 1; i <= CYCLES; i++) {
        const ts = lastTs + i * config.cycleMs;
        m.onOi({ venue: "bybit", symbol: S, ts: ts - 1, kind: "oi", oiBase: 100_000 + i });
        m.onCycle(ts);
        const v = m.cardView(ts, lastPrice, NO_BOOKS);
        sink += (v.levels()?.levels ?? 0) + v.realizedClusters().length + v.minuteStats().minutes;
      }
    }),
    CYCLES,
  );

  // A full map: three days of OI rising every minute (the cohort cap, 4,096, is reached) under
  // a slow random walk, so about 49k levels are alive or recently swept.
  const full = (): { m: LiquidationMaps; ts: number; price: number } => {
    const m = new LiquidationMaps(S, config);
    let price = 60_000;
    let ts = 0;
    let y = 99;
    for (let i = 0; i < 3 * 1_440; i++) {
      ts = i * 60_000;
      y = (Math.imul(y, 1_664_525) + 1_013_904_223) >>> 0;
      price *= 1 + (y / 2 ** 32 - 0.5) * 0.001;
      m.onTrade(ts, price, 1, y % 2 === 0, true);
      m.onOi({ venue: "bybit", symbol: S, ts: ts + 1, kind: "oi", oiBase: 100_000 + i });
      if (i % 6 === 0) m.onCycle(ts);
    }
    return { m, ts, price };
  };
  const fullState = full();
  const fullLevels = fullState.m.cardView(fullState.ts, fullState.price, NO_BOOKS).levels()?.levels ?? 0;
  row(
    `map per cycle, full map unchanged (${fullState.m.sizes().cohorts} cohorts, ${fullLevels} levels)`,
    measure(runs, CYCLES, () => fullState, ({ m, ts: t0, price }) => {
      for (let i = 1; i <= CYCLES; i++) {
        const ts = t0 + i * config.cycleMs;
        m.onCycle(ts);
        const v = m.cardView(ts, price, NO_BOOKS);
        sink += (v.levels()?.levels ?? 0) + v.realizedClusters().length + v.minuteStats().minutes;
      }
    }),
    CYCLES,
  );
  row(
    "map per cycle, full map changed each cycle (view rebuilt)",
    measure(runs, 20, full, ({ m, ts: t0, price }) => {
      for (let i = 1; i <= 20; i++) {
        const ts = t0 + i * 60_000;
        m.onOi({ venue: "bybit", symbol: S, ts, kind: "oi", oiBase: 200_000 + i });
        m.onCycle(ts);
        const v = m.cardView(ts, price, NO_BOOKS);
        sink += (v.levels()?.levels ?? 0) + v.realizedClusters().length + v.minuteStats().minutes;
      }
    }),
    20,
  );
  row("query levels on the full map (±10 %, 10 bps)", measure(runs, 1, () => fullState, ({ m, ts, price }) => (sink += m.levels(undefined, ts, price).ts)), 1);

  const engine = new SymbolEngine(S);
  engine.ingest(events);
  row("query heatmap (24 h, 1 min × 10 bps)", measure(runs, 1, () => engine, (e) => (sink += e.heatmap().cells.length)), 1);
  row("query clusters (top 10)", measure(runs, 1, () => engine, (e) => (sink += e.clusters().clusters.length)), 1);
  row("query levels (±10 %, 10 bps)", measure(runs, 1, () => engine, (e) => (sink += e.levels().ts)), 1);
  row("query cascade", measure(runs, 1, () => engine, (e) => (sink += e.cascade().ts)), 1);
  const mapsJson = JSON.stringify(engine.toJSON().liquidationMaps);
  row("maps checkpoint: JSON.stringify(maps.toJSON())", measure(runs, 1, () => warmed, (m) => (sink += JSON.stringify(m.toJSON()).length)), 1);

  const counts = `${trades.length} trades, ${liqs.length} liquidations, ${ois.length} OI events`;
  const notes = [
    `stream: ${FILE} + synthetic OI/liquidations: ${counts}`,
    `state after the stream: ${sizes.realized} realized records, ${sizes.profileBins} profile bins, ${sizes.cohorts} OI cohorts; maps checkpoint ${(mapsJson.length / 1024).toFixed(1)} KiB`,
  ];
  if (sink === -1) notes.push(String(sink));
  return { rows, notes };
}

function format(ns: number): string {
  return ns >= 1e6 ? `${(ns / 1e6).toFixed(2)} ms` : ns >= 1e3 ? `${(ns / 1e3).toFixed(2)} µs` : `${ns.toFixed(0)} ns`;
}

/** Prints rows as bench/run.ts does: name, median, ratio to the first row. */
export function printRows(rows: readonly BenchRow[]): void {
  const baseline = rows[0].ns;
  console.log(`${"what".padEnd(56)} ${"median".padStart(12)} ${"x baseline".padStart(11)}`);
  for (const r of rows) console.log(`${r.name.padEnd(56)} ${format(r.ns).padStart(12)} ${(r.ns / baseline).toFixed(2).padStart(11)}`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const runsArg = process.argv.indexOf("--runs");
  const runs = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 7;
  const { rows, notes } = runLiquidationBench(runs);
  console.log(`bench liquidation maps, median of ${runs} runs, node ${process.version}`);
  for (const n of notes) console.log(n);
  printRows(rows);
}
