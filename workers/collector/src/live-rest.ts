/**
 * The REST side of one live feed: its stream in `/v1/health` (`<venue>:rest`) and the requests
 * counted on it.
 *
 * - `RestStream`: the counters and the rate-limit pause every REST request of the feed shares
 *   (polls, depth snapshots, maintenance-margin tiers). It outlives the feed's restarts, so its
 *   counters only grow.
 * - `LiveRest`: built at each start with the venue's mapper and the polls planned for its
 *   symbols (`rest-poll.ts`, spread by `rest-schedule.ts`): sends the polls that are due, and
 *   fetches one url, maps the answer and hands its events to the feed. An HTTP 429/418 pauses
 *   every request of the feed (and the backfill, which shares the IP's budget) until the
 *   venue's Retry-After.
 *
 * Time and `fetch` come in as dependencies, so a Node test drives it with a fake clock and a
 * fake venue.
 */
import type { CanonicalEvent, Venue } from "@liqflow/engine/domain/events.js";
import type { ExchangeMapper } from "@liqflow/engine/exchanges/types.js";
import { countResult } from "./live-frames.js";
import { countInto, newStreamHealth, type LiveStreamHealth } from "./live-health.js";
import { restLine } from "./raw-capture.js";
import { dueRequests, fetchAndMap, type PlannedPoll } from "./rest-poll.js";

/** Time allowed for one REST request, connect to last byte. */
export const REST_TIMEOUT_MS = 15_000;

/** The counters and the pause of a venue's REST requests, shared by all of them. */
export class RestStream {
  readonly stats: LiveStreamHealth;
  private pausedUntilMs = 0;

  constructor(url: string) {
    this.stats = newStreamHealth("rest", url, 0);
  }

  /** True while the venue asked for no requests (HTTP 429/418). */
  isPaused(nowMs: number): boolean {
    return nowMs < this.pausedUntilMs;
  }

  /** No request before `untilMs` (epoch ms); a shorter pause never cuts a longer one. */
  pauseUntil(untilMs: number): void {
    this.pausedUntilMs = Math.max(this.pausedUntilMs, untilMs);
  }

  /** A request is sent. */
  sent(): void {
    this.stats.requests++;
  }

  /** A request of poll `name` got no usable answer. */
  failed(name: string, error: string): void {
    this.stats.connected = false;
    countInto(this.stats.failures, `${name}: ${error}`);
    this.stats.lastError = `${name}: ${error}`;
  }

  /** A request got an answer (JSON or not) at `recvMs`. */
  answered(recvMs: number): void {
    this.stats.messages++;
    this.stats.lastMessageMs = recvMs;
    this.stats.connected = true;
  }
}

/** What the feed gives its REST requests. */
export interface LiveRestDeps {
  venue: Venue;
  /** The REST base (the venue's, or its `<VENUE>_REST_URL` override); undefined when the venue has none. */
  restBase: string | undefined;
  mapper: ExchangeMapper;
  /** The feed's REST stream (outlives this start). */
  stream: RestStream;
  polls: readonly PlannedPoll[];
  /** A REST answer as a recording line, for the raw capture (null: not one line). */
  capture(line: string | null, recvMs: number): void;
  /** One mapped event, on the stream `<venue>:rest`, for dedupe, counting and batching. */
  accept(stats: LiveStreamHealth, stream: string, event: CanonicalEvent, recvMs: number): void;
  /** The venue asked to slow down until `untilMs`: whatever else shares the budget waits too. */
  onPause(untilMs: number): void;
  /** Wall clock, epoch ms; `Date.now` when absent. */
  now?(): number;
  /** `fetch` when absent. */
  fetch?: typeof fetch;
}

export class LiveRest {
  readonly streamName: string;

  constructor(private readonly deps: LiveRestDeps) {
    this.streamName = `${deps.venue}:rest`;
  }

  get stream(): RestStream {
    return this.deps.stream;
  }

  isPaused(nowMs: number): boolean {
    return this.deps.stream.isPaused(nowMs);
  }

  /** HTTP 429/418: the feed's requests and the backfill's share the IP's budget, both wait. */
  pause(untilMs: number): void {
    this.deps.stream.pauseUntil(untilMs);
    this.deps.onPause(untilMs);
  }

  /** Sends the poll requests due at `nowMs`, in schedule order; resolves when they are all answered. */
  poll(nowMs: number): Promise<boolean[]> {
    const restBase = this.deps.restBase;
    if (restBase === undefined) return Promise.resolve([]);
    return Promise.all(dueRequests(this.deps.polls, restBase, nowMs).map(({ name, url }) => this.request(url, name)));
  }

  /**
   * GETs `url`, maps the response (the url gives the mapper the symbol or the endpoint) and
   * accepts its events. True when the answer gave events.
   */
  async request(url: string, name: string): Promise<boolean> {
    const { stream, mapper } = this.deps;
    stream.sent();
    const out = await fetchAndMap(url, mapper, { timeoutMs: REST_TIMEOUT_MS, ...(this.deps.now && { now: this.deps.now }), ...(this.deps.fetch && { fetch: this.deps.fetch }) });
    if (out.kind === "failed") {
      if (out.pauseUntilMs !== undefined) this.pause(out.pauseUntilMs);
      stream.failed(name, out.error);
      return false;
    }
    stream.answered(out.recvMs);
    this.deps.capture(restLine(url, out.recvMs, out.body), out.recvMs);
    if (out.kind === "not-json") {
      countInto(stream.stats.rejected, `${name}: response is not JSON`);
      return false;
    }
    countResult(stream.stats, out.result);
    for (const event of out.result.events) this.deps.accept(stream.stats, this.streamName, event, out.recvMs);
    return out.result.events.length > 0;
  }
}
