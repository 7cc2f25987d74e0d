/**
 * The stream client's subscription registry: who listens to what, what the server has
 * confirmed on the current connection, and which requests are still to be sent.
 *
 * - **Listeners by key.** A key is a channel or `*:bias`; any number of listeners share one,
 *   and the server hears `subscribe` when the first joins and `unsubscribe` when the last
 *   leaves. A listener's `ready` resolves when every one of its keys is confirmed, and
 *   rejects when the server refuses one (its other keys are kept).
 * - **Requests in batches.** Subscribes, unsubscribes and snapshot requests gather until
 *   `plan()` turns them into frames of at most 100 channels. A subscribe brings the snapshot of
 *   each real channel the connection does not receive yet, so a snapshot request for one of
 *   those is dropped; one it already receives (a listener joining a confirmed key, or
 *   `BTCUSDT:bias` next to `*:bias`) must be asked for.
 * - **Refusals.** `unknown_symbol` refuses a whole message: only the unknown channels are
 *   dropped, the others sent again; `too_many_channels` refuses the batch; a server without the
 *   snapshot op (`bad_message` on `op`) is asked by re-subscribing from then on.
 * - **Delivery.** Each listener gets a real channel's message once, whichever of its keys
 *   matched; a repeat snapshot only reaches listeners that have not had the channel's value on
 *   this connection.
 * Pure bookkeeping: no timers, no sockets; listener errors go to the caller's `onListenerError`.
 */
import { ALL_BIAS, deliveryKeys, splitChannel } from "./channels.js";
import type { ChannelMessage, Listener, NoDataInfo, StreamError } from "./stream-types.js";

/** The server accepts at most this many channels in one message. */
export const MAX_CHANNELS_PER_MESSAGE = 100;

/** How a channel is re-requested after a gap: the `snapshot` op, or a re-subscribe. */
export type ResyncMode = "snapshot" | "resubscribe";

/** One `subscribe()` call: its keys, its listener and the settlement of its `ready`. */
export interface ListenerEntry {
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

/** What the registry made of a server error. */
export interface ServerErrorOutcome {
  /** Pass the error on to the stream's `error` listeners. */
  report: boolean;
  /** Requests were queued again: flush. */
  flush: boolean;
}

/** Called when a listener throws (`listener_error`). */
export type ListenerErrorSink = (error: StreamError) => void;

export class SubscriptionRegistry {
  /** Listeners per subscription key (a channel or `*:bias`). */
  private readonly entries = new Map<string, Set<ListenerEntry>>();
  /** Keys the server confirmed on the current connection. */
  private readonly acked = new Set<string>();
  /** Subscribe batches sent on the current connection and not yet confirmed, oldest first. */
  private inflight: string[][] = [];
  /** Snapshot requests sent on the current connection (to recognise a server without the op). */
  private snapshotsSent = 0;
  private readonly toSubscribe = new Set<string>();
  private readonly toUnsubscribe = new Set<string>();
  private readonly toSnapshot = new Set<string>();

  constructor(private resync: ResyncMode) {}

  /**
   * Adds a listener on its keys: the real channels whose current value it needs asked for
   * (it joins a key already confirmed, or a new key covers channels the connection receives).
   */
  add(entry: ListenerEntry): string[] {
    const joined: string[] = [];
    for (const key of entry.channels) {
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
    // The server sends each real channel's snapshot once per connection.
    const current = [
      ...joined.filter((k) => this.acked.has(k)),
      ...entry.channels.filter((k) => !joined.includes(k)).flatMap((k) => this.alreadyReceived(k)),
    ];
    return [...new Set(current)];
  }

  /** Removes a listener; a key it was the last on is unsubscribed when the server has it. */
  remove(entry: ListenerEntry): void {
    for (const key of entry.channels) {
      const set = this.entries.get(key);
      if (!set) continue;
      set.delete(entry);
      if (set.size > 0) continue;
      this.entries.delete(key);
      this.toSubscribe.delete(key);
      if (this.acked.has(key) || this.inflight.some((b) => b.includes(key))) this.toUnsubscribe.add(key);
    }
  }

  /** Asks for the current value of channels with the next `plan()`. */
  requestSnapshot(channels: readonly string[]): void {
    for (const c of channels) this.toSnapshot.add(c);
  }

  /** Resolves the listener's `ready` once every key it still has is confirmed. */
  settle(entry: ListenerEntry): void {
    if (entry.settled || !entry.channels.every((c) => this.acked.has(c))) return;
    entry.settled = true;
    entry.resolve();
  }

  /** A new connection: nothing confirmed or in flight; every key is to be subscribed again. */
  startSession(): void {
    this.acked.clear();
    this.inflight = [];
    this.snapshotsSent = 0;
    for (const set of this.entries.values()) for (const entry of set) entry.seen.clear();
    // A subscribe brings a snapshot of every channel: nothing else to re-request.
    this.toSnapshot.clear();
    this.toUnsubscribe.clear();
    for (const key of this.entries.keys()) this.toSubscribe.add(key);
  }

  /** The server's `subscribed`: the keys are confirmed; listeners whose keys all are, resolve. */
  confirmed(channels: string[]): void {
    for (const c of channels) this.acked.add(c);
    const key = batchKey(channels);
    const i = this.inflight.findIndex((b) => batchKey(b) === key);
    if (i >= 0) this.inflight.splice(i, 1);
    for (const set of this.entries.values()) for (const entry of set) this.settle(entry);
  }

  /** The server's `error`: refuses channels or switches the resync mode as the code says. */
  serverError(error: StreamError): ServerErrorOutcome {
    if (error.code === "unknown_symbol") {
      // The server refuses the whole message: drop the unknown channels, send the others again.
      const unknown = new Set(error.message.slice(error.message.indexOf(":") + 1).split(",").map((s) => s.trim()));
      const batch = this.takeInflight((b) => b.some((c) => unknown.has(splitChannel(c).symbol)));
      const refused = (batch ?? [...this.entries.keys()].filter((k) => !this.acked.has(k))).filter((c) => unknown.has(splitChannel(c).symbol));
      for (const c of batch ?? []) if (!refused.includes(c) && this.entries.has(c)) this.toSubscribe.add(c);
      this.refuse(refused, { ...error, channels: refused });
      return { report: true, flush: true };
    }
    if (error.code === "too_many_channels") {
      const batch = this.takeInflight(() => true) ?? [];
      this.refuse(batch, { ...error, channels: batch });
      return { report: true, flush: false };
    }
    if (error.code === "bad_message" && /^op\b/.test(error.message) && this.snapshotsSent > 0 && this.resync === "snapshot") {
      // A server without the snapshot op: re-subscribing also yields a snapshot.
      this.resync = "resubscribe";
      this.snapshotsSent = 0;
      for (const key of this.entries.keys()) this.toSubscribe.add(key);
      return { report: false, flush: true };
    }
    return { report: true, flush: false };
  }

  /** The pending requests as frames, in send order: unsubscribes, subscribes, snapshot requests. */
  plan(): string[] {
    const frames: string[] = [];
    const unsubscribe = [...this.toUnsubscribe].filter((k) => !this.entries.has(k));
    this.toUnsubscribe.clear();
    for (const chunk of chunks(unsubscribe)) {
      for (const k of chunk) this.acked.delete(k);
      frames.push(JSON.stringify({ op: "unsubscribe", channels: chunk }));
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
      frames.push(JSON.stringify({ op: "subscribe", channels: chunk }));
    }
    if (snapshot.length === 0) return frames;
    if (this.resync === "snapshot") {
      for (const chunk of chunks(snapshot)) {
        this.snapshotsSent++;
        frames.push(JSON.stringify({ op: "snapshot", channels: chunk }));
      }
    } else {
      // Re-subscribing the key that covers each channel re-sends its snapshot.
      const keys = new Set(snapshot.map((c) => (this.entries.has(c) ? c : ALL_BIAS)).filter((k) => this.entries.has(k)));
      for (const chunk of chunks([...keys])) {
        this.inflight.push(chunk);
        frames.push(JSON.stringify({ op: "subscribe", channels: chunk }));
      }
    }
    return frames;
  }

  /**
   * Hands a channel's message to each of its listeners once (through the channel or `*:bias`);
   * with `onlyUnseen`, only to those that have not had the channel's value on this connection.
   */
  deliver(message: ChannelMessage, onlyUnseen: boolean, onListenerError: ListenerErrorSink): void {
    const channel = message.channel;
    this.visit(channel, (entry) => {
      if (onlyUnseen && entry.seen.has(channel)) return false;
      entry.seen.add(channel);
      try {
        entry.listener(message);
      } catch (err) {
        onListenerError({ code: "listener_error", message: String(err), channels: [channel] });
      }
      return true;
    });
  }

  /** Tells a channel's listeners it has no value (`onNoData`); they count as not having seen it. */
  noData(info: NoDataInfo, onListenerError: ListenerErrorSink): void {
    this.visit(info.channel, (entry) => {
      entry.seen.delete(info.channel);
      try {
        entry.onNoData?.(info);
      } catch (err) {
        onListenerError({ code: "listener_error", message: String(err), channels: [info.channel] });
      }
      return true;
    });
  }

  /**
   * Calls `fn` for each listener of a real channel once, key by key; `fn` returns false to skip
   * a listener without marking it visited. Each key's set is copied when reached, so a listener
   * may subscribe or unsubscribe from inside `fn`.
   */
  private visit(channel: string, fn: (entry: ListenerEntry) => boolean): void {
    const visited = new Set<ListenerEntry>();
    for (const key of deliveryKeys(channel)) {
      for (const entry of [...(this.entries.get(key) ?? [])]) {
        if (visited.has(entry)) continue;
        if (fn(entry)) visited.add(entry);
      }
    }
  }

  /** Real channels of a new key that the connection already receives through another, confirmed key. */
  private alreadyReceived(key: string): string[] {
    if (key === ALL_BIAS) return [...this.acked].filter((k) => k !== ALL_BIAS && k.endsWith(":bias"));
    return key.endsWith(":bias") && this.acked.has(ALL_BIAS) ? [key] : [];
  }

  private takeInflight(match: (batch: string[]) => boolean): string[] | undefined {
    const i = this.inflight.findIndex(match);
    return i >= 0 ? this.inflight.splice(i, 1)[0] : undefined;
  }

  /** The server refused these channels: their listeners are removed and told why. */
  private refuse(channels: string[], error: StreamError): void {
    const told = new Set<ListenerEntry>();
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
}

function chunks(list: string[]): string[][] {
  const out: string[][] = [];
  for (let i = 0; i < list.length; i += MAX_CHANNELS_PER_MESSAGE) out.push(list.slice(i, i + MAX_CHANNELS_PER_MESSAGE));
  return out;
}

function batchKey(channels: readonly string[]): string {
  return [...channels].sort().join(",");
}
