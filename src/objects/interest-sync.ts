/**
 * InterestSync: keeps each SymbolObject told which channel kinds one relay's sockets want,
 * coalescing: however many subscribes, unsubscribes and closes ask for a sync, at most one
 * runs and one waits behind it (every later request joins the waiting one, which reads the
 * wanted set when it starts, so it covers them all).
 *
 * What each SymbolObject has confirmed is kept in memory (and in storage, written after the
 * confirmation, so it survives hibernation and eviction: `restore` on wake), so a sync costs
 * no storage reads and one RPC per symbol whose set changed; most subscribes change nothing
 * and need no sync at all (`covers`). A failed RPC leaves that symbol unconfirmed: the next
 * sync (or the retry after RETRY_MS) sends it again.
 *
 * Pure: no runtime imports; the relay passes in the wanted set, the RPC and the store.
 */
import type { ChannelKind } from "../protocol/stream.js";

/** After a failed sync, the next one runs this much later even if nobody asks (ms). */
export const RETRY_MS = 1_000;

export interface InterestSyncDeps {
  /** Every symbol a relay could register for. */
  symbols: readonly string[];
  /** The channel kinds the relay's sockets want now, per symbol (absent: none). */
  wanted: () => Map<string, Set<ChannelKind>>;
  /** Tells one SymbolObject the full set of kinds wanted from it (empty: none). */
  tell: (symbol: string, kinds: ChannelKind[]) => Promise<void>;
  /** Persists confirmed sets (`""`: none, the key may be deleted). */
  save: (confirmed: Record<string, string>) => Promise<void>;
  /** Logs a failed RPC (default: console.warn). */
  warn?: (message: string) => void;
}

/** Figures for tests and stats: syncs run, RPCs sent, RPCs failed. */
export interface InterestSyncCounters {
  syncs: number;
  calls: number;
  failed: number;
}

export class InterestSync {
  private readonly confirmed = new Map<string, string>();
  private running: Promise<void> | null = null;
  private waiting: Promise<void> | null = null;
  private stale = false;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  readonly counters: InterestSyncCounters = { syncs: 0, calls: 0, failed: 0 };

  constructor(private readonly deps: InterestSyncDeps) {}

  /** Loads what SymbolObjects confirmed before a restart (symbol → comma-joined sorted kinds). */
  restore(confirmed: Iterable<[string, string]>): void {
    for (const [symbol, kinds] of confirmed) if (kinds !== "") this.confirmed.set(symbol, kinds);
  }

  /** The confirmed set of `symbol` (comma-joined, sorted; "" for none). */
  confirmedKinds(symbol: string): string {
    return this.confirmed.get(symbol) ?? "";
  }

  /**
   * True when no sync is running or waiting and every (symbol, kind) is confirmed: a
   * subscriber of these may be sent its snapshot at once, updates already flow here.
   */
  covers(pairs: Iterable<readonly [string, ChannelKind]>): boolean {
    if (this.running !== null || this.waiting !== null || this.stale) return false;
    for (const [symbol, kind] of pairs) {
      if (!this.confirmedKinds(symbol).split(",").includes(kind)) return false;
    }
    return true;
  }

  /** True when the confirmed sets differ from what is wanted now (e.g. after a wake with fewer sockets). */
  drifted(): boolean {
    const wanted = this.deps.wanted();
    return this.deps.symbols.some((s) => joined(wanted.get(s)) !== this.confirmedKinds(s));
  }

  /** Asks for a sync; resolves once one that started after this call has finished (never rejects). */
  request(): Promise<void> {
    if (this.waiting !== null) return this.waiting;
    if (this.running === null) return this.start();
    const waiting = this.running.then(() => {
      this.waiting = null;
      return this.start();
    });
    this.waiting = waiting;
    return waiting;
  }

  private start(): Promise<void> {
    const run = this.run()
      .catch((err: unknown) => (this.deps.warn ?? console.warn)(`interest sync failed: ${String(err)}`))
      .finally(() => {
        if (this.running === run) this.running = null;
      });
    this.running = run;
    return run;
  }

  private async run(): Promise<void> {
    this.counters.syncs++;
    this.stale = false;
    const wanted = this.deps.wanted();
    const changed = this.deps.symbols.filter((s) => joined(wanted.get(s)) !== this.confirmedKinds(s));
    if (changed.length === 0) return;
    const results = await Promise.allSettled(
      changed.map(async (symbol) => {
        const kinds = [...(wanted.get(symbol) ?? [])].sort();
        this.counters.calls++;
        await this.deps.tell(symbol, kinds);
        return [symbol, kinds.join(",")] as const;
      }),
    );
    const saved: Record<string, string> = {};
    for (const r of results) {
      if (r.status === "fulfilled") {
        const [symbol, kinds] = r.value;
        saved[symbol] = kinds;
        if (kinds === "") this.confirmed.delete(symbol);
        else this.confirmed.set(symbol, kinds);
      } else {
        this.counters.failed++;
        (this.deps.warn ?? console.warn)(`interest sync failed: ${String(r.reason)}`);
      }
    }
    if (Object.keys(saved).length > 0) {
      try {
        await this.deps.save(saved);
      } catch (err) {
        (this.deps.warn ?? console.warn)(`interest sync not saved: ${String(err)}`);
      }
    }
    if (results.some((r) => r.status === "rejected")) this.retryLater();
  }

  private retryLater(): void {
    this.stale = true;
    if (this.retryTimer !== null) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      void this.request();
    }, RETRY_MS);
  }
}

function joined(kinds: Set<ChannelKind> | undefined): string {
  return kinds ? [...kinds].sort().join(",") : "";
}
