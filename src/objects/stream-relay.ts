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
 * Per socket: subscriptions live in the attachment (they survive hibernation); each channel
 * is delivered in strict order (ChannelOrder, src/objects/stream-order.ts): its snapshot or
 * `nodata` first, updates held meanwhile, then consecutive seqs, a hole repaired with a fresh
 * snapshot. A `*:bias` and a `SYMBOL:bias` subscription of one socket share one delivery of
 * that symbol's bias. Delivery has a budget (a token bucket): updates beyond it are coalesced
 * per channel (src/objects/stream-pending.ts: latest state wins; liquidation lists are merged;
 * a map channel's patches give way to its full value) and flushed as tokens come back; a
 * socket that stays behind for SLOW_CONSUMER_MS is closed (4008). Every send is in its own
 * try/catch: one broken socket closes alone.
 *
 * Isolation (what one client may cost the others, src/objects/socket-limits.ts): client
 * frames have a size and a rate limit (1009, 1008); channel operations a budget
 * (`rate_limited`); snapshots a cap on reads in flight and a byte budget per socket
 * (SnapshotQueue). A socket this
 * relay closed is remembered (in memory and in its attachment, so also across hibernation):
 * the frames it had in flight are dropped unread. Interest changes are coalesced
 * (InterestSync): one sync running and one waiting, whatever the number of subscribes.
 */
import { DurableObject } from "cloudflare:workers";
import { SYMBOLS } from "../domain/symbols.js";
import {
  ALL_BIAS,
  ClientMessageSchema,
  splitChannel,
  type ChannelKind,
  type ChannelUpdate,
  type ClientMessage,
  type ServerMessage,
  type StreamErrorCode,
} from "../protocol/stream.js";
import { InterestSync } from "./interest-sync.js";
import { SnapshotQueue } from "./snapshot-queue.js";
import { ChannelOrder, type NoData } from "./stream-order.js";
import { fold, frameOf, pendingOf, type Pending } from "./stream-pending.js";
import { fullBucket, take, type Bucket } from "../protocol/token-bucket.js";
import {
  CLIENT_BURST,
  CLIENT_PER_S,
  MAX_SNAPSHOT_READS_PER_SOCKET,
  SNAPSHOT_BYTES_BURST,
  SNAPSHOT_BYTES_PER_S,
  SUBSCRIBE_BURST,
  SUBSCRIBE_PER_S,
} from "./socket-limits.js";

export { CLIENT_BURST, CLIENT_PER_S } from "./socket-limits.js";

/** Bound on distinct channels one socket may hold. */
export const MAX_CHANNELS_PER_SOCKET = 200;
/** Client frames larger than this close the socket with 1009. */
export const MAX_CLIENT_MESSAGE_BYTES = 16_384;
/** Deliveries per socket: a burst of DELIVERY_BURST, then DELIVERY_PER_S per second; beyond → coalesced. */
export const DELIVERY_BURST = 100;
export const DELIVERY_PER_S = 50;
/** A socket with coalesced updates waiting this long is a slow consumer and is closed (STREAM_SLOW_CONSUMER_MS overrides). */
export const SLOW_CONSUMER_MS = 30_000;

export const CLOSE_POLICY = 1008;
export const CLOSE_TOO_BIG = 1009;
export const CLOSE_SLOW_CONSUMER = 4008;

interface Attachment {
  channels: string[];
  /** Set when this relay closed the socket: frames still arriving are dropped unread. */
  closed?: true;
}

interface SocketState {
  inbound: Bucket;
  outbound: Bucket;
  /** Channel operations (subscribe, unsubscribe, snapshot: one per channel). */
  operations: Bucket;
  pending: Map<string, Pending>;
  behindSinceMs: number | null;
  /** Per channel: snapshot first, then consecutive seqs. */
  order: ChannelOrder;
  snapshots: SnapshotQueue<ChannelUpdate | NoData>;
  readsInFlight: number;
}

/** What the relay has done and refused, for stats() and the tests. */
interface RelayCounters {
  /** Client frames that reached webSocketMessage. */
  received: number;
  /** Frames of sockets already closed, dropped unread. */
  dropped: number;
  /** Messages refused for exceeding the channel-operation budget. */
  rateLimited: number;
  /** Snapshot reads sent to SymbolObjects, in flight now, and the most one socket had in flight. */
  snapshotReads: number;
  readsInFlight: number;
  readsInFlightMax: number;
}

/** stats(): the relay's sockets, channels and what isolation cost or refused. */
export interface RelayStats {
  name: string | null;
  sockets: number;
  channels: number;
  behind: number;
  frames: { received: number; dropped: number; rateLimited: number };
  interest: { syncs: number; calls: number; failed: number };
  snapshotReads: { total: number; inFlight: number; inFlightMax: number };
  /** Per-channel ordering: updates dropped as not newer than what a socket had, holes repaired with a snapshot (sockets open now). */
  order: { dropped: number; resyncs: number };
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
  /** Snapshot reads in flight, per channel: sockets asking for the same channel at once share one. */
  private readonly reading = new Map<string, Promise<ChannelUpdate | null>>();
  private readonly sockets = new Map<WebSocket, SocketState>();
  /** Sockets this relay closed or saw close (the attachment flag carries it across hibernation). */
  private readonly closed = new WeakSet<WebSocket>();
  private readonly interest: InterestSync;
  private readonly counters: RelayCounters = { received: 0, dropped: 0, rateLimited: 0, snapshotReads: 0, readsInFlight: 0, readsInFlightMax: 0 };
  private flushTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly slowConsumerMs: number;
  private name: string | null = null;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    const configured = Number(env.STREAM_SLOW_CONSUMER_MS);
    this.slowConsumerMs = Number.isInteger(configured) && configured > 0 ? configured : SLOW_CONSUMER_MS;
    // Answered by the runtime without waking the object.
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair(`{"op":"ping"}`, `{"type":"pong"}`));
    this.interest = new InterestSync({
      symbols: SYMBOLS.symbols,
      wanted: () => this.wantedKinds(),
      tell: (symbol, kinds) => this.symbolObject(symbol).setRelayInterest(this.name!, kinds),
      save: (confirmed) => this.saveInterest(confirmed),
    });
    for (const ws of ctx.getWebSockets()) {
      const attachment = attachmentOf(ws);
      if (attachment.closed) this.closed.add(ws);
      else for (const channel of attachment.channels) this.index(channel, ws);
    }
    ctx.blockConcurrencyWhile(async () => {
      this.name = (await ctx.storage.get<string>("name")) ?? null;
      const stored = await ctx.storage.list<string>({ prefix: INTEREST_KEY });
      this.interest.restore([...stored].map(([key, kinds]) => [key.slice(INTEREST_KEY.length), kinds]));
      // Woken with fewer sockets than registered for (they closed while it was away): withdraw.
      if (this.name !== null && this.interest.drifted()) void this.interest.request();
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
    this.counters.received++;
    // A socket closed for its rate or size may still have frames in flight: they cost nothing.
    if (this.isClosed(ws)) {
      this.counters.dropped++;
      return;
    }
    const state = this.stateOf(ws);
    const now = Date.now();
    if (!take(state.inbound, CLIENT_BURST, CLIENT_PER_S, now)) {
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
    if (!take(state.operations, SUBSCRIBE_BURST, SUBSCRIBE_PER_S, now, operationCost(channels))) {
      this.counters.rateLimited++;
      return sendQuietly(
        ws,
        protocolError("rate_limited", `${msg.op} refused: a socket may make ${SUBSCRIBE_BURST} channel operations at once, then ${SUBSCRIBE_PER_S} per second (*:bias counts one per symbol); retry later`),
      );
    }
    await this.apply(ws, state, msg.op, channels);
  }

  /** A parsed, admitted channel operation. */
  private async apply(ws: WebSocket, state: SocketState, op: Exclude<ClientMessage["op"], "ping">, channels: string[]): Promise<void> {
    const attachment = attachmentOf(ws);
    if (op === "snapshot") {
      // A re-sync of what the socket holds: a channel it does not hold is not read for it.
      const notHeld = channels.filter((c) => !holds(attachment.channels, c));
      if (notHeld.length > 0) return sendQuietly(ws, protocolError("not_subscribed", `snapshot: subscribe first: ${notHeld.join(", ")}`));
      this.expectSnapshots(state, concreteChannels(channels));
      return;
    }
    if (op === "unsubscribe") {
      const before = attachment.channels;
      attachment.channels = before.filter((c) => !channels.includes(c));
      ws.serializeAttachment(attachment);
      for (const channel of channels) this.unindex(channel, ws);
      // A symbol's bias stays while `*:bias` (or the symbol's own channel) still brings it.
      for (const channel of concreteChannels(channels.filter((c) => before.includes(c)))) {
        if (holds(attachment.channels, channel)) continue;
        state.order.forget(channel);
        dropPending(state, channel);
      }
      sendQuietly(ws, { type: "unsubscribed", channels });
      void this.syncInterest();
      return;
    }
    const held = [...attachment.channels];
    const added = channels.filter((c) => !held.includes(c));
    if (held.length + added.length > MAX_CHANNELS_PER_SOCKET) {
      return sendQuietly(ws, protocolError("too_many_channels", `a socket may hold at most ${MAX_CHANNELS_PER_SOCKET} channels`));
    }
    // Each real channel is snapshotted once per socket: one the socket already receives through
    // another subscription (`*:bias` and `BTCUSDT:bias`) is not read again. Re-subscribing the
    // same channel is a re-sync request, as `snapshot` is.
    const wanted = new Set([
      ...concreteChannels(added).filter((c) => !holds(held, c)),
      ...concreteChannels(channels.filter((c) => held.includes(c))),
    ]);
    // Updates published from here on wait for the snapshot (ChannelOrder), whatever the RPCs' order.
    for (const channel of wanted) this.expect(state, channel);
    attachment.channels.push(...added);
    ws.serializeAttachment(attachment);
    for (const channel of added) this.index(channel, ws);
    sendQuietly(ws, { type: "subscribed", channels });
    // Registered before the snapshot is read, so no update falls between the two.
    if (!this.interest.covers(interestPairs(channels))) await this.syncInterest();
    if (!this.isClosed(ws)) state.snapshots.push(wanted);
  }

  /** A socket asks for these channels' values: their updates wait for them. */
  private expectSnapshots(state: SocketState, channels: string[]): void {
    for (const channel of channels) this.expect(state, channel);
    state.snapshots.push(channels);
  }

  /** Holds a channel's updates (and what was waiting to be sent) until its snapshot goes out. */
  private expect(state: SocketState, channel: string): void {
    state.order.expect(channel, state.pending.get(channel));
    dropPending(state, channel);
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
  async publish(updates: ChannelUpdate[]): Promise<PublishResult> {
    const now = Date.now();
    const result: PublishResult = { delivered: 0, coalesced: 0, unwanted: [] };
    for (const update of updates) {
      const targets = this.targetsOf(update.channel);
      if (targets.size === 0) {
        // Not kept: a later subscriber's snapshot must not be a value nobody here kept current.
        result.unwanted.push(update.channel);
        continue;
      }
      this.latest.set(update.channel, update);
      let frame: string | null = null;
      for (const ws of targets) {
        const state = this.stateOf(ws);
        const verdict = state.order.onUpdate(update);
        if (verdict.action === "hold" || verdict.action === "drop") continue;
        if (verdict.action === "resync") {
          // A hole in a liquidation list: what waits is void, the fresh snapshot holds it.
          dropPending(state, update.channel);
          state.snapshots.push([update.channel]);
          continue;
        }
        const asSnapshot = verdict.action === "send-as-snapshot";
        if (asSnapshot) dropPending(state, update.channel);
        if (!asSnapshot && state.pending.size === 0 && take(state.outbound, DELIVERY_BURST, DELIVERY_PER_S, now)) {
          frame ??= JSON.stringify(frameOf(pendingOf(update)));
          if (this.sendOrDrop(ws, frame)) result.delivered++;
        } else if (this.enqueue(ws, state, pendingOf(update, asSnapshot), now)) result.delivered++;
        else result.coalesced++;
      }
    }
    if (result.coalesced > 0) this.scheduleFlush();
    return result;
  }

  /**
   * Sends an entry now if the socket is not behind and has budget, else folds it into what
   * waits for the socket (true: sent now).
   */
  private enqueue(ws: WebSocket, state: SocketState, entry: Pending, now: number): boolean {
    if (state.pending.size === 0 && take(state.outbound, DELIVERY_BURST, DELIVERY_PER_S, now)) {
      return this.sendOrDrop(ws, JSON.stringify(frameOf(entry)));
    }
    const channel = entry.update.channel;
    state.pending.set(channel, fold(state.pending.get(channel), entry));
    state.behindSinceMs ??= now;
    return false;
  }

  async stats(): Promise<RelayStats> {
    let behind = 0;
    for (const s of this.sockets.values()) if (s.pending.size > 0) behind++;
    const c = this.counters;
    return {
      name: this.name,
      sockets: this.ctx.getWebSockets().length,
      channels: this.subscribers.size,
      behind,
      frames: { received: c.received, dropped: c.dropped, rateLimited: c.rateLimited },
      interest: { ...this.interest.counters },
      snapshotReads: { total: c.snapshotReads, inFlight: c.readsInFlight, inFlightMax: c.readsInFlightMax },
      order: this.orderCounters(),
    };
  }

  private orderCounters(): { dropped: number; resyncs: number } {
    const total = { dropped: 0, resyncs: 0 };
    for (const s of this.sockets.values()) {
      total.dropped += s.order.counters.dropped;
      total.resyncs += s.order.counters.resyncs;
    }
    return total;
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
        // Defensive: a channel waiting for its snapshot has nothing pending (expect() took it).
        if (state.order.isWaiting(channel)) {
          state.pending.delete(channel);
          continue;
        }
        if (!take(state.outbound, DELIVERY_BURST, DELIVERY_PER_S, now)) break;
        state.pending.delete(channel);
        if (!this.sendOrDrop(ws, JSON.stringify(frameOf(p)))) break;
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

  /** A channel's value for a socket's snapshot, or why there is none (no data yet, or the read failed). */
  private async snapshotOrNoData(channel: string, state: SocketState): Promise<ChannelUpdate | NoData> {
    try {
      return (await this.snapshotOf(channel, state)) ?? { noData: noDataReason(channel) };
    } catch (err) {
      return { noData: `${splitChannel(channel).symbol}'s engine did not answer (${String(err).slice(0, 120)}); the value follows with its next update` };
    }
  }

  /**
   * Sends a channel's snapshot (or nodata) in its strict order (ChannelOrder): held updates
   * it covers are dropped, those that follow it are sent after it, a hole is read again.
   * Returns the bytes sent (charged to the socket's snapshot budget).
   */
  private deliverSnapshot(ws: WebSocket, state: SocketState, channel: string, value: ChannelUpdate | NoData): number {
    const plan = state.order.snapshotReady(channel, value);
    if (plan.action === "skip") return 0;
    if (plan.action === "reread") {
      state.snapshots.push([channel]);
      return 0;
    }
    const first = plan.first;
    const message: ServerMessage =
      "noData" in first ? { type: "nodata", channel, reason: first.noData } : { type: "snapshot", channel: first.channel, seq: first.seq, data: first.data };
    const frame = JSON.stringify(message);
    if (!this.sendOrDrop(ws, frame)) return 0;
    if (plan.then && !this.enqueue(ws, state, plan.then, Date.now())) this.scheduleFlush();
    return frame.length;
  }

  /**
   * A channel's current value: the relay's latest when it has one, else the SymbolObject's (a
   * read, shared by every socket asking for the channel meanwhile). A value read while this
   * relay is registered for the channel is kept as its latest: publishes keep it current.
   */
  private async snapshotOf(channel: string, state: SocketState): Promise<ChannelUpdate | null> {
    const { symbol, kind } = splitChannel(channel);
    if (kind !== "liquidations") {
      const cached = this.latest.get(channel);
      if (cached) return cached;
    }
    let read = this.reading.get(channel);
    if (!read) {
      read = this.readSnapshot(channel, symbol, kind);
      this.reading.set(channel, read);
    }
    const c = this.counters;
    state.readsInFlight++;
    c.readsInFlightMax = Math.max(c.readsInFlightMax, state.readsInFlight);
    try {
      return await read;
    } finally {
      state.readsInFlight--;
    }
  }

  private async readSnapshot(channel: string, symbol: string, kind: ChannelKind): Promise<ChannelUpdate | null> {
    const c = this.counters;
    c.snapshotReads++;
    c.readsInFlight++;
    try {
      const value = (await this.symbolObject(symbol).channelSnapshot(kind)) as ChannelUpdate | null;
      const known = this.latest.get(channel);
      // Kept only while publishes reach it: the SymbolObject has confirmed this relay's interest
      // in the kind and a socket here still holds the channel (its last leaving drops it).
      const registered = this.interest.confirmedKinds(symbol).split(",").includes(kind) && this.targetsOf(channel).size > 0;
      if (value && kind !== "liquidations" && registered && (!known || known.seq < value.seq)) this.latest.set(channel, value);
      return value;
    } catch (err) {
      console.warn(`snapshot of ${channel} failed`, String(err));
      throw err;
    } finally {
      c.readsInFlight--;
      this.reading.delete(channel);
    }
  }

  private symbolObject(symbol: string) {
    return this.env.SYMBOL_OBJECTS.get(this.env.SYMBOL_OBJECTS.idFromName(symbol));
  }

  /** Tells SymbolObjects which channel kinds this relay wants (coalesced; never rejects). */
  private syncInterest(): Promise<void> {
    if (this.name === null) return Promise.resolve();
    return this.interest.request();
  }

  /** The channel kinds this relay's sockets want, per symbol. */
  private wantedKinds(): Map<string, Set<ChannelKind>> {
    const wanted = new Map<string, Set<ChannelKind>>();
    for (const [channel, sockets] of this.subscribers) {
      if (sockets.size === 0) continue;
      for (const [symbol, kind] of interestPairs([channel])) {
        let kinds = wanted.get(symbol);
        if (!kinds) wanted.set(symbol, (kinds = new Set()));
        kinds.add(kind);
      }
    }
    return wanted;
  }

  private async saveInterest(confirmed: Record<string, string>): Promise<void> {
    const put: Record<string, string> = {};
    const gone: string[] = [];
    for (const [symbol, kinds] of Object.entries(confirmed)) {
      if (kinds === "") gone.push(INTEREST_KEY + symbol);
      else put[INTEREST_KEY + symbol] = kinds;
    }
    if (Object.keys(put).length > 0) await this.ctx.storage.put(put);
    if (gone.length > 0) await this.ctx.storage.delete(gone);
  }

  private isClosed(ws: WebSocket): boolean {
    if (this.closed.has(ws)) return true;
    if (ws.readyState !== WebSocket.READY_STATE_OPEN || attachmentOf(ws).closed) {
      this.closed.add(ws);
      return true;
    }
    return false;
  }

  private stateOf(ws: WebSocket): SocketState {
    let state = this.sockets.get(ws);
    if (!state) {
      const now = Date.now();
      const snapshots = new SnapshotQueue<ChannelUpdate | NoData>({
        read: (channel) => this.snapshotOrNoData(channel, state!),
        deliver: (channel, value) => (this.isClosed(ws) ? 0 : this.deliverSnapshot(ws, state!, channel, value)),
        maxReads: MAX_SNAPSHOT_READS_PER_SOCKET,
        bytesBurst: SNAPSHOT_BYTES_BURST,
        bytesPerS: SNAPSHOT_BYTES_PER_S,
      });
      state = {
        inbound: fullBucket(CLIENT_BURST, now),
        outbound: fullBucket(DELIVERY_BURST, now),
        operations: fullBucket(SUBSCRIBE_BURST, now),
        pending: new Map(),
        behindSinceMs: null,
        order: new ChannelOrder(),
        snapshots,
        readsInFlight: 0,
      };
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
      for (const kept of channel === ALL_BIAS ? concreteChannels([ALL_BIAS]) : [channel]) {
        if (this.targetsOf(kept).size === 0) this.latest.delete(kept);
      }
    }
  }

  /** Drops a closed socket: its subscriptions, its queued snapshots, and (coalesced) its interest. */
  private forget(ws: WebSocket): void {
    this.closed.add(ws);
    let held = false;
    for (const [channel, sockets] of [...this.subscribers]) {
      if (!sockets.has(ws)) continue;
      held = true;
      this.unindex(channel, ws);
    }
    this.sockets.get(ws)?.snapshots.clear();
    this.sockets.delete(ws);
    if (held) void this.syncInterest();
  }

  private sendOrDrop(ws: WebSocket, frame: string): boolean {
    try {
      ws.send(frame);
      return true;
    } catch {
      this.forget(ws);
      return false;
    }
  }

  /** Closes a socket for a policy reason; remembered first, so frames it still has in flight are dropped. */
  private closeQuietly(ws: WebSocket, code: number, reason: string): void {
    this.closed.add(ws);
    try {
      ws.serializeAttachment({ ...attachmentOf(ws), closed: true } satisfies Attachment);
    } catch {
      // a socket the runtime already closed keeps no attachment; the in-memory mark holds
    }
    try {
      ws.close(code, reason);
    } catch {
      // already closed
    }
    this.forget(ws);
  }
}

const INTEREST_KEY = "interest:";

/** The (symbol, kind) pairs channels stand for (`*:bias`: every symbol's bias). */
function interestPairs(channels: Iterable<string>): Array<readonly [string, ChannelKind]> {
  const pairs: Array<readonly [string, ChannelKind]> = [];
  for (const channel of channels) {
    if (channel === ALL_BIAS) for (const s of SYMBOLS.symbols) pairs.push([s, "bias"]);
    else {
      const { symbol, kind } = splitChannel(channel);
      pairs.push([symbol, kind]);
    }
  }
  return pairs;
}

/** True when a socket holding `held` receives `channel` (directly, or a symbol's bias through `*:bias`). */
function holds(held: string[], channel: string): boolean {
  return held.includes(channel) || (channel.endsWith(":bias") && held.includes(ALL_BIAS));
}

/** The channels whose snapshots a request stands for (`*:bias`: each symbol's bias). */
function concreteChannels(channels: string[]): string[] {
  return channels.flatMap((c) => (c === ALL_BIAS ? SYMBOLS.symbols.map((s) => `${s}:bias`) : [c]));
}

/** What a channel operation costs against SUBSCRIBE_BURST: one per channel, one per symbol for `*:bias`. */
function operationCost(channels: string[]): number {
  return channels.reduce((n, c) => n + (c === ALL_BIAS ? SYMBOLS.symbols.length : 1), 0);
}

/** Forgets what waits for a socket on a channel (a socket with nothing waiting is not behind). */
function dropPending(state: SocketState, channel: string): void {
  state.pending.delete(channel);
  if (state.pending.size === 0) state.behindSinceMs = null;
}

/** Why a channel has no value yet, in words a widget can show. */
function noDataReason(channel: string): string {
  const { symbol, kind } = splitChannel(channel);
  if (kind === "zones") return `no data for ${symbol} yet: zones come with its first 10 s cycle of event time`;
  if (kind === "cards" || kind === "bias") return `no data for ${symbol} yet: its feeds have delivered no event, or its first 10 s cycle has not closed`;
  return `no data for ${symbol} yet: its feeds have delivered no event`;
}

function attachmentOf(ws: WebSocket): Attachment {
  const a = ws.deserializeAttachment() as Attachment | null;
  return a && Array.isArray(a.channels) ? a : { channels: [] };
}

function protocolError(code: StreamErrorCode, message: string): ServerMessage {
  return { type: "error", code, message };
}

function sendQuietly(ws: WebSocket, message: ServerMessage): void {
  try {
    ws.send(JSON.stringify(message));
  } catch {
    // the socket is gone; its close handler cleans up
  }
}
