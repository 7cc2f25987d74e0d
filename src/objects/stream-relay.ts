/**
 * StreamRelay: holds `/v1/stream` client sockets through the WebSocket Hibernation API and
 * fans out the channel updates SymbolObjects publish to it. Glue only.
 *
 * Subscriptions live in each socket's attachment (so they survive hibernation) and in an
 * in-memory index rebuilt from the attachments when the object wakes. Every send is in its
 * own try/catch: one broken socket closes alone.
 */
import { DurableObject } from "cloudflare:workers";
import { SYMBOLS } from "../domain/symbols.js";
import {
  ClientMessageSchema,
  splitChannel,
  type ChannelUpdate,
  type ServerMessage,
} from "../protocol/stream.js";

/** Bound on distinct channels one socket may hold. */
export const MAX_CHANNELS_PER_SOCKET = 200;
/** Client frames larger than this are refused. */
export const MAX_CLIENT_MESSAGE_BYTES = 16_384;

interface Attachment {
  channels: string[];
}

export class StreamRelay extends DurableObject<Env> {
  private readonly subscribers = new Map<string, Set<WebSocket>>();
  private readonly latest = new Map<string, ChannelUpdate>();

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    // Answered by the runtime without waking the object.
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair(`{"op":"ping"}`, `{"type":"pong"}`));
    for (const ws of ctx.getWebSockets()) {
      for (const channel of attachmentOf(ws).channels) this.index(channel, ws);
    }
  }

  override async fetch(request: Request): Promise<Response> {
    if (request.headers.get("Upgrade")?.toLowerCase() !== "websocket") {
      return Response.json({ error: { code: "upgrade_required", message: "connect with a WebSocket client" } }, { status: 426 });
    }
    const pair = new WebSocketPair();
    const [client, server] = [pair[0], pair[1]];
    this.ctx.acceptWebSocket(server);
    server.serializeAttachment({ channels: [] } satisfies Attachment);
    return new Response(null, { status: 101, webSocket: client });
  }

  override async webSocketMessage(ws: WebSocket, message: string | ArrayBuffer): Promise<void> {
    if (typeof message !== "string") return sendQuietly(ws, protocolError("bad_message", "send JSON text frames"));
    if (message.length > MAX_CLIENT_MESSAGE_BYTES) {
      return sendQuietly(ws, protocolError("message_too_large", `client messages are limited to ${MAX_CLIENT_MESSAGE_BYTES} bytes`));
    }
    let json: unknown;
    try {
      json = JSON.parse(message);
    } catch {
      return sendQuietly(ws, protocolError("bad_json", "the message is not valid JSON"));
    }
    const parsed = ClientMessageSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return sendQuietly(ws, protocolError("bad_message", `${issue.path.join(".") || "message"}: ${issue.message}`));
    }
    const msg = parsed.data;
    if (msg.op === "ping") return sendQuietly(ws, { type: "pong" });
    const channels = [...new Set(msg.channels)];
    const unknown = channels.map((c) => splitChannel(c).symbol).filter((s) => !SYMBOLS.isTracked(s));
    if (unknown.length > 0) {
      return sendQuietly(ws, protocolError("unknown_symbol", `not a tracked symbol: ${[...new Set(unknown)].join(", ")}`));
    }
    const attachment = attachmentOf(ws);
    if (msg.op === "unsubscribe") {
      attachment.channels = attachment.channels.filter((c) => !channels.includes(c));
      for (const channel of channels) this.subscribers.get(channel)?.delete(ws);
      ws.serializeAttachment(attachment);
      return sendQuietly(ws, { type: "unsubscribed", channels });
    }
    const added = channels.filter((c) => !attachment.channels.includes(c));
    if (attachment.channels.length + added.length > MAX_CHANNELS_PER_SOCKET) {
      return sendQuietly(ws, protocolError("too_many_channels", `a socket may hold at most ${MAX_CHANNELS_PER_SOCKET} channels`));
    }
    attachment.channels.push(...added);
    ws.serializeAttachment(attachment);
    for (const channel of added) this.index(channel, ws);
    sendQuietly(ws, { type: "subscribed", channels });
    for (const channel of channels) {
      const snapshot = await this.snapshotOf(channel);
      if (snapshot) sendQuietly(ws, { type: "snapshot", channel, seq: snapshot.seq, data: snapshot.data });
    }
  }

  override async webSocketClose(ws: WebSocket, code: number, reason: string): Promise<void> {
    this.forget(ws);
    try {
      ws.close(code === 1005 ? 1000 : code, reason);
    } catch {
      // already closed
    }
  }

  override async webSocketError(ws: WebSocket): Promise<void> {
    this.forget(ws);
  }

  /** Called by SymbolObjects with each channel's new value. */
  async publish(updates: ChannelUpdate[]): Promise<number> {
    let delivered = 0;
    for (const update of updates) {
      this.latest.set(update.channel, update);
      const sockets = this.subscribers.get(update.channel);
      if (!sockets || sockets.size === 0) continue;
      const frame = JSON.stringify({ type: "update", channel: update.channel, seq: update.seq, data: update.data });
      for (const ws of sockets) {
        try {
          ws.send(frame);
          delivered++;
        } catch {
          this.forget(ws);
        }
      }
    }
    return delivered;
  }

  async stats(): Promise<{ sockets: number; channels: number }> {
    return { sockets: this.ctx.getWebSockets().length, channels: this.subscribers.size };
  }

  private async snapshotOf(channel: string): Promise<ChannelUpdate | null> {
    const { symbol, kind } = splitChannel(channel);
    if (kind !== "liquidations") {
      const cached = this.latest.get(channel);
      if (cached) return cached;
    }
    const stub = this.env.SYMBOL_OBJECTS.get(this.env.SYMBOL_OBJECTS.idFromName(symbol));
    return stub.channelSnapshot(kind);
  }

  private index(channel: string, ws: WebSocket): void {
    let set = this.subscribers.get(channel);
    if (!set) this.subscribers.set(channel, (set = new Set()));
    set.add(ws);
  }

  private forget(ws: WebSocket): void {
    for (const set of this.subscribers.values()) set.delete(ws);
  }
}

function attachmentOf(ws: WebSocket): Attachment {
  const a = ws.deserializeAttachment() as Attachment | null;
  return a && Array.isArray(a.channels) ? a : { channels: [] };
}

function protocolError(code: string, message: string): ServerMessage {
  return { type: "error", code, message };
}

function sendQuietly(ws: WebSocket, message: ServerMessage): void {
  try {
    ws.send(JSON.stringify(message));
  } catch {
    // the socket is gone; its close handler cleans up
  }
}
