/**
 * Time for the stream client's parts: a clock and one-shot timers behind one small interface,
 * so the connection, the send queue and the stream take it as a dependency. The stream uses the
 * system's (`SYSTEM_SCHEDULER`); unit tests pass a manual one and step it, with no real timers.
 */

/** A handle returned by `Scheduler.setTimeout`, only ever passed back to `clearTimeout`. */
export type TimerHandle = unknown;

/** A clock and one-shot timers. */
export interface Scheduler {
  /** Wall-clock time, ms since the epoch. */
  nowMs(): number;
  setTimeout(fn: () => void, delayMs: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

/** `Date.now` and the global timers. */
export const SYSTEM_SCHEDULER: Scheduler = {
  nowMs: () => Date.now(),
  setTimeout: (fn, delayMs) => setTimeout(fn, delayMs),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** One named timer: at most one pending callback; `start` replaces a pending one. */
export class TimerSlot {
  private handle: TimerHandle = null;
  private armed = false;

  constructor(private readonly scheduler: Scheduler) {}

  /** True while a callback is pending. */
  get active(): boolean {
    return this.armed;
  }

  /** Calls `fn` once after `delayMs` (the slot is free again when `fn` runs). */
  start(delayMs: number, fn: () => void): void {
    this.clear();
    this.armed = true;
    this.handle = this.scheduler.setTimeout(() => {
      this.armed = false;
      this.handle = null;
      fn();
    }, delayMs);
  }

  /** Cancels the pending callback, if any. */
  clear(): void {
    if (this.armed) this.scheduler.clearTimeout(this.handle);
    this.armed = false;
    this.handle = null;
  }
}
