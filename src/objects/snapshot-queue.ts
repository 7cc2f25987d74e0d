/**
 * SnapshotQueue: one socket's snapshot requests (from `subscribe` and `snapshot` messages).
 *
 * At most `maxReads` reads run at once (each may be an RPC to a SymbolObject), the rest wait;
 * answers are delivered in the order the channels were asked, so a client sees its snapshots
 * in the order of its messages. Deliveries are paced by a byte budget (`bytesBurst` at once,
 * then `bytesPerS`): a snapshot is sent when the budget is not in debt, and its size is then
 * charged, so one socket cannot make the relay serialize and send megabytes at once. A
 * channel already waiting is not queued again: a socket repeating `{"op":"snapshot"}` or a
 * subscribe while it waits costs one read and one send per distinct channel, and the queue
 * never holds more entries than there are channels.
 *
 * Pure: no runtime imports; the clock and the timer can be passed in.
 */
import { fullBucket, take, waitMs, type Bucket } from "./socket-limits.js";

export interface SnapshotQueueOptions<T> {
  /** Fetches a channel's snapshot (a failure is the reader's to report; nothing is sent). */
  read: (channel: string) => Promise<T>;
  /** Sends it; returns the bytes sent (0 when nothing was). Called in queue order. */
  deliver: (channel: string, value: T) => number;
  /** Reads in flight at most. */
  maxReads: number;
  /** Bytes that may be sent at once, then per second. */
  bytesBurst: number;
  bytesPerS: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export class SnapshotQueue<T> {
  private readonly waiting = new Set<string>();
  private draining = false;
  private readonly budget: Bucket;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: SnapshotQueueOptions<T>) {
    if (!(options.maxReads >= 1)) throw new RangeError(`SnapshotQueue: maxReads must be >= 1, got ${options.maxReads}`);
    if (!(options.bytesBurst > 0 && options.bytesPerS > 0)) throw new RangeError("SnapshotQueue: bytesBurst and bytesPerS must be > 0");
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.budget = fullBucket(options.bytesBurst, this.now());
  }

  /** Queues channels (those already waiting keep their place) and starts reading if idle. */
  push(channels: Iterable<string>): void {
    for (const channel of channels) this.waiting.add(channel);
    if (!this.draining) void this.drain();
  }

  /** Forgets what waits (the socket is gone); reads already running still finish (`deliver` decides what to send). */
  clear(): void {
    this.waiting.clear();
  }

  /** Channels waiting for a read. */
  get size(): number {
    return this.waiting.size;
  }

  private async drain(): Promise<void> {
    this.draining = true;
    const running: Array<Promise<{ channel: string; value: T } | null>> = [];
    try {
      while (this.waiting.size > 0 || running.length > 0) {
        while (running.length < this.options.maxReads && this.waiting.size > 0) {
          const channel = this.takeFirst();
          running.push(
            this.options.read(channel).then(
              (value) => ({ channel, value }),
              () => null,
            ),
          );
        }
        const answer = await running.shift()!;
        if (answer) await this.send(answer.channel, answer.value);
      }
    } finally {
      this.draining = false;
    }
  }

  /** Waits until the byte budget is out of debt, sends, and charges what was sent. */
  private async send(channel: string, value: T): Promise<void> {
    const { bytesBurst, bytesPerS } = this.options;
    for (let wait = waitMs(this.budget, bytesBurst, bytesPerS, this.now(), 0); wait > 0; wait = waitMs(this.budget, bytesBurst, bytesPerS, this.now(), 0)) {
      await this.sleep(wait);
    }
    let bytes = 0;
    try {
      bytes = this.options.deliver(channel, value);
    } catch {
      // a delivery that throws must not strand the reads behind it
    }
    take(this.budget, bytesBurst, bytesPerS, this.now(), 0);
    this.budget.tokens -= bytes;
  }

  private takeFirst(): string {
    const [channel] = this.waiting;
    this.waiting.delete(channel);
    return channel;
  }
}
