/**
 * The venue mappers by name, and the one line → events path that the collector, the
 * `normalize` command and the replay share.
 */
import { SYMBOLS } from "../domain/symbols.js";
import { BinanceMapper } from "./binance.js";
import { parseRecordingLine } from "./recording.js";
import type { ExchangeMapper, MapContext, MapResult } from "./types.js";

const MAPPERS: Readonly<Record<string, () => ExchangeMapper>> = {
  binance: () => new BinanceMapper(),
};

/** Names accepted by {@link getMapper}. */
export const MAPPED_VENUES: readonly string[] = Object.keys(MAPPERS);

/** A new mapper for a venue name; throws, listing the known names, for any other name. */
export function getMapper(venue: string): ExchangeMapper {
  const factory = Object.hasOwn(MAPPERS, venue) ? MAPPERS[venue] : undefined;
  if (factory === undefined) {
    throw new Error(`unknown venue ${JSON.stringify(venue)}; known venues: ${MAPPED_VENUES.join(", ")}`);
  }
  return factory();
}

/**
 * What one recording line (or one live frame) became: the mapper's result, and whether the
 * line held a message at all (`false` for empty, connect and sent-request lines, whose reason
 * is in `ignored`, and for unreadable lines, whose reason is in `rejected`).
 */
export type LineResult = MapResult & { hadMessage: boolean };

/**
 * Parses one line (see `recording.ts` for the formats) and maps its message. The line's url
 * and stream name are added to `context`; a url's `symbol=` wins over `context.instrument`.
 */
export function normalizeLine(mapper: ExchangeMapper, line: string, context?: MapContext): LineResult {
  const parsed = parseRecordingLine(line);
  if (parsed.type === "skip") return { events: [], ignored: parsed.reason, hadMessage: false };
  if (parsed.type === "reject") return { events: [], rejected: parsed.reason, hadMessage: false };
  let ctx = context;
  if (parsed.url !== undefined || parsed.stream !== undefined) {
    ctx = { ...context };
    if (parsed.url !== undefined) ctx.url = parsed.url;
    if (parsed.stream !== undefined) ctx.stream = parsed.stream;
  }
  return { ...mapper.map(parsed.message, parsed.recvTs, ctx), hadMessage: true };
}

/**
 * The venue instrument a recording is about, from its first lines: the one tracked symbol its
 * events name, or undefined when they name none or several. Recordings such as hftbacktest's
 * hold REST depth snapshots that name no symbol; this is the default instrument to map them with.
 */
export function inferInstrument(mapper: ExchangeMapper, lines: Iterable<string>): string | undefined {
  const seen = new Set<string>();
  for (const line of lines) {
    for (const event of normalizeLine(mapper, line).events) seen.add(event.symbol);
  }
  if (seen.size !== 1) return undefined;
  const [symbol] = seen;
  return SYMBOLS.instrument(mapper.venue, symbol);
}
