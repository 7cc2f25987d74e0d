/** Real recorded Binance events for the collector tests. */
import type { BookEvent, CanonicalEvent } from "../../../src/domain/events.js";
import { getMapper, normalizeLine } from "../../../src/exchanges/registry.js";
import { recordingLines } from "../exchanges/helpers.js";

/** Every canonical event of a Binance recording, in file order (the REST snapshot mapped with `instrument`). */
export async function recordedEvents(relative: string, instrument: string): Promise<CanonicalEvent[]> {
  const mapper = getMapper("binance");
  const out: CanonicalEvent[] = [];
  for (const line of await recordingLines(relative)) out.push(...normalizeLine(mapper, line, { instrument }).events);
  return out;
}

/** The book events (REST snapshot and depth diffs) of the 2023-04-04 BTCUSDT recording, in arrival order. */
export async function recordedBookEvents(): Promise<BookEvent[]> {
  const events = await recordedEvents("hftbacktest_btcusdt_20230404.dat.gz", "BTCUSDT");
  return events.filter((e): e is BookEvent => e.kind === "book");
}
