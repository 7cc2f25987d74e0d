/**
 * StreamRelay: one shard of `/v1/stream`. Holds client sockets through the WebSocket
 * Hibernation API and fans out the channel updates SymbolObjects publish to it. Glue only.
 *
 * Fan-out beyond one object: the engine Worker spreads new sockets over RELAY_SHARDS relays.
 * A relay registers with a SymbolObject for the channel kinds its sockets want (and
 * unregisters when the last one leaves), so a SymbolObject sends each update once per
 * interested relay — its cost does not grow with the audience; each relay's cost grows with
 * its own sockets only.
 *
 * Per socket: subscriptions live in the attachment (they survive hibernation); delivery has
 * a budget (a token bucket): updates beyond it are coalesced per channel (latest state wins;
 * liquidation lists are merged; a map channel's patches give way to its full value) and
 * flushed as tokens come back; a socket that stays behind
 * for SLOW_CONSUMER_MS is closed (4008). Client frames have a size and a rate limit (1009,
 * 1008). Every send is in its own try/catch: one broken socket closes alone.
 */
import { DurableObject } from "cloudflare:workers";
import { SYMBOLS } from "../domain/symbols.js";
import {
  ALL_BIAS,
  ClientMessageSchema,
  splitChannel,
  type ChannelKind,
  type ChannelUpdate,
  type ServerMessage,
  type StoredLiquidation,
} from "../protocol/stream.js";

/** Bound on distinct channels one socket may hold. */
export const MAX_CHANNELS_PER_SOCKET = 200;
/** Client frames larger than this close the socket with 1009. */
export const MAX_CLIENT_MESSAGE_BYTES = 16_384;
/** Client frames: a burst of CLIENT_BURST, then CLIENT_PER_S per second; beyond → 1008. */
export const CLIENT_BURST = 20;
export const CLIENT_PER_S = 10;
/** Deliveries per socket: a burst of DELIVERY_BURST, then DELIVERY_PER_S per second; beyond → coalesced. */
export const DELIVERY_BURST = 100;
export const DELIVERY_PER_S = 50;
/** A socket with coalesced updates waiting this long is a slow consumer and is closed (STREAM_SLOW_CONSUMER_MS overrides). */
export const SLOW_CONSUMER_MS = 30_000;
const MAX_MERGED_LIQUIDATIONS = 500;

export const CLOSE_POLICY = 1008;
export const CLOSE_TOO_BIG = 1009;
export const CLOSE_SLOW_CONSUMER = 4008;

interface Attachment {
  channels: string[];
}

interface Bucket {
  tokens: number;
  atMs: number;
}

interface Pending {
  update: ChannelUpdate;
  coalesced: number;
}

interface SocketState {
  inbound: Bucket;
  outbound: Bucket;
  pending: Map<string, Pending>;
  behindSinceMs: number | null;
}

export interface PublishResult {
  delivered: number;
  coalesced: number;
  /** Channels that reached this relay with no subscriber here (a registration lagging a close). */
  unwanted: string[];
}

export class StreamRelay extends DurableObject<Env> {
  private readonly subscribers = new Map<string, Set<WebSocket>>();
  private readonly latest = new Map<string, ChannelUpdate>();
  private readonly sockets = new Map<WebSocket, SocketState>();
  private flushTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly slowConsumerMs: number;
  private name: string | null = null;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    const configured = Number(env.STREAM_SLOW_CONSUMER_MS);
    this.slowConsumerMs = Number.isInteger(configured) && configured > 0 ? configured : SLOW_CONSUMER_MS;
    // Answered by the runtime without waking the object.
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair(`{"op":"ping"}`, `{"type":"pong"}`));
    for (const ws of ctx.getWebSockets()) {
      for (const channel of attachmentOf(ws).channels) this.index(channel, ws);
    }
    ctx.blockConcurrencyWhile(async () => {
      this.name = (await ctx.storage.get<string>("name")) ?? null;
    });
  }

  override async fetch(request: Request): Promise<Response> {
    if (request.headers.get("Upgrade")?.toLowerCase() !== "websocket") {
      return Response.json({ error: { code: "upgrade_required", message: "connect with a WebSocket client" } }, { status: 426 });
    }
    const name = request.headers.get("X-Liqflow-Relay");
    if (name && name !== this.name) {
      this.name = name;
      await this.ctx.storage.put("name", name);
    }
    const pair = new WebSocketPair();
    const [client, server] = [pair[0], pair[1]];
    this.ctx.acceptWebSocket(server);
    server.serializeAttachment({ channels: [] } satisfies Attachment);
    return new Response(null, { status: 101, webSocket: client });
  }

  override async webSocketMessage(ws: WebSocket, message: string | ArrayBuffer): Promise<void> {
    const state = this.stateOf(ws);
    if (!take(state.inbound, CLIENT_BURST, CLIENT_PER_S, Date.now())) {
      return this.closeQuietly(ws, CLOSE_POLICY, `rate limit: at most ${CLIENT_PER_S} messages per second`);
    }
    const size = typeof message === "string" ? message.length : message.byteLength;
    if (size > MAX_CLIENT_MESSAGE_BYTES) {
      return this.closeQuietly(ws, CLOSE_TOO_BIG, `client messages are limited to ${MAX_CLIENT_MESSAGE_BYTES} bytes`);
    }
    if (typeof message !== "string") return sendQuietly(ws, protocolError("bad_message", "send JSON text frames"));
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
    const unknown = channels.filter((c) => c !== ALL_BIAS).map((c) => splitChannel(c).symbol).filter((s) => !SYMBOLS.isTracked(s));
    if (unknown.length > 0) {
      return sendQuietly(ws, protocolError("unknown_symbol", `not a tracked symbol: ${[...new Set(unknown)].join(", ")}`));
    }
    const attachment = attachmentOf(ws);
    if (msg.op === "snapshot") {
      for (const channel of channels) await this.sendSnapshots(ws, channel);
      return;
    }
    if (msg.op === "unsubscribe") {
      attachment.channels = attachment.channels.filter((c) => !channels.includes(c));
      ws.serializeAttachment(attachment);
      for (const channel of channels) this.unindex(channel, ws);
      sendQuietly(ws, { type: "unsubscribed", channels });
      await this.syncInterest();
      return;
    }
    const added = channels.filter((c) => !attachment.channels.includes(c));
    if (attachment.channels.length + added.length > MAX_CHANNELS_PER_SOCKET) {
      return sendQuietly(ws, protocolError("too_many_channels", `a socket may hold at most ${MAX_CHANNELS_PER_SOCKET} channels`));
    }
    attachment.channels.push(...added);
    ws.serializeAttachment(attachment);
    for (const channel of added) this.index(channel, ws);
    sendQuietly(ws, { type: "subscribed", channels });
    await this.syncInterest();
    for (const channel of channels) await this.sendSnapshots(ws, channel);
  }

  override async webSocketClose(ws: WebSocket, code: number, reason: string): Promise<void> {
    await this.forget(ws);
    try {
      ws.close(code === 1005 ? 1000 : code, reason);
    } catch {
      // already closed
    }
  }

  override async webSocketError(ws: WebSocket): Promise<void> {
    await this.forget(ws);
  }

  /** Called by SymbolObjects with each channel's new value. */
  async publish(updates: ChannelUpdate[]): Promise<PublishResult> {
    const now = Date.now();
    const result: PublishResult = { delivered: 0, coalesced: 0, unwanted: [] };
    for (const update of updates) {
      this.latest.set(update.channel, update);
      const targets = this.targetsOf(update.channel);
      if (targets.size === 0) {
        result.unwanted.push(update.channel);
        continue;
      }
      let frame: string | null = null;
      for (const ws of targets) {
        const state = this.stateOf(ws);
        if (state.pending.size === 0 && take(state.outbound, DELIVERY_BURST, DELIVERY_PER_S, now)) {
          frame ??= JSON.stringify(updateFrame(update, 1));
          if (this.sendOrDrop(ws, frame)) result.delivered++;
        } else {
          coalesce(state.pending, update);
          state.behindSinceMs ??= now;
          result.coalesced++;
        }
      }
    }
    if (result.coalesced > 0) this.scheduleFlush();
    return result;
  }

  async stats(): Promise<{ name: string | null; sockets: number; channels: number; behind: number }> {
    let behind = 0;
    for (const s of this.sockets.values()) if (s.pending.size > 0) behind++;
    return { name: this.name, sockets: this.ctx.getWebSockets().length, channels: this.subscribers.size, behind };
  }

  /** Sends what is due to sockets that were behind; closes those behind for too long. */
  private flush(): void {
    this.flushTimer = null;
    const now = Date.now();
    let stillBehind = false;
    for (const [ws, state] of this.sockets) {
      if (state.pending.size === 0) continue;
      if (state.behindSinceMs !== null && now - state.behindSinceMs > this.slowConsumerMs) {
        this.closeQuietly(ws, CLOSE_SLOW_CONSUMER, `slow consumer: behind for more than ${this.slowConsumerMs / 1000} s; subscribe to fewer channels`);
        continue;
      }
      for (const [channel, p] of state.pending) {
        if (!take(state.outbound, DELIVERY_BURST, DELIVERY_PER_S, now)) break;
        state.pending.delete(channel);
        if (!this.sendOrDrop(ws, JSON.stringify(updateFrame(p.update, p.coalesced)))) break;
      }
      if (state.pending.size === 0) state.behindSinceMs = null;
      else stillBehind = true;
    }
    if (stillBehind) this.scheduleFlush();
  }

  private scheduleFlush(): void {
    if (this.flushTimer === null) this.flushTimer = setTimeout(() => this.flush(), Math.ceil(1000 / DELIVERY_PER_S) * 5);
  }

  /** The sockets an update of `channel` goes to (a symbol's bias also reaches `*:bias`). */
  private targetsOf(channel: string): Set<WebSocket> {
    const direct = this.subscribers.get(channel);
    const wildcard = channel.endsWith(":bias") ? this.subscribers.get(ALL_BIAS) : undefined;
    if (!wildcard || wildcard.size === 0) return direct ?? new Set();
    if (!direct || direct.size === 0) return wildcard;
    return new Set([...direct, ...wildcard]);
  }

  private async sendSnapshots(ws: WebSocket, channel: string): Promise<void> {
    const channels = channel === ALL_BIAS ? SYMBOLS.symbols.map((s) => `${s}:bias`) : [channel];
    const snapshots = await Promise.all(channels.map((c) => this.snapshotOf(c)));
    for (const s of snapshots) if (s) sendQuietly(ws, { type: "snapshot", channel: s.channel, seq: s.seq, data: s.data });
  }

  private async snapshotOf(channel: string): Promise<ChannelUpdate | null> {
    const { symbol, kind } = splitChannel(channel);
    if (kind !== "liquidations") {
      const cached = this.latest.get(channel);
      if (cached) return cached;
    }
    return this.symbolObject(symbol).channelSnapshot(kind);
  }

  private symbolObject(symbol: string) {
    return this.env.SYMBOL_OBJECTS.get(this.env.SYMBOL_OBJECTS.idFromName(symbol));
  }

  /**
   * Tells SymbolObjects which channel kinds this relay wants: the full set per symbol, sent
   * only when it changed (the last sent set is kept in storage, so it survives hibernation).
   */
  private async syncInterest(): Promise<void> {
    if (this.name === null) return;
    const wanted = new Map<string, Set<ChannelKind>>();
    for (const [channel, sockets] of this.subscribers) {
      if (sockets.size === 0) continue;
      const pairs = channel === ALL_BIAS ? SYMBOLS.symbols.map((s) => [s, "bias"] as const) : [[splitChannel(channel).symbol, splitChannel(channel).kind] as const];
      for (const [symbol, kind] of pairs) {
        let kinds = wanted.get(symbol);
        if (!kinds) wanted.set(symbol, (kinds = new Set()));
        kinds.add(kind);
      }
    }
    const calls: Promise<unknown>[] = [];
    for (const symbol of SYMBOLS.symbols) {
      const kinds = [...(wanted.get(symbol) ?? [])].sort();
      const key = `interest:${symbol}`;
      const before = (await this.ctx.storage.get<string>(key)) ?? "";
      const now = kinds.join(",");
      if (before === now) continue;
      await this.ctx.storage.put(key, now);
      calls.push(this.symbolObject(symbol).setRelayInterest(this.name, kinds));
    }
    await Promise.all(calls);
  }

  private stateOf(ws: WebSocket): SocketState {
    let state = this.sockets.get(ws);
    if (!state) {
      const now = Date.now();
      state = { inbound: { tokens: CLIENT_BURST, atMs: now }, outbound: { tokens: DELIVERY_BURST, atMs: now }, pending: new Map(), behindSinceMs: null };
      this.sockets.set(ws, state);
    }
    return state;
  }

  private index(channel: string, ws: WebSocket): void {
    let set = this.subscribers.get(channel);
    if (!set) this.subscribers.set(channel, (set = new Set()));
    set.add(ws);
  }

  private unindex(channel: string, ws: WebSocket): void {
    const set = this.subscribers.get(channel);
    if (!set) return;
    set.delete(ws);
    if (set.size === 0) {
      this.subscribers.delete(channel);
      // Not refreshed while nobody listens here: a later subscriber asks the SymbolObject.
      this.latest.delete(channel);
    }
  }

  private async forget(ws: WebSocket): Promise<void> {
    for (const channel of [...this.subscribers.keys()]) this.unindex(channel, ws);
    this.sockets.delete(ws);
    await this.syncInterest();
  }

  private sendOrDrop(ws: WebSocket, frame: string): boolean {
    try {
      ws.send(frame);
      return true;
    } catch {
      void this.forget(ws);
      return false;
    }
  }

  private closeQuietly(ws: WebSocket, code: number, reason: string): void {
    try {
      ws.close(code, reason);
    } catch {
      // already closed
    }
    void this.forget(ws);
  }
}

/** Token bucket: true (and one token spent) when a token is available at `nowMs`. */
export function take(bucket: Bucket, burst: number, perS: number, nowMs: number): boolean {
  bucket.tokens = Math.min(burst, bucket.tokens + ((nowMs - bucket.atMs) / 1000) * perS);
  bucket.atMs = nowMs;
  if (bucket.tokens < 1) return false;
  bucket.tokens -= 1;
  return true;
}

/**
 * The frame of an update. A map channel's patch only applies to the value at `seq - 1`, so it
 * is sent only when nothing was folded into it; a coalesced update carries the full value.
 */
function updateFrame(update: ChannelUpdate, coalesced: number): ServerMessage {
  if (update.patch && coalesced <= 1) return { type: "update", channel: update.channel, seq: update.seq, patch: update.patch };
  const frame: ServerMessage = { type: "update", channel: update.channel, seq: update.seq, data: update.data };
  if (coalesced > 1) frame.coalesced = coalesced;
  return frame;
}

/** Folds an update into a socket's pending map: state channels keep the latest, liquidation lists merge. */
function coalesce(pending: Map<string, Pending>, update: ChannelUpdate): void {
  const prior = pending.get(update.channel);
  if (!prior) {
    pending.set(update.channel, { update, coalesced: 1 });
    return;
  }
  let data = update.data;
  if (splitChannel(update.channel).kind === "liquidations") {
    const older = (prior.update.data as { liquidations: StoredLiquidation[] }).liquidations;
    const newer = update.data as { liquidations: StoredLiquidation[]; totals: unknown };
    data = { ...newer, liquidations: [...newer.liquidations, ...older].slice(0, MAX_MERGED_LIQUIDATIONS) };
  }
  pending.set(update.channel, { update: { ...update, data }, coalesced: prior.coalesced + 1 });
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
