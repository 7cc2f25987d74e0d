import { createReadStream } from "node:fs";
import { Readable } from "node:stream";
import { beforeAll, describe, expect, it } from "vitest";
import { SymbolEngine } from "../../../src/domain/engine.js";
import type { CanonicalEvent } from "../../../src/domain/events.js";
import { getMapper, normalizeLine } from "../../../src/exchanges/registry.js";
import { readLines } from "../../../src/replay/lines.js";
import { binanceData } from "../exchanges/helpers.js";

/** The first twelve hours of the real AVAXUSDT month of one-minute bars (720 bars), as replay reads them. */
let bars: CanonicalEvent[] = [];
beforeAll(async () => {
  const mapper = getMapper("binance");
  const stream = Readable.toWeb(createReadStream(binanceData("klines/AVAXUSDT-1m-2026-02.csv.gz"))) as unknown as ReadableStream<Uint8Array>;
  for await (const line of readLines(stream)) {
    bars.push(...normalizeLine(mapper, line, { instrument: "AVAXUSDT" }).events);
    if (bars.length >= 720) break;
  }
});

// As `npm run replay -- --cycle 60s` runs a month of bars.
const CONFIG = { cycleMs: 60_000, biasCadenceMs: { scalp: 60_000, day: 60_000, swing: 300_000 }, catchUpMs: 300_000 };

function run(batch: number, engine = new SymbolEngine("AVAXUSDT", { config: CONFIG }), from = 0, to = bars.length): { engine: SymbolEngine; out: string[] } {
  const out: string[] = [];
  for (let i = from; i < to; i += batch) for (const s of engine.ingest(bars.slice(i, Math.min(to, i + batch)))) out.push(JSON.stringify(s));
  return { engine, out };
}

describe("twelve hours of real one-minute bars through the engine", { timeout: 60_000 }, () => {
  it("are all bars, one per minute, and the bar cards are computed once an hour of them exists", () => {
    expect(bars).toHaveLength(720);
    expect(bars.every((b) => b.kind === "bar")).toBe(true);
    const { out } = run(bars.length);
    const last = JSON.parse(out.at(-1) as string);
    const live = last.cards.filter((c: any) => c.timeframes["1h"].available).map((c: any) => c.id);
    for (const id of ["flow.cvd", "flow.pressure", "flow.persistence", "momentum.return", "micro.kyle-lambda", "absorption.minutes"]) expect(live, id).toContain(id);
    // the last boundary emitted is the one before the last bar's (no event after it closes the last)
    expect(last.price).toBe((bars.at(-2) as any).close);
  });

  it("give byte-identical snapshots in batches of 1, 997 or all events, and across a checkpoint with bars saved apart", () => {
    const whole = run(bars.length);
    for (const batch of [1, 997]) expect(run(batch).out).toEqual(whole.out);
    const half = 333;
    const first = run(100, new SymbolEngine("AVAXUSDT", { config: CONFIG }), 0, half);
    const saved = JSON.parse(JSON.stringify(first.engine.toJSON({ bars: false })));
    const restored = SymbolEngine.fromJSON(saved, { barRows: JSON.parse(JSON.stringify(first.engine.barRows(0))) });
    const rest = run(100, restored, half);
    expect([...first.out, ...rest.out]).toEqual(whole.out);
  });
});
