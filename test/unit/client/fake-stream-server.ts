/**
 * A scripted `/v1/stream` server on a local port, for the client's tests: it answers
 * subscribe with `subscribed` and one snapshot per channel (from `snapshots`), ping with pong,
 * records every client frame, and lets a test push frames or drop connections.
 */
import { WebSocketServer, type WebSocket } from "ws";

export interface Frame {
  op?: string;
  channels?: string[];
  [k: string]: unknown;
}

export class FakeConnection {
  readonly received: Frame[] = [];
  readonly receivedAtMs: number[] = [];
  constructor(readonly ws: WebSocket) {}

  send(message: unknown): void {
    this.ws.send(typeof message === "string" ? message : JSON.stringify(message));
  }

  frames(op: string): Frame[] {
    return this.received.filter((f) => f.op === op);
  }
}

export interface FakeServerOptions {
  /** Replies to a client frame; return true when handled (the default behaviour is skipped). */
  onFrame?: (conn: FakeConnection, frame: Frame) => boolean | void;
  /** Answer ping (default true). */
  pong?: boolean;
}

export class FakeStreamServer {
  readonly connections: FakeConnection[] = [];
  /** The snapshot sent on subscribe / snapshot op, per channel. */
  readonly snapshots = new Map<string, { seq: number; data: unknown }>();

  private constructor(
    private readonly wss: WebSocketServer,
    readonly url: string,
    private readonly options: FakeServerOptions,
  ) {
    wss.on("connection", (ws) => {
      const conn = new FakeConnection(ws);
      this.connections.push(conn);
      ws.on("message", (raw) => {
        const frame = JSON.parse(String(raw)) as Frame;
        conn.received.push(frame);
        conn.receivedAtMs.push(Date.now());
        if (this.options.onFrame?.(conn, frame)) return;
        this.reply(conn, frame);
      });
    });
  }

  static async start(options: FakeServerOptions = {}): Promise<FakeStreamServer> {
    const wss = new WebSocketServer({ host: "127.0.0.1", port: 0 });
    await new Promise<void>((resolve) => wss.once("listening", () => resolve()));
    const address = wss.address();
    const port = typeof address === "object" && address ? address.port : 0;
    return new FakeStreamServer(wss, `ws://127.0.0.1:${port}/v1/stream`, options);
  }

  /** The protocol's default answers. */
  reply(conn: FakeConnection, frame: Frame): void {
    if (frame.op === "ping") {
      if (this.options.pong !== false) conn.send({ type: "pong" });
      return;
    }
    const channels = frame.channels ?? [];
    if (frame.op === "subscribe") conn.send({ type: "subscribed", channels });
    if (frame.op === "unsubscribe") {
      conn.send({ type: "unsubscribed", channels });
      return;
    }
    for (const channel of channels) {
      const expanded = channel === "*:bias" ? [...this.snapshots.keys()].filter((c) => c.endsWith(":bias")) : [channel];
      for (const c of expanded) {
        const s = this.snapshots.get(c);
        if (s) conn.send({ type: "snapshot", channel: c, seq: s.seq, data: s.data });
      }
    }
  }

  get last(): FakeConnection {
    const c = this.connections[this.connections.length - 1];
    if (!c) throw new Error("no connection yet");
    return c;
  }

  async close(): Promise<void> {
    for (const c of this.connections) c.ws.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }
}

/** Polls until `probe` returns a value other than undefined/false. */
export async function until<T>(probe: () => T | undefined | false, timeoutMs = 2_000, what = "condition"): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
