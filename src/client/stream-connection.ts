/**
 * The stream client's connection: one WebSocket at a time and its lifecycle
 * (`idle → connecting → open → reconnecting → connecting … → closed`).
 *
 * - **Reconnect** after any end the client did not ask for, with the shared backoff
 *   (src/protocol/backoff.ts): the attempt counter starts over once a connection has stayed up
 *   `healthyAfterMs`, on `connect()`, and when the browser says the network is back (`online`).
 * - **Liveness.** A ping every `heartbeatMs` while no frame is queued (the `ping` hook decides);
 *   no inbound frame within `heartbeatTimeoutMs` after it drops the socket at once (its close
 *   event may take minutes on a dead network) and reconnects.
 * - A socket that is replaced or dropped is silenced first, so none of its late events reaches
 *   the stream.
 *
 * It knows nothing of channels: the stream hears of each new connection (`onOpen`, then
 * `onReady` once `open` is announced), each inbound frame (`onMessage`) and each end (`onGone`).
 * Time and timers come from the injected `Scheduler`.
 */
import { Backoff, type BackoffPolicy } from "../protocol/backoff.js";
import { TimerSlot, type Scheduler } from "./stream-scheduler.js";
import { OPEN, type SocketLike, type StateInfo, type StreamError, type StreamState, type WebSocketConstructor } from "./stream-types.js";

/** What the connection tells its owner. Hooks must not throw. */
export interface ConnectionHooks {
  /** The state changed. */
  onState(state: StreamState, info: StateInfo): void;
  /** A connection came up at `nowMs`, before `open` is announced: start its session. */
  onOpen(nowMs: number): void;
  /** `open` has been announced: send what is pending. */
  onReady(): void;
  /** An inbound frame, as the socket delivered it. */
  onMessage(data: unknown): void;
  /** The connection ended (closed by the server or the network, or dropped); a reconnect follows. */
  onGone(): void;
  /** A failure the caller should hear of (`connect_failed`). */
  onError(error: StreamError): void;
  /** Heartbeat: queue a ping unless frames are already queued; true when queued. */
  ping(): boolean;
}

/** Where the browser's `online` event comes from (`globalThis` in a browser; absent in Node). */
export interface NetworkEvents {
  addEventListener?(type: "online", listener: () => void): void;
  removeEventListener?(type: "online", listener: () => void): void;
}

export interface ConnectionOptions {
  url: string;
  Socket: WebSocketConstructor;
  /** Reconnect delays and when a connection counts as healthy (the stream's `stableAfterMs`). */
  backoff: BackoffPolicy;
  /** Random source of the backoff jitter. */
  random: () => number;
  /** Ping interval, ms (0 disables the heartbeat). */
  heartbeatMs: number;
  /** Silence after a ping that counts as a dead connection, ms. */
  heartbeatTimeoutMs: number;
  scheduler: Scheduler;
  network?: NetworkEvents;
}

/** Close code of a socket the client gave up on (heartbeat timeout). */
export const DROPPED_CODE = 4000;

export class StreamConnection {
  private current: StreamState = "idle";
  private socket: SocketLike | null = null;
  private stopped = false;
  private readonly backoff: Backoff;
  private readonly reconnectTimer: TimerSlot;
  private readonly heartbeatTimer: TimerSlot;
  private readonly pongTimer: TimerSlot;
  private readonly onOnline = () => {
    if (this.current !== "reconnecting") return;
    this.backoff.reset();
    this.reconnectTimer.clear();
    this.open();
  };

  constructor(
    private readonly options: ConnectionOptions,
    private readonly hooks: ConnectionHooks,
  ) {
    this.backoff = new Backoff(options.backoff, options.random);
    this.reconnectTimer = new TimerSlot(options.scheduler);
    this.heartbeatTimer = new TimerSlot(options.scheduler);
    this.pongTimer = new TimerSlot(options.scheduler);
  }

  get state(): StreamState {
    return this.current;
  }

  /** True when frames can be written to the socket now. */
  get writable(): boolean {
    return this.socket !== null && this.socket.readyState === OPEN;
  }

  /** True when the connection is up and announced `open`: requests may go out. */
  get isOpen(): boolean {
    return this.writable && this.current === "open";
  }

  /** Writes one frame; throws when the socket refuses it (its close event follows). */
  send(frame: string): void {
    this.socket?.send(frame);
  }

  /** Opens the connection (again, after `close()`). Does nothing unless idle or closed. */
  connect(): void {
    if (this.current !== "idle" && this.current !== "closed") return;
    this.stopped = false;
    this.backoff.reset();
    this.options.network?.addEventListener?.("online", this.onOnline);
    this.open();
  }

  /** Closes the socket (1000) and stops reconnecting. */
  close(): void {
    this.stopped = true;
    this.options.network?.removeEventListener?.("online", this.onOnline);
    this.reconnectTimer.clear();
    this.stopHeartbeat();
    const ws = this.socket;
    this.socket = null;
    if (ws) closeQuietly(ws, 1000, "client closed");
    this.setState("closed", {});
  }

  /** Gives up on the current socket at once and reconnects (close code 4000, `reason`). */
  drop(reason: string): void {
    const ws = this.socket;
    if (!ws) return;
    this.socket = null;
    closeQuietly(ws, DROPPED_CODE, reason);
    this.gone(DROPPED_CODE, reason);
  }

  private open(): void {
    if (this.stopped) return;
    this.setState("connecting", {});
    let ws: SocketLike;
    try {
      ws = new this.options.Socket(this.options.url) as SocketLike;
    } catch (err) {
      this.hooks.onError({ code: "connect_failed", message: String(err) });
      this.scheduleReconnect({ reason: "connect failed" });
      return;
    }
    this.socket = ws;
    ws.onopen = () => {
      if (this.socket === ws) this.opened(ws);
    };
    ws.onmessage = (event) => {
      if (this.socket !== ws) return;
      // Any frame shows the connection is alive.
      this.pongTimer.clear();
      this.hooks.onMessage(event.data);
    };
    ws.onclose = (event) => {
      if (this.socket === ws) this.gone(event.code, event.reason);
    };
    // An error is always followed by a close.
    ws.onerror = () => undefined;
  }

  private opened(ws: SocketLike): void {
    const nowMs = this.options.scheduler.nowMs();
    this.backoff.connected(nowMs);
    this.hooks.onOpen(nowMs);
    this.setState("open", {});
    this.hooks.onReady();
    // A state listener may have closed the stream meanwhile: no heartbeat for a socket gone.
    if (this.socket === ws) this.startHeartbeat();
  }

  /** The current connection ended (closed by the server, the network, or a heartbeat timeout). */
  private gone(code: number, reason: string): void {
    this.socket = null;
    this.stopHeartbeat();
    this.hooks.onGone();
    if (this.stopped) return;
    this.scheduleReconnect({ code, reason });
  }

  private scheduleReconnect(info: StateInfo): void {
    const { attempt, delayMs } = this.backoff.next(this.options.scheduler.nowMs());
    this.setState("reconnecting", { ...info, attempt, delayMs });
    this.reconnectTimer.start(delayMs, () => this.open());
  }

  private startHeartbeat(): void {
    const { heartbeatMs, heartbeatTimeoutMs } = this.options;
    if (!(heartbeatMs > 0)) return;
    const tick = () => {
      this.heartbeatTimer.start(heartbeatMs, tick);
      if (this.pongTimer.active || !this.hooks.ping()) return;
      this.pongTimer.start(heartbeatTimeoutMs, () => this.drop("heartbeat timeout"));
    };
    this.heartbeatTimer.start(heartbeatMs, tick);
  }

  private stopHeartbeat(): void {
    this.heartbeatTimer.clear();
    this.pongTimer.clear();
  }

  private setState(state: StreamState, info: StateInfo): void {
    this.current = state;
    this.hooks.onState(state, info);
  }
}

/** Closes a socket whose events no longer matter (they are unhooked first). */
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
