/**
 * Bybit v5 public linear live connection (`wss://stream.bybit.com/v5/public/linear`): the topics
 * liqflow subscribes per instrument, subscribe frames, keepalive, staleness and the insurance
 * poll. Pure facts, no I/O; the mapper that reads what arrives is `bybit.ts`.
 *
 * Docs: https://bybit-exchange.github.io/docs/v5/ws/connect
 */
import { INSTRUMENTS } from "../domain/instruments.js";
import type { LiveConnectionSpec } from "./connection-spec.js";
import { isFrame } from "./frame.js";
import { BYBIT_INSURANCE_POLL } from "./insurance.js";

const VENUE = "bybit" as const;

/** Depth of the `orderbook` topic: Bybit linear pushes depth 200 every 100 ms. */
const BOOK_DEPTH = 200;
/** Args per subscribe frame: Bybit's spot limit is 10, the strictest category; used everywhere. */
const ARGS_PER_FRAME = 10;

/**
 * How to hold the Bybit v5 public linear connection
 * (https://bybit-exchange.github.io/docs/v5/ws/connect):
 * - client keepalive `{"op":"ping"}` every 20 s (Bybit's recommendation; the server answers
 *   `{"success":true,"ret_msg":"pong",…,"op":"ping"}`);
 * - subscribe `{"op":"subscribe","args":[…]}`, at most 10 args per frame; one connection may
 *   carry up to 21,000 characters of args (about 700 of these topics), held here to 200;
 * - per instrument: `publicTrade`, `orderbook.200`, `tickers`, `allLiquidation`; an instrument the
 *   facts table does not list on Bybit (TONUSDT) has no topics;
 * - `topicOf`: a frame names its topic (`topic`), exactly as subscribed;
 * - stale: order book and tickers push every 100 ms, so 30 s of silence is a dead stream; trades
 *   can pause for minutes on quiet symbols (10 min); liquidations can be absent for hours and never
 *   make a topic stale;
 * - REST (`https://api.bybit.com`): the insurance pools, `GET /v5/market/insurance?coin=USDT`
 *   once a minute (src/exchanges/insurance.ts).
 */
export const BYBIT_CONNECTION: LiveConnectionSpec = {
  venue: VENUE,
  wsUrl: "wss://stream.bybit.com/v5/public/linear",
  restUrl: "https://api.bybit.com",
  maxTopicsPerConnection: 200,
  topics(instrument: string): string[] {
    if (INSTRUMENTS.instrument(VENUE, instrument) === undefined) return [];
    return [`publicTrade.${instrument}`, `orderbook.${BOOK_DEPTH}.${instrument}`, `tickers.${instrument}`, `allLiquidation.${instrument}`];
  },
  globalTopics(): string[] {
    return [];
  },
  subscribeFrames(topics: readonly string[]): string[] {
    const frames: string[] = [];
    for (let i = 0; i < topics.length; i += ARGS_PER_FRAME) {
      frames.push(JSON.stringify({ op: "subscribe", args: topics.slice(i, i + ARGS_PER_FRAME) }));
    }
    return frames;
  },
  keepalive: { intervalMs: 20_000, frame: '{"op":"ping"}' },
  isControl(message: unknown): boolean {
    return isFrame(message) && typeof message.op === "string" && message.success === true && message.topic === undefined;
  },
  staleAfterMs(topic: string): number {
    if (topic.startsWith("allLiquidation.")) return Number.POSITIVE_INFINITY;
    if (topic.startsWith("publicTrade.")) return 600_000;
    return 30_000;
  },
  liquidationSampling: "complete",
  topicOf(message: unknown): string | undefined {
    return isFrame(message) && typeof message.topic === "string" ? message.topic : undefined;
  },
  polls: [BYBIT_INSURANCE_POLL],
};
