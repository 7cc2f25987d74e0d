/**
 * One outbound WebSocket to a venue, held by a CollectorObject (glue): connects with
 * `fetch(url, { headers: { Upgrade: "websocket" } })`, subscribes (frames paced so that a venue's
 * per-connection message limit is never hit), sends the spec's keepalive, recycles itself when
 * a topic goes stale, and reconnects with backoff (`backoff.ts`) whenever it goes down.
 * Every frame is handed to the feed with its receive time; every state change is counted.
 */
import type { LiveConnectionSpec } from "@liqflow/engine/exchanges/connection-spec.js";
import { Backoff, RECONNECT_BACKOFF } from "./backoff.js";
import { fetchableWsUrl } from "./live-config.js";
import { newStreamHealth, type LiveStreamHealth } from "./live-health.js";
import type { ShardPlan } from "./shard-plan.js";
import { StaleMonitor } from "./stale-monitor.js";

/** Time allowed for the TCP connect and the upgrade. */
const CONNECT_TIMEOUT_MS = 10_000;
/** Spacing of subscribe frames on one connection (Binance allows 10 incoming messages per second). */
const SUBSCRIBE_SPACING_MS = 200;
/** Distinct stale topics remembered in the counters. */
const MAX_STALE_TOPICS = 50;

export interface SocketHooks {
  /** The connection is open (before the subscribe frames are sent). */
  opened(socket: VenueSocket): void;
  /** The connection went down (closed, failed, recycled); a reconnect is scheduled. */
  closed(socket: VenueSocket): void;
  frame(socket: VenueSocket, text: string, recvMs: number): void;
}

type State = "idle" | "connecting" | "open" | "waiting" | "stopped";

export class VenueSocket {
  readonly stats: LiveStreamHealth;
  private readonly backoff = new Backoff(RECONNECT_BACKOFF);
  private state: State = "idle";
  private ws: WebSocket | null = null;
  private stale: StaleMonitor | null = null;
  private opens = 0;
  private timers: ReturnType<typeof setTimeout>[] = [];
  private keepalive: ReturnType<typeof setInterval> | null = null;
  private reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly decoder = new TextDecoder();

  constructor(
    /** Stream name, `<venue>:<shard key>`, e.g. `binance:public-0`. */
    readonly name: string,
    readonly plan: ShardPlan,
    private readonly spec: LiveConnectionSpec,
    private readonly hooks: SocketHooks,
  ) {
    this.stats = newStreamHealth("ws", plan.url, plan.topics.length);
  }

  get isOpen(): boolean {
    return this.state === "open";
  }

  /** Connects now unless connecting, connected, or stopped. */
  connect(): void {
    if (this.state === "connecting" || this.state === "open" || this.state === "stopped") return;
    if (this.reconnectTimer !== null) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    this.state = "connecting";
    this.stats.nextAttemptMs = null;
    void this.open().catch((err: unknown) => this.failed(err));
  }

  /** Connects if the socket is idle, or waiting for a reconnect that is overdue (its timer was lost). */
  ensure(nowMs: number): void {
    if (this.state === "idle") this.connect();
    else if (this.state === "waiting" && this.stats.nextAttemptMs !== null && nowMs >= this.stats.nextAttemptMs + 1_000) this.connect();
  }

  /** A message of `topic` (or of an unknown topic) arrived: the topics are alive. */
  touch(topic: string | undefined, nowMs: number): void {
    if (this.stale === null) return;
    if (topic === undefined || !this.stale.touch(topic, nowMs)) this.stale.touchAll(nowMs);
  }

  /** Recycles the connection when a topic has been silent for longer than its threshold. */
  checkStale(nowMs: number): void {
    if (this.state !== "open" || this.stale === null) return;
    const topics = this.stale.staleTopics(nowMs);
    if (topics.length === 0) return;
    this.stats.stale++;
    for (const t of topics) {
      const key = t in this.stats.staleTopics || Object.keys(this.stats.staleTopics).length < MAX_STALE_TOPICS ? t : "other";
      this.stats.staleTopics[key] = (this.stats.staleTopics[key] ?? 0) + 1;
    }
    this.recycle(`stale: ${topics.slice(0, 3).join(", ")}${topics.length > 3 ? ` (+${topics.length - 3})` : ""}`);
  }

  /** Closes an open connection and reconnects (after the backoff delay). */
  recycle(reason: string): void {
    const ws = this.ws;
    if (this.state !== "open" || ws === null) return;
    this.down(ws, reason);
    try {
      ws.close(4000, reason.slice(0, 120));
    } catch {
      // already closing
    }
  }

  /** Closes for good (no reconnect). */
  stop(): void {
    const ws = this.ws;
    this.state = "stopped";
    this.clearTimers();
    if (this.reconnectTimer !== null) clearTimeout(this.reconnectTimer);
    this.ws = null;
    this.stats.connected = false;
    if (ws) {
      try {
        ws.close(1000, "collector stopped");
      } catch {
        // already closed
      }
    }
  }

  private async open(): Promise<void> {
    // A timeout signal must not outlive the upgrade: aborting the fetch later would also
    // close the WebSocket it returned.
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(new Error(`no upgrade within ${CONNECT_TIMEOUT_MS} ms`)), CONNECT_TIMEOUT_MS);
    let resp: Response;
    try {
      resp = await fetch(fetchableWsUrl(this.plan.url), { headers: { Upgrade: "websocket" }, signal: abort.signal });
    } finally {
      clearTimeout(timer);
    }
    const ws = resp.webSocket;
    if (!ws) {
      const body = await resp.text().catch(() => "");
      throw new Error(`upgrade refused: HTTP ${resp.status} ${body.slice(0, 100)}`);
    }
    ws.accept();
    // `stop()` may have come while connecting.
    if (this.state !== "connecting") {
      ws.close(1000, "collector stopped");
      return;
    }
    const now = Date.now();
    this.ws = ws;
    this.state = "open";
    if (this.opens++ > 0) this.stats.reconnects++;
    this.stats.connected = true;
    this.stats.connectedSinceMs = now;
    this.backoff.connected(now);
    const frames = this.spec.subscribeFrames(this.plan.topics);
    // A topic's silence counts from when its subscription has been sent at the latest.
    this.stale = new StaleMonitor(this.plan.topics, (t) => this.spec.staleAfterMs(t), now + frames.length * SUBSCRIBE_SPACING_MS);

    ws.addEventListener("message", (ev: MessageEvent) => {
      if (this.ws !== ws) return;
      const text = typeof ev.data === "string" ? ev.data : this.decoder.decode(ev.data as ArrayBuffer);
      this.hooks.frame(this, text, Date.now());
    });
    ws.addEventListener("close", (ev: CloseEvent) => this.down(ws, `closed by peer: ${ev.code}${ev.reason ? ` ${ev.reason}` : ""}`));
    ws.addEventListener("error", (ev: Event) => this.down(ws, `socket error: ${(ev as ErrorEvent).message ?? "unknown"}`));

    this.hooks.opened(this);
    frames.forEach((frame, i) => {
      const send = () => {
        if (this.ws !== ws) return;
        try {
          ws.send(frame);
        } catch (err) {
          this.down(ws, `subscribe failed: ${String(err)}`);
        }
      };
      if (i === 0) send();
      else this.timers.push(setTimeout(send, i * SUBSCRIBE_SPACING_MS));
    });
    const keepalive = this.spec.keepalive;
    if (keepalive !== null) {
      this.keepalive = setInterval(() => {
        if (this.ws !== ws) return;
        try {
          ws.send(keepalive.frame);
        } catch (err) {
          this.down(ws, `keepalive failed: ${String(err)}`);
        }
      }, keepalive.intervalMs);
    }
  }

  /** The open connection `ws` is gone: count it, tell the feed, schedule a reconnect. */
  private down(ws: WebSocket, reason: string): void {
    if (this.ws !== ws || this.state !== "open") return;
    this.ws = null;
    this.stale = null;
    this.clearTimers();
    this.stats.connected = false;
    this.stats.disconnects++;
    this.stats.lastDisconnect = { reason, atMs: Date.now() };
    this.hooks.closed(this);
    this.scheduleReconnect();
  }

  private failed(err: unknown): void {
    if (this.state !== "connecting") return;
    this.stats.connectFailures++;
    this.stats.lastError = `connect failed: ${err instanceof Error ? err.message : String(err)}`;
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.state === "stopped") return;
    const now = Date.now();
    const delay = this.backoff.nextDelayMs(now);
    this.state = "waiting";
    this.stats.nextAttemptMs = now + delay;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      if (this.state === "waiting") this.connect();
    }, delay);
  }

  private clearTimers(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers = [];
    if (this.keepalive !== null) clearInterval(this.keepalive);
    this.keepalive = null;
  }
}
