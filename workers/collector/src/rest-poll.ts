/**
 * The REST side of a live feed, apart from its counters and batching: which requests each poll
 * makes and when (`planPolls`), and one request fetched and mapped (`fetchAndMap`). No Durable
 * Object state here, so the poll path runs against a local HTTP server in a Node test.
 */
import { pollTargets, type LiveConnectionSpec, type RestPoll } from "@liqflow/engine/exchanges/connection-spec.js";
import type { LiveBracketSource, LiveBracketsResult } from "@liqflow/engine/exchanges/brackets-live.js";
import { INSURANCE_POLL_NAME } from "@liqflow/engine/exchanges/insurance.js";
import type { ExchangeMapper, MapResult } from "@liqflow/engine/exchanges/types.js";
import { PollSchedule } from "./rest-schedule.js";

/** Pause of all REST requests after HTTP 429/418 without a Retry-After header. */
export const REST_BACKOFF_DEFAULT_MS = 60_000;

export interface PlannedPoll {
  poll: RestPoll;
  schedule: PollSchedule;
}

export interface PollOptions {
  /** Period of the insurance polls (`INSURANCE_POLL_SECONDS`); the spec's default when absent. */
  insuranceEveryMs?: number;
}

/** The period a poll runs at: the spec's, or the configured one for insurance polls. */
export function pollEveryMs(poll: RestPoll, options: PollOptions = {}): number {
  return poll.name === INSURANCE_POLL_NAME && options.insuranceEveryMs !== undefined ? options.insuranceEveryMs : poll.everyMs;
}

/** Each poll of `spec` with a schedule over its targets for these instruments, starting at `nowMs`. */
export function planPolls(spec: LiveConnectionSpec, instruments: readonly string[], nowMs: number, options: PollOptions = {}): PlannedPoll[] {
  return (spec.polls ?? []).map((poll) => ({ poll, schedule: new PollSchedule(pollTargets(poll, instruments), pollEveryMs(poll, options), nowMs) }));
}

/** The requests due at `nowMs`, in schedule order: `{ name, url }` under `restUrl`. */
export function dueRequests(polls: readonly PlannedPoll[], restUrl: string, nowMs: number): { name: string; url: string }[] {
  const out: { name: string; url: string }[] = [];
  for (const { poll, schedule } of polls) for (const target of schedule.due(nowMs)) out.push({ name: poll.name, url: poll.url(restUrl, target) });
  return out;
}

/** What one REST request gave. */
export type RestOutcome =
  /** No usable answer (network error, timeout, HTTP error). `pauseUntilMs` after a 429/418. */
  | { kind: "failed"; error: string; pauseUntilMs?: number }
  /** An answer that is not JSON. */
  | { kind: "not-json"; body: string; recvMs: number }
  /** An answer the mapper turned into events, or ignored or rejected with a reason. */
  | { kind: "mapped"; body: string; recvMs: number; result: MapResult };

/**
 * GETs `url` and maps the JSON answer with `mapper` (the url goes to the mapper as context: it
 * names the symbol of a depth snapshot, the endpoint of an insurance answer). Never throws; a
 * mapper that throws is a rejected answer.
 */
export async function fetchAndMap(
  url: string,
  mapper: ExchangeMapper,
  options: { timeoutMs: number; now?: () => number; fetch?: typeof fetch },
): Promise<RestOutcome> {
  const got = await fetchJson(url, options);
  if (got.kind !== "json") return got;
  const { body, recvMs, message } = got;
  let result: MapResult;
  try {
    result = mapper.map(message, recvMs, { url });
  } catch (err) {
    result = { events: [], rejected: `mapper threw: ${String(err)}` };
  }
  return { kind: "mapped", body, recvMs, result };
}

/** What one request gave before mapping: a failure, an answer that is not JSON, or parsed JSON. */
export type JsonOutcome = Exclude<RestOutcome, { kind: "mapped" }> | { kind: "json"; body: string; recvMs: number; message: unknown };

/** The request besides its url: a POST's method, body and headers (a GET when absent). */
export interface RestRequestInit {
  method?: "GET" | "POST";
  body?: string;
  headers?: Record<string, string>;
}

/** Sends `url` (a GET, or `options.init`) and parses the answer as JSON. Never throws. */
export async function fetchJson(
  url: string,
  options: { timeoutMs: number; now?: () => number; fetch?: typeof fetch; init?: RestRequestInit },
): Promise<JsonOutcome> {
  const now = options.now ?? Date.now;
  const doFetch = options.fetch ?? fetch;
  let res: Response;
  let body: string;
  try {
    res = await doFetch(url, { ...options.init, signal: AbortSignal.timeout(options.timeoutMs) });
    body = await res.text();
  } catch (err) {
    return { kind: "failed", error: err instanceof Error ? err.message : String(err) };
  }
  const recvMs = now();
  if (!res.ok) {
    let pauseUntilMs: number | undefined;
    if (res.status === 429 || res.status === 418) {
      const retryAfterS = Number(res.headers.get("Retry-After"));
      pauseUntilMs = recvMs + (retryAfterS > 0 ? retryAfterS * 1000 : REST_BACKOFF_DEFAULT_MS);
    }
    return { kind: "failed", error: `HTTP ${res.status} ${body.slice(0, 80)}`, ...(pauseUntilMs !== undefined && { pauseUntilMs }) };
  }
  try {
    return { kind: "json", body, recvMs, message: JSON.parse(body) };
  } catch {
    return { kind: "not-json", body, recvMs };
  }
}

// ---- maintenance-margin tiers ----------------------------------------------------------------

/** Name of the bracket polls in health counters. */
export const BRACKETS_POLL_NAME = "brackets";
/** The first round of bracket requests is spread over this long (a request every few seconds), then one period apart each. */
export const BRACKETS_FIRST_ROUND_MS = 60_000;

/** The schedule of a venue's bracket polls over its targets (`BRACKETS_POLL_SECONDS`), first round within a minute. */
export function planBracketPolls(source: LiveBracketSource, instruments: readonly string[], nowMs: number, everyMs: number): PollSchedule {
  return new PollSchedule(source.targets(instruments), everyMs, nowMs, BRACKETS_FIRST_ROUND_MS);
}

/** What one bracket request gave. */
export type BracketOutcome =
  | Exclude<RestOutcome, { kind: "mapped" }>
  | { kind: "parsed"; body: string; recvMs: number; result: LiveBracketsResult };

/**
 * GETs one target's tiers and parses them with the venue's parser (the fetch time is the tables'
 * `asOf`; `referencePriceUsd` prices OKX's caps). Never throws; a parser that throws is a refusal.
 */
export async function fetchBrackets(
  source: LiveBracketSource,
  restUrl: string,
  target: string,
  options: { timeoutMs: number; now?: () => number; fetch?: typeof fetch; referencePriceUsd?(symbol: string): number | undefined },
): Promise<BracketOutcome> {
  const url = source.url(restUrl, target);
  const got = await fetchJson(url, options);
  if (got.kind !== "json") return got;
  const parsed = new URL(url);
  let result: LiveBracketsResult;
  try {
    result = source.parse(got.message, { fetchedAtMs: got.recvMs, endpoint: parsed.pathname + parsed.search, referencePriceUsd: options.referencePriceUsd });
  } catch (err) {
    result = { rejected: `parser threw: ${String(err)}` };
  }
  return { kind: "parsed", body: got.body, recvMs: got.recvMs, result };
}
