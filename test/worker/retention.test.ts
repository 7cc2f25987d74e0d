/**
 * Liquidation retention (issue 14, item 5): SymbolObject rows older than the retention in event
 * time (relative to the newest event, never the wall clock) are pruned in bounded batches; the
 * counts stay true, the realized heatmap keeps a row for every record it holds, and a replay's
 * loops (which shift event time forward) never wipe rows inside the retention.
 */
import { runDurableObjectAlarm, runInDurableObject, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { CanonicalEvent } from "../../src/domain/events.js";
import type { SymbolObject } from "../../src/objects/symbol-object.js";
import type { LiquidationCursor } from "../../src/protocol/liquidation-cursor.js";
import { DEFAULT_LIQUIDATION_RETENTION_DAYS, PRUNE_BATCH_ROWS, liquidationRetentionDays } from "../../src/objects/liquidation-rows.js";
import { loopShiftMs, replaySeq, shiftEvent } from "../../src/replay/timeline.js";
import { liquidation, symbolStub } from "./helpers.js";
import { SymbolStorage } from "../../src/objects/symbol-storage.js";

const DAY = 86_400_000;
const HOUR = 3_600_000;
/** 2025-12-28T19:06:40Z, a multiple of 10 s: a year before this machine's clock, so a wall-clock retention would prune it all. */
const T0 = 1_766_950_000_000;
const url = (path: string) => `https://liqflow.test${path}`;

type Stub = ReturnType<typeof symbolStub>;

/** Every stored row's ts, newest first, through the object's own list (paged to the end). */
async function storedTs(stub: Stub): Promise<number[]> {
  const out: number[] = [];
  let after: LiquidationCursor | undefined = undefined;
  for (let i = 0; i < 100; i++) {
    const page = await stub.liquidations(undefined, 1000, after);
    out.push(...page.liquidations.map((l) => l.ts));
    if (page.next === null) break;
    after = page.next;
  }
  return out;
}

async function sqlCount(stub: Stub): Promise<number> {
  return runInDurableObject(stub, async (_i: SymbolObject, state: DurableObjectState) =>
    state.storage.sql.exec<{ n: number }>(`SELECT COUNT(*) AS n FROM liquidations`).one().n,
  );
}

function liqs(symbol: string, tss: number[], price = 100): CanonicalEvent[] {
  return tss.map((ts, i) => liquidation(symbol, ts, i % 2 === 0 ? "long" : "short", price + i, 1));
}

describe("LIQUIDATION_RETENTION_DAYS", () => {
  it("defaults to 30 days, takes whole days 1..3650, and names the variable and the bound otherwise", () => {
    expect(DEFAULT_LIQUIDATION_RETENTION_DAYS).toBe(30);
    expect(liquidationRetentionDays(undefined)).toBe(30);
    expect(liquidationRetentionDays("")).toBe(30);
    expect(liquidationRetentionDays("1")).toBe(1);
    expect(liquidationRetentionDays(" 90 ")).toBe(90);
    expect(liquidationRetentionDays("3650")).toBe(3650);
    for (const bad of ["0", "-1", "1.5", "abc", "3651", "1e3", "30d", "Infinity"]) {
      expect(() => liquidationRetentionDays(bad), bad).toThrow(
        `LIQUIDATION_RETENTION_DAYS must be a whole number of days from 1 to 3650 (at least the realized heatmap's 24 h), got "${bad}"`,
      );
    }
  });
});

describe("liquidation retention", () => {
  it("prunes rows older than 30 days before the newest event and keeps the rest; stored and /v1/health count what is left", async () => {
    const symbol = "BNBUSDT";
    const stub = symbolStub(symbol);
    await stub.ingest(symbol, { source: "s", events: liqs(symbol, [T0, T0 + 1_000, T0 + 2_000, T0 + 3_000]), seqs: [1, 2, 3, 4] });
    await stub.ingest(symbol, { source: "s", events: liqs(symbol, [T0 + 10 * DAY, T0 + 10 * DAY + 1_000]), seqs: [5, 6] });
    await stub.ingest(symbol, { source: "s", events: liqs(symbol, [T0 + 29 * DAY]), seqs: [7] });
    expect(await storedTs(stub)).toHaveLength(7);
    // Newest event 30 d + 3 s after T0: the cutoff is T0 + 3 s; the row exactly at it stays.
    const result = await stub.ingest(symbol, { source: "s", events: liqs(symbol, [T0 + 30 * DAY + 3_000]), seqs: [8] });
    expect(result.cycles).toBeGreaterThan(0);
    expect(await storedTs(stub)).toEqual([T0 + 30 * DAY + 3_000, T0 + 29 * DAY, T0 + 10 * DAY + 1_000, T0 + 10 * DAY, T0 + 3_000]);
    expect(await sqlCount(stub)).toBe(5);
    const list = await (await SELF.fetch(url(`/v1/symbols/${symbol}/liquidations?limit=2`))).json<any>();
    expect(list.stored).toBe(5);
    const health = await stub.health();
    expect(health.liquidationsStored).toBe(5);
    expect(health.liquidationRetention).toEqual({ days: 30, cutoffTs: T0 + 3_000, pruned: 3 });
    const http = await (await SELF.fetch(url("/v1/health"))).json<any>();
    expect(JSON.stringify(http)).toContain('"liquidationsStored":5');
  });

  it(`prunes at most ${PRUNE_BATCH_ROWS} rows per cycle and per alarm, so a large backlog goes over several`, async () => {
    const symbol = "DOGEUSDT";
    const stub = symbolStub(symbol);
    const backlog = 1_200;
    expect(backlog).toBeGreaterThan(3 * PRUNE_BATCH_ROWS);
    const old = liqs(symbol, Array.from({ length: backlog }, (_, i) => T0 + i * 10));
    await stub.ingest(symbol, { source: "s", events: old, seqs: old.map((_, i) => i + 1) });
    expect((await stub.health()).liquidationsStored).toBe(backlog);
    await stub.ingest(symbol, { source: "s", events: liqs(symbol, [T0 + 31 * DAY]), seqs: [backlog + 1] });
    expect((await stub.health()).liquidationsStored).toBe(backlog + 1 - PRUNE_BATCH_ROWS);
    // A quiet feed: each alarm prunes the next batch, until the backlog is gone.
    const left = [backlog - PRUNE_BATCH_ROWS];
    while (left.at(-1)! > 0 && left.length < 20) {
      expect(await runDurableObjectAlarm(stub)).toBe(true);
      left.push((await stub.health()).liquidationsStored - 1);
    }
    expect(left).toEqual(Array.from({ length: Math.ceil(backlog / PRUNE_BATCH_ROWS) }, (_, i) => Math.max(0, backlog - (i + 1) * PRUNE_BATCH_ROWS)));
    await stub.ingest(symbol, { source: "s", events: liqs(symbol, [T0 + 31 * DAY + 10_000]), seqs: [backlog + 2] });
    const health = await stub.health();
    expect(health.liquidationsStored).toBe(2);
    expect(health.liquidationRetention.pruned).toBe(backlog);
    expect(await storedTs(stub)).toEqual([T0 + 31 * DAY + 10_000, T0 + 31 * DAY]);
    expect(await sqlCount(stub)).toBe(2);
    // A restart counts the rows again and reads the pruned total back.
    const recounted = await runInDurableObject(stub, async (instance: SymbolObject, state) => {
      (instance as any).storage = new SymbolStorage(state.storage.sql);
      return (await instance.health()).liquidationRetention;
    });
    expect(recounted.pruned).toBe(backlog);
    expect((await stub.health()).liquidationsStored).toBe(2);
  });

  it("keeps a row for every realized record: the 24 h heatmap sums exactly the rows left in its window", async () => {
    const symbol = "DOTUSDT";
    const stub = symbolStub(symbol);
    const T1 = T0 + 31 * DAY;
    const old = liqs(symbol, [T0, T0 + 1_000, T0 + 2 * HOUR], 5);
    await stub.ingest(symbol, { source: "s", events: old, seqs: [1, 2, 3] });
    // A chunk of realized records left by a checkpoint that was set aside (its indexes restarted at 0).
    await runInDurableObject(stub, async (_i: SymbolObject, state: DurableObjectState) => {
      state.storage.sql.exec(`INSERT INTO realized_chunks (chunk, first, rows) VALUES (7, 3584, ?)`, JSON.stringify([[T0 - DAY, 5, 1, 5, 1]]));
    });
    const recent = liqs(symbol, [T1 - 25 * HOUR, T1 - 23 * HOUR, T1 - 2 * HOUR, T1 - HOUR, T1 - 10 * 60_000, T1 - 5_000, T1], 6);
    await stub.ingest(symbol, { source: "s", events: recent, seqs: recent.map((_, i) => 4 + i) });
    expect((await stub.health()).liquidationsStored).toBe(recent.length);
    const heatmap = await (await SELF.fetch(url(`/v1/symbols/${symbol}/heatmap?window=24h&timeBin=1h&priceBin=1`))).json<any>();
    const inWindow = recent.filter((e) => e.ts >= heatmap.fromTs && e.ts < heatmap.toTs) as Array<{ notionalUsd: number }>;
    expect(inWindow).toHaveLength(6);
    expect(heatmap.totals.long.count + heatmap.totals.short.count).toBe(inWindow.length);
    expect(heatmap.totals.long.notionalUsd + heatmap.totals.short.notionalUsd).toBeCloseTo(inWindow.reduce((s, e) => s + e.notionalUsd, 0), 9);
    const check = await runInDurableObject(stub, async (instance: SymbolObject, state: DurableObjectState) => {
      const engine = (instance as any).engine;
      const { from, to } = engine.realizedRange();
      const records: number[][] = engine.realizedRows(from, to);
      const rows = new Set(state.storage.sql.exec<{ ts: number; price: number }>(`SELECT ts, price FROM liquidations`).toArray().map((r) => `${r.ts}@${r.price}`));
      const chunks = state.storage.sql.exec<{ chunk: number }>(`SELECT chunk FROM realized_chunks ORDER BY chunk`).toArray().map((r) => r.chunk);
      return { records: records.length, withoutRow: records.filter(([ts, price]) => !rows.has(`${ts}@${price}`)).length, from, to, chunks };
    });
    expect(check.records).toBeGreaterThan(0);
    expect(check.withoutRow).toBe(0);
    // The saved chunks are exactly those holding the records kept (512 a chunk): the stale one is gone.
    expect(check.chunks).toEqual([0]);
    expect(check.to).toBeLessThanOrEqual(512);
  });

  it("never wipes rows inside the retention across replay loops, re-sent loops and history, though the recordings are a year older than the wall clock", async () => {
    const symbol = "LINKUSDT";
    const stub = symbolStub(symbol);
    const S0 = 1_680_566_400_000; // 2023-04-04, the first recording's day
    const span = { firstTs: S0, lastTs: S0 + 2 * DAY };
    const loop0 = liqs(symbol, [S0, S0 + HOUR, S0 + 2 * DAY]);
    const shift = loopShiftMs(span);
    expect(shift).toBe(49 * HOUR);
    const loop1 = loop0.map((e) => shiftEvent(e, shift));
    const seqs = (loop: number) => loop0.map((_, index) => replaySeq({ loop, index }));
    await stub.ingest(symbol, { source: "replay", events: loop0, seqs: seqs(0) });
    await stub.ingest(symbol, { source: "replay", events: loop1, seqs: seqs(1) });
    const all = [...loop1, ...loop0].map((e) => e.ts).sort((a, b) => b - a);
    expect(await storedTs(stub)).toEqual(all);
    // A restarted feed re-sends loop 0 (event time behind): duplicates, nothing pruned.
    expect(await stub.ingest(symbol, { source: "replay", events: loop0, seqs: seqs(0) })).toMatchObject({ accepted: 0, duplicates: 3 });
    // History from a day before the span on another source: stored, and it prunes nothing newer.
    const history = liqs(symbol, [S0 - DAY]);
    await stub.ingest(symbol, { source: "warm", events: history, seqs: [1], history: true });
    await stub.ingest(symbol, { source: "replay", events: liqs(symbol, [loop1[2].ts + 20_000]), seqs: [replaySeq({ loop: 1, index: 3 })] });
    expect(await storedTs(stub)).toEqual([loop1[2].ts + 20_000, ...all, S0 - DAY]);
    expect((await stub.health()).liquidationRetention.pruned).toBe(0);
  });

  it("keeps the last 30 days of event time when a replay's recordings lie months apart", async () => {
    const symbol = "LTCUSDT";
    const stub = symbolStub(symbol);
    const S0 = 1_680_566_400_000;
    const loop0 = liqs(symbol, [S0, S0 + 40 * DAY, S0 + 44 * DAY]);
    const shift = loopShiftMs({ firstTs: S0, lastTs: S0 + 44 * DAY });
    expect(shift).toBe(44 * DAY + HOUR);
    await stub.ingest(symbol, { source: "replay", events: loop0.slice(0, 1), seqs: [replaySeq({ loop: 0, index: 0 })] });
    await stub.ingest(symbol, { source: "replay", events: loop0.slice(1), seqs: [1, 2].map((index) => replaySeq({ loop: 0, index })) });
    // Event time jumped 44 days within the loop: the first recording's row is older than 30 days.
    expect(await storedTs(stub)).toEqual([S0 + 44 * DAY, S0 + 40 * DAY]);
    const loop1 = loop0.map((e) => shiftEvent(e, shift));
    await stub.ingest(symbol, { source: "replay", events: loop1, seqs: [0, 1, 2].map((index) => replaySeq({ loop: 1, index })) });
    const newest = S0 + 44 * DAY + shift;
    expect(await storedTs(stub)).toEqual([newest, newest - 4 * DAY]);
    expect((await stub.health()).liquidationRetention).toEqual({ days: 30, cutoffTs: newest - 30 * DAY, pruned: 4 });
  });
});
