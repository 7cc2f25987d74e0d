/**
 * Event-time merge of several recordings, shared by the `replay` command and the
 * collector's replay feed.
 *
 * A recording is in *arrival* order, which is not quite event-time order (a trade's `T`
 * and a depth diff's `E` interleave; a REST snapshot is answered a little late). Each
 * source therefore passes through a bounded reorder buffer: an event leaves it once the
 * source has shown an event `reorderMs` newer, or the source ended. The buffered streams are
 * then merged k-way on (ts, source index, position in source), which makes the order total
 * and the output deterministic. Recordings are never shifted against each other.
 */
import type { CanonicalEvent } from "../domain/events.js";

/** Default tolerance for out-of-order arrival inside one recording, in ms. */
export const DEFAULT_REORDER_MS = 5_000;

export interface MergedEvent {
  event: CanonicalEvent;
  /** Index of the source (input order) the event came from. */
  source: number;
}

interface Item {
  event: CanonicalEvent;
  source: number;
  order: number;
}

/** Binary min-heap on (ts, source, order). */
class MinHeap {
  private readonly items: Item[] = [];

  get size(): number {
    return this.items.length;
  }

  peek(): Item | undefined {
    return this.items[0];
  }

  push(item: Item): void {
    const a = this.items;
    a.push(item);
    let i = a.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!less(a[i], a[parent])) break;
      [a[i], a[parent]] = [a[parent], a[i]];
      i = parent;
    }
  }

  pop(): Item | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length > 0 && last !== undefined) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && less(a[l], a[m])) m = l;
        if (r < a.length && less(a[r], a[m])) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m], a[i]];
        i = m;
      }
    }
    return top;
  }
}

function less(x: Item, y: Item): boolean {
  if (x.event.ts !== y.event.ts) return x.event.ts < y.event.ts;
  if (x.source !== y.source) return x.source < y.source;
  return x.order < y.order;
}

/**
 * Merges event streams into one stream in event-time order.
 * Memory is bounded by the events that fall within `reorderMs` of each source's newest event.
 */
export async function* mergeByEventTime(
  sources: readonly AsyncIterable<CanonicalEvent>[],
  reorderMs: number = DEFAULT_REORDER_MS,
): AsyncGenerator<MergedEvent> {
  if (!(reorderMs >= 0)) throw new Error(`mergeByEventTime: reorderMs must be >= 0, got ${reorderMs}`);
  const iterators = sources.map((s) => s[Symbol.asyncIterator]());
  const pending = new MinHeap();
  const newest = sources.map(() => -Infinity);
  const done = sources.map(() => false);
  const orders = sources.map(() => 0);

  /** The ts below which source i can no longer deliver anything. */
  const released = (i: number): number => (done[i] ? Infinity : newest[i] - reorderMs);

  for (;;) {
    // Pull from the sources whose release point is the smallest until the heap's head is
    // safe: no source may still produce an event earlier than it.
    for (;;) {
      let lagging = -1;
      for (let i = 0; i < iterators.length; i++) {
        if (!done[i] && (lagging < 0 || released(i) < released(lagging))) lagging = i;
      }
      const head = pending.peek();
      if (lagging < 0) break;
      if (head !== undefined && head.event.ts <= released(lagging)) break;
      const next = await iterators[lagging].next();
      if (next.done) {
        done[lagging] = true;
        continue;
      }
      const event = next.value;
      if (event.ts > newest[lagging]) newest[lagging] = event.ts;
      pending.push({ event, source: lagging, order: orders[lagging]++ });
    }
    const item = pending.pop();
    if (item === undefined) return;
    yield { event: item.event, source: item.source };
  }
}
