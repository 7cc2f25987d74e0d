/**
 * Stale topics on one connection: a topic silent for longer than its `staleAfterMs` is stale.
 * Silence is counted from the last message of the topic, or from the connection's start for a
 * topic that has not spoken yet (a subscription the venue acknowledged but never serves is the
 * case this catches). Pure: time comes in as `nowMs`.
 */

export class StaleMonitor {
  private readonly lastMs = new Map<string, number>();

  constructor(
    topics: readonly string[],
    private readonly staleAfterMs: (topic: string) => number,
    startMs: number,
  ) {
    for (const t of topics) this.lastMs.set(t, startMs);
  }

  /** A message of `topic` arrived; unknown topics are ignored. Returns whether it was known. */
  touch(topic: string, nowMs: number): boolean {
    if (!this.lastMs.has(topic)) return false;
    this.lastMs.set(topic, nowMs);
    return true;
  }

  /** A message whose topic is unknown arrived: a sign of life for every topic. */
  touchAll(nowMs: number): void {
    for (const t of this.lastMs.keys()) this.lastMs.set(t, nowMs);
  }

  /** Topics silent for longer than their threshold at `nowMs`. */
  staleTopics(nowMs: number): string[] {
    const out: string[] = [];
    for (const [topic, last] of this.lastMs) if (nowMs - last > this.staleAfterMs(topic)) out.push(topic);
    return out;
  }

  /** Milliseconds since `topic` last spoke, undefined for a topic not on this connection. */
  silenceMs(topic: string, nowMs: number): number | undefined {
    const last = this.lastMs.get(topic);
    return last === undefined ? undefined : nowMs - last;
  }
}
