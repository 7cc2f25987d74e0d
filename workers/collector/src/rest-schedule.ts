/**
 * REST polling spread over time: with `n` instruments polled every `everyMs`, instrument `i`
 * is first due at `startMs + i · everyMs / n`, then every `everyMs`, so requests arrive evenly
 * rather than in bursts (Binance weighs requests per minute per IP). A poll that fell behind
 * (the object was busy or asleep) is due once, then continues from now. Pure.
 */
export class PollSchedule {
  private readonly nextMs = new Map<string, number>();

  /** `spreadMs` (default `everyMs`): the span the first round is spread over (a slow poll can start with a quick round). */
  constructor(items: readonly string[], readonly everyMs: number, startMs: number, spreadMs = everyMs) {
    if (!(everyMs > 0)) throw new Error(`PollSchedule: everyMs must be > 0 (got ${everyMs})`);
    const step = items.length > 0 ? Math.min(spreadMs, everyMs) / items.length : 0;
    items.forEach((item, i) => this.nextMs.set(item, startMs + Math.round(i * step)));
  }

  /** Items due at `nowMs`, in schedule order; each is rescheduled one period later. */
  due(nowMs: number): string[] {
    const out: { item: string; at: number }[] = [];
    for (const [item, at] of this.nextMs) if (at <= nowMs) out.push({ item, at });
    out.sort((a, b) => a.at - b.at);
    for (const { item, at } of out) {
      const next = at + this.everyMs;
      this.nextMs.set(item, next > nowMs ? next : nowMs + this.everyMs);
    }
    return out.map((o) => o.item);
  }

  /** Makes a known `item` due again at `atMs` (a request that could not be made yet). */
  retryAt(item: string, atMs: number): void {
    if (this.nextMs.has(item)) this.nextMs.set(item, atMs);
  }

  /** When `item` is next due, undefined for an unknown item. */
  nextDueMs(item: string): number | undefined {
    return this.nextMs.get(item);
  }
}
