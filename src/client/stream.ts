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
 *
 * The class is thin glue over four parts, one concept each: `StreamConnection` (socket
 * lifecycle, reconnect, heartbeat; stream-connection.ts), `SubscriptionRegistry` (listeners,
 * confirmations, batched requests; stream-subscriptions.ts), `ChannelSequencer` (per-channel
 * seq, snapshot and patch application, gap → resnapshot; stream-sequencer.ts) and `SendQueue`
 * (the send budget; stream-send-queue.ts).
 */
import { clientBackoff } from "./backoff.js";
import { isChannel } from "./channels.js";
import { StreamConnection, type NetworkEvents } from "./stream-connection.js";
import { SYSTEM_SCHEDULER, TimerSlot } from "./stream-scheduler.js";
import { SendQueue } from "./stream-send-queue.js";
import { ChannelSequencer } from "./stream-sequencer.js";
import { SubscriptionRegistry, type ListenerEntry, type ResyncMode } from "./stream-subscriptions.js";
import type {
  ChannelMessage,
  Listener,
  NoDataInfo,
  StreamError,
  StreamEvents,
  StreamOptions,
  StreamState,
  SubscribeOptions,
  Subscription,
  WebSocketConstructor,
} from "./stream-types.js";
import type { ChannelData } from "./types.js";

export { MAX_CHANNELS_PER_MESSAGE } from "./stream-subscriptions.js";
export type {
  ChannelMessage,
  GapInfo,
  NoDataInfo,
  StateInfo,
  StreamError,
  StreamOptions,
  StreamState,
  SubscribeOptions,
  Subscription,
  WebSocketConstructor,
} from "./stream-types.js";

const DEFAULTS = {
  heartbeatMs: 20_000,
  heartbeatTimeoutMs: 10_000,
  stableAfterMs: 10_000,
  sendBurst: 10,
  sendPerS: 5,
  batchMs: 10,
  resync: "snapshot" as ResyncMode,
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
  private readonly options: typeof DEFAULTS;
  private readonly connection: StreamConnection;
  private readonly subscriptions: SubscriptionRegistry;
  private readonly sequencer = new ChannelSequencer();
  private readonly queue: SendQueue;
  private readonly flushTimer = new TimerSlot(SYSTEM_SCHEDULER);
  private readonly handlers: { [E in keyof StreamEvents]: Set<StreamEvents[E]> } = { state: new Set(), error: new Set(), gap: new Set() };
  private readonly listenerError = (error: StreamError) => this.emit("error", error);

  /**
   * Throws a TypeError for a URL that is not http(s)/ws(s) or when there is no WebSocket
   * implementation, and a RangeError for backoff options that would retry in a tight loop.
   */
  constructor(url: string, options: StreamOptions = {}) {
    this.url = streamUrl(url);
    this.options = { ...DEFAULTS, ...dropUndefined(options) };
    const Socket = options.WebSocket ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
    if (!Socket) {
      throw new TypeError(
        "LiqflowStream: no WebSocket implementation; pass options.WebSocket (e.g. the ws package) or use Node ≥ 22 (Node 20: --experimental-websocket)",
      );
    }
    const random = options.random ?? (() => Math.random());
    this.connection = new StreamConnection(
      {
        url: this.url,
        Socket,
        backoff: { ...clientBackoff(options.backoff), healthyAfterMs: this.options.stableAfterMs },
        random,
        heartbeatMs: this.options.heartbeatMs,
        heartbeatTimeoutMs: this.options.heartbeatTimeoutMs,
        scheduler: SYSTEM_SCHEDULER,
        network: globalThis as NetworkEvents,
      },
      {
        onState: (state, info) => this.emit("state", state, info),
        onOpen: (nowMs) => this.startSession(nowMs),
        onReady: () => this.flush(),
        onMessage: (data) => this.onMessage(data),
        onGone: () => this.queue.stop(),
        onError: (error) => this.emit("error", error),
        ping: () => {
          if (this.queue.size > 0) return false;
          this.queue.enqueue(`{"op":"ping"}`);
          return true;
        },
      },
    );
    this.subscriptions = new SubscriptionRegistry(this.options.resync);
    this.queue = new SendQueue(this.connection, { burst: this.options.sendBurst, perS: this.options.sendPerS }, SYSTEM_SCHEDULER);
  }

  get state(): StreamState {
    return this.connection.state;
  }

  /** Opens the connection (again, after `close()`). Idempotent while connected. */
  connect(): void {
    this.connection.connect();
  }

  /** Closes the connection and stops reconnecting. Subscriptions are kept for a later `connect()`. */
  close(): void {
    this.flushTimer.clear();
    this.queue.stop();
    this.connection.close();
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
    const entry: ListenerEntry = { channels: list, seen: new Set(), listener: listener as Listener, onError: options.onError, onNoData: options.onNoData, settled: false, resolve, reject };

    const current = this.subscriptions.add(entry);
    if (current.length > 0) this.requestSnapshot(current);
    this.subscriptions.settle(entry);
    this.scheduleFlush();
    if (this.options.autoConnect && this.state === "idle") this.connect();

    let active = true;
    return {
      channels: list,
      ready,
      unsubscribe: () => {
        if (!active) return;
        active = false;
        this.subscriptions.remove(entry);
        this.scheduleFlush();
        if (!entry.settled) {
          entry.settled = true;
          entry.reject({ code: "unsubscribed", message: "unsubscribed before the server confirmed", channels: list });
        }
      },
    };
  }

  /** Asks the server for the current value of channels (delivered as `snapshot` messages). */
  requestSnapshot(channels: readonly string[]): void {
    for (const c of channels) if (!isChannel(c)) throw new TypeError(`requestSnapshot: "${c}" is not a channel`);
    this.subscriptions.requestSnapshot(channels);
    if (channels.length > 0) this.scheduleFlush();
  }

  on<E extends keyof StreamEvents>(event: E, handler: StreamEvents[E]): () => void {
    const set = this.handlers[event] as Set<StreamEvents[E]>;
    set.add(handler);
    return () => set.delete(handler);
  }

  // ── a connection's session ────────────────────────────────────────────────────────────

  /** A new connection: sequences, confirmations and the send budget start over. */
  private startSession(nowMs: number): void {
    this.subscriptions.startSession();
    this.sequencer.reset();
    this.queue.reset(nowMs);
  }

  private onMessage(raw: unknown): void {
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
        if (Array.isArray(msg.channels)) this.subscriptions.confirmed(msg.channels.filter((c): c is string => typeof c === "string"));
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
    const verdict = this.sequencer.receive(msg);
    if (verdict.gap) this.emit("gap", verdict.gap);
    if (verdict.resnapshot) this.requestSnapshot([msg.channel]);
    if (verdict.message) this.subscriptions.deliver(verdict.message, verdict.onlyUnseen, this.listenerError);
  }

  /** The channel has no value: what listeners held is void; its next message is a snapshot. */
  private onNoData(info: NoDataInfo): void {
    this.sequencer.forget(info.channel);
    this.subscriptions.noData(info, this.listenerError);
  }

  private onServerError(error: StreamError): void {
    const { report, flush } = this.subscriptions.serverError(error);
    if (flush) this.scheduleFlush();
    if (report) this.emit("error", error);
  }

  // ── outbound ──────────────────────────────────────────────────────────────────────────

  private scheduleFlush(): void {
    if (this.flushTimer.active) return;
    this.flushTimer.start(this.options.batchMs, () => this.flush());
  }

  /** Turns pending requests into frames (only on an open connection; a new one re-derives them). */
  private flush(): void {
    if (!this.connection.isOpen) return;
    for (const frame of this.subscriptions.plan()) this.queue.enqueue(frame);
  }

  // ── plumbing ──────────────────────────────────────────────────────────────────────────

  private emit<E extends keyof StreamEvents>(event: E, ...args: Parameters<StreamEvents[E]>): void {
    for (const handler of this.handlers[event]) {
      try {
        (handler as (...a: Parameters<StreamEvents[E]>) => void)(...args);
      } catch {
        // a throwing event handler must not break the stream
      }
    }
  }
}

function dropUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
