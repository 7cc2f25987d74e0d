/**
 * The warm start and gap refill of one-minute bars (`backfill.ts`) without the runtime: a virtual
 * clock, a fake fetch answering the venues' documented and recorded kline bodies
 * (data/recorded/<venue>/fixtures), and a send that records batches or feeds a real engine.
 */
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { SymbolEngine } from "../../../src/domain/engine.js";
import type { BarEvent, CanonicalEvent, TradeEvent, Venue } from "../../../src/domain/events.js";
import type { IngestBatch, IngestResult } from "../../../src/protocol/ingest.js";
import type { SymbolSnapshot } from "../../../src/protocol/snapshot.js";
import {
  BACKFILL_PACING,
  BACKFILL_SPAN_MS,
  FIRST_EVENT_WAIT_MS,
  gapSpan,
  HOLD_MAX_EVENTS,
  HOLD_MAX_MS,
  MAX_CLOSE_WAIT_MS,
  planTask,
  startSpan,
  VenueBackfill,
  type BackfillSymbol,
} from "../../../workers/collector/src/backfill.js";
import { SymbolBatcher } from "../../../workers/collector/src/batcher.js";
import { venueData } from "../exchanges/helpers.js";

const MIN = 60_000;
const BASE = "http://venue.test";

const fixture = (venue: "binance" | "bybit" | "okx" | "hyperliquid", name: string) => readFileSync(venueData(venue, `fixtures/${name}`), "utf8");

/** Timers that fire only when the test advances time: every sleep resolves in time order. */
class VirtualClock {
  nowMs: number;
  private timers: { atMs: number; seq: number; resolve: () => void }[] = [];
  private seq = 0;

  constructor(startMs: number) {
    this.nowMs = startMs;
  }

  now = (): number => this.nowMs;

  sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => this.timers.push({ atMs: this.nowMs + Math.max(0, ms), seq: this.seq++, resolve }));

  /** Lets pending I/O settle, then fires timers in order until none is left (or `untilMs`). */
  async run(untilMs = Number.POSITIVE_INFINITY): Promise<void> {
    for (let i = 0; i < 100_000; i++) {
      for (let k = 0; k < 20; k++) await new Promise((r) => setImmediate(r));
      if (this.timers.length === 0) return;
      this.timers.sort((a, b) => a.atMs - b.atMs || a.seq - b.seq);
      if (this.timers[0].atMs > untilMs) {
        this.nowMs = untilMs;
        return;
      }
      const t = this.timers.shift()!;
      this.nowMs = Math.max(this.nowMs, t.atMs);
      t.resolve();
    }
    throw new Error("VirtualClock: too many timers");
  }
}

interface Seen {
  url: string;
  method: string;
  body: string | undefined;
  headers: Record<string, string> | undefined;
  atMs: number;
}

type Answer = { status?: number; body: string; headers?: Record<string, string> };

function harness(venue: Venue, symbols: BackfillSymbol[], answer: (req: Seen, n: number) => Answer, startMs = 2_000_000_000_000) {
  const clock = new VirtualClock(startMs);
  const requests: Seen[] = [];
  const batches: { symbol: string; batch: IngestBatch; atMs: number }[] = [];
  const log: string[] = [];
  const rateLimited: number[] = [];
  let seq = 0;
  let inFlight = 0;
  let maxInFlight = 0;
  const fakeFetch = (async (input: string | URL | Request, init?: RequestInit) => {
    const req: Seen = {
      url: String(input),
      method: init?.method ?? "GET",
      body: init?.body === undefined ? undefined : String(init.body),
      headers: init?.headers as Record<string, string> | undefined,
      atMs: clock.nowMs,
    };
    requests.push(req);
    log.push(`fetch ${req.url}`);
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    // An answer takes 300 ms of virtual time, so concurrent requests overlap.
    await clock.sleep(300);
    inFlight--;
    const a = answer(req, requests.length);
    return new Response(a.body, { status: a.status ?? 200, headers: a.headers });
  }) as typeof fetch;
  const send = async (symbol: string, batch: IngestBatch): Promise<IngestResult> => {
    batches.push({ symbol, batch, atMs: clock.nowMs });
    log.push(`send ${symbol} ${batch.events.length}${batch.history ? " history" : ""}`);
    return { accepted: batch.events.length, duplicates: 0, rejected: 0, cycles: 0, durableSeq: -1 };
  };
  const backfill = new VenueBackfill({
    venue,
    symbols,
    restUrl: BASE,
    pacing: BACKFILL_PACING[venue],
    fetch: fakeFetch,
    now: clock.now,
    sleep: clock.sleep,
    send,
    nextSeq: () => seq++,
    hold: (symbol) => log.push(`hold ${symbol}`),
    release: (symbol) => log.push(`release ${symbol}`),
    onRateLimited: (untilMs) => rateLimited.push(untilMs),
  });
  return { clock, backfill, requests, batches, log, rateLimited, maxInFlight: () => maxInFlight };
}

function trade(symbol: string, ts: number, id = String(ts)): TradeEvent {
  return { kind: "trade", venue: "binance", symbol, ts, price: 10, qty: 1, side: "buy", tradeId: id };
}

const AVAX: BackfillSymbol = { symbol: "AVAXUSDT", instrument: "AVAXUSDT" };
const BTC_BINANCE: BackfillSymbol = { symbol: "BTCUSDT", instrument: "BTCUSDT" };
/** The three rows of the AVAXUSDT klines fixture open at 1769904000000, +1 and +2 minutes. */
const AVAX_ROWS_FROM = 1769904000000;
/** An AVAXUSDT event half a minute into the minute after the fixture's rows: the warm start asks for the day before. */
const AVAX_FIRST_TS = AVAX_ROWS_FROM + 3 * MIN + 30_000;

describe("plan: which minutes, which requests", () => {
  it("the warm start asks for the 24 h of whole minutes before the minute of the symbol's first event", () => {
    expect(startSpan(AVAX_FIRST_TS)).toStrictEqual({ fromMs: AVAX_ROWS_FROM + 3 * MIN - BACKFILL_SPAN_MS, toMs: AVAX_ROWS_FROM + 3 * MIN });
    expect(startSpan(AVAX_ROWS_FROM)).toStrictEqual({ fromMs: AVAX_ROWS_FROM - BACKFILL_SPAN_MS, toMs: AVAX_ROWS_FROM });
  });

  it("a gap refills the minutes missed whole: after the last trade's minute, before the minute trades resumed, at most 24 h", () => {
    // Last trade 12:00:09, trades back at 12:05:30: minutes 12:01..12:04.
    const noon = 1786310400000;
    expect(gapSpan(noon + 9_000, noon + 5 * MIN + 30_000)).toStrictEqual({ fromMs: noon + MIN, toMs: noon + 5 * MIN });
    // Back in the next minute: no minute was missed whole.
    expect(gapSpan(noon + 59_000, noon + MIN + 1_000)).toBeNull();
    expect(gapSpan(noon + 9_000, noon + 9_500)).toBeNull();
    // Three days down: the last 24 h only.
    expect(gapSpan(noon, noon + 3 * BACKFILL_SPAN_MS + 10)).toStrictEqual({ fromMs: noon + 2 * BACKFILL_SPAN_MS, toMs: noon + 3 * BACKFILL_SPAN_MS });
  });

  it("a day is 1 Binance page, 2 Bybit pages, 15 OKX pages and 1 Hyperliquid POST, oldest first", () => {
    const span = startSpan(AVAX_FIRST_TS);
    const binance = planTask("binance", "start", AVAX, span, BASE);
    expect(binance.requests).toStrictEqual([
      { method: "GET", url: `${BASE}/fapi/v1/klines?symbol=AVAXUSDT&interval=1m&startTime=${span.fromMs}&endTime=${span.toMs - 1}&limit=1500` },
    ]);
    // Asked once the venue can show the span's last minute closed: 5 s of grace + 1 s.
    expect(binance.notBeforeMs).toBe(span.toMs + 6_000);
    const bybit = planTask("bybit", "start", { symbol: "BTCUSDT", instrument: "BTCUSDT" }, span, BASE).requests;
    expect(bybit.map((r) => r.url)).toStrictEqual([
      `${BASE}/v5/market/kline?category=linear&symbol=BTCUSDT&interval=1&start=${span.fromMs}&end=${span.fromMs + 1_000 * MIN - 1}&limit=1000`,
      `${BASE}/v5/market/kline?category=linear&symbol=BTCUSDT&interval=1&start=${span.fromMs + 1_000 * MIN}&end=${span.toMs - 1}&limit=1000`,
    ]);
    const okx = planTask("okx", "start", { symbol: "BTCUSDT", instrument: "BTC-USDT-SWAP" }, span, BASE).requests;
    expect(okx).toHaveLength(15);
    expect(okx[0].url).toBe(`${BASE}/api/v5/market/history-candles?instId=BTC-USDT-SWAP&bar=1m&after=${span.fromMs + 100 * MIN}&before=${span.fromMs - 1}&limit=100`);
    expect(okx[14].url).toBe(`${BASE}/api/v5/market/history-candles?instId=BTC-USDT-SWAP&bar=1m&after=${span.toMs}&before=${span.fromMs + 1_400 * MIN - 1}&limit=100`);
    const hyperliquid = planTask("hyperliquid", "start", { symbol: "BTCUSDT", instrument: "BTC" }, span, BASE).requests;
    expect(hyperliquid).toStrictEqual([
      {
        method: "POST",
        url: `${BASE}/info`,
        body: JSON.stringify({ type: "candleSnapshot", req: { coin: "BTC", interval: "1m", startTime: span.fromMs, endTime: span.toMs - 1 } }),
        headers: { "content-type": "application/json" },
      },
    ]);
  });

  it("paces each venue: request starts at least paceMs apart, at most `concurrency` at once (OKX: 3 symbols × 15 pages)", async () => {
    const empty = JSON.stringify({ code: "0", msg: "", data: [] });
    const symbols = ["BTCUSDT", "ETHUSDT", "SOLUSDT"].map((s) => ({ symbol: s, instrument: `${s.replace("USDT", "")}-USDT-SWAP` }));
    const h = harness("okx", symbols, () => ({ body: empty }));
    h.backfill.begin(h.clock.nowMs);
    for (const { symbol } of symbols) h.backfill.onEvent("okx:public-0", trade(symbol, h.clock.nowMs - 60 * MIN), h.clock.nowMs);
    await h.clock.run();
    await h.backfill.whenIdle();
    expect(h.requests).toHaveLength(45);
    const starts = h.requests.map((r) => r.atMs);
    for (let i = 1; i < starts.length; i++) expect(starts[i] - starts[i - 1]).toBeGreaterThanOrEqual(BACKFILL_PACING.okx.paceMs);
    // 45 requests 200 ms apart: 8.8 s from the first to the last, no more (the pace, not the answers, sets the rate).
    // Two symbols at once: a request every 200 ms. The third symbol, alone, goes a page at a time
    // (a symbol's pages one after another): each waits for the answer before it (300 ms here).
    const gaps = starts.slice(1).map((s, i) => s - starts[i]);
    expect(gaps).toStrictEqual([...Array(30).fill(200), ...Array(14).fill(300)]);
    expect(h.maxInFlight()).toBe(2);
    // A symbol's pages go oldest first.
    const btc = h.requests.filter((r) => r.url.includes("BTC-USDT-SWAP")).map((r) => Number(new URL(r.url).searchParams.get("before")));
    expect(btc).toStrictEqual([...btc].sort((a, b) => a - b));
    const health = h.backfill.health();
    expect(health.start).toMatchObject({ state: "done", symbols: 3, symbolsDone: 3, pages: 45, requests: 45, bars: 0, errors: {}, ignored: { "empty-batch": 45 } });
    expect(health.pacing).toStrictEqual({ concurrency: 2, paceMs: 200 });
  });
});

describe("run: warm start", () => {
  it("holds the symbol, fetches its day when its first event comes, sends the closed bars as history in order, then releases it", async () => {
    const h = harness("binance", [AVAX], () => ({ body: fixture("binance", "documented-schema-klines-avaxusdt.json") }));
    h.backfill.begin(h.clock.nowMs);
    expect(h.backfill.health().start).toMatchObject({ state: "pending", symbols: 1, requested: null });
    // A mark, not a trade, may be first: any event but an insurance balance sets the venue's now.
    h.backfill.onEvent("binance:rest", { kind: "insurance", venue: "binance", symbol: "AVAXUSDT", ts: 1, asset: "USDT", balanceUsd: 1 } as unknown as CanonicalEvent, h.clock.nowMs);
    expect(h.requests).toHaveLength(0);
    h.backfill.onEvent("binance:market-0", { kind: "mark", venue: "binance", symbol: "AVAXUSDT", ts: AVAX_FIRST_TS, markPrice: 10 } as CanonicalEvent, h.clock.nowMs);
    h.backfill.onEvent("binance:public-0", trade("AVAXUSDT", AVAX_FIRST_TS + 1), h.clock.nowMs);
    expect(h.backfill.health().held).toBe(2);
    await h.clock.run();
    await h.backfill.whenIdle();
    const span = startSpan(AVAX_FIRST_TS);
    expect(h.log).toStrictEqual([
      "hold AVAXUSDT",
      `fetch ${BASE}/fapi/v1/klines?symbol=AVAXUSDT&interval=1m&startTime=${span.fromMs}&endTime=${span.toMs - 1}&limit=1500`,
      "send AVAXUSDT 3 history",
      "release AVAXUSDT",
    ]);
    const { batch } = h.batches[0];
    expect(batch.source).toBe("binance:backfill");
    expect(batch.seqs).toStrictEqual([0, 1, 2]);
    expect((batch.events as BarEvent[]).map((b) => [b.openTs, b.ts, b.open, b.close, b.takerBuyBase, b.trades, b.closed])).toStrictEqual([
      [1769904000000, 1769904059999, 10.113, 10.128, 28754, 1077, true],
      [1769904060000, 1769904119999, 10.127, 10.125, 15799, 764, true],
      [1769904120000, 1769904179999, 10.125, 10.163, 19239, 1201, true],
    ]);
    expect(h.backfill.health()).toMatchObject({
      source: "binance:backfill",
      held: 0,
      releasedEarly: {},
      gaps: 0,
      lastGap: null,
      start: {
        kind: "start",
        state: "done",
        symbols: 1,
        symbolsDone: 1,
        symbolsFailed: 0,
        requested: span,
        span: { fromMs: 1769904000000, toMs: 1769904180000 },
        pages: 1,
        pagesFailed: 0,
        requests: 1,
        retries: 0,
        bars: 3,
        accepted: 3,
        errors: {},
        lastError: null,
        gap: null,
      },
    });
  });

  it("retries a failed page with backoff (2 s, then 4 s) and counts every attempt", async () => {
    const h = harness("binance", [AVAX], (_req, n) => (n <= 2 ? { status: 503, body: "busy" } : { body: fixture("binance", "documented-schema-klines-avaxusdt.json") }));
    h.backfill.begin(h.clock.nowMs);
    h.backfill.onEvent("binance:public-0", trade("AVAXUSDT", AVAX_FIRST_TS), h.clock.nowMs);
    await h.clock.run();
    await h.backfill.whenIdle();
    const starts = h.requests.map((r) => r.atMs - h.requests[0].atMs);
    // Each answer takes 300 ms here; the retry waits 2 s after the first failure, 4 s after the second.
    expect(starts).toStrictEqual([0, 2_300, 6_600]);
    expect(h.backfill.health().start).toMatchObject({ state: "done", requests: 3, retries: 2, bars: 3, errors: { "HTTP 503": 2 }, lastError: "AVAXUSDT start: HTTP 503 busy" });
  });

  it("gives a page up after 3 attempts, releases the symbol anyway, and goes on with the others: the run is failed", async () => {
    const h = harness("binance", [BTC_BINANCE, AVAX], (req) =>
      req.url.includes("BTCUSDT") ? { status: 500, body: '{"code":-1000}' } : { body: fixture("binance", "documented-schema-klines-avaxusdt.json") },
    );
    h.backfill.begin(h.clock.nowMs);
    h.backfill.onEvent("binance:public-0", trade("BTCUSDT", AVAX_FIRST_TS), h.clock.nowMs);
    h.backfill.onEvent("binance:public-0", trade("AVAXUSDT", AVAX_FIRST_TS), h.clock.nowMs);
    await h.clock.run();
    await h.backfill.whenIdle();
    expect(h.log.filter((l) => l.startsWith("release"))).toStrictEqual(["release AVAXUSDT", "release BTCUSDT"]);
    expect(h.batches.map((b) => b.symbol)).toStrictEqual(["AVAXUSDT"]);
    expect(h.backfill.health().start).toMatchObject({
      state: "failed",
      symbolsDone: 1,
      symbolsFailed: 1,
      pages: 2,
      pagesFailed: 1,
      requests: 4,
      retries: 2,
      bars: 3,
      errors: { "HTTP 500": 3 },
      lastError: 'BTCUSDT start: HTTP 500 {"code":-1000}',
    });
  });

  it("an answer the mapper rejects is counted and not asked again (Binance's documented one-week kline)", async () => {
    const h = harness("binance", [AVAX], () => ({ body: fixture("binance", "documented-example-klines.json") }));
    h.backfill.begin(h.clock.nowMs);
    h.backfill.onEvent("binance:public-0", trade("AVAXUSDT", AVAX_FIRST_TS), h.clock.nowMs);
    await h.clock.run();
    await h.backfill.whenIdle();
    const reason = 'klines: field "[0][6]" (close time) 1499644799999 is not open time + 59 999 (1499040059999): not a one-minute bar';
    expect(h.backfill.health().start).toMatchObject({ state: "failed", requests: 1, retries: 0, bars: 0, errors: { [`rejected: ${reason}`]: 1 } });
    expect(h.batches).toHaveLength(0);
  });

  it("a 429 pauses the venue's backfill for its Retry-After and tells the feed", async () => {
    const h = harness("binance", [AVAX], (_req, n) =>
      n === 1 ? { status: 429, body: "slow down", headers: { "Retry-After": "30" } } : { body: fixture("binance", "documented-schema-klines-avaxusdt.json") },
    );
    h.backfill.begin(h.clock.nowMs);
    h.backfill.onEvent("binance:public-0", trade("AVAXUSDT", AVAX_FIRST_TS), h.clock.nowMs);
    await h.clock.run();
    await h.backfill.whenIdle();
    const [first, second] = h.requests.map((r) => r.atMs);
    // Answered at first + 300 ms: paused 30 s from then (longer than the 2 s retry wait).
    expect(h.rateLimited).toStrictEqual([first + 300 + 30_000]);
    expect(second).toBe(first + 300 + 30_000);
    expect(h.backfill.health().start).toMatchObject({ state: "done", requests: 2, retries: 1, errors: { "HTTP 429": 1 } });
  });

  it("Bybit: two pages a day; the newest row, not over by Bybit's own clock, is left out; a venue error answer is retried", async () => {
    const h = harness("bybit", [BTC_BINANCE], (req, n) => {
      if (n === 1) return { body: JSON.stringify({ retCode: 10006, retMsg: "Too many visits!", result: {}, time: 1 }) };
      return { body: req.url.includes(`start=${1786310880000 - BACKFILL_SPAN_MS}&`) ? '{"retCode":0,"retMsg":"OK","result":{"symbol":"BTCUSDT","category":"linear","list":[]},"time":1}' : fixture("bybit", "documented-schema-kline-linear-btcusdt.json") };
    });
    h.backfill.begin(h.clock.nowMs);
    h.backfill.onEvent("bybit:public-0", { ...trade("BTCUSDT", 1786310880000 + 2_000), venue: "bybit" }, h.clock.nowMs);
    await h.clock.run();
    await h.backfill.whenIdle();
    expect(h.requests).toHaveLength(3);
    expect((h.batches[0].batch.events as BarEvent[]).map((b) => [b.openTs, b.volumeBase, b.volumeQuote])).toStrictEqual([[1786310760000, 3.712, 241712.1394]]);
    expect(h.backfill.health().start).toMatchObject({
      state: "done",
      pages: 2,
      requests: 3,
      retries: 1,
      bars: 1,
      errors: { "venue error-response:10006": 1 },
      ignored: { "empty-batch": 1 },
    });
  });

  it("OKX: bars sent oldest first (OKX answers newest first), the forming one (confirm 0) left out", async () => {
    const to = 1786310880000;
    const h = harness("okx", [{ symbol: "BTCUSDT", instrument: "BTC-USDT-SWAP" }], (req) => ({
      body: req.url.includes(`after=${to}&`) ? fixture("okx", "documented-schema-history-candles-btc-swap.json") : '{"code":"0","msg":"","data":[]}',
    }));
    h.backfill.begin(h.clock.nowMs);
    // The forming row opens at `to`: the first event is in that minute.
    h.backfill.onEvent("okx:public-0", { ...trade("BTCUSDT", to + 10_000), venue: "okx" }, h.clock.nowMs);
    await h.clock.run();
    await h.backfill.whenIdle();
    expect(h.requests).toHaveLength(15);
    expect(h.batches).toHaveLength(1);
    expect((h.batches[0].batch.events as BarEvent[]).map((b) => [b.openTs, b.closed, b.volumeBase])).toStrictEqual([
      [1786310700000, true, 5.123],
      [1786310760000, true, 14.3997],
    ]);
    expect(h.backfill.health().start).toMatchObject({ state: "done", pages: 15, bars: 2, span: { fromMs: 1786310700000, toMs: 1786310820000 } });
  });

  it("Hyperliquid: one POST to /info with the candleSnapshot body", async () => {
    const to = 1786310820000;
    const h = harness("hyperliquid", [{ symbol: "BTCUSDT", instrument: "BTC" }], () => ({ body: fixture("hyperliquid", "documented-schema-candle-snapshot-btc.json") }));
    h.backfill.begin(h.clock.nowMs);
    h.backfill.onEvent("hyperliquid:0", { ...trade("BTCUSDT", to + 1_000), venue: "hyperliquid" }, h.clock.nowMs);
    await h.clock.run();
    await h.backfill.whenIdle();
    expect(h.requests.map(({ url, method, body, headers }) => ({ url, method, body: JSON.parse(body!), headers }))).toStrictEqual([
      {
        url: `${BASE}/info`,
        method: "POST",
        body: { type: "candleSnapshot", req: { coin: "BTC", interval: "1m", startTime: to - BACKFILL_SPAN_MS, endTime: to - 1 } },
        headers: { "content-type": "application/json" },
      },
    ]);
    expect((h.batches[0].batch.events as BarEvent[]).map((b) => [b.openTs, b.trades])).toStrictEqual([
      [1786310700000, 321],
      [1786310760000, 210],
    ]);
  });

  it("waits for the venue to show the last minute closed before asking (5 s of grace + 1 s after it), 10 s at most", async () => {
    const first = 2_000_000_040_000;
    const h = harness("binance", [AVAX], () => ({ body: "[]" }), first + 500);
    h.backfill.begin(h.clock.nowMs);
    h.backfill.onEvent("binance:public-0", trade("AVAXUSDT", first), h.clock.nowMs);
    await h.clock.run();
    await h.backfill.whenIdle();
    expect(h.requests[0].atMs).toBe(startSpan(first).toMs + 6_000);
    // A venue clock an hour ahead of ours: no waiting an hour, 10 s at most.
    const ahead = harness("binance", [AVAX], () => ({ body: "[]" }), first - 3_600_000);
    ahead.backfill.begin(ahead.clock.nowMs);
    ahead.backfill.onEvent("binance:public-0", trade("AVAXUSDT", first), ahead.clock.nowMs);
    await ahead.clock.run();
    await ahead.backfill.whenIdle();
    expect(ahead.requests[0].atMs).toBe(first - 3_600_000 + MAX_CLOSE_WAIT_MS);
  });

  it("bounds the hold: released after HOLD_MAX_EVENTS live events, or after HOLD_MAX_MS, the reason said", async () => {
    const h = harness("binance", [AVAX, BTC_BINANCE], () => ({ status: 500, body: "down" }));
    const t0 = h.clock.nowMs;
    h.backfill.begin(t0);
    for (let i = 0; i < HOLD_MAX_EVENTS; i++) h.backfill.onEvent("binance:public-0", trade("AVAXUSDT", AVAX_FIRST_TS + i, String(i)), t0);
    expect(h.log.filter((l) => !l.startsWith("fetch"))).toStrictEqual(["hold AVAXUSDT", "hold BTCUSDT", "release AVAXUSDT"]);
    h.backfill.tick(t0 + HOLD_MAX_MS - 1);
    expect(h.log.filter((l) => l.startsWith("release"))).toStrictEqual(["release AVAXUSDT"]);
    h.backfill.tick(t0 + HOLD_MAX_MS);
    expect(h.log.filter((l) => l.startsWith("release"))).toStrictEqual(["release AVAXUSDT", "release BTCUSDT"]);
    expect(h.backfill.health().releasedEarly).toStrictEqual({ AVAXUSDT: `${HOLD_MAX_EVENTS} live events held`, BTCUSDT: "held 120 s" });
    h.backfill.stop();
  });

  it("a symbol without any event 30 s after the start is planned from the wall clock", async () => {
    const h = harness("binance", [AVAX], () => ({ body: "[]" }));
    const t0 = h.clock.nowMs;
    h.backfill.begin(t0);
    h.backfill.tick(t0 + FIRST_EVENT_WAIT_MS - 1);
    expect(h.backfill.health().start.requested).toBeNull();
    h.backfill.tick(t0 + FIRST_EVENT_WAIT_MS);
    expect(h.backfill.health().start.requested).toStrictEqual(startSpan(t0 + FIRST_EVENT_WAIT_MS));
    await h.clock.run();
    await h.backfill.whenIdle();
    expect(h.backfill.health().start).toMatchObject({ state: "done", requests: 1, bars: 0, ignored: { "empty-batch": 1 } });
  });
});

describe("run: gap refill", () => {
  const noon = 1786310400000;
  const binanceTrade = (ts: number) => trade("BTCUSDT", ts);
  /** Rows of a klines answer for the minutes `[from, to)`. */
  const rows = (from: number, to: number) => {
    const out: unknown[][] = [];
    for (let t = from; t < to; t += MIN) out.push([t, "100.0", "101.0", "99.0", "100.5", "2.000", t + MIN - 1, "201.0", 7, "1.000", "100.5", "0"]);
    return JSON.stringify(out);
  };

  function started() {
    const h = harness("binance", [BTC_BINANCE], (req) => {
      const u = new URL(req.url);
      return { body: rows(Number(u.searchParams.get("startTime")), Number(u.searchParams.get("endTime")) + 1) };
    });
    h.backfill.begin(h.clock.nowMs);
    h.backfill.onEvent("binance:public-0", binanceTrade(noon + 9_000), h.clock.nowMs);
    return h;
  }

  it("a connection down more than 60 s: the minutes its symbols missed whole, sent as ordinary (late) batches", async () => {
    const h = started();
    await h.clock.run();
    await h.backfill.whenIdle();
    const before = h.batches.length;
    // Down from wall 1 000 000 to 1 061 001: 61 s.
    h.backfill.onSocketOpened("binance:public-0", { lastDisconnect: { reason: "closed by peer: 1006", atMs: 1_000_000 }, connectedSinceMs: 1_061_001 });
    expect(h.backfill.health()).toMatchObject({ gaps: 1, lastGap: { kind: "gap", state: "pending", symbols: 1, gap: { stream: "binance:public-0", downMs: 61_001, fromMs: null, toMs: null } } });
    // Trades resume at 12:05:30: minutes 12:01..12:04 were missed whole.
    h.backfill.onEvent("binance:public-0", binanceTrade(noon + 5 * MIN + 30_000), h.clock.nowMs);
    await h.clock.run();
    await h.backfill.whenIdle();
    expect(h.requests.at(-1)!.url).toBe(`${BASE}/fapi/v1/klines?symbol=BTCUSDT&interval=1m&startTime=${noon + MIN}&endTime=${noon + 5 * MIN - 1}&limit=1500`);
    const gapBatches = h.batches.slice(before);
    expect(gapBatches).toHaveLength(1);
    expect(gapBatches[0].batch.history).toBeUndefined();
    expect(gapBatches[0].batch.source).toBe("binance:backfill");
    expect((gapBatches[0].batch.events as BarEvent[]).map((b) => b.openTs)).toStrictEqual([noon + MIN, noon + 2 * MIN, noon + 3 * MIN, noon + 4 * MIN]);
    // Sequence numbers go on from the warm start's.
    expect(gapBatches[0].batch.seqs[0]).toBe(h.batches[before - 1].batch.seqs.at(-1)! + 1);
    expect(h.backfill.health().lastGap).toMatchObject({
      state: "done",
      requested: { fromMs: noon + MIN, toMs: noon + 5 * MIN },
      span: { fromMs: noon + MIN, toMs: noon + 5 * MIN },
      gap: { stream: "binance:public-0", downMs: 61_001, fromMs: noon + MIN, toMs: noon + 5 * MIN },
      requests: 1,
      bars: 4,
      accepted: 4,
    });
  });

  it("no refill after a short outage, for another stream's drop, or when no minute was missed whole", async () => {
    const h = started();
    await h.clock.run();
    await h.backfill.whenIdle();
    const requests = h.requests.length;
    h.backfill.onSocketOpened("binance:public-0", { lastDisconnect: { reason: "x", atMs: 1_000_000 }, connectedSinceMs: 1_060_000 });
    h.backfill.onSocketOpened("binance:market-0", { lastDisconnect: { reason: "x", atMs: 1_000_000 }, connectedSinceMs: 1_500_000 });
    // A first connection has no lastDisconnect.
    h.backfill.onSocketOpened("binance:public-0", { lastDisconnect: null, connectedSinceMs: 1_500_000 });
    expect(h.backfill.health().gaps).toBe(0);
    h.backfill.onSocketOpened("binance:public-0", { lastDisconnect: { reason: "x", atMs: 1_000_000 }, connectedSinceMs: 1_090_000 });
    // Trades resume within the next minute: nothing to fetch, the run is done.
    h.backfill.onEvent("binance:public-0", binanceTrade(noon + MIN + 5_000), h.clock.nowMs);
    await h.clock.run();
    await h.backfill.whenIdle();
    expect(h.requests.length).toBe(requests);
    expect(h.backfill.health().lastGap).toMatchObject({ state: "done", symbolsDone: 1, pages: 0, requests: 0, requested: null });
  });
});

describe("the first cycle after a warm start reads a full hour of bars", () => {
  /** The last `minutes` rows of the real AVAXUSDT month (data/recorded/binance/klines), as a klines answer. */
  function avaxDay(minutes: number): { body: string; endMs: number } {
    const csv = gunzipSync(readFileSync(venueData("binance", "klines/AVAXUSDT-1m-2026-02.csv.gz"))).toString("utf8");
    const lines = csv.trimEnd().split("\n").slice(1).slice(-minutes);
    const rows = lines.map((l) => l.split(",").map((f, i) => (i === 0 || i === 6 || i === 8 ? Number(f) : f)));
    return { body: JSON.stringify(rows), endMs: (rows.at(-1)![0] as number) + MIN };
  }

  async function firstCycle(withHistory: boolean): Promise<SymbolSnapshot> {
    const { body, endMs } = avaxDay(1_440);
    const engine = new SymbolEngine("AVAXUSDT");
    const snapshots: SymbolSnapshot[] = [];
    const send = async (_symbol: string, batch: IngestBatch): Promise<IngestResult> => {
      // What SymbolObject.ingest does with a batch.
      snapshots.push(...(batch.history === true ? engine.backfill(batch.events) : engine.ingest(batch.events)));
      return { accepted: batch.events.length, duplicates: 0, rejected: 0, cycles: 0, durableSeq: -1 };
    };
    const clock = new VirtualClock(2_000_000_000_000);
    const live = new SymbolBatcher("binance:live", send, 500, 100);
    let seq = 0;
    const backfill = withHistory
      ? new VenueBackfill({
          venue: "binance",
          symbols: [AVAX],
          restUrl: BASE,
          pacing: BACKFILL_PACING.binance,
          fetch: (async () => new Response(body)) as typeof fetch,
          now: clock.now,
          sleep: clock.sleep,
          send,
          nextSeq: () => seq++,
          hold: (s) => live.hold(s),
          release: (s) => void live.release(s),
        })
      : null;
    backfill?.begin(clock.nowMs);
    // Live trades from 20 s into the minute the day ends at, one a second for 30 s, as the feed accepts them.
    for (let i = 0; i < 30; i++) {
      const ev: TradeEvent = { ...trade("AVAXUSDT", endMs + 20_000 + i * 1_000, `t${i}`), price: 9, qty: 100, side: i % 3 === 0 ? "sell" : "buy" };
      backfill?.onEvent("binance:public-0", ev, clock.nowMs);
      live.add(ev, i, clock.nowMs);
    }
    await live.flush(clock.nowMs, { force: true });
    await clock.run();
    await backfill?.whenIdle();
    await clock.run();
    expect(snapshots.length).toBeGreaterThan(0);
    return snapshots[0];
  }

  const pressure1h = (s: SymbolSnapshot) => s.cards.find((c) => c.id === "flow.pressure")!.timeframes["1h"];

  it("flow.pressure is available on 1h in the first cycle; without the backfill it is warming up", async () => {
    const { endMs } = avaxDay(1);
    const warm = await firstCycle(true);
    // The engine starts its cycles after the newest bar: the first boundary is the day's end.
    expect(warm.ts).toBe(endMs);
    // value = net taker buying of the hour: Σ (2 · taker_buy_quote_volume − quote_volume) over the
    // month's last 60 rows = 2 · 2,366,154.318 − 5,107,170.289; a day of bars: confidence 1.
    expect(pressure1h(warm)).toMatchObject({ available: true, confidence: 1 });
    expect(pressure1h(warm).value).toBeCloseTo(-374_861.653, 3);
    const cold = await firstCycle(false);
    expect(pressure1h(cold)).toMatchObject({ available: false, reason: "warming up: 0 of 60 minutes of bars" });
  });
});
