/**
 * Warm start and gap refill of a venue's one-minute bars, live mode only (the replay never
 * backfills): which requests, when, and how their bars reach the SymbolObjects. The live feed
 * calls in (`begin`, `onEvent`, `onSocketOpened`, `tick`) and injects fetch, clock, sleep, send
 * and the hold of its live batches, so all of it runs in a Node test.
 *
 * Time. The spans are in event time, the venue's clock as the feed sees it, never the wall
 * clock: the warm start ends where the symbol's live events begin, a refill where its trades
 * resume. (A venue replaying old data, as the e2e venue does, then gets a consistent request.)
 *
 * Warm start. At `begin` every configured symbol is held: its live events wait in the batcher.
 * When its first event arrives (any kind but insurance, whose balances can be hours old), it is
 * planned: bars opening in `[m − 24 h, m)`, `m` the minute of that event. The last bar is asked
 * for once the venue can show it closed (`REST_CLOSE_GRACE_MS` + 1 s after `m` by the wall clock,
 * waiting at most `MAX_CLOSE_WAIT_MS` should the venue's clock run ahead of ours). A symbol with
 * no event `FIRST_EVENT_WAIT_MS` after `begin` is planned from the wall clock. Its bars go in one
 * batch (see `sendBars`) under the source `<venue>:backfill` (own sequence numbers, persisted by
 * the feed) as history (`IngestBatch.history`): the engine applies them without computing the
 * cycles they span and starts its cycles after the newest (`SymbolEngine.backfill`). Once that
 * batch is acknowledged (or given up) the symbol's live events are released: the object sees the
 * day first, and its first cycle reads a full hour and day of bars.
 *
 * The hold is bounded: past `HOLD_MAX_EVENTS` held events or `HOLD_MAX_MS`, the live events go
 * (said in `releasedEarly`). History arriving after them is still applied, as late events: the bar
 * ring keeps 24 h, the windows the last hour; only the cycles computed meanwhile lacked it.
 *
 * Gap. When a connection that carried a symbol's last trades opens again after being down more
 * than `GAP_MIN_DOWN_MS` of wall time (its `lastDisconnect.atMs` to `connectedSinceMs`: a shorter
 * outage cannot miss a whole minute), the symbol waits for its next trade; the minutes strictly
 * between the minute of its last trade before the drop and the minute of that trade were missed
 * whole, and are fetched (at most 24 h). Minutes partly seen are not: the engine counts a minute
 * once per venue, its trades or its bar, so their bars would be skipped. The refill goes as
 * ordinary batches under the same source: its minutes are older than the engine's clock, late
 * events the windows' ring takes (`ingest` and `backfill` treat events before the next boundary
 * alike; a bar past it, if the engine was idle, computes the cycles it crosses, as live data would).
 *
 * Pacing (`BACKFILL_PACING`): requests of a venue start at least `paceMs` apart, at most
 * `concurrency` symbols at once (a symbol's pages go one after another, oldest first). An HTTP
 * 429/418 pauses the venue's backfill (Retry-After, else 60 s) and tells the feed, whose REST
 * requests share the IP's budget.
 *
 * Failures: an attempt that fails (network, timeout, HTTP error, not JSON, a venue error answer)
 * is retried up to `PAGE_ATTEMPTS` in all, `RETRY_BASE_MS` doubling between; an answer the mapper
 * rejects is not retried. A page given up is counted and the rest goes on; nothing here throws
 * into the feed. Counters: `BackfillRunHealth` (live-health.ts).
 *
 * Memory: the bars of the symbols being fetched (`concurrency` × at most 1,440, ≈ 0.4 MB each),
 * the live events held (at most `HOLD_MAX_EVENTS` per symbol), per symbol its last trade time.
 */
import { BAR_MS, type BarEvent, type CanonicalEvent, type Venue } from "@liqflow/engine/domain/events.js";
import { REST_CLOSE_GRACE_MS } from "@liqflow/engine/exchanges/bars.js";
import { mapRestBars, restBarsRequests, type RestBarsRequest } from "@liqflow/engine/exchanges/bars-rest.js";
import type { IngestBatch, IngestResult } from "@liqflow/engine/protocol/ingest.js";
import { countInto, type BackfillRunHealth, type LiveBackfillHealth, type LiveStreamHealth, type MinuteSpan } from "./live-health.js";
import { fetchJson } from "./rest-poll.js";

/** The warm start's span, and the longest gap refilled. */
export const BACKFILL_SPAN_MS = 24 * 60 * 60_000;
/** A connection down longer than this (wall ms) may have missed a whole minute: its symbols are refilled. */
export const GAP_MIN_DOWN_MS = 60_000;
/** A symbol with no event this long after the start is planned from the wall clock. */
export const FIRST_EVENT_WAIT_MS = 30_000;
/** Bounds of the hold of a symbol's live events during its warm start. */
export const HOLD_MAX_MS = 120_000;
export const HOLD_MAX_EVENTS = 5_000;
/** Attempts per page in all, and the wait before the second (doubling after). */
export const PAGE_ATTEMPTS = 3;
export const RETRY_BASE_MS = 2_000;
/** Longest wait for `notBeforeMs`: beyond the 6 s a closed minute needs, the venue's clock runs ahead of ours. */
export const MAX_CLOSE_WAIT_MS = 10_000;
/** Attempts per batch RPC, 100 ms doubling between (as the live batches). */
const SEND_ATTEMPTS = 5;
const REQUEST_TIMEOUT_MS = 15_000;

export interface BackfillPacing {
  /** Symbols fetched at once. */
  concurrency: number;
  /** Least wall time between two request starts of the venue. */
  paceMs: number;
}

/**
 * Per venue, chosen to use at most about half of the venue's public limit for one IP, since
 * the feed's own REST requests (depth snapshots, polls) share it; a day is 1 page per symbol
 * at Binance, 2 at Bybit, 15 at OKX, 1 at Hyperliquid (`BARS_PER_REQUEST`):
 *
 * - Binance: weight 2,400 a minute per IP; a klines request of limit 1,500 weighs 10. One a
 *   second is 600 a minute (25 %), leaving room for the depth snapshots (20 each) a start makes.
 * - Bybit: 600 requests per 5 s per IP, all endpoints. Four a second is 20 per 5 s (≈ 3 %).
 * - OKX: history-candles allows 20 requests per 2 s per IP. Five a second is 10 per 2 s (half):
 *   21 symbols × 15 pages take about a minute.
 * - Hyperliquid: 1,200 weight a minute per IP; candleSnapshot weighs 20 plus 1 per 60 candles
 *   returned, 44 for a day. One every 4 s is 660 a minute (55 %); the feed makes no other REST
 *   request there. One at a time.
 *
 * Docs: https://developers.binance.com/docs/derivatives/usds-margined-futures/market-data/rest-api/Kline-Candlestick-Data,
 * https://bybit-exchange.github.io/docs/v5/rate-limit,
 * https://www.okx.com/docs-v5/en/#order-book-trading-market-data-get-candlesticks-history,
 * https://hyperliquid.gitbook.io/hyperliquid-docs/for-developers/api/rate-limits-and-user-limits
 */
export const BACKFILL_PACING: Readonly<Record<Venue, BackfillPacing>> = {
  binance: { concurrency: 2, paceMs: 1_000 },
  bybit: { concurrency: 2, paceMs: 250 },
  okx: { concurrency: 2, paceMs: 200 },
  hyperliquid: { concurrency: 1, paceMs: 4_000 },
};

export type BackfillKind = "start" | "gap";

export interface BackfillSymbol {
  symbol: string;
  /** The venue's spelling (`BTCUSDT`, `BTC-USDT-SWAP`, `BTC`). */
  instrument: string;
}

/** One symbol's bars to fetch: its pages, oldest first. */
export interface BackfillTask {
  kind: BackfillKind;
  symbol: string;
  span: MinuteSpan;
  requests: RestBarsRequest[];
  /** Wall time before which the first request waits: the span's last minute must show closed at the venue. */
  notBeforeMs: number;
}

/** The minute (epoch ms of its start) `ts` falls in. */
export function minuteOf(ts: number): number {
  return Math.floor(ts / BAR_MS) * BAR_MS;
}

/** The warm start's minutes: the 24 h before the minute of `nowTs` (that minute is still forming). */
export function startSpan(nowTs: number): MinuteSpan {
  const toMs = minuteOf(nowTs);
  return { fromMs: toMs - BACKFILL_SPAN_MS, toMs };
}

/**
 * The minutes a gap missed whole: after the minute of the last trade seen before it, before the
 * minute of the first trade after it, at most the 24 h before the latter. Null when none.
 */
export function gapSpan(lastTradeTs: number, firstTradeTs: number): MinuteSpan | null {
  const toMs = minuteOf(firstTradeTs);
  const fromMs = Math.max(minuteOf(lastTradeTs) + BAR_MS, toMs - BACKFILL_SPAN_MS);
  return fromMs < toMs ? { fromMs, toMs } : null;
}

/** The task for `ref`'s bars of `span` (`restUrl`: the feed's REST base override, if any). */
export function planTask(venue: Venue, kind: BackfillKind, ref: BackfillSymbol, span: MinuteSpan, restUrl?: string): BackfillTask {
  return {
    kind,
    symbol: ref.symbol,
    span,
    requests: restBarsRequests(venue, ref.instrument, span.fromMs, span.toMs, restUrl),
    notBeforeMs: span.toMs + REST_CLOSE_GRACE_MS + 1_000,
  };
}

/** What the feed gives the backfill. */
export interface BackfillDeps {
  venue: Venue;
  symbols: readonly BackfillSymbol[];
  /** The REST base override (`<VENUE>_REST_URL`); the venue's public base when absent. */
  restUrl?: string;
  pacing: BackfillPacing;
  fetch: typeof fetch;
  /** Wall clock, epoch ms. */
  now(): number;
  sleep(ms: number): Promise<void>;
  send(symbol: string, batch: IngestBatch): Promise<IngestResult>;
  /** The next sequence number of `<venue>:backfill` (persisted by the caller). */
  nextSeq(): number;
  /** Holds / releases the symbol's live batches. */
  hold(symbol: string): void;
  release(symbol: string): void;
  /** A REST answer, for the raw capture. */
  capture?(url: string, recvMs: number, body: string): void;
  /** The venue asked to slow down until `untilMs` (HTTP 429/418). */
  onRateLimited?(untilMs: number): void;
}

interface Run {
  health: BackfillRunHealth;
  /** Symbols not finished yet. */
  open: number;
}

interface Job {
  task: BackfillTask;
  run: Run;
}

function newRun(kind: BackfillKind, symbols: number): BackfillRunHealth {
  return {
    kind,
    state: "pending",
    symbols,
    symbolsDone: 0,
    symbolsFailed: 0,
    requested: null,
    span: null,
    pages: 0,
    pagesFailed: 0,
    requests: 0,
    retries: 0,
    bars: 0,
    accepted: 0,
    ignored: {},
    errors: {},
    lastError: null,
    gap: null,
    startedMs: null,
    finishedMs: null,
  };
}

function widen(span: MinuteSpan | null, fromMs: number, toMs: number): MinuteSpan {
  return span === null ? { fromMs, toMs } : { fromMs: Math.min(span.fromMs, fromMs), toMs: Math.max(span.toMs, toMs) };
}

/** The short reason of a failed attempt, for the counters (`HTTP 503`, not the body). */
function failureReason(error: string): string {
  return /^HTTP \d+/.exec(error)?.[0] ?? error;
}

/** The wall ms a socket that just opened had been down, null for its first connection. */
export function downMsOf(stats: Pick<LiveStreamHealth, "lastDisconnect" | "connectedSinceMs">): number | null {
  if (stats.lastDisconnect === null || stats.connectedSinceMs === null) return null;
  return stats.connectedSinceMs - stats.lastDisconnect.atMs;
}

export class VenueBackfill {
  readonly source: string;
  private readonly refs: Map<string, BackfillSymbol>;
  private start: Run;
  private beganMs: number | null = null;
  /** Symbols of the warm start waiting for their first event. */
  private readonly awaitingFirst = new Set<string>();
  /** Held symbols: since when (wall) and how many live events. */
  private readonly held = new Map<string, { sinceMs: number; events: number }>();
  private readonly releasedEarly: Record<string, string> = {};
  /** Per symbol: the newest trade seen and the stream that carried it. */
  private readonly lastTrade = new Map<string, { ts: number; stream: string }>();
  /** Symbols waiting for their first trade after a gap. */
  private readonly gapPending = new Map<string, { lastTradeTs: number; run: Run }>();
  private gaps = 0;
  private lastGap: Run | null = null;
  private readonly queue: Job[] = [];
  private active = 0;
  private nextStartMs = 0;
  private pausedUntilMs = 0;
  private stopped = false;
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly deps: BackfillDeps) {
    this.source = `${deps.venue}:backfill`;
    this.refs = new Map(deps.symbols.map((r) => [r.symbol, r]));
    this.start = { health: newRun("start", deps.symbols.length), open: deps.symbols.length };
  }

  /** The feed started at `nowMs`: every symbol is held until its warm start is sent. */
  begin(nowMs: number): void {
    this.beganMs = nowMs;
    for (const { symbol } of this.deps.symbols) {
      this.awaitingFirst.add(symbol);
      this.held.set(symbol, { sinceMs: nowMs, events: 0 });
      this.deps.hold(symbol);
    }
    if (this.start.open === 0) this.finish(this.start, nowMs);
  }

  /** An event the feed accepted (before it is batched), from `stream` (a socket name or `<venue>:rest`). */
  onEvent(stream: string, event: CanonicalEvent, nowMs: number): void {
    const symbol = event.symbol;
    if (event.kind === "insurance" || !this.refs.has(symbol)) return;
    if (this.awaitingFirst.delete(symbol)) this.plan(this.start, "start", symbol, startSpan(event.ts));
    const hold = this.held.get(symbol);
    if (hold !== undefined && ++hold.events >= HOLD_MAX_EVENTS) this.release(symbol, `${HOLD_MAX_EVENTS} live events held`);
    if (event.kind !== "trade") return;
    const gap = this.gapPending.get(symbol);
    if (gap !== undefined) {
      this.gapPending.delete(symbol);
      const span = gapSpan(gap.lastTradeTs, event.ts);
      if (span === null) this.symbolFinished(gap.run, true, nowMs);
      else this.plan(gap.run, "gap", symbol, span);
    }
    const last = this.lastTrade.get(symbol);
    if (last === undefined || event.ts >= last.ts) this.lastTrade.set(symbol, { ts: event.ts, stream });
  }

  /** A connection opened; `stats` tells whether and how long it had been down. */
  onSocketOpened(stream: string, stats: Pick<LiveStreamHealth, "lastDisconnect" | "connectedSinceMs">): void {
    const downMs = downMsOf(stats);
    if (downMs === null || downMs <= GAP_MIN_DOWN_MS) return;
    const symbols: { symbol: string; lastTradeTs: number }[] = [];
    for (const [symbol, last] of this.lastTrade) {
      if (last.stream === stream && !this.gapPending.has(symbol)) symbols.push({ symbol, lastTradeTs: last.ts });
    }
    if (symbols.length === 0) return;
    const run: Run = { health: newRun("gap", symbols.length), open: symbols.length };
    run.health.gap = { stream, downMs, fromMs: null, toMs: null };
    this.gaps++;
    this.lastGap = run;
    for (const s of symbols) this.gapPending.set(s.symbol, { lastTradeTs: s.lastTradeTs, run });
  }

  /** Once a second: symbols still without an event start from the wall clock; holds past their bound end. */
  tick(nowMs: number): void {
    if (this.beganMs !== null && nowMs - this.beganMs >= FIRST_EVENT_WAIT_MS) {
      for (const symbol of this.awaitingFirst) this.plan(this.start, "start", symbol, startSpan(nowMs));
      this.awaitingFirst.clear();
    }
    for (const [symbol, hold] of this.held) {
      if (nowMs - hold.sinceMs >= HOLD_MAX_MS) this.release(symbol, `held ${HOLD_MAX_MS / 1000} s`);
    }
  }

  /** No request before `untilMs` (the venue or the feed was told to slow down). */
  pauseUntil(untilMs: number): void {
    if (untilMs > this.pausedUntilMs) this.pausedUntilMs = untilMs;
  }

  /** Stops: no new request; every held symbol is released. */
  stop(): void {
    this.stopped = true;
    this.queue.length = 0;
    for (const symbol of [...this.held.keys()]) this.release(symbol);
  }

  /** Resolves when nothing is queued or running (tests). */
  whenIdle(): Promise<void> {
    if (this.active === 0 && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  health(): LiveBackfillHealth {
    let held = 0;
    for (const h of this.held.values()) held += h.events;
    return {
      source: this.source,
      pacing: { ...this.deps.pacing },
      start: structuredClone(this.start.health),
      gaps: this.gaps,
      lastGap: this.lastGap === null ? null : structuredClone(this.lastGap.health),
      releasedEarly: { ...this.releasedEarly },
      held,
    };
  }

  // ---- planning ---------------------------------------------------------------------------

  private plan(run: Run, kind: BackfillKind, symbol: string, span: MinuteSpan): void {
    const task = planTask(this.deps.venue, kind, this.refs.get(symbol)!, span, this.deps.restUrl);
    const h = run.health;
    h.requested = widen(h.requested, span.fromMs, span.toMs);
    if (h.gap !== null) h.gap = { ...h.gap, fromMs: h.requested.fromMs, toMs: h.requested.toMs };
    h.pages += task.requests.length;
    if (this.stopped) return;
    this.queue.push({ task, run });
    this.pump();
  }

  private release(symbol: string, earlyReason?: string): void {
    if (!this.held.delete(symbol)) return;
    if (earlyReason !== undefined) this.releasedEarly[symbol] = earlyReason;
    this.deps.release(symbol);
  }

  // ---- running ----------------------------------------------------------------------------

  private pump(): void {
    while (this.active < this.deps.pacing.concurrency && this.queue.length > 0) {
      const job = this.queue.shift()!;
      this.active++;
      void this.runTask(job).finally(() => {
        this.active--;
        this.pump();
        if (this.active === 0 && this.queue.length === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
      });
    }
  }

  private async runTask({ task, run }: Job): Promise<void> {
    let ok = true;
    try {
      const wait = Math.min(task.notBeforeMs - this.deps.now(), MAX_CLOSE_WAIT_MS);
      if (wait > 0) await this.deps.sleep(wait);
      const h = run.health;
      if (h.state === "pending") h.state = "running";
      h.startedMs ??= this.deps.now();
      const bars: BarEvent[] = [];
      for (const request of task.requests) {
        if (this.stopped) break;
        const got = await this.page(task, request, run);
        if (got === null) {
          ok = false;
          h.pagesFailed++;
        } else bars.push(...got);
      }
      if (!(await this.sendBars(task, bars, run))) ok = false;
    } catch (err) {
      // Nothing above should throw; if something does, the task ends and is counted, never the feed.
      ok = false;
      countInto(run.health.errors, "unexpected");
      run.health.lastError = `${task.symbol}: ${err instanceof Error ? err.message : String(err)}`;
    }
    if (task.kind === "start") this.release(task.symbol);
    this.symbolFinished(run, ok, this.deps.now());
  }

  private symbolFinished(run: Run, ok: boolean, nowMs: number): void {
    if (ok) run.health.symbolsDone++;
    else run.health.symbolsFailed++;
    if (--run.open === 0) this.finish(run, nowMs);
  }

  private finish(run: Run, nowMs: number): void {
    const h = run.health;
    h.state = h.symbolsFailed > 0 ? "failed" : "done";
    h.finishedMs = nowMs;
  }

  /** Waits for the venue's next request slot. */
  private async waitTurn(): Promise<void> {
    for (;;) {
      const now = this.deps.now();
      const at = Math.max(this.nextStartMs, this.pausedUntilMs);
      if (now >= at) {
        this.nextStartMs = now + this.deps.pacing.paceMs;
        return;
      }
      await this.deps.sleep(at - now);
    }
  }

  /** One page: fetched (with retries) and mapped; its closed bars, or null when given up. */
  private async page(task: BackfillTask, request: RestBarsRequest, run: Run): Promise<BarEvent[] | null> {
    const h = run.health;
    for (let attempt = 1; ; attempt++) {
      await this.waitTurn();
      if (this.stopped) return null;
      h.requests++;
      const init = request.method === "POST" ? { method: request.method, body: request.body, headers: request.headers } : undefined;
      const got = await fetchJson(request.url, { timeoutMs: REQUEST_TIMEOUT_MS, now: this.deps.now, fetch: this.deps.fetch, init });
      let failure: { reason: string; detail: string };
      if (got.kind === "failed") {
        failure = { reason: failureReason(got.error), detail: got.error };
        if (got.pauseUntilMs !== undefined) {
          this.pauseUntil(got.pauseUntilMs);
          this.deps.onRateLimited?.(got.pauseUntilMs);
        }
      } else if (got.kind === "not-json") {
        failure = { reason: "not JSON", detail: `not JSON: ${got.body.slice(0, 80)}` };
      } else {
        this.deps.capture?.(request.url, got.recvMs, got.body);
        const result = mapRestBars(this.deps.venue, got.message, got.recvMs, { url: request.url });
        if (result.rejected !== undefined) {
          // The same answer would be rejected again: no retry.
          this.fail(run, task, `rejected: ${result.rejected}`, result.rejected);
          return null;
        }
        if (result.ignored === undefined || !result.ignored.startsWith("error-response")) {
          if (result.ignored !== undefined) countInto(h.ignored, result.ignored);
          const bars = this.closedBars(task, result.events);
          h.bars += bars.length;
          return bars;
        }
        failure = { reason: `venue ${result.ignored}`, detail: `venue answered ${got.body.slice(0, 120)}` };
      }
      this.fail(run, task, failure.reason, failure.detail);
      if (attempt >= PAGE_ATTEMPTS) return null;
      h.retries++;
      await this.deps.sleep(RETRY_BASE_MS * 2 ** (attempt - 1));
    }
  }

  private fail(run: Run, task: BackfillTask, reason: string, detail: string): void {
    countInto(run.health.errors, reason);
    run.health.lastError = `${task.symbol} ${task.kind}: ${detail}`;
  }

  /** The closed bars of the task's symbol within its span. */
  private closedBars(task: BackfillTask, events: readonly CanonicalEvent[]): BarEvent[] {
    const bars: BarEvent[] = [];
    for (const e of events) {
      if (e.kind !== "bar" || !e.closed || e.symbol !== task.symbol) continue;
      if (e.openTs < task.span.fromMs || e.openTs >= task.span.toMs) continue;
      bars.push(e);
    }
    return bars;
  }

  /**
   * Sends the task's bars (oldest first) in one batch, retried; false when it is given up. One
   * batch, not one per page: the engine starts its cycles after the newest event of the first
   * history batch it gets, so the later batches of a day cut in pages would be computed as live,
   * a cycle per 10 s of the day (a day is at most 1,440 bars, ≈ 0.4 MB).
   */
  private async sendBars(task: BackfillTask, bars: BarEvent[], run: Run): Promise<boolean> {
    if (bars.length === 0) return true;
    const h = run.health;
    // Oldest first: OKX answers newest first.
    bars.sort((a, b) => a.openTs - b.openTs);
    h.span = widen(h.span, bars[0].openTs, bars[bars.length - 1].openTs + BAR_MS);
    const batch: IngestBatch = { source: this.source, events: bars, seqs: bars.map(() => this.deps.nextSeq()) };
    if (task.kind === "start") batch.history = true;
    const result = await this.sendWithRetries(task.symbol, batch);
    if (typeof result === "string") {
      this.fail(run, task, "send failed", `send failed: ${result}`);
      return false;
    }
    h.accepted += result.accepted;
    return true;
  }

  private async sendWithRetries(symbol: string, batch: IngestBatch): Promise<IngestResult | string> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.deps.send(symbol, batch);
      } catch (err) {
        if (attempt >= SEND_ATTEMPTS) return err instanceof Error ? err.message : String(err);
        await this.deps.sleep(100 * 2 ** (attempt - 1));
      }
    }
  }
}
