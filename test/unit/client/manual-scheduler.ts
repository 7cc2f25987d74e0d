/**
 * A manual clock and timers for the stream client's parts (src/client/stream-scheduler.ts):
 * nothing fires until a test calls `advance`, which runs due timers in time order (ties in the
 * order they were set), each at its own time. No real timers.
 */
import type { Scheduler } from "../../../src/client/stream-scheduler.js";

interface Pending {
  id: number;
  atMs: number;
  fn: () => void;
}

export class ManualScheduler implements Scheduler {
  private pending: Pending[] = [];
  private nextId = 1;

  constructor(private now = 0) {}

  nowMs(): number {
    return this.now;
  }

  setTimeout(fn: () => void, delayMs: number): number {
    const id = this.nextId++;
    this.pending.push({ id, atMs: this.now + Math.max(0, delayMs), fn });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.pending = this.pending.filter((p) => p.id !== handle);
  }

  /** Delays of the pending timers from now, in firing order. */
  get timers(): number[] {
    return this.sorted().map((p) => p.atMs - this.now);
  }

  /** Moves the clock `ms` forward, firing every timer due on the way. */
  advance(ms: number): void {
    const end = this.now + ms;
    for (;;) {
      const next = this.sorted()[0];
      if (!next || next.atMs > end) break;
      this.pending = this.pending.filter((p) => p !== next);
      this.now = next.atMs;
      next.fn();
    }
    this.now = end;
  }

  private sorted(): Pending[] {
    return [...this.pending].sort((a, b) => a.atMs - b.atMs || a.id - b.id);
  }
}
