/**
 * Binance USDⓈ-M futures live connection: the streams liqflow subscribes, how they are routed
 * between the `/public` and `/market` endpoints, keepalive and staleness, the REST depth
 * snapshot and the REST polls (open interest, insurance fund). Pure facts, no I/O; the mapper
 * that reads what arrives is `binance.ts`.
 *
 * Docs: https://developers.binance.com/docs/derivatives/usds-margined-futures/websocket-market-streams
 */
import type { LiveConnectionSpec } from "./connection-spec.js";
import { isFrame } from "./frame.js";
import { BINANCE_INSURANCE_POLL } from "./insurance.js";

const VENUE = "binance" as const;

/** Topic names per frame: Binance allows 10 incoming messages per second per connection. */
const BINANCE_TOPICS_PER_FRAME = 100;

/**
 * Streams Binance routes to `/public` (high-frequency book data and raw trades) since the
 * USDⓈ-M base URL split (announced 2026-03-06, legacy URLs retired 2026-04-23); everything
 * else (mark price, liquidations, aggTrade, klines) is served on `/market`. The unrouted path
 * acknowledges a SUBSCRIBE for a stream of the other route but never delivers it.
 * https://developers.binance.com/docs/derivatives/usds-margined-futures/websocket-market-streams/Important-WebSocket-Change-Notice
 */
const BINANCE_PUBLIC_STREAM = /@(?:depth|bookTicker|trade)(?:@|$)/;

function isBinanceControl(message: unknown): boolean {
  // `{"result":null,"id":1}` acknowledges a SUBSCRIBE; errors carry `error` or `code`/`msg` instead.
  return isFrame(message) && "id" in message && "result" in message && message.result === null;
}

/**
 * Binance USDⓈ-M live connection facts.
 *
 * - Streams per instrument: `<s>@trade` (raw trades, one id per execution), `<s>@depth@100ms`
 *   (diff depth with `U`/`u`/`pu`, synced against `GET /fapi/v1/depth?limit=1000` as in
 *   https://developers.binance.com/docs/derivatives/usds-margined-futures/websocket-market-streams/How-to-manage-a-local-order-book-correctly),
 *   `<s>@markPrice@1s`; venue-wide `!forceOrder@arr` (at most one liquidation per symbol per
 *   second: `sampled-1s`). Open interest has no stream: `GET /fapi/v1/openInterest` is polled
 *   every 30 s per instrument (weight 1). The insurance fund, `GET /fapi/v1/insuranceBalance`
 *   (every group of symbols in one answer, weight 1), is polled once a minute.
 * - Combined-stream endpoints (`/public/stream`, `/market/stream`) with SUBSCRIBE frames, so
 *   every message arrives in the `{"stream","data"}` envelope that names its topic.
 * - 1024 streams per connection are allowed; liqflow puts at most 200 on one.
 * - Keepalive: the server pings every 3 minutes and the runtime answers with a pong; a
 *   connection lives at most 24 h (the collector reconnects).
 * https://developers.binance.com/docs/derivatives/usds-margined-futures/websocket-market-streams
 */
export const BINANCE_CONNECTION: LiveConnectionSpec = {
  venue: VENUE,
  wsUrl: "wss://fstream.binance.com",
  restUrl: "https://fapi.binance.com",
  maxTopicsPerConnection: 200,
  topics(instrument: string): string[] {
    const s = instrument.toLowerCase();
    return [`${s}@trade`, `${s}@depth@100ms`, `${s}@markPrice@1s`];
  },
  globalTopics(): string[] {
    return ["!forceOrder@arr"];
  },
  subscribeFrames(topics: readonly string[]): string[] {
    const frames: string[] = [];
    for (let i = 0; i < topics.length; i += BINANCE_TOPICS_PER_FRAME) {
      const params = topics.slice(i, i + BINANCE_TOPICS_PER_FRAME);
      frames.push(JSON.stringify({ method: "SUBSCRIBE", params, id: frames.length + 1 }));
    }
    return frames;
  },
  keepalive: null,
  isControl: isBinanceControl,
  staleAfterMs(topic: string): number {
    // Liquidations come in bursts and can be silent for many minutes: never stale by themselves
    // (the mark price on the same connection proves the connection alive).
    if (topic.startsWith("!forceOrder")) return Number.POSITIVE_INFINITY;
    if (topic.includes("@markPrice")) return 15_000;
    if (topic.includes("@depth")) return 60_000;
    return 120_000;
  },
  liquidationSampling: "sampled-1s",
  endpoint(topic: string, wsUrl: string) {
    const route = BINANCE_PUBLIC_STREAM.test(topic) ? "public" : "market";
    return { name: route, url: `${wsUrl.replace(/\/+$/, "")}/${route}/stream` };
  },
  topicOf(_message: unknown, stream: string | undefined): string | undefined {
    return stream;
  },
  depthSnapshotUrl(restUrl: string, instrument: string): string {
    return `${restUrl.replace(/\/+$/, "")}/fapi/v1/depth?symbol=${encodeURIComponent(instrument)}&limit=1000`;
  },
  polls: [
    {
      name: "openInterest",
      everyMs: 30_000,
      url: (restUrl: string, instrument: string) =>
        `${restUrl.replace(/\/+$/, "")}/fapi/v1/openInterest?symbol=${encodeURIComponent(instrument)}`,
    },
    BINANCE_INSURANCE_POLL,
  ],
};
