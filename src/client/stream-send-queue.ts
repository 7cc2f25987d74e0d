/**
 * The stream client's send queue: frames go out in order, within the client's own budget, a
 * token bucket (src/protocol/token-bucket.ts, the relay's own) of a burst then so many frames per
 * second. The relay allows a burst of 20 then 10/s and closes a socket beyond (1008); the client
 * stays under it (default 10, then 5/s) whatever its listeners ask for. Frames over budget wait,
 * in order, for one timer that fires when the next token is due.
 *
 * A new connection starts with an empty queue and a full bucket (`reset`); frames queued while
 * no socket is writable wait for the next `drain` (the stream derives a connection's requests
 * afresh when it opens). Time and the timer come from the injected `Scheduler`.
 */
import { fullBucket, take, waitMs, type Bucket } from "../protocol/token-bucket.js";
import { TimerSlot, type Scheduler } from "./stream-scheduler.js";

/** Where frames go: the connection. */
export interface FrameSink {
  /** True when frames can be written now. */
  readonly writable: boolean;
  /** Writes one frame; throws when the socket refuses it. */
  send(frame: string): void;
}

/** The client's send budget: `burst` frames at once, then `perS` per second. */
export interface SendBudget {
  burst: number;
  perS: number;
}

export class SendQueue {
  private outbox: string[] = [];
  private bucket: Bucket = { tokens: 0, atMs: 0 };
  private readonly timer: TimerSlot;

  constructor(
    private readonly sink: FrameSink,
    private readonly budget: SendBudget,
    private readonly scheduler: Scheduler,
  ) {
    this.timer = new TimerSlot(scheduler);
  }

  /** Frames waiting for budget or for a writable socket. */
  get size(): number {
    return this.outbox.length;
  }

  /** A new connection at `nowMs`: nothing queued, a full bucket. */
  reset(nowMs: number): void {
    this.timer.clear();
    this.outbox = [];
    this.bucket = fullBucket(this.budget.burst, nowMs);
  }

  /** The connection ended: no more draining until the next one (queued frames wait for `reset`). */
  stop(): void {
    this.timer.clear();
  }

  /** Queues a frame and sends what the budget allows now. */
  enqueue(frame: string): void {
    this.outbox.push(frame);
    this.drain();
  }

  /** Sends queued frames within the budget; the rest wait for tokens. */
  private drain(): void {
    if (!this.sink.writable) return;
    const nowMs = this.scheduler.nowMs();
    const { burst, perS } = this.budget;
    while (this.outbox.length > 0 && take(this.bucket, burst, perS, nowMs)) {
      try {
        this.sink.send(this.outbox.shift()!);
      } catch {
        return; // the close event follows
      }
    }
    if (this.outbox.length > 0 && !this.timer.active) this.timer.start(waitMs(this.bucket, burst, perS, nowMs), () => this.drain());
  }
}
