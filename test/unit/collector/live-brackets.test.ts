/**
 * The live feed's maintenance-margin tier polls (`live-brackets.ts`) against a fake venue
 * (`fake-venue.ts`, Bybit's recorded testnet risk limits and OKX's recorded position tiers) and
 * a fixed clock: when each target is asked, what reaches the engine's `setBrackets`, how OKX
 * waits for a price, and how every failure or refusal is counted on the REST stream.
 */
import { describe, expect, it } from "vitest";
import type { BracketTable } from "../../../src/domain/liquidation/brackets.js";
import { BYBIT_BRACKETS, OKX_BRACKETS, type LiveBracketSource } from "../../../src/exchanges/brackets-live.js";
import { BRACKETS_PRICE_WAIT_MS, LiveBrackets } from "../../../workers/collector/src/live-brackets.js";
import { RestStream } from "../../../workers/collector/src/live-rest.js";
import { planBracketPolls } from "../../../workers/collector/src/rest-poll.js";
import { FAKE_REST, fakeVenue } from "./fake-venue.js";

const HOUR = 3_600_000;
const AT = Date.UTC(2026, 11, 1, 10, 0, 0);

interface Setup {
  source: LiveBracketSource;
  instruments: string[];
  restBase?: string;
  prices?: Map<string, number>;
  engine?: (symbol: string, tables: BracketTable[]) => Promise<{ applied: string[]; rejected: string[] }>;
}

function setup({ source, instruments, restBase = FAKE_REST, prices = new Map(), engine }: Setup) {
  const venue = fakeVenue();
  const stream = new RestStream(restBase);
  const handed: { symbol: string; tables: BracketTable[] }[] = [];
  const captured: (string | null)[] = [];
  const pauses: number[] = [];
  const schedule = planBracketPolls(source, instruments, 0, HOUR);
  const brackets = new LiveBrackets({
    source,
    restBase,
    schedule,
    stream,
    pause: (untilMs) => pauses.push(untilMs),
    capture: (line) => captured.push(line),
    setBrackets:
      engine ??
      (async (symbol, tables) => {
        handed.push({ symbol, tables });
        return { applied: tables.map((t) => t.id), rejected: [] };
      }),
    priceOf: (symbol) => prices.get(symbol),
    now: () => AT,
    fetch: venue.fetch,
  });
  return { brackets, schedule, stream, venue, handed, captured, pauses };
}

describe("maintenance-margin tier polls of a live feed", () => {
  it("fetch Bybit's tiers per instrument, spread over the first minute, and hand each table to its symbol", async () => {
    const { brackets, venue, handed, stream, captured } = setup({ source: BYBIT_BRACKETS, instruments: ["BTCUSDT", "ETHUSDT"] });
    await brackets.poll(0);
    await brackets.poll(29_999);
    expect(venue.seen).toEqual(["/v5/market/risk-limit?category=linear&symbol=BTCUSDT"]);
    expect(handed.map((h) => [h.symbol, h.tables.map((t) => [t.id, t.brackets.length, t.brackets[0].mmr])])).toEqual([
      ["BTCUSDT", [["bybit:BTCUSDT:live:2026-12-01T10:00:00.000Z", 2, 0.0033]]],
    ]);
    expect(stream.stats).toMatchObject({ requests: 1, messages: 1, connected: true, lastMessageMs: AT, failures: {}, rejected: {} });
    expect(captured).toHaveLength(1);
    expect(captured[0]!.startsWith(`${FAKE_REST}/v5/market/risk-limit?category=linear&symbol=BTCUSDT -> ${AT / 1000}.000: {`)).toBe(true);
    // ETHUSDT at 60 000 / 2. The fake venue answers BTCUSDT's recording for any instrument: the
    // table goes to the symbol the answer names, not to the one asked for.
    await brackets.poll(30_000);
    expect(venue.seen[1]).toBe("/v5/market/risk-limit?category=linear&symbol=ETHUSDT");
    expect(handed.map((h) => h.symbol)).toEqual(["BTCUSDT", "BTCUSDT"]);
    expect(stream.stats).toMatchObject({ requests: 2, messages: 2 });
  });

  it("hold an OKX family until the feed saw a price of its symbol, looking again every 10 s", async () => {
    const prices = new Map<string, number>();
    const { brackets, schedule, venue, handed, stream } = setup({ source: OKX_BRACKETS, instruments: ["BTC-USDT-SWAP"], prices });
    await brackets.poll(0);
    expect(venue.seen).toEqual([]);
    expect(stream.stats.requests).toBe(0);
    expect(schedule.nextDueMs("BTC-USDT")).toBe(BRACKETS_PRICE_WAIT_MS);
    prices.set("BTCUSDT", 90_000);
    await brackets.poll(BRACKETS_PRICE_WAIT_MS);
    expect(venue.seen).toEqual(["/api/v5/public/position-tiers?instType=SWAP&tdMode=isolated&instFamily=BTC-USDT"]);
    // the first tier caps 10 BTC, priced at the last price seen: 900 000 USD
    expect(handed.map((h) => [h.symbol, h.tables[0].brackets[0].maxBaseQty, h.tables[0].brackets[0].maxNotionalUsd])).toEqual([["BTCUSDT", 10, 900_000]]);
    // the recorded answer holds ETH-USDT too, with no price seen: skipped, never priced at nothing
    expect(stream.stats.ignored).toEqual({ "brackets: no-reference-price:ETHUSDT": 1 });
  });

  it("count a refused answer, an engine that refuses or fails, a rate limit and an answer that is not JSON", async () => {
    const refused = setup({ source: BYBIT_BRACKETS, instruments: ["BTCUSDT"], restBase: `${FAKE_REST}/refused` });
    await refused.brackets.poll(0);
    const reason = 'result.category: must be "linear" (got "inverse"; inverse caps are in coins)';
    expect(refused.stream.stats.rejected).toEqual({ [`brackets: ${reason}`]: 1 });
    expect(refused.stream.stats.lastError).toBe(`brackets BTCUSDT: ${reason}`);
    expect(refused.handed).toEqual([]);

    const refusing = setup({ source: BYBIT_BRACKETS, instruments: ["BTCUSDT"], engine: async () => ({ applied: [], rejected: ["older than the table in force"] }) });
    await refusing.brackets.poll(0);
    expect(refusing.stream.stats.rejected).toEqual({ "brackets: engine refused BTCUSDT: older than the table in force": 1 });

    const failing = setup({ source: BYBIT_BRACKETS, instruments: ["BTCUSDT"], engine: () => Promise.reject(new Error("object reset")) });
    await failing.brackets.poll(0);
    expect(failing.stream.stats.failures).toEqual({ "brackets: setBrackets failed: object reset": 1 });

    const limited = setup({ source: BYBIT_BRACKETS, instruments: ["BTCUSDT"], restBase: `${FAKE_REST}/limited` });
    await limited.brackets.poll(0);
    expect(limited.pauses).toEqual([AT + 7_000]);
    expect(limited.stream.stats).toMatchObject({ connected: false, failures: { "brackets: HTTP 429 slow down": 1 }, lastError: "brackets: HTTP 429 slow down" });

    const garbage = setup({ source: BYBIT_BRACKETS, instruments: ["BTCUSDT"], restBase: `${FAKE_REST}/garbage` });
    await garbage.brackets.poll(0);
    expect(garbage.stream.stats.rejected).toEqual({ "brackets: response is not JSON": 1 });
    expect(garbage.captured).toEqual([`${FAKE_REST}/garbage/v5/market/risk-limit?category=linear&symbol=BTCUSDT -> ${AT / 1000}.000: <html>`]);
  });
});
