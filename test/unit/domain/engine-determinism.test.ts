import { beforeAll, describe, expect, it } from "vitest";
import { SymbolEngine } from "../../../src/domain/engine.js";
import type { CanonicalEvent } from "../../../src/domain/events.js";
import { getMapper, normalizeLine } from "../../../src/exchanges/registry.js";
import { recordingLines } from "../exchanges/helpers.js";
import { withAllInputs } from "../../../bench/all-inputs-stream.js";

const S = "BTCUSDT";

/** The real Binance BTCUSDT recording with every other card input woven in (bench/all-inputs-stream.ts). */
let events: CanonicalEvent[] = [];
beforeAll(async () => {
  const mapper = getMapper("binance");
  const base = (await recordingLines("hftbacktest_btcusdt_20240808.gz")).flatMap((l) => normalizeLine(mapper, l, { instrument: S }).events);
  events = withAllInputs(base, S);
});

function run(batch: number, engine = new SymbolEngine(S), from = 0, to = events.length): { engine: SymbolEngine; out: string[] } {
  const out: string[] = [];
  for (let i = from; i < to; i += batch) for (const s of engine.ingest(events.slice(i, Math.min(to, i + batch)))) out.push(JSON.stringify(s));
  return { engine, out };
}

describe("SymbolEngine determinism with every card input fed", () => {
  it("gives byte-identical snapshots and state in batches of 1, 997 or all events", () => {
    const whole = run(events.length);
    expect(whole.out.length).toBeGreaterThan(30);
    const state = JSON.stringify(whole.engine.toJSON());
    for (const batch of [1, 997]) {
      const r = run(batch);
      expect(r.out).toEqual(whole.out);
      expect(JSON.stringify(r.engine.toJSON())).toBe(state);
    }
  });

  it("survives a checkpoint mid-stream byte for byte, with the one-minute bars and the open interest and funding minutes saved apart as rows", () => {
    const whole = run(500);
    const half = Math.floor(events.length / 2);
    const first = run(500, new SymbolEngine(S), 0, half);
    const rows = first.engine.barRows(0);
    const derivativeRows = first.engine.derivativeRows(0);
    expect(derivativeRows.length).toBeGreaterThan(0);
    const saved = JSON.parse(JSON.stringify(first.engine.toJSON({ bars: false, realizedRecords: true })));
    expect([saved.inputs.bars, saved.inputs.derivatives]).toEqual([undefined, undefined]);
    const restored = SymbolEngine.fromJSON(saved, { barRows: JSON.parse(JSON.stringify(rows)), derivativeRows: JSON.parse(JSON.stringify(derivativeRows)) });
    const rest = run(500, restored, half);
    expect([...first.out, ...rest.out]).toEqual(whole.out);
    expect(JSON.stringify(rest.engine.toJSON())).toBe(JSON.stringify(whole.engine.toJSON()));
  });

  it("feeds the inputs it was given: two venues' windows, funding and premium on two venues, OI on two, tops and bars", () => {
    const { engine, out } = run(events.length);
    const last = JSON.parse(out.at(-1) as string);
    expect(last.cards.length).toBe(engine.availableCards().cards);
    const state = engine.toJSON();
    expect(Object.keys(state.inputs!.windows.venues)).toEqual(["binance", "bybit"]);
    expect(Object.keys(state.inputs!.funding.venues)).toEqual(["binance", "hyperliquid"]);
    expect(state.inputs!.funding.venues.hyperliquid).toMatchObject({ intervalMs: 3_600_000, intervalSource: "default" });
    expect(Object.keys(state.inputs!.premium.venues)).toEqual(["binance", "hyperliquid"]);
    expect(Object.keys(state.inputs!.oi.venues)).toEqual(["binance", "bybit"]);
    expect(Object.keys(state.inputs!.top.venues)).toEqual(["binance"]);
    expect(state.inputs!.bars!.buckets.length).toBeGreaterThanOrEqual(6);
  });
});

describe("the checkpoint's packed cards", () => {
  it("restore the last snapshot byte for byte", () => {
    const { engine } = run(events.length);
    const saved = JSON.parse(JSON.stringify(engine.toJSON()));
    expect(saved.latest.cards).toBeUndefined();
    expect(saved.latest.packedCards.length).toBe(engine.latest()!.cards.length);
    expect(JSON.stringify(SymbolEngine.fromJSON(saved).latest())).toBe(JSON.stringify(engine.latest()));
    // The bias is the engine's own: written once, beside the snapshot, and put back on restore.
    expect(saved.latest.bias).toBeUndefined();
    expect(saved.latest.biasIsEngine).toBe(true);
    expect(saved.bias.day).toEqual(JSON.parse(JSON.stringify(engine.latest()!.bias.day)));
    // restored twice: the second checkpoint is the first
    expect(JSON.stringify(SymbolEngine.fromJSON(saved).toJSON())).toBe(JSON.stringify(saved));
  });
});
