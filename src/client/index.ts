/**
 * liqflow's client: the `/v1/stream` WebSocket client and typed HTTP reads, framework-free,
 * for browsers and Node 20+. Import it as `liqflow/client`.
 *
 * ```ts
 * import { LiqflowStream, LiqflowHttp } from "liqflow/client";
 * const stream = new LiqflowStream("https://liqflow.example");      // Node 20: { WebSocket } from "ws"
 * stream.subscribe(["BTCUSDT:bias"], (m) => console.log(m.type, m.seq, m.data.bias.day?.score));
 * const http = new LiqflowHttp("https://liqflow.example");
 * const { symbols } = await http.symbols();
 * ```
 */
export { backoffDelayMs, DEFAULT_BACKOFF, type BackoffOptions } from "./backoff.js";
export { ALL_BIAS, channelOf, isChannel, splitChannel, SYMBOL_PATTERN } from "./channels.js";
export {
  EMBED_DEFAULTS,
  EMBED_MODES,
  EMBED_SIZES,
  EMBED_THEMES,
  embedPagePath,
  embedSnippet,
  parseEmbedOptions,
  type EmbedOptions,
  type EmbedSize,
  type EmbedTheme,
} from "./embed.js";
export { isNotAvailable, LiqflowError, LiqflowHttp, type HeatmapQuery, type HttpOptions } from "./http.js";
export {
  LiqflowStream,
  MAX_CHANNELS_PER_MESSAGE,
  streamUrl,
  type ChannelMessage,
  type GapInfo,
  type StateInfo,
  type StreamError,
  type StreamOptions,
  type StreamState,
  type SubscribeOptions,
  type Subscription,
  type WebSocketConstructor,
} from "./stream.js";
export type * from "./types.js";
