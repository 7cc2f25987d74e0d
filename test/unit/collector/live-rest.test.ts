/**
 * The live feed's REST stream and polls (`live-rest.ts`) against a fake venue (`fake-venue.ts`)
 * and a fixed clock: which polls are sent when, what their answers become on the stream
 * `<venue>:rest`, what is captured, and how a rate limit pauses every REST request.
 */
import { describe, expect, it } from "vitest";
import type { CanonicalEvent } from "../../../src/domain/events.js";
import { getConnectionSpec } from "../../../src/exchanges/connections.js";
import { getMapper } from "../../../src/exchanges/registry.js";
import { LiveRest, RestStream } from "../../../workers/collector/src/live-rest.js";
import { planPolls } from "../../../workers/collector/src/rest-poll.js";
import { FAKE_REST, fakeVenue } from "./fake-venue.js";

const RECV_MS = 42_000;

function bybitRest(restBase: string) {
  const venue = fakeVenue();
  const accepted: string[] = [];
  const captured: (string | null)[] = [];
  const pauses: number[] = [];
  const stream = new RestStream(restBase);
  const rest = new LiveRest({
    venue: "bybit",
    restBase,
    mapper: getMapper("bybit"),
    stream,
    // SOLUSDT's insurance pool, every 2 minutes from t = 1 000
    polls: planPolls(getConnectionSpec("bybit"), ["SOLUSDT"], 1_000, { insuranceEveryMs: 120_000 }),
    capture: (line) => captured.push(line),
    accept: (stats, name, event: CanonicalEvent) => {
      expect(stats).toBe(stream.stats);
      accepted.push(`${name} ${event.kind} ${event.symbol}`);
    },
    onPause: (untilMs) => pauses.push(untilMs),
    now: () => RECV_MS,
    fetch: venue.fetch,
  });
  return { rest, stream, venue, accepted, captured, pauses };
}

describe("REST polls of a live feed", () => {
  it("sends the insurance poll when due, once per period, and hands its events to the feed as <venue>:rest", async () => {
    const { rest, stream, venue, accepted, captured } = bybitRest(FAKE_REST);
    expect(await rest.poll(999)).toEqual([]);
    expect(await rest.poll(1_000)).toEqual([true]);
    expect(await rest.poll(120_999)).toEqual([]);
    expect(venue.seen).toEqual(["/v5/market/insurance?coin=USDT"]);
    // the documented example holds two USDT pools: SOLUSDT's and WIFUSDT's
    expect(accepted).toEqual(["bybit:rest insurance SOLUSDT", "bybit:rest insurance WIFUSDT"]);
    expect(stream.stats).toMatchObject({ kind: "rest", url: FAKE_REST, requests: 1, messages: 1, connected: true, lastMessageMs: RECV_MS, failures: {}, rejected: {}, lastError: null });
    expect(captured).toHaveLength(1);
    expect(captured[0]!.startsWith(`${FAKE_REST}/v5/market/insurance?coin=USDT -> 42.000: {`)).toBe(true);
  });

  it("pauses every REST request after a 429 until its Retry-After, and tells the feed", async () => {
    const { rest, stream, pauses, captured } = bybitRest(`${FAKE_REST}/limited`);
    expect(await rest.poll(1_000)).toEqual([false]);
    // Retry-After: 7 s from the answer's receive time
    expect(pauses).toEqual([RECV_MS + 7_000]);
    expect(rest.isPaused(RECV_MS + 6_999)).toBe(true);
    expect(rest.isPaused(RECV_MS + 7_000)).toBe(false);
    expect(stream.stats).toMatchObject({ requests: 1, messages: 0, connected: false, failures: { "insurance: HTTP 429 slow down": 1 }, lastError: "insurance: HTTP 429 slow down" });
    expect(captured).toEqual([]);
  });

  it("counts an answer that is not JSON as rejected, after capturing it", async () => {
    const { rest, stream, captured, accepted } = bybitRest(`${FAKE_REST}/garbage`);
    expect(await rest.request(`${FAKE_REST}/garbage/v5/market/insurance?coin=USDT`, "insurance")).toBe(false);
    expect(stream.stats).toMatchObject({ requests: 1, messages: 1, connected: true, rejected: { "insurance: response is not JSON": 1 } });
    expect(captured).toEqual([`${FAKE_REST}/garbage/v5/market/insurance?coin=USDT -> 42.000: <html>`]);
    expect(accepted).toEqual([]);
  });

  it("keeps a longer pause when a shorter one comes after it, and sends no poll without a REST base", async () => {
    const stream = new RestStream("");
    stream.pauseUntil(10_000);
    stream.pauseUntil(5_000);
    expect(stream.isPaused(9_999)).toBe(true);
    const venue = fakeVenue();
    const rest = new LiveRest({
      venue: "bybit",
      restBase: undefined,
      mapper: getMapper("bybit"),
      stream,
      polls: planPolls(getConnectionSpec("bybit"), ["SOLUSDT"], 0),
      capture: () => undefined,
      accept: () => undefined,
      onPause: () => undefined,
      fetch: venue.fetch,
    });
    expect(await rest.poll(0)).toEqual([]);
    expect(venue.seen).toEqual([]);
  });
});
