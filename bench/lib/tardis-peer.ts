/**
 * The peer a data engineer would pick instead of liqflow's normalizers: `tardis-dev`'s
 * normalizers (npm `tardis-dev`, a devDependency of the bench only), driven the way its own
 * `normalizeMessages` drives them (every mapper asked `canHandle`, then `map` iterated), but in
 * a plain synchronous loop: no async generator, no replay download, so the figure is the
 * normalizers' own cost and the comparison is, if anything, generous to tardis-dev.
 *
 * Input framing follows tardis' own recordings: a message is the combined-stream envelope
 * `{stream, data}`, and the REST depth snapshot (bare in hftbacktest files) is wrapped in
 * tardis' `depthSnapshot` envelope `{stream: "<symbol>@depthSnapshot", generated: true, data}`
 * so that its Binance book mapper emits the snapshot and the diffs after it.
 */
import {
  type Mapper,
  normalizeBookChanges,
  normalizeBookTickers,
  normalizeDerivativeTickers,
  normalizeLiquidations,
  normalizeTrades,
} from "tardis-dev";
import { BybitV5BookChangeMapper } from "tardis-dev/dist/mappers/bybit.js";

// tardis' Mapper is generic in its exchange name and output; the bench only counts what it yields.
type AnyMapper = Mapper<never, never> & { canHandle(message: unknown): boolean; map(message: unknown, localTimestamp: Date): IterableIterator<unknown> | undefined };

/** tardis-dev's five normalizers for USDⓈ-M futures: trades, book changes, derivative tickers, liquidations, book tickers. */
export function binanceFuturesMappers(localTimestamp: Date): AnyMapper[] {
  const ex = "binance-futures" as const;
  return [
    normalizeTrades(ex, localTimestamp),
    normalizeBookChanges(ex, localTimestamp),
    normalizeDerivativeTickers(ex, localTimestamp),
    normalizeLiquidations(ex, localTimestamp),
    normalizeBookTickers(ex, localTimestamp),
  ] as unknown as AnyMapper[];
}

/**
 * tardis-dev's normalizers for Bybit v5 derivatives. Its book-change factory reads
 * `orderbook.50.*`; the recording subscribed to `orderbook.200.*`, so the book mapper is
 * tardis' own `BybitV5BookChangeMapper` built for depth 200 (same class, the depth is its argument).
 */
export function bybitMappers(localTimestamp: Date): AnyMapper[] {
  const ex = "bybit" as const;
  return [
    normalizeTrades(ex, localTimestamp),
    new BybitV5BookChangeMapper(ex, 200),
    normalizeDerivativeTickers(ex, localTimestamp),
    normalizeLiquidations(ex, localTimestamp),
    normalizeBookTickers(ex, localTimestamp),
  ] as unknown as AnyMapper[];
}

/** Every event the mappers yield for one message, counted. */
export function mapAll(mappers: readonly AnyMapper[], message: unknown, localTimestamp: Date): number {
  let n = 0;
  for (const mapper of mappers) {
    if (!mapper.canHandle(message)) continue;
    const out = mapper.map(message, localTimestamp);
    if (out === undefined) continue;
    for (const _ of out) n++;
  }
  return n;
}

/**
 * One hftbacktest line (`<local ns> <json>`) as tardis reads a message: the local time as a
 * Date (ms), the JSON parsed, and a bare REST depth snapshot wrapped in the `depthSnapshot` envelope.
 */
export function hftbacktestMessage(line: string, symbol: string): { message: unknown; localTimestamp: Date } {
  const space = line.indexOf(" ");
  const localTimestamp = new Date(Number(line.slice(0, space - 6)));
  const parsed = JSON.parse(line.slice(space + 1)) as { stream?: string; lastUpdateId?: number };
  const message = parsed.stream === undefined && parsed.lastUpdateId !== undefined
    ? { stream: `${symbol.toLowerCase()}@depthSnapshot`, generated: true, data: parsed }
    : parsed;
  return { message, localTimestamp };
}

/** One cryptofeed jsonl record as tardis reads it: a `recv` record's payload and time; nothing for other records. */
export function jsonlMessage(line: string): { message: unknown; localTimestamp: Date } | undefined {
  const record = JSON.parse(line) as { t: string; ts: number; data?: string };
  if (record.t !== "recv" || record.data === undefined) return undefined;
  return { message: JSON.parse(record.data), localTimestamp: new Date(Math.floor(record.ts * 1000)) };
}
