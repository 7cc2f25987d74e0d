/**
 * OKX v5 public live connection (`wss://ws.okx.com:8443/ws/v5/public`): the channels liqflow
 * subscribes per swap and venue-wide, subscribe frames, keepalive, staleness and the insurance
 * poll. Pure facts, no I/O; the mapper that reads what arrives is `okx.ts`.
 *
 * Docs: https://www.okx.com/docs-v5/en/#overview-websocket-connect
 */
import { INSTRUMENTS } from "../domain/instruments.js";
import type { LiveConnectionSpec } from "./connection-spec.js";
import { isFrame } from "./frame.js";
import { OKX_INSURANCE_POLL } from "./insurance.js";

const VENUE = "okx" as const;

/** Args per subscribe frame (a request may carry up to 64 KB; kept small so one bad arg fails little). */
const ARGS_PER_FRAME = 20;
/** Channels subscribed per instrument, in this order. */
const INSTRUMENT_CHANNELS = ["trades", "books", "mark-price", "funding-rate", "open-interest"] as const;
/** Topic of the venue-wide liquidation channel: `channel:instType`. */
const LIQUIDATION_TOPIC = "liquidation-orders:SWAP";

/**
 * How to hold the OKX v5 public connection (https://www.okx.com/docs-v5/en/#overview-websocket-connect):
 * - keepalive: OKX closes a connection silent for 30 s; the client sends the text `ping` every
 *   25 s and OKX answers the text `pong` (not JSON: `isControl("pong")` is true);
 * - topics are written `channel:instId` (`books:BTC-USDT-SWAP`), or `channel:instType` for the
 *   venue-wide `liquidation-orders:SWAP`; `subscribeFrames` turns them into
 *   `{"op":"subscribe","args":[{"channel","instId"|"instType"}]}` frames;
 * - at most 30 topics per connection: OKX recommends fewer than 30 channels per connection for
 *   the 400-level `books` channel, and that is the tightest bound;
 * - `topicOf`: a push's `arg` (`channel` and `instId`, or `instType`) names its topic;
 * - stale: `books` pushes every 100 ms and sends an empty heartbeat when nothing changes, and
 *   `mark-price` at least every 10 s, so 30 s of silence is a dead stream; `open-interest` pushes
 *   every 3 s only on change and `funding-rate` every 30–90 s (3 min); trades can pause on quiet
 *   swaps (10 min); liquidations can be absent for hours and never make a topic stale;
 * - REST: the insurance fund of each instrument family, `GET /api/v5/public/insurance-fund`,
 *   once a minute per family, spread over the minute (src/exchanges/insurance.ts).
 */
export const OKX_CONNECTION: LiveConnectionSpec = {
  venue: VENUE,
  wsUrl: "wss://ws.okx.com:8443/ws/v5/public",
  restUrl: "https://www.okx.com",
  maxTopicsPerConnection: 30,
  topics(instrument: string): string[] {
    if (INSTRUMENTS.instrument(VENUE, instrument) === undefined) return [];
    return INSTRUMENT_CHANNELS.map((channel) => `${channel}:${instrument}`);
  },
  globalTopics(): string[] {
    return [LIQUIDATION_TOPIC];
  },
  subscribeFrames(topics: readonly string[]): string[] {
    const args = topics.map((topic) => {
      const colon = topic.indexOf(":");
      const channel = topic.slice(0, colon);
      const value = topic.slice(colon + 1);
      return channel === "liquidation-orders" ? { channel, instType: value } : { channel, instId: value };
    });
    const frames: string[] = [];
    for (let i = 0; i < args.length; i += ARGS_PER_FRAME) frames.push(JSON.stringify({ op: "subscribe", args: args.slice(i, i + ARGS_PER_FRAME) }));
    return frames;
  },
  keepalive: { intervalMs: 25_000, frame: "ping" },
  isControl(message: unknown): boolean {
    if (message === "pong") return true;
    return isFrame(message) && (message.event === "subscribe" || message.event === "unsubscribe" || message.event === "channel-conn-count");
  },
  staleAfterMs(topic: string): number {
    const channel = topic.slice(0, topic.indexOf(":"));
    switch (channel) {
      case "liquidation-orders":
        return Number.POSITIVE_INFINITY;
      case "trades":
        return 600_000;
      case "funding-rate":
      case "open-interest":
        return 180_000;
      default:
        return 30_000;
    }
  },
  liquidationSampling: "sampled-1s",
  topicOf(message: unknown): string | undefined {
    if (!isFrame(message) || !isFrame(message.arg) || typeof message.arg.channel !== "string" || "event" in message) return undefined;
    const key = message.arg.instId ?? message.arg.instType;
    return typeof key === "string" ? `${message.arg.channel}:${key}` : undefined;
  },
  polls: [OKX_INSURANCE_POLL],
};
