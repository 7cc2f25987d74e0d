/**
 * End to end, live mode: `npm run start:live`'s stack (wrangler dev: engine + collector) with
 * LIQFLOW_VENUES=binance pointed at a local Binance USDⓈ-M venue (fixtures/binance-venue.ts)
 * that plays real recorded messages. Mid-stream the venue terminates every socket and publishes
 * a stretch of messages to nobody; it re-sends each topic's last messages when the collector
 * resubscribes. The test proves the collector reconnects, resubscribes, resyncs the book from a
 * new REST snapshot, reports it all in /v1/health, and that the engine applied every delivered
 * trade and liquidation exactly once. Raw capture is on: the stored chunks are read back with
 * `npm run normalize`'s code.
 *
 * Warm start: the venue serves the day of one-minute bars before its stream begins (a real day
 * rescaled, see the fixture). It holds the collector's klines request at first, so the test sees
 * BTCUSDT's live events held and no cycle computed until the history is in; then the symbol's
 * first cycle already reads an hour of bars (`flow.pressure` on 1h, which needs 60 minutes).
 * Without the history it would say `warming up` (test/e2e/live-backfill-failed.test.ts).
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { getPlatformProxy } from "wrangler";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runNormalize } from "../../scripts/normalize.js";
import { SYMBOLS } from "../../src/domain/symbols.js";
import { BinanceVenue } from "./fixtures/binance-venue.js";
import { eventually, getJson, startStack, type Stack } from "./stack.js";

/** The part of an R2 bucket binding this test reads (through wrangler's platform proxy). */
interface Bucket {
  list(options: { prefix: string }): Promise<{ objects: { key: string }[] }>;
  get(key: string): Promise<{ arrayBuffer(): Promise<ArrayBuffer> } | null>;
}

const data = (name: string) => fileURLToPath(new URL(`../../data/recorded/binance/${name}`, import.meta.url));

/** Messages of each topic re-sent to a new subscription, and timeline messages lost while the collector is away. */
const RESEND = 20;
const LOSE = 300;

let venue: BinanceVenue;
let stack: Stack;
let health: any;
let stateDir: string;

async function collector(): Promise<any> {
  const { body } = await getJson(`${stack.base}/v1/health`);
  return body;
}

/** `eventually`, with what the probe saw last in the timeout message. */
async function until<T>(probe: (note: (seen: unknown) => void) => Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> {
  let seen: unknown;
  try {
    return await eventually(() => probe((s) => (seen = s)), timeoutMs, what);
  } catch (err) {
    throw new Error(`${(err as Error).message}; last seen: ${JSON.stringify(seen)}`);
  }
}

function distinct(m: Map<string, Set<string>>, symbol: string): number {
  return m.get(symbol)?.size ?? 0;
}

beforeAll(async () => {
  venue = await BinanceVenue.start({
    recordings: [data("hftbacktest_btcusdt_20230404.dat.gz"), data("hftbacktest_btcusdt_20230405.dat.gz")],
    playMs: 180_000,
    speed: 15,
    liquidations: data("forceorder_20250126-20250206.jsonl.gz"),
    liquidationEveryMs: 20,
    maxLiquidations: 500,
    skipLiquidationSymbols: ["BTCUSDT"],
    resendOnSubscribe: RESEND,
    pingEveryMs: 1_000,
    klineArchive: data("klines/AVAXUSDT-1m-2026-02.csv.gz"),
  });
  venue.holdKlines();
  stateDir = mkdtempSync(join(tmpdir(), "liqflow-e2e-live-"));
  stack = await startStack({
    stateDir,
    env: {
      LIQFLOW_MODE: "live",
      LIQFLOW_VENUES: "binance",
      LIQFLOW_SYMBOLS: "BTCUSDT",
      BINANCE_WS_URL: venue.wsUrl,
      BINANCE_REST_URL: venue.httpUrl,
      RAW_CAPTURE: "1",
      RAW_CAPTURE_CHUNK_MB: "1",
    },
  });
}, 120_000);

afterAll(async () => {
  await stack?.stop();
  await venue?.stop();
  if (stateDir) rmSync(stateDir, { recursive: true, force: true });
});

describe("live mode against a local Binance venue playing recorded data", () => {
  it("warms BTCUSDT with the venue's last 24 h of bars, sent as history before its live events: its first cycle reads an hour of bars", async () => {
    // BTCUSDT's first event set the span and sent the request, which the venue holds: the live
    // events wait at the collector, and the engine has computed nothing.
    const waiting = await until(async (note) => {
      const body = await collector();
      const backfill = body.collector?.feeds?.["live:binance"]?.backfill;
      note({ klines: venue.sent.klines, backfill });
      return venue.sent.klines === 1 && backfill?.held > 0 ? body : undefined;
    }, 45_000, "the klines request and BTCUSDT's live events held");
    expect(waiting.collector.feeds["live:binance"].backfill.start).toMatchObject({ state: "running", requests: 1, bars: 0 });
    expect((await getJson(`${stack.base}/v1/symbols/BTCUSDT/cards`)).status).toBe(503);
    expect(waiting.engine.BTCUSDT.events).toEqual({});

    venue.releaseKlines();
    let first: any;
    for (const deadline = Date.now() + 20_000; first === undefined && Date.now() < deadline; await new Promise((r) => setTimeout(r, 100))) {
      const { status, body } = await getJson(`${stack.base}/v1/symbols/BTCUSDT/cards`);
      if (status === 200) first = body;
    }
    expect(first, "BTCUSDT's first cycle").toBeDefined();
    // The venue's bars end where its stream begins; the engine's cycles start there.
    const endMs = venue.bars[venue.bars.length - 1][0] + 60_000;
    expect(first.ts).toBeGreaterThanOrEqual(endMs);
    expect(first.ts).toBeLessThan(endMs + 180_000);
    const pressure = first.cards.find((c: any) => c.id === "flow.pressure");
    expect(pressure.timeframes["1h"]).toMatchObject({ available: true, confidence: 1 });
    expect(pressure.timeframes["1h"].reason).toBeUndefined();

    const h = await until(async (note) => {
      const body = await collector();
      const backfill = body.collector.feeds["live:binance"].backfill;
      note(backfill);
      return backfill.start.state === "done" && backfill.held === 0 ? body : undefined;
    }, 20_000, "the warm start done");
    expect(h.collector.feeds["live:binance"].backfill).toEqual({
      source: "binance:backfill",
      pacing: { concurrency: 2, paceMs: 1_000 },
      start: {
        kind: "start",
        state: "done",
        symbols: 1,
        symbolsDone: 1,
        symbolsFailed: 0,
        requested: { fromMs: endMs - 86_400_000, toMs: endMs },
        span: { fromMs: endMs - 86_400_000, toMs: endMs },
        pages: 1,
        pagesFailed: 0,
        requests: 1,
        retries: 0,
        bars: 1_440,
        accepted: 1_440,
        ignored: {},
        errors: {},
        lastError: null,
        gap: null,
        startedMs: expect.any(Number),
        finishedMs: expect.any(Number),
      },
      gaps: 0,
      lastGap: null,
      releasedEarly: {},
      held: 0,
    });
    expect(venue.sent.klines).toBe(1);
    expect(venue.sent.klineRows).toBe(1_440);
    expect(h.engine.BTCUSDT.sources["binance:backfill"]).toMatchObject({ events: 1_440, duplicates: 0 });
    expect(h.engine.BTCUSDT.events.bar).toBe(1_440);
    // The day ends before the first live trade: no minute counted twice.
    expect(h.engine.BTCUSDT.events["bar-skipped"]).toBe(0);
    expect(h.engine.BTCUSDT.events["trade-in-bar"]).toBe(0);
  });

  it("connects both routes, subscribes, syncs the book on the recorded REST snapshot and streams into the engine", async () => {
    const h = await eventually(async () => {
      const body = await collector();
      const live = body.collector?.feeds?.["live:binance"];
      return live?.books?.BTCUSDT?.synced && body.engine.BTCUSDT.events.trade >= 800 ? body : undefined;
    }, 45_000, "BTCUSDT trades flowing and the book synced");
    expect(h.collector.mode).toBe("live");
    const live = h.collector.feeds["live:binance"];
    expect(live.status).toBe("running");
    expect(live.source).toBe("binance:live");
    expect(live.liquidations).toBe("sampled-1s");
    expect(live.symbols).toEqual(["BTCUSDT"]);
    expect(Object.keys(live.streams).sort()).toEqual(["binance:market-0", "binance:public-0", "binance:rest"]);
    expect(live.streams["binance:public-0"]).toMatchObject({ connected: true, topics: 2, url: `${venue.wsUrl}/public/stream` });
    expect(live.streams["binance:market-0"]).toMatchObject({ connected: true, topics: 2, url: `${venue.wsUrl}/market/stream` });
    // Both routes got exactly their topics; nothing was sent to the wrong route.
    expect(venue.sent.subscriptions).toEqual(
      expect.arrayContaining([
        { route: "public", params: ["btcusdt@trade", "btcusdt@depth@100ms"] },
        { route: "market", params: ["btcusdt@markPrice@1s", "!forceOrder@arr"] },
      ]),
    );
    expect(venue.sent.misrouted).toEqual([]);
    // The first snapshot was the recorded REST response, synced onto the buffered diff covering it.
    expect(venue.sent.snapshots.recorded).toBe(1);
    expect(live.books.BTCUSDT).toMatchObject({ synced: true, snapshots: 1, gaps: 0, stream: "binance:public-0" });
    expect(h.engine.BTCUSDT.book.synced).toBe(true);
    expect(live.streams["binance:public-0"].lag.lastMs).toEqual(expect.any(Number));
  });

  it("reconnects after the venue drops every socket, resubscribes, resyncs the book and counts nothing twice", async () => {
    // Quiesce, so that everything delivered so far has reached the engine, then drop.
    venue.pause();
    await eventually(async () => {
      const body = await collector();
      return body.engine.BTCUSDT.events.trade === distinct(venue.sent.tradeIds, "BTCUSDT") ? true : undefined;
    }, 20_000, "the engine to hold every trade delivered before the drop");
    const connectionsBefore = { ...venue.sent.connections };
    expect(venue.dropAll(LOSE)).toBe(2);
    venue.resume();

    await eventually(async () => (venue.done ? true : undefined), 60_000, "the venue to play its whole timeline");
    health = await until(async (note) => {
      const body = await collector();
      const trades = body.engine.BTCUSDT.events.trade;
      const live = body.collector.feeds["live:binance"];
      const pub = live.streams["binance:public-0"];
      note({ trades, delivered: distinct(venue.sent.tradeIds, "BTCUSDT"), forwarded: pub.events.trade, duplicates: pub.duplicates, batches: live.batches, book: live.books.BTCUSDT, frames: venue.sent.frames, received: pub.messages - pub.control, disconnect: pub.lastDisconnect });
      const caughtUp = trades === distinct(venue.sent.tradeIds, "BTCUSDT") && live.batches.queued === 0 && live.batches.inFlight === 0;
      return caughtUp && live.books.BTCUSDT.synced ? body : undefined;
    }, 30_000, "the engine to hold every delivered trade after the reconnect");

    const live = health.collector.feeds["live:binance"];
    const pub = live.streams["binance:public-0"];
    const market = live.streams["binance:market-0"];
    // Reconnected on both routes and subscribed again.
    expect(venue.sent.connections.public).toBeGreaterThan(connectionsBefore.public);
    expect(venue.sent.connections.market).toBeGreaterThan(connectionsBefore.market);
    expect(pub.reconnects).toBeGreaterThanOrEqual(1);
    expect(market.reconnects).toBeGreaterThanOrEqual(1);
    expect(pub.disconnects).toBeGreaterThanOrEqual(1);
    expect(pub.lastDisconnect.reason).toMatch(/^closed by peer: 1006/);
    expect(pub.connected).toBe(true);
    expect(venue.sent.subscriptions.filter((s) => s.route === "public").length).toBeGreaterThanOrEqual(2);
    // The 300 messages lost while away broke the pu chain: a gap, a new (rebuilt) snapshot, a resync.
    expect(venue.sent.lost).toBe(LOSE);
    expect(venue.sent.snapshots.rebuilt).toBeGreaterThanOrEqual(1);
    expect(live.books.BTCUSDT.gaps).toBeGreaterThanOrEqual(1);
    expect(live.books.BTCUSDT.resyncs).toBeGreaterThanOrEqual(1);
    expect(pub.gaps).toBe(live.books.BTCUSDT.gaps);
    expect(pub.resyncs).toBe(live.books.BTCUSDT.resyncs);
    // The engine's book went through the same gap and resync (its summary is as of the last 10 s cycle of event time).
    const book = await until(async (note) => {
      const { body } = await getJson(`${stack.base}/v1/symbols/BTCUSDT`);
      note({ ts: body.ts, book: body.book, progress: venue.progress });
      return body.book.gaps >= 1 && body.book.resyncs >= 1 ? body.book : undefined;
    }, 20_000, "the engine's cycle snapshot to show the book's gap and resync");
    expect(book.synced).toBe(true);
    // The re-sent messages were recognised and not forwarded.
    expect(venue.sent.resent).toBeGreaterThanOrEqual(RESEND);
    expect(pub.duplicates.trade).toBeGreaterThanOrEqual(1);
    expect(pub.duplicates.book).toBeGreaterThanOrEqual(1);
    expect(market.duplicates.mark).toBeGreaterThanOrEqual(1);
    expect(venue.sent.tradeMessages).toBeGreaterThan(distinct(venue.sent.tradeIds, "BTCUSDT"));
    // Every trade delivered was applied once: the engine's count is the number of distinct ids.
    expect(health.engine.BTCUSDT.events.trade).toBe(distinct(venue.sent.tradeIds, "BTCUSDT"));
    expect(pub.events.trade).toBe(distinct(venue.sent.tradeIds, "BTCUSDT"));
    // Runtime answered the venue's pings; open interest was polled and applied.
    expect(venue.sent.pongs).toBeGreaterThanOrEqual(1);
    expect(venue.sent.openInterest).toBeGreaterThanOrEqual(1);
    expect(venue.sent.insurance).toBeGreaterThanOrEqual(1);
    expect(health.engine.BTCUSDT.events.oi).toBeGreaterThanOrEqual(1);
    expect(live.streams["binance:rest"].events.oi).toBeGreaterThanOrEqual(1);
    // One sequence per source: nothing the object saw twice, nothing lost on the way.
    expect(live.batches.droppedBatches).toBe(0);
    expect(health.engine.BTCUSDT.sources["binance:live"].events).toBe(pub.events.trade + pub.events.book + market.events.mark + live.streams["binance:rest"].events.book + live.streams["binance:rest"].events.oi);
  });

  it("stores every delivered liquidation of a tracked symbol exactly once", async () => {
    let checked = 0;
    for (const symbol of SYMBOLS.symbols) {
      const sent = distinct(venue.sent.liquidations, symbol);
      if (sent === 0) continue;
      const stored = await eventually(async () => {
        const { body } = await getJson(`${stack.base}/v1/symbols/${symbol}/liquidations?limit=1000`);
        return body.stored === sent ? body : undefined;
      }, 20_000, `${sent} ${symbol} liquidations stored`);
      expect(stored.liquidations.every((l: any) => l.venue === "binance" && l.sampling === "sampled-1s")).toBe(true);
      checked += sent;
    }
    expect(checked).toBeGreaterThanOrEqual(20);
    const live = health.collector.feeds["live:binance"];
    expect(live.streams["binance:market-0"].events.liquidation).toBe(checked);
  });

  it("captures the raw frames to R2 in chunks that `npm run normalize` reads", async () => {
    const raw = (await collector()).collector.feeds["live:binance"].rawCapture;
    expect(raw).toMatchObject({ enabled: true, bucket: "liqflow-raw", errors: 0 });
    expect(raw.objects).toBeGreaterThanOrEqual(1);
    // Stop the stack (the open chunk is lost, the stored ones stay) and read the local bucket.
    await stack.stop();
    const proxy = await getPlatformProxy<{ RAW_CAPTURE_BUCKET: Bucket }>({
      configPath: "workers/collector/wrangler.toml",
      persist: { path: join(stateDir, "v3") },
    });
    const dir = mkdtempSync(join(tmpdir(), "liqflow-raw-"));
    const files: string[] = [];
    try {
      const listed = await proxy.env.RAW_CAPTURE_BUCKET.list({ prefix: "raw/binance/" });
      expect(listed.objects.length).toBe(raw.objects);
      for (const [i, o] of listed.objects.entries()) {
        const object = await proxy.env.RAW_CAPTURE_BUCKET.get(o.key);
        const file = join(dir, `${i}.log.gz`);
        writeFileSync(file, new Uint8Array(await object!.arrayBuffer()));
        files.push(file);
      }
    } finally {
      await proxy.dispose();
    }
    let stdout = "";
    let stderr = "";
    const code = await runNormalize(["--venue", "binance", ...files], { out: (c) => void (stdout += c), err: (t) => void (stderr += t) });
    rmSync(dir, { recursive: true, force: true });
    expect(code).toBe(0);
    expect(stderr).toMatch(/^rejected\s+0$/m);
    const events = stdout.split("\n").filter(Boolean).map((l) => JSON.parse(l));
    const trades = events.filter((e) => e.kind === "trade" && e.symbol === "BTCUSDT");
    expect(trades.length).toBeGreaterThan(500);
    // Every captured trade is one the venue delivered (re-sent ones appear twice in the capture).
    const sentIds = venue.sent.tradeIds.get("BTCUSDT")!;
    expect(trades.every((t) => sentIds.has(t.tradeId))).toBe(true);
    expect(events.some((e) => e.kind === "book" && e.type === "snapshot")).toBe(true);
  });
});
