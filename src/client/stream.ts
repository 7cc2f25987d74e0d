/**
 * LiqflowStream: the typed client of `/v1/stream` (protocol in docs/stream.md), for browsers
 * (the dashboard and the widget use it) and Node (pass the `ws` package's constructor, or use
 * the global `WebSocket` of Node ≥ 22 / Node 20 with `--experimental-websocket`).
 *
 * What it does for you:
 * - **Subscriptions by listener.** `subscribe(channels, listener)` returns a handle; any number
 *   of listeners may share a channel (one server subscription, reference-counted), and requests
 *   made in the same tick go out as one message.
 * - **Reconnect** with exponential backoff and jitter (see backoff.ts); the attempt counter
 *   resets once a connection has stayed up `stableAfterMs`. After a reconnect every channel
 *   is subscribed again, which brings a fresh snapshot of each.
 * - **No data, said so.** A channel without a value yet is answered `nodata` by the server;
 *   the client hands it to `onNoData` of the channel's subscribers, and the value follows as
 *   a snapshot when the data arrives.
 * - **Gap detection.** The server sends each channel in order: a snapshot first, then seqs that
 *   grow by one, or by `coalesced` when it folded updates together, and a new snapshot rather
 *   than a hole (docs/stream.md). A larger jump still means an update was lost (a server
 *   without that guarantee), so the client asks for a fresh snapshot (`{"op":"snapshot"}`, or a
 *   re-subscribe with `resync: "resubscribe"`). Stale or duplicate updates (seq not above the
 *   last one) are dropped. Sequences are tracked per connection, so a restarted server never
 *   makes the client ignore it.
 * - **Liveness.** An application-level ping every `heartbeatMs` (answered by the server's
 *   runtime without waking the object); no message within `heartbeatTimeoutMs` after a ping
 *   drops the connection and reconnects.
 * - **Politeness.** Its own send budget (a token bucket below the server's limit of a burst of
 *   20 then 10 messages/s, which closes a socket with 1008), and at most 100 channels per message.
 */
import { backoffDelayMs, type BackoffOptions } from "./backoff.js";
import { ALL_BIAS, deliveryKeys, isChannel, splitChannel } from "./channels.js";
import { applyMergePatch } from "../protocol/merge-patch.js";
import type { ChannelData } from "./types.js";

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

interface StreamEvents {
  state: (state: StreamState, info: StateInfo) => void;
  error: (error: StreamError) => void;
  gap: (gap: GapInfo) => void;
}

/** The part of a WebSocket the client uses (browser, `ws` and Node's undici all have it). */
interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code: number; reason: string }) => void) | null;
  onerror: ((event: unknown) => void) | null;
}

type Listener = (message: ChannelMessage<any>) => void;

interface Entry {
  channels: string[];
  /** Real channels this listener has had a value of, on the current connection. */
  seen: Set<string>;
  listener: Listener;
  onError?: (error: StreamError) => void;
  onNoData?: (info: NoDataInfo) => void;
  settled: boolean;
  resolve: () => void;
  reject: (error: StreamError) => void;
}

type Timer = ReturnType<typeof setTimeout>;

/** The server accepts at most this many channels in one message. */
export const MAX_CHANNELS_PER_MESSAGE = 100;
const OPEN = 1;

const DEFAULTS = {
  heartbeatMs: 20_000,
  heartbeatTimeoutMs: 10_000,
  stableAfterMs: 10_000,
  sendBurst: 10,
  sendPerS: 5,
  batchMs: 10,
  resync: "snapshot" as "snapshot" | "resubscribe",
  autoConnect: true,
};

/**
 * The stream URL for a liqflow origin or URL: `https://host` → `wss://host/v1/stream`;
 * a `ws(s)://` URL is kept as it is.
 */
export function streamUrl(base: string): string {
  const u = new URL(base);
  if (u.protocol === "ws:" || u.protocol === "wss:") return u.toString();
  if (u.protocol !== "http:" && u.protocol !== "https:") throw new TypeError(`streamUrl: expected an http(s) or ws(s) URL, got ${base}`);
  u.protocol = u.protocol === "https:" ? "wss:" : "ws:";
  if (u.pathname === "/" || u.pathname === "") u.pathname = "/v1/stream";
  return u.toString();
}

export class LiqflowStream {
  readonly url: string;
  private readonly options: typeof DEFAULTS & Pick<StreamOptions, "backoff" | "random">;
  private readonly Socket: WebSocketConstructor;
  private socket: SocketLike | null = null;
  private current: StreamState = "idle";
  private attempt = 0;
  private openedAtMs = 0;
  private stopped = false;
  private resync: "snapshot" | "resubscribe";

  /** Listeners per subscription key (a channel or `*:bias`). */
  private readonly entries = new Map<string, Set<Entry>>();
  /** Keys the server confirmed on the current connection. */
  private readonly acked = new Set<string>();
  /** Subscribe batches sent on the current connection and not yet confirmed, oldest first. */
  private inflight: string[][] = [];
  /** Snapshot requests sent on the current connection (to recognise a server without the op). */
  private snapshotsSent = 0;
  private readonly toSubscribe = new Set<string>();
  private readonly toUnsubscribe = new Set<string>();
  private readonly toSnapshot = new Set<string>();
  /** Last seq per real channel on the current connection. */
  private readonly seqs = new Map<string, number>();
  /** Last value per channel, the base of the next merge patch (map channels only). */
  private readonly values = new Map<string, unknown>();
  /** Channels whose next snapshot repairs a gap (delivered to every listener). */
  private readonly resyncing = new Set<string>();

  private outbox: string[] = [];
  private tokens = 0;
  private tokensAtMs = 0;

  private flushTimer: Timer | null = null;
  private drainTimer: Timer | null = null;
  private reconnectTimer: Timer | null = null;
  private heartbeatTimer: Timer | null = null;
  private pongTimer: Timer | null = null;

  private readonly handlers: { [E in keyof StreamEvents]: Set<StreamEvents[E]> } = { state: new Set(), error: new Set(), gap: new Set() };
  private readonly onOnline = () => {
    if (this.current !== "reconnecting") return;
    this.attempt = 0;
    this.clearTimer("reconnectTimer");
    this.open();
  };

  constructor(url: string, options: StreamOptions = {}) {
    this.url = streamUrl(url);
    this.options = { ...DEFAULTS, ...dropUndefined(options) };
    this.resync = this.options.resync;
    const Socket = options.WebSocket ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
    if (!Socket) {
      throw new TypeError(
        "LiqflowStream: no WebSocket implementation; pass options.WebSocket (e.g. the ws package) or use Node ≥ 22 (Node 20: --experimental-websocket)",
      );
    }
    this.Socket = Socket;
  }

  get state(): StreamState {
    return this.current;
  }

  /** Opens the connection (again, after `close()`). Idempotent while connected. */
  connect(): void {
    if (this.current !== "idle" && this.current !== "closed") return;
    this.stopped = false;
    this.attempt = 0;
    const g = globalThis as { addEventListener?: (type: string, fn: () => void) => void };
    g.addEventListener?.("online", this.onOnline);
    this.open();
  }

  /** Closes the connection and stops reconnecting. Subscriptions are kept for a later `connect()`. */
  close(): void {
    this.stopped = true;
    const g = globalThis as { removeEventListener?: (type: string, fn: () => void) => void };
    g.removeEventListener?.("online", this.onOnline);
    for (const t of ["flushTimer", "drainTimer", "reconnectTimer", "heartbeatTimer", "pongTimer"] as const) this.clearTimer(t);
    const ws = this.socket;
    this.socket = null;
    if (ws) closeQuietly(ws, 1000, "client closed");
    this.openedAtMs = 0;
    this.setState("closed", {});
  }

  /**
   * Listens to one or more channels (`BTCUSDT:bias`, `ETHUSDT:liquidations`, `*:bias`). The
   * listener first gets each channel's snapshot, then its updates. Throws a TypeError for a
   * malformed channel name; a well-formed but unknown symbol is refused by the server
   * (`ready` rejects and `onError` is called).
   */
  subscribe<C extends string>(
    channels: C | readonly C[],
    listener: (message: ChannelMessage<ChannelData<C>>) => void,
    options: SubscribeOptions = {},
  ): Subscription {
    const list = [...new Set(typeof channels === "string" ? [channels] : channels)] as string[];
    if (list.length === 0) throw new TypeError("subscribe: no channels");
    for (const c of list) if (!isChannel(c)) throw new TypeError(`subscribe: "${c}" is not a channel (SYMBOL:kind or *:bias)`);
    if (typeof listener !== "function") throw new TypeError("subscribe: listener must be a function");

    let resolve!: () => void;
    let reject!: (error: StreamError) => void;
    const ready = new Promise<void>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    // Nobody has to await `ready`: an unobserved refusal must not become an unhandled rejection.
    ready.catch(() => undefined);
    const entry: Entry = { channels: list, seen: new Set(), listener: listener as Listener, onError: options.onError, onNoData: options.onNoData, settled: false, resolve, reject };

    const joined: string[] = [];
    for (const key of list) {
      let set = this.entries.get(key);
      if (!set) {
        this.entries.set(key, (set = new Set()));
        this.toUnsubscribe.delete(key);
        this.toSubscribe.add(key);
      } else {
        joined.push(key);
      }
      set.add(entry);
    }
    // A listener joining a channel that is already subscribed needs its current value; so does
    // one whose new key overlaps channels the connection already receives (`*:bias` and
    // `BTCUSDT:bias`): the server sends each real channel's snapshot once per connection.
    const current = [...joined.filter((k) => this.acked.has(k)), ...list.filter((k) => !joined.includes(k)).flatMap((k) => this.alreadyReceived(k))];
    if (current.length > 0) this.requestSnapshot([...new Set(current)]);
    this.settle(entry);
    this.scheduleFlush();
    if (this.options.autoConnect && this.current === "idle") this.connect();

    let active = true;
    return {
      channels: list,
      ready,
      unsubscribe: () => {
        if (!active) return;
        active = false;
        this.removeEntry(entry);
        if (!entry.settled) {
          entry.settled = true;
          entry.reject({ code: "unsubscribed", message: "unsubscribed before the server confirmed", channels: list });
        }
      },
    };
  }

  /** Real channels of a new key that the connection already receives through another, confirmed key. */
  private alreadyReceived(key: string): string[] {
    if (key === ALL_BIAS) return [...this.acked].filter((k) => k !== ALL_BIAS && k.endsWith(":bias"));
    return key.endsWith(":bias") && this.acked.has(ALL_BIAS) ? [key] : [];
  }

  /** Asks the server for the current value of channels (delivered as `snapshot` messages). */
  requestSnapshot(channels: readonly string[]): void {
    for (const c of channels) {
      if (!isChannel(c)) throw new TypeError(`requestSnapshot: "${c}" is not a channel`);
      this.toSnapshot.add(c);
    }
    if (channels.length > 0) this.scheduleFlush();
  }

  on<E extends keyof StreamEvents>(event: E, handler: StreamEvents[E]): () => void {
    const set = this.handlers[event] as Set<StreamEvents[E]>;
    set.add(handler);
    return () => set.delete(handler);
  }

  // ── connection ────────────────────────────────────────────────────────────────────────

  private open(): void {
    this.reconnectTimer = null;
    if (this.stopped) return;
    this.setState("connecting", {});
    let ws: SocketLike;
    try {
      ws = new this.Socket(this.url) as SocketLike;
    } catch (err) {
      this.emit("error", { code: "connect_failed", message: String(err) });
      this.scheduleReconnect({ reason: "connect failed" });
      return;
    }
    this.socket = ws;
    ws.onopen = () => {
      if (this.socket === ws) this.onOpen();
    };
    ws.onmessage = (event) => {
      if (this.socket === ws) this.onMessage(event.data);
    };
    ws.onclose = (event) => {
      if (this.socket === ws) this.onGone(event.code, event.reason);
    };
    // An error is always followed by a close.
    ws.onerror = () => undefined;
  }

  private onOpen(): void {
    this.openedAtMs = Date.now();
    this.acked.clear();
    this.inflight = [];
    this.snapshotsSent = 0;
    this.seqs.clear();
    this.values.clear();
    this.resyncing.clear();
    for (const set of this.entries.values()) for (const entry of set) entry.seen.clear();
    this.outbox = [];
    this.tokens = this.options.sendBurst;
    this.tokensAtMs = this.openedAtMs;
    // A subscribe brings a snapshot of every channel: nothing else to re-request.
    this.toSnapshot.clear();
    this.toUnsubscribe.clear();
    for (const key of this.entries.keys()) this.toSubscribe.add(key);
    this.setState("open", {});
    this.flush();
    this.startHeartbeat();
  }

  /** The current connection ended (closed by the server, the network, or a heartbeat timeout). */
  private onGone(code: number, reason: string): void {
    this.socket = null;
    this.clearTimer("heartbeatTimer");
    this.clearTimer("pongTimer");
    this.clearTimer("drainTimer");
    if (this.stopped) return;
    if (this.openedAtMs > 0 && Date.now() - this.openedAtMs >= this.options.stableAfterMs) this.attempt = 0;
    this.openedAtMs = 0;
    this.scheduleReconnect({ code, reason });
  }

  private scheduleReconnect(info: StateInfo): void {
    const attempt = this.attempt++;
    const delayMs = backoffDelayMs(attempt, this.options.backoff, this.options.random);
    this.setState("reconnecting", { ...info, attempt, delayMs });
    this.reconnectTimer = setTimeout(() => this.open(), delayMs);
  }

  /** Gives up on the current socket at once (its close event may take long on a dead network). */
  private drop(reason: string): void {
    const ws = this.socket;
    if (!ws) return;
    this.socket = null;
    closeQuietly(ws, 4000, reason);
    this.onGone(4000, reason);
  }

  private startHeartbeat(): void {
    const { heartbeatMs, heartbeatTimeoutMs } = this.options;
    if (!(heartbeatMs > 0)) return;
    const tick = () => {
      this.heartbeatTimer = setTimeout(tick, heartbeatMs);
      if (this.pongTimer !== null || this.outbox.length > 0) return;
      this.enqueue(`{"op":"ping"}`);
      this.pongTimer = setTimeout(() => this.drop("heartbeat timeout"), heartbeatTimeoutMs);
    };
    this.heartbeatTimer = setTimeout(tick, heartbeatMs);
  }

  // ── inbound ───────────────────────────────────────────────────────────────────────────

  private onMessage(raw: unknown): void {
    this.clearTimer("pongTimer");
    const text = typeof raw === "string" ? raw : raw instanceof ArrayBuffer ? new TextDecoder().decode(raw) : String(raw);
    let msg: Record<string, unknown>;
    try {
      msg = JSON.parse(text) as Record<string, unknown>;
    } catch {
      this.emit("error", { code: "bad_server_message", message: "the server sent a frame that is not JSON" });
      return;
    }
    if (msg === null || typeof msg !== "object") return;
    switch (msg.type) {
      case "snapshot":
      case "update":
        if (typeof msg.channel === "string" && typeof msg.seq === "number") this.onChannelMessage(msg as unknown as ChannelMessage);
        return;
      case "nodata":
        if (typeof msg.channel === "string") this.onNoData({ channel: msg.channel, reason: typeof msg.reason === "string" ? msg.reason : "no data yet" });
        return;
      case "subscribed":
        if (Array.isArray(msg.channels)) this.onSubscribed(msg.channels.filter((c): c is string => typeof c === "string"));
        return;
      case "error":
        this.onServerError({ code: String(msg.code ?? "error"), message: String(msg.message ?? "") });
        return;
      default:
        // pong, unsubscribed, and anything a newer server adds
        return;
    }
  }

  private onChannelMessage(msg: ChannelMessage): void {
    const last = this.seqs.get(msg.channel);
    let gap = false;
    // A snapshot of the value listeners already have only goes to those that have not (a late joiner).
    let onlyUnseen = false;
    if (msg.type === "snapshot") {
      if (last !== undefined && msg.seq < last) return;
      onlyUnseen = last !== undefined && msg.seq === last && !this.resyncing.has(msg.channel);
      this.resyncing.delete(msg.channel);
    } else {
      if (last !== undefined && msg.seq <= last) return;
      const step = Math.max(1, typeof msg.coalesced === "number" ? msg.coalesced : 1);
      const patched = isPatch(msg.patch);
      // A patch needs the value at seq - 1; without it, it is a gap however the seqs look.
      if ((last !== undefined && msg.seq - last > step) || (patched && (last === undefined || !this.values.has(msg.channel)))) {
        gap = true;
        this.emit("gap", { channel: msg.channel, expected: (last ?? msg.seq - 1) + 1, received: msg.seq });
        if (!this.resyncing.has(msg.channel)) {
          this.resyncing.add(msg.channel);
          this.requestSnapshot([msg.channel]);
        }
        // A patch of an unknown base is useless: wait for the snapshot.
        if (patched) return;
      }
    }
    let data = msg.data;
    if (msg.type === "update" && isPatch(msg.patch)) data = applyMergePatch(this.values.get(msg.channel), msg.patch);
    if (isMapChannel(msg.channel)) this.values.set(msg.channel, data);
    this.seqs.set(msg.channel, msg.seq);
    const message: ChannelMessage = { type: msg.type, channel: msg.channel, seq: msg.seq, data };
    if (typeof msg.coalesced === "number") message.coalesced = msg.coalesced;
    if (msg.type === "update" && isPatch(msg.patch)) message.patch = msg.patch;
    if (gap) message.gap = true;
    const seen = new Set<Entry>();
    for (const key of deliveryKeys(msg.channel)) {
      for (const entry of [...(this.entries.get(key) ?? [])]) {
        if (seen.has(entry) || (onlyUnseen && entry.seen.has(msg.channel))) continue;
        seen.add(entry);
        entry.seen.add(msg.channel);
        try {
          entry.listener(message);
        } catch (err) {
          this.emit("error", { code: "listener_error", message: String(err), channels: [msg.channel] });
        }
      }
    }
  }

  /** The channel has no value: what listeners held is void; its next message is a snapshot. */
  private onNoData(info: NoDataInfo): void {
    this.seqs.delete(info.channel);
    this.values.delete(info.channel);
    this.resyncing.delete(info.channel);
    const told = new Set<Entry>();
    for (const key of deliveryKeys(info.channel)) {
      for (const entry of [...(this.entries.get(key) ?? [])]) {
        if (told.has(entry)) continue;
        told.add(entry);
        entry.seen.delete(info.channel);
        try {
          entry.onNoData?.(info);
        } catch (err) {
          this.emit("error", { code: "listener_error", message: String(err), channels: [info.channel] });
        }
      }
    }
  }

  private onSubscribed(channels: string[]): void {
    for (const c of channels) this.acked.add(c);
    const key = batchKey(channels);
    const i = this.inflight.findIndex((b) => batchKey(b) === key);
    if (i >= 0) this.inflight.splice(i, 1);
    for (const set of this.entries.values()) for (const entry of set) this.settle(entry);
  }

  private onServerError(error: StreamError): void {
    if (error.code === "unknown_symbol") {
      // The server refuses the whole message: drop the unknown channels, send the others again.
      const unknown = new Set(error.message.slice(error.message.indexOf(":") + 1).split(",").map((s) => s.trim()));
      const batch = this.takeInflight((b) => b.some((c) => unknown.has(splitChannel(c).symbol)));
      const refused = (batch ?? [...this.entries.keys()].filter((k) => !this.acked.has(k))).filter((c) => unknown.has(splitChannel(c).symbol));
      for (const c of batch ?? []) if (!refused.includes(c) && this.entries.has(c)) this.toSubscribe.add(c);
      this.refuse(refused, { ...error, channels: refused });
      this.scheduleFlush();
    } else if (error.code === "too_many_channels") {
      const batch = this.takeInflight(() => true) ?? [];
      this.refuse(batch, { ...error, channels: batch });
    } else if (error.code === "bad_message" && /^op\b/.test(error.message) && this.snapshotsSent > 0 && this.resync === "snapshot") {
      // A server without the snapshot op: re-subscribing also yields a snapshot.
      this.resync = "resubscribe";
      this.snapshotsSent = 0;
      for (const key of this.entries.keys()) this.toSubscribe.add(key);
      this.scheduleFlush();
      return;
    }
    this.emit("error", error);
  }

  private takeInflight(match: (batch: string[]) => boolean): string[] | undefined {
    const i = this.inflight.findIndex(match);
    return i >= 0 ? this.inflight.splice(i, 1)[0] : undefined;
  }

  /** The server refused these channels: their listeners are removed and told why. */
  private refuse(channels: string[], error: StreamError): void {
    const told = new Set<Entry>();
    for (const key of channels) {
      const set = this.entries.get(key);
      if (!set) continue;
      this.entries.delete(key);
      this.toSubscribe.delete(key);
      for (const entry of set) {
        entry.channels = entry.channels.filter((c) => c !== key);
        if (told.has(entry)) continue;
        told.add(entry);
        if (!entry.settled) {
          entry.settled = true;
          entry.reject(error);
        }
        try {
          entry.onError?.(error);
        } catch {
          // a throwing error handler must not break the stream
        }
      }
    }
  }

  private settle(entry: Entry): void {
    if (entry.settled || !entry.channels.every((c) => this.acked.has(c))) return;
    entry.settled = true;
    entry.resolve();
  }

  private removeEntry(entry: Entry): void {
    for (const key of entry.channels) {
      const set = this.entries.get(key);
      if (!set) continue;
      set.delete(entry);
      if (set.size > 0) continue;
      this.entries.delete(key);
      this.toSubscribe.delete(key);
      if (this.acked.has(key) || this.inflight.some((b) => b.includes(key))) this.toUnsubscribe.add(key);
    }
    this.scheduleFlush();
  }

  // ── outbound ──────────────────────────────────────────────────────────────────────────

  private scheduleFlush(): void {
    if (this.flushTimer !== null) return;
    this.flushTimer = setTimeout(() => {
      this.flushTimer = null;
      this.flush();
    }, this.options.batchMs);
  }

  /** Turns pending requests into messages (only on an open socket; `onOpen` re-derives them). */
  private flush(): void {
    if (!this.socket || this.socket.readyState !== OPEN || this.current !== "open") return;
    const unsubscribe = [...this.toUnsubscribe].filter((k) => !this.entries.has(k));
    this.toUnsubscribe.clear();
    for (const chunk of chunks(unsubscribe)) {
      for (const k of chunk) this.acked.delete(k);
      this.enqueue(JSON.stringify({ op: "unsubscribe", channels: chunk }));
    }
    const subscribe = [...this.toSubscribe].filter((k) => this.entries.has(k));
    this.toSubscribe.clear();
    // A subscribe brings the snapshot of each real channel the connection does not receive yet
    // (a request for one of those is redundant); one it already receives must be asked for.
    const received = (c: string) => deliveryKeys(c).some((k) => this.acked.has(k) || this.inflight.some((b) => b.includes(k)));
    const subscribing = new Set(subscribe);
    const snapshot = [...this.toSnapshot].filter((c) => received(c) || !deliveryKeys(c).some((k) => subscribing.has(k)));
    this.toSnapshot.clear();
    for (const chunk of chunks(subscribe)) {
      this.inflight.push(chunk);
      this.enqueue(JSON.stringify({ op: "subscribe", channels: chunk }));
    }
    if (snapshot.length === 0) return;
    if (this.resync === "snapshot") {
      for (const chunk of chunks(snapshot)) {
        this.snapshotsSent++;
        this.enqueue(JSON.stringify({ op: "snapshot", channels: chunk }));
      }
    } else {
      // Re-subscribing the key that covers each channel re-sends its snapshot.
      const keys = new Set(snapshot.map((c) => (this.entries.has(c) ? c : ALL_BIAS)).filter((k) => this.entries.has(k)));
      for (const chunk of chunks([...keys])) {
        this.inflight.push(chunk);
        this.enqueue(JSON.stringify({ op: "subscribe", channels: chunk }));
      }
    }
  }

  private enqueue(frame: string): void {
    this.outbox.push(frame);
    this.drain();
  }

  /** Sends queued frames within the budget; the rest wait for tokens. */
  private drain(): void {
    this.drainTimer = null;
    const ws = this.socket;
    if (!ws || ws.readyState !== OPEN) return;
    const now = Date.now();
    const { sendBurst, sendPerS } = this.options;
    this.tokens = Math.min(sendBurst, this.tokens + ((now - this.tokensAtMs) / 1000) * sendPerS);
    this.tokensAtMs = now;
    while (this.outbox.length > 0 && this.tokens >= 1) {
      this.tokens -= 1;
      try {
        ws.send(this.outbox.shift()!);
      } catch {
        return; // the close event follows
      }
    }
    if (this.outbox.length > 0 && this.drainTimer === null) {
      this.drainTimer = setTimeout(() => this.drain(), Math.ceil(((1 - this.tokens) / sendPerS) * 1000));
    }
  }

  // ── plumbing ──────────────────────────────────────────────────────────────────────────

  private setState(state: StreamState, info: StateInfo): void {
    this.current = state;
    this.emit("state", state, info);
  }

  private emit<E extends keyof StreamEvents>(event: E, ...args: Parameters<StreamEvents[E]>): void {
    for (const handler of this.handlers[event]) {
      try {
        (handler as (...a: Parameters<StreamEvents[E]>) => void)(...args);
      } catch {
        // a throwing event handler must not break the stream
      }
    }
  }

  private clearTimer(name: "flushTimer" | "drainTimer" | "reconnectTimer" | "heartbeatTimer" | "pongTimer"): void {
    const t = this[name];
    if (t !== null) clearTimeout(t);
    this[name] = null;
  }
}

function closeQuietly(ws: SocketLike, code: number, reason: string): void {
  ws.onopen = null;
  ws.onmessage = null;
  ws.onclose = null;
  ws.onerror = () => undefined;
  try {
    ws.close(code, reason);
  } catch {
    // already closing
  }
}

function chunks(list: string[]): string[][] {
  const out: string[][] = [];
  for (let i = 0; i < list.length; i += MAX_CHANNELS_PER_MESSAGE) out.push(list.slice(i, i + MAX_CHANNELS_PER_MESSAGE));
  return out;
}

function batchKey(channels: readonly string[]): string {
  return [...channels].sort().join(",");
}

function dropUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function isPatch(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Channels whose updates may be merge patches (see src/protocol/stream.ts). */
function isMapChannel(channel: string): boolean {
  const kind = splitChannel(channel).kind;
  return kind === "heatmap" || kind === "levels";
}
