/**
 * Hyperliquid live connection (`wss://api.hyperliquid.xyz/ws`): the subscriptions liqflow holds
 * per coin, keepalive and staleness; no liquidation stream, no REST. Pure facts, no I/O; the
 * mapper that reads what arrives is `hyperliquid.ts`.
 *
 * Docs: https://hyperliquid.gitbook.io/hyperliquid-docs/for-developers/api/websocket
 */
import { INSTRUMENTS } from "../domain/instruments.js";
import type { LiveConnectionSpec } from "./connection-spec.js";
import { isFrame } from "./frame.js";

const VENUE = "hyperliquid" as const;

/** Subscription types per coin, in this order. */
const COIN_SUBSCRIPTIONS = ["trades", "l2Book", "activeAssetCtx"] as const;

/**
 * How to hold the Hyperliquid connection
 * (https://hyperliquid.gitbook.io/hyperliquid-docs/for-developers/api/websocket):
 * - keepalive: the server closes a connection it has not heard from in 60 s; the client sends
 *   `{"method":"ping"}` every 30 s and the server answers `{"channel":"pong"}`;
 * - topics are written `type:coin` (`l2Book:BTC`); each becomes one
 *   `{"method":"subscribe","subscription":{"type","coin"}}` frame (one subscription per frame);
 * - Hyperliquid allows 1000 subscriptions per IP across connections; 300 per connection here;
 * - `topicOf`: the push's `channel` and the `coin` of its data name its topic;
 * - stale: `l2Book` pushes on every block that changes the top 20 levels (sub-second on listed
 *   coins) and `activeAssetCtx` on every change of the context, so 30 s / 60 s of silence is a
 *   dead stream; trades can pause on quiet coins (10 min). No liquidation stream.
 */
export const HYPERLIQUID_CONNECTION: LiveConnectionSpec = {
  venue: VENUE,
  wsUrl: "wss://api.hyperliquid.xyz/ws",
  restUrl: null,
  maxTopicsPerConnection: 300,
  topics(instrument: string): string[] {
    if (INSTRUMENTS.instrument(VENUE, instrument) === undefined) return [];
    return COIN_SUBSCRIPTIONS.map((type) => `${type}:${instrument}`);
  },
  globalTopics(): string[] {
    return [];
  },
  subscribeFrames(topics: readonly string[]): string[] {
    return topics.map((topic) => {
      const colon = topic.indexOf(":");
      return JSON.stringify({ method: "subscribe", subscription: { type: topic.slice(0, colon), coin: topic.slice(colon + 1) } });
    });
  },
  keepalive: { intervalMs: 30_000, frame: '{"method":"ping"}' },
  isControl(message: unknown): boolean {
    return isFrame(message) && (message.channel === "pong" || message.channel === "subscriptionResponse");
  },
  staleAfterMs(topic: string): number {
    if (topic.startsWith("trades:")) return 600_000;
    if (topic.startsWith("activeAssetCtx:")) return 60_000;
    return 30_000;
  },
  liquidationSampling: null,
  topicOf(message: unknown): string | undefined {
    if (!isFrame(message) || typeof message.channel !== "string") return undefined;
    const data = message.data;
    const first = Array.isArray(data) ? data[0] : data;
    return isFrame(first) && typeof first.coin === "string" ? `${message.channel}:${first.coin}` : undefined;
  },
};
