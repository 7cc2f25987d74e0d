/**
 * Crash consistency of the replay feed, by fault injection: the real replay runner and batcher
 * in front of model SymbolObjects (`crash-world.ts`, `model-symbol-object.ts`), killed at many
 * awaits (asleep in a pacing wait, a batch on its way, a batch applied with its reply lost, just
 * before and just after the position is written) and restarted from what was durable, on real
 * recordings: a sparse span (liquidations only, seconds to minutes apart) and a dense one (a
 * market's trades, book and quotes). Afterwards, against the input: every liquidation is
 * stored exactly once, every SymbolObject's counters equal the input's (accepted events by kind,
 * liquidations and their notional summed in order), and every event a life delivered is
 * accounted for as accepted or duplicate. Each written position is also checked when written:
 * every event before it is in its SymbolObject's checkpoint.
 */
import { mulberry32 } from "../../../src/domain/learning/prng.js";
import { createReadStream } from "node:fs";
import { Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { CanonicalEvent, Venue } from "../../../src/domain/events.js";
import { SYMBOLS } from "../../../src/domain/symbols.js";
import { readLines } from "../../../src/replay/lines.js";
import { mergeByEventTime } from "../../../src/replay/merge.js";
import { newStreamStats, recordingEvents } from "../../../src/replay/source.js";
import { loopShiftMs, SEQ_PER_LOOP, type ReplayFile } from "../../../src/replay/timeline.js";
import { CrashWorld, KILL_POINTS, type CrashWorldOptions, type KillPoint } from "./crash-world.js";
import { ModelSymbolObject, newDurable, type ModelRow } from "./model-symbol-object.js";

/** One pass over `files` as the collector reads them (normalized, merged in event time), cut to `windowMs`. */
async function replayInput(files: ReplayFile[], windowMs = Infinity): Promise<CanonicalEvent[]> {
  const streams = files.map((f) => {
    const path = fileURLToPath(new URL(`../../../data/recorded/${f.path}`, import.meta.url));
    const body = Readable.toWeb(createReadStream(path)) as unknown as ReadableStream<Uint8Array>;
    return recordingEvents(readLines(body), f.venue, newStreamStats(), { instrument: f.instrument });
  });
  const out: CanonicalEvent[] = [];
  for await (const { event } of mergeByEventTime(streams)) {
    if (out.length > 0 && event.ts >= out[0].ts + windowMs) break;
    out.push(event);
  }
  return out;
}

interface SymbolExpectation {
  events: number;
  kinds: Record<string, number>;
  liquidations: number;
  notionalUsd: number;
  rows: Map<string, ModelRow>;
}

/** What every SymbolObject must hold after `loops` loops of `input`, each event applied once. */
function expectations(input: readonly CanonicalEvent[], loops: number): Map<string, SymbolExpectation> {
  const shiftMs = loopShiftMs({ firstTs: input[0].ts, lastTs: input[input.length - 1].ts });
  const out = new Map<string, SymbolExpectation>();
  for (let loop = 0; loop < loops; loop++) {
    input.forEach((e, index) => {
      let x = out.get(e.symbol);
      if (x === undefined) out.set(e.symbol, (x = { events: 0, kinds: {}, liquidations: 0, notionalUsd: 0, rows: new Map() }));
      x.events++;
      x.kinds[e.kind] = (x.kinds[e.kind] ?? 0) + 1;
      if (e.kind !== "liquidation") return;
      x.liquidations++;
      x.notionalUsd += e.notionalUsd;
      x.rows.set(`replay:${loop * SEQ_PER_LOOP + index}`, {
        ts: e.ts + loop * shiftMs,
        venue: e.venue,
        side: e.side,
        price: e.price,
        qty: e.qty,
        notionalUsd: e.notionalUsd,
      });
    });
  }
  return out;
}

/** Differences between what the stack holds at the end and the input; empty when consistent. */
function inconsistencies(world: CrashWorld, expected: Map<string, SymbolExpectation>): string[] {
  const errors: string[] = [...world.unsafeSaves];
  const last = world.lives[world.lives.length - 1];
  for (const [symbol, x] of expected) {
    const durable = world.durables.get(symbol) ?? newDurable();
    const object = last.objects.get(symbol) ?? new ModelSymbolObject(symbol, durable);
    const accepted = object.sources.replay?.events ?? 0;
    if (accepted !== x.events) errors.push(`${symbol}: ${accepted} events accepted, input has ${x.events}`);
    if (JSON.stringify(sorted(object.engine.events)) !== JSON.stringify(sorted(x.kinds))) {
      errors.push(`${symbol}: engine counted ${JSON.stringify(sorted(object.engine.events))}, input has ${JSON.stringify(sorted(x.kinds))}`);
    }
    if (object.engine.liquidations !== x.liquidations || object.engine.notionalUsd !== x.notionalUsd) {
      errors.push(`${symbol}: engine summed ${object.engine.liquidations} liquidations, ${object.engine.notionalUsd} USD; input ${x.liquidations}, ${x.notionalUsd} USD`);
    }
    for (const [key, row] of x.rows) {
      const stored = durable.rows.get(key);
      if (stored === undefined) errors.push(`${symbol}: liquidation ${key} (${row.side} ${row.qty} @ ${row.price}) not stored`);
      else if (JSON.stringify(stored) !== JSON.stringify(row)) errors.push(`${symbol}: row ${key} is ${JSON.stringify(stored)}, input ${JSON.stringify(row)}`);
    }
    for (const key of durable.rows.keys()) if (!x.rows.has(key)) errors.push(`${symbol}: row ${key} stored but not in the input`);
  }
  for (const symbol of world.durables.keys()) {
    if (!expected.has(symbol) && (world.durables.get(symbol)?.rows.size ?? 0) > 0) errors.push(`${symbol}: rows stored for a symbol not in the input`);
  }
  // Every event a life delivered was accepted or dropped as a duplicate by that life's object.
  world.lives.forEach((life, n) => {
    for (const [symbol, o] of life.objects) {
      const t = o.totals();
      const counted = t.events - o.restored.events + (t.duplicates - o.restored.duplicates);
      if (counted !== o.delivered) errors.push(`life ${n} ${symbol}: ${o.delivered} events delivered, ${counted} accepted or duplicate`);
    }
  });
  return errors;
}

function sorted(o: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));
}

interface Outcome {
  errors: string[];
  killedAt: KillPoint[];
  duplicates: number;
}

/**
 * Plays `input` with a kill at each await count of `kills` (one per life, counted from the
 * life's start), then a life without kill to the end, then once more from the saved position
 * (a crash right after the end must change nothing), and compares with the input.
 */
async function playKilled(input: readonly CanonicalEvent[], options: CrashWorldOptions, kills: number[]): Promise<Outcome> {
  const world = new CrashWorld(input, options);
  const killedAt: KillPoint[] = [];
  for (const k of kills) {
    const life = await world.live(k);
    if (life.killedAt !== null) killedAt.push(life.killedAt);
    if (life.completed) break;
  }
  expect((await world.live(null)).completed).toBe(true);
  expect((await world.live(null)).completed).toBe(true);
  let duplicates = 0;
  for (const life of world.lives) for (const o of life.objects.values()) duplicates += o.totals().duplicates - o.restored.duplicates;
  return { errors: inconsistencies(world, expectations(input, options.loops)), killedAt, duplicates };
}

/** The kind of each await of one life that plays the whole input without a kill. */
async function awaitsOfOneLife(input: readonly CanonicalEvent[], options: CrashWorldOptions): Promise<KillPoint[]> {
  const world = new CrashWorld(input, options);
  const life = await world.live(null);
  expect(life.completed).toBe(true);
  expect(inconsistencies(world, expectations(input, options.loops))).toEqual([]);
  return life.points;
}

/** Up to `n` awaits (1-based) of kind `point`, evenly spread over the life. */
function spread(points: readonly KillPoint[], point: KillPoint, n: number): number[] {
  const at = points.flatMap((p, i) => (p === point ? [i + 1] : []));
  const step = Math.max(1, at.length / n);
  const out: number[] = [];
  for (let i = 0; i < at.length && out.length < n; i += step) out.push(at[Math.floor(i)]);
  return out;
}

/**
 * Kills one run at each of `perKind` awaits of every kind (spread over the life), then `triples`
 * runs with three kills each at random awaits; returns the failing runs (described), the kinds
 * of await killed at, and the duplicates the restarts caused.
 */
async function killEverywhere(input: readonly CanonicalEvent[], options: CrashWorldOptions, perKind: number, triples: number) {
  const points = await awaitsOfOneLife(input, options);
  const failures: string[] = [];
  const covered = new Set<KillPoint>();
  let duplicates = 0;
  let runs = 0;
  const play = async (kills: number[]) => {
    const outcome = await playKilled(input, options, kills);
    runs++;
    outcome.killedAt.forEach((k) => covered.add(k));
    duplicates += outcome.duplicates;
    if (outcome.errors.length > 0) failures.push(`kills at awaits ${kills.join(", ")} (${outcome.killedAt.join(", ")}): ${outcome.errors.slice(0, 3).join("; ")}`);
  };
  for (const point of KILL_POINTS) for (const k of spread(points, point, perKind)) await play([k]);
  const next = mulberry32(14);
  for (let run = 0; run < triples; run++) await play([0, 0, 0].map(() => 1 + Math.floor(next() * points.length)));
  return { awaits: points.length, runs, failures, covered, duplicates };
}

const SPARSE: ReplayFile[] = [{ path: "binance/forceorder_20251227-20251228.jsonl.gz", venue: "binance" as Venue }];
const DENSE: ReplayFile[] = [
  { path: "binance/hftbacktest_btcusdt_20240808.gz", venue: "binance", instrument: "BTCUSDT" },
  { path: "binance/hftbacktest_ethusdt_20240808.gz", venue: "binance", instrument: "ETHUSDT" },
];

describe("replay crash consistency (kill -9 at any await, restart from what is durable)", () => {
  it("sparse span: Binance liquidations of 2025-12-27/28, two loops at 50x: every liquidation stored once, every counter exact", async () => {
    const input = await replayInput(SPARSE);
    // 147 liquidations of 19 tracked symbols, seconds to minutes apart (the kind of span that lost one).
    expect(input.length).toBe(147);
    expect(input.every((e) => e.kind === "liquidation")).toBe(true);
    const options = { speed: 50, symbols: SYMBOLS.symbols, loops: 2 };
    const { awaits, runs, failures, covered, duplicates } = await killEverywhere(input, options, 25, 25);
    expect(awaits).toBeGreaterThan(1_000);
    expect(runs).toBeGreaterThan(150);
    expect(failures, failures.slice(0, 5).join("\n")).toEqual([]);
    expect([...covered].sort()).toEqual([...KILL_POINTS].sort());
    // Restarts re-sent events the objects already held, and they were dropped, not counted twice.
    expect(duplicates).toBeGreaterThan(0);
  });

  it("dense span: 20 s of BTCUSDT and ETHUSDT trades, book and quotes of 2024-08-08 in real time: every counter exact", async () => {
    const input = await replayInput(DENSE, 20_000);
    expect(input.length).toBe(9_150);
    const options = { speed: 1, symbols: SYMBOLS.symbols, loops: 1 };
    const { runs, failures, covered, duplicates } = await killEverywhere(input, options, 8, 8);
    expect(runs).toBeGreaterThan(40);
    expect(failures, failures.slice(0, 5).join("\n")).toEqual([]);
    expect([...covered].sort()).toEqual([...KILL_POINTS].sort());
    expect(duplicates).toBeGreaterThan(0);
  });

  it("dense span: one SymbolObject restarted alone (an engine deploy) while the collector goes on: every counter exact", async () => {
    const input = await replayInput(DENSE, 20_000);
    const options = { speed: 1, symbols: SYMBOLS.symbols, loops: 1 };
    const failures: string[] = [];
    let gaps = 0;
    for (let resetAt = 5; resetAt <= 1_000; resetAt += 25) {
      const world = new CrashWorld(input, options);
      const first = await world.live(null, { resetObjectAt: resetAt });
      if (!first.completed) gaps++;
      // The collector restarts the replay (its alarm) with the SymbolObjects as they are.
      if (!first.completed) expect((await world.live(null, { objectsOf: first })).completed).toBe(true);
      const errors = inconsistencies(world, expectations(input, options.loops));
      if (errors.length > 0) failures.push(`object reset at batch ${resetAt}: ${errors.slice(0, 2).join("; ")}`);
    }
    expect(failures, failures.slice(0, 5).join("\n")).toEqual([]);
    expect(gaps).toBeGreaterThan(0);
  });
});
