/**
 * Maintenance-margin tiers of one live feed (Bybit per instrument, OKX per family;
 * src/exchanges/brackets-live.ts): fetched at start (spread over a minute) and every
 * `BRACKETS_POLL_SECONDS`, parsed, and handed to each symbol's SymbolObject (`setBrackets`).
 *
 * Every request is counted on the venue's REST stream under `brackets: …`; a failure is retried
 * at the next period and the table in force stays meanwhile. OKX caps are priced at the last
 * trade or mark price the feed saw for the symbol, so an OKX request waits (looking again every
 * `BRACKETS_PRICE_WAIT_MS`) until there is one: a cap priced at nothing would be invented.
 *
 * Built at each start of a venue that has a tier source and a REST base. Time and `fetch` come
 * in as dependencies.
 */
import type { BracketTable } from "@liqflow/engine/domain/liquidation/brackets.js";
import type { LiveBracketSource } from "@liqflow/engine/exchanges/brackets-live.js";
import { countInto } from "./live-health.js";
import { REST_TIMEOUT_MS, type RestStream } from "./live-rest.js";
import { restLine } from "./raw-capture.js";
import { BRACKETS_POLL_NAME, fetchBrackets } from "./rest-poll.js";
import type { PollSchedule } from "./rest-schedule.js";

/** An OKX tier request waits this long for a first price of its symbol before looking again. */
export const BRACKETS_PRICE_WAIT_MS = 10_000;

/** What the feed gives its tier polls. */
export interface LiveBracketsDeps {
  source: LiveBracketSource;
  restBase: string;
  /** When each target is due (`planBracketPolls`). */
  schedule: PollSchedule;
  /** The venue's REST stream, where requests and failures are counted. */
  stream: RestStream;
  /** HTTP 429/418: pause every REST request of the feed until `untilMs`. */
  pause(untilMs: number): void;
  /** A REST answer as a recording line, for the raw capture. */
  capture(line: string | null, recvMs: number): void;
  /** Hands tables to the symbol's engine (`SymbolObject.setBrackets`). */
  setBrackets(symbol: string, tables: BracketTable[]): Promise<{ applied: string[]; rejected: string[] }>;
  /** The last trade or mark price the feed saw for `symbol` (USD), undefined before the first. */
  priceOf(symbol: string): number | undefined;
  now?(): number;
  fetch?: typeof fetch;
}

export class LiveBrackets {
  constructor(private readonly deps: LiveBracketsDeps) {}

  /** Requests the targets due at `nowMs`; resolves when every request made is answered and handed on. */
  poll(nowMs: number): Promise<void> {
    const requests: Promise<void>[] = [];
    for (const target of this.deps.schedule.due(nowMs)) {
      const request = this.request(target, nowMs);
      if (request !== null) requests.push(request);
    }
    return Promise.all(requests).then(() => undefined);
  }

  /** One target's tiers, or null when an OKX target has no price yet (retried later). */
  private request(target: string, nowMs: number): Promise<void> | null {
    const { source, schedule } = this.deps;
    if (source.needsReferencePrice) {
      const symbol = source.symbolOf(target);
      if (symbol === undefined || this.deps.priceOf(symbol) === undefined) {
        schedule.retryAt(target, nowMs + BRACKETS_PRICE_WAIT_MS);
        return null;
      }
    }
    return this.fetchTables(target);
  }

  /** Fetched, parsed, handed to the engine; failures and refusals counted on the REST stream. */
  private async fetchTables(target: string): Promise<void> {
    const { source, restBase, stream } = this.deps;
    const stats = stream.stats;
    stream.sent();
    const out = await fetchBrackets(source, restBase, target, {
      timeoutMs: REST_TIMEOUT_MS,
      referencePriceUsd: (symbol) => this.deps.priceOf(symbol),
      ...(this.deps.now && { now: this.deps.now }),
      ...(this.deps.fetch && { fetch: this.deps.fetch }),
    });
    if (out.kind === "failed") {
      if (out.pauseUntilMs !== undefined) this.deps.pause(out.pauseUntilMs);
      stream.failed(BRACKETS_POLL_NAME, out.error);
      return;
    }
    stream.answered(out.recvMs);
    this.deps.capture(restLine(source.url(restBase, target), out.recvMs, out.body), out.recvMs);
    if (out.kind === "not-json") {
      countInto(stats.rejected, `${BRACKETS_POLL_NAME}: response is not JSON`);
      return;
    }
    const result = out.result;
    if ("rejected" in result) {
      countInto(stats.rejected, `${BRACKETS_POLL_NAME}: ${result.rejected}`);
      stats.lastError = `${BRACKETS_POLL_NAME} ${target}: ${result.rejected}`;
      return;
    }
    for (const reason of result.skipped) countInto(stats.ignored, `${BRACKETS_POLL_NAME}: ${reason}`);
    for (const table of result.tables) {
      try {
        const applied = await this.deps.setBrackets(table.symbol, [table]);
        for (const reason of applied.rejected) countInto(stats.rejected, `${BRACKETS_POLL_NAME}: engine refused ${table.symbol}: ${reason}`);
      } catch (err) {
        countInto(stats.failures, `${BRACKETS_POLL_NAME}: setBrackets failed: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  }
}
