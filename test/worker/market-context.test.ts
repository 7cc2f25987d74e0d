/**
 * The market context in the real runtime: three SymbolObjects report their cycles to the
 * Coordinator, each gets its context back on the report's reply (no second RPC), and
 * `/v1/market` shows breadth, correlations to BTC and the liquidation skew with its sampling.
 */
import { env, runInDurableObject, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { SymbolObject } from "../../src/objects/symbol-object.js";
import type { MarketContext } from "../../src/domain/market/memory.js";
import { liquidation, symbolStub, trade } from "./helpers.js";

const BASE = 1_700_000_000_000;
const SYMBOLS = [
  ["BTCUSDT", 100, 101],
  ["ETHUSDT", 50, 51],
  ["SOLUSDT", 20, 19],
] as const;

/** The market context a SymbolObject's engine holds (null before an answer). */
async function contextOf(symbol: string): Promise<MarketContext | null> {
  return runInDurableObject(symbolStub(symbol), async (instance: SymbolObject) => {
    const state = (instance as unknown as { engine?: { toJSON(): { market?: MarketContext | null } } }).engine?.toJSON();
    return state?.market ?? null;
  });
}

async function waitForContext(symbol: string, ts: number): Promise<MarketContext> {
  for (let i = 0; i < 200; i++) {
    const c = await contextOf(symbol);
    if (c !== null && c.ts >= ts) return c;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`${symbol}: no market context at ${ts}`);
}

describe("market context across SymbolObjects", () => {
  it("three symbols report and each receives the context of the market they make", async () => {
    let seq = 1;
    // Cycle 1: each symbol's first boundary (BASE + 10 s) is reported.
    for (const [symbol, p0] of SYMBOLS) {
      const events = [trade(symbol, BASE + 1_000, p0, 1, "buy"), trade(symbol, BASE + 11_000, p0, 1, "buy")];
      if (symbol === "ETHUSDT") events.push(liquidation(symbol, BASE + 2_000, "long", p0, 4));
      await symbolStub(symbol).ingest(symbol, { source: "s", events, seqs: events.map(() => seq++) });
    }
    for (const [symbol] of SYMBOLS) await waitForContext(symbol, BASE + 10_000);
    // Cycle 2: prices move (BTC and ETH up, SOL down); every report now finds the other two fresh.
    for (const [symbol, , p1] of SYMBOLS) {
      const events = [trade(symbol, BASE + 15_000, p1, 1, "sell"), trade(symbol, BASE + 21_000, p1, 1, "sell")];
      await symbolStub(symbol).ingest(symbol, { source: "s", events, seqs: events.map(() => seq++) });
    }
    const contexts = new Map<string, MarketContext>();
    for (const [symbol] of SYMBOLS) contexts.set(symbol, await waitForContext(symbol, BASE + 20_000));

    const sol = contexts.get("SOLUSDT")!;
    expect(sol.ts).toBe(BASE + 20_000);
    expect(sol.symbols).toBe(3);
    // 1m returns: BTC ln(101/100), ETH ln(51/50), SOL ln(19/20).
    expect(sol.breadth["1m"]).toEqual({ up: 2 / 3, down: 1 / 3, n: 3 });
    expect(sol.btc?.returns["1m"]).toBeCloseTo(Math.log(1.01), 12);
    expect(sol.own.relativeToBtc["1m"]).toBeCloseTo(Math.log(0.95) - Math.log(1.01), 12);
    const basket = (Math.log(1.01) + Math.log(1.02) + Math.log(0.95)) / 3;
    expect(sol.own.relativeToBasket["1m"]).toBeCloseTo(Math.log(0.95) - basket, 12);
    // ETH's long liquidation of 4 × 50 USD, from a sampled venue.
    expect(sol.liquidations).toEqual({ longUsd: 200, shortUsd: 0, skew: 1, sampling: "sampled", symbols: 1 });
    for (const [symbol] of SYMBOLS) expect(contexts.get(symbol)!.ts).toBe(BASE + 20_000);

    const res = await SELF.fetch("https://liqflow.test/v1/market");
    expect(res.status).toBe(200);
    const market = await res.json<any>();
    expect(market.context.ts).toBe(BASE + 20_000);
    expect(market.context.breadth["1m"].n).toBe(3);
    expect(market.context.liquidations).toMatchObject({ skew: 1, sampling: "sampled" });
    expect(market.context.perSymbol.map((s: { symbol: string }) => s.symbol)).toEqual(["BTCUSDT", "ETHUSDT", "SOLUSDT"]);
    expect(market.context.perSymbol[0]).toMatchObject({ symbol: "BTCUSDT", beta: 1, correlation: 1 });
    // Two minutes of closes are far below the 60 a beta needs.
    expect(market.context.perSymbol[1]).toMatchObject({ symbol: "ETHUSDT", beta: null, correlation: null });
  });

  it("a restarted Coordinator keeps the market memory", async () => {
    const coordinator = env.COORDINATOR.get(env.COORDINATOR.idFromName("coordinator"));
    const before = (await coordinator.market()).context;
    const after = await runInDurableObject(coordinator, async (_instance, state) => {
      const { Coordinator } = await import("../../src/objects/coordinator.js");
      const fresh = new Coordinator(state, env);
      await state.blockConcurrencyWhile(async () => {});
      return (await fresh.market()).context;
    });
    expect(after).toEqual(before);
  });
});
