/**
 * The stream client's vocabulary: the messages, errors, states and options of `LiqflowStream`
 * (src/client/stream.ts re-exports every public one), shared by its parts (connection,
 * subscription registry, channel sequencer, send queue) so none of them imports the class.
 */
import type { BackoffOptions } from "./backoff.js";

export type StreamState = "idle" | "connecting" | "open" | "reconnecting" | "closed";

/** A value on a channel, delivered to its listeners. */
export interface ChannelMessage<T = unknown> {
  /** `snapshot`: the channel's full current value; `update`: the next value. */
  type: "snapshot" | "update";
  /** The real channel (`BTCUSDT:bias` also for a `*:bias` subscription). */
  channel: string;
  seq: number;
  data: T;
  /** How many updates the server folded into this one (absent for 1). */
  coalesced?: number;
  /**
   * Map channels (`heatmap`, `levels`): the RFC 7386 merge patch the server sent, already
   * applied to give `data` (absent when the server sent the full value).
   */
  patch?: Record<string, unknown>;
  /** True when updates were lost before this one; a fresh snapshot has been requested. */
  gap?: boolean;
}

/** An error reported by the server (`{"type":"error"}`) or by the client itself. */
export interface StreamError {
  code: string;
  message: string;
  /** The channels it concerns, when known. */
  channels?: string[];
}

export interface StateInfo {
  /** Reconnect attempt (0 = the first retry) when `reconnecting`. */
  attempt?: number;
  /** Delay before the next attempt when `reconnecting`, ms. */
  delayMs?: number;
  /** Close code and reason of the connection that ended. */
  code?: number;
  reason?: string;
}

export interface GapInfo {
  channel: string;
  /** The seq that should have come next. */
  expected: number;
  received: number;
}

export interface Subscription {
  readonly channels: readonly string[];
  /** Resolves when the server has confirmed every channel; rejects when it refuses one. */
  readonly ready: Promise<void>;
  unsubscribe(): void;
}

/** A channel without a value yet (the server's `nodata`): its value comes later as a snapshot. */
export interface NoDataInfo {
  /** The real channel (`SOLUSDT:bias` also for a `*:bias` subscription). */
  channel: string;
  /** Why, in words (e.g. "no data for SOLUSDT yet: its feeds have delivered no event"). */
  reason: string;
}

export interface SubscribeOptions {
  /** Called when the server refuses one of the channels (e.g. `unknown_symbol`). */
  onError?: (error: StreamError) => void;
  /** Called when a channel has no value yet; the listener gets its snapshot once data arrives. */
  onNoData?: (info: NoDataInfo) => void;
}

/** Any constructor with the browser WebSocket's shape: `new WebSocket(url)`. */
export type WebSocketConstructor = new (url: string) => unknown;

export interface StreamOptions {
  /** WebSocket implementation; defaults to `globalThis.WebSocket`. */
  WebSocket?: WebSocketConstructor;
  /** Reconnect delays (default 500 ms doubling to 30 s, equal jitter: `DEFAULT_BACKOFF`). */
  backoff?: BackoffOptions;
  /** Random source for the backoff jitter (default Math.random). */
  random?: () => number;
  /** Ping interval, ms (default 20 000; 0 disables). */
  heartbeatMs?: number;
  /** Silence after a ping that counts as a dead connection, ms (default 10 000). */
  heartbeatTimeoutMs?: number;
  /** A connection open this long resets the backoff, ms (default 10 000). */
  stableAfterMs?: number;
  /** Client send budget: a burst, then messages per second (default 10, then 5/s). */
  sendBurst?: number;
  sendPerS?: number;
  /** Requests within this window go out as one message, ms (default 10). */
  batchMs?: number;
  /** How to re-request a channel after a gap (default `snapshot`). */
  resync?: "snapshot" | "resubscribe";
  /** Connect on the first subscribe (default true). */
  autoConnect?: boolean;
}

/** The stream's events and their handlers' signatures (`LiqflowStream.on`). */
export interface StreamEvents {
  state: (state: StreamState, info: StateInfo) => void;
  error: (error: StreamError) => void;
  gap: (gap: GapInfo) => void;
}

/** The part of a WebSocket the client uses (browser, `ws` and Node's undici all have it). */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code: number; reason: string }) => void) | null;
  onerror: ((event: unknown) => void) | null;
}

/** A channel listener as the parts hold it (the public signature narrows `data` per channel). */
export type Listener = (message: ChannelMessage<any>) => void;

/** `WebSocket.OPEN`. */
export const OPEN = 1;
