/**
 * Venues that push their own book snapshots (Bybit, OKX, Hyperliquid) resync a book by
 * subscribing again: the venue answers with a new snapshot. The engine reports the books it
 * holds unsynced after every batch (an OKX checksum mismatch, a sequence break); a book that
 * stays unsynced for `graceMs` makes the connection that carries it resubscribe, at most once
 * per `everyMs` per connection (a venue that keeps sending a bad book does not get hammered).
 * Pure: time comes in as `nowMs`.
 */
export class BookWatch {
  private readonly unsyncedSinceMs = new Map<string, number>();
  private readonly lastResubscribeMs = new Map<string, number>();

  constructor(
    readonly graceMs = 5_000,
    readonly everyMs = 60_000,
  ) {}

  /**
   * The engine reported `symbol`'s book, carried by connection `stream`, synced or not at
   * `nowMs`. True when that connection should resubscribe now (the call records it).
   */
  report(symbol: string, stream: string, unsynced: boolean, nowMs: number): boolean {
    if (!unsynced) {
      this.unsyncedSinceMs.delete(symbol);
      return false;
    }
    const since = this.unsyncedSinceMs.get(symbol);
    if (since === undefined) {
      this.unsyncedSinceMs.set(symbol, nowMs);
      return false;
    }
    if (nowMs - since < this.graceMs) return false;
    const last = this.lastResubscribeMs.get(stream);
    if (last !== undefined && nowMs - last < this.everyMs) return false;
    this.lastResubscribeMs.set(stream, nowMs);
    this.unsyncedSinceMs.delete(symbol);
    return true;
  }

  /** The connection reconnected: its books start over. */
  reset(symbols: Iterable<string>): void {
    for (const s of symbols) this.unsyncedSinceMs.delete(s);
  }
}
