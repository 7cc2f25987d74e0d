/**
 * The venue mappers by name, and the one line → events path that the collector, the
 * `normalize` command and the replay share.
 */
import { SYMBOLS } from "../domain/symbols.js";
import { BinanceMapper } from "./binance.js";
import { BybitMapper } from "./bybit.js";
import { HyperliquidMapper } from "./hyperliquid.js";
import { OkxMapper } from "./okx.js";
import { parseRecordingLine } from "./recording.js";
import type { ExchangeMapper, MapContext, MapResult } from "./types.js";

const MAPPERS: Readonly<Record<string, () => ExchangeMapper>> = {
  binance: () => new BinanceMapper(),
  bybit: () => new BybitMapper(),
  okx: () => new OkxMapper(),
  hyperliquid: () => new HyperliquidMapper(),
};

/**
 * Endpoint address per recorder connection id, per mapper (one mapper reads one recording in the
 * collector and the replay): a cryptofeed jsonl file names the address only on a connection's
 * `connect`/`send` records, and its `recv` records only by connection id.
 */
const CONNECTIONS = new WeakMap<ExchangeMapper, Map<string, string>>();

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
 * and stream name are added to `context`; a url's `symbol=` wins over `context.instrument`. A
 * message of a recorded connection (cryptofeed jsonl) gets its connection's endpoint address as
 * `url` (e.g. `wss://stream.bybit.com/v5/public/spot`), learnt from the connection's `connect`
 * record earlier in the same recording.
 */
export function normalizeLine(mapper: ExchangeMapper, line: string, context?: MapContext): LineResult {
  const parsed = parseRecordingLine(line);
  if (parsed.type === "skip") {
    if (parsed.connection !== undefined && parsed.url !== undefined) {
      let table = CONNECTIONS.get(mapper);
      if (table === undefined) CONNECTIONS.set(mapper, (table = new Map()));
      table.set(parsed.connection, parsed.url);
    }
    return { events: [], ignored: parsed.reason, hadMessage: false };
  }
  if (parsed.type === "reject") return { events: [], rejected: parsed.reason, hadMessage: false };
  const url = parsed.url ?? (parsed.connection !== undefined ? CONNECTIONS.get(mapper)?.get(parsed.connection) : undefined);
  const ctx = url !== undefined || parsed.stream !== undefined ? lineContext(context, url, parsed.stream) : context;
  // Built field by field, not by spreading: object spread of these small, differently shaped
  // objects cost ~1 µs a line, a sixth of normalize on the Binance recordings (issue 16).
  const result = mapper.map(parsed.message, parsed.recvTs, ctx);
  if (result.rejected !== undefined) return { events: result.events, rejected: result.rejected, hadMessage: true };
  if (result.ignored !== undefined) return { events: result.events, ignored: result.ignored, hadMessage: true };
  return { events: result.events, hadMessage: true };
}

/** `context` with the line's url and stream name added (a new object: the caller's is left as it was). */
function lineContext(context: MapContext | undefined, url: string | undefined, stream: string | undefined): MapContext {
  const out: MapContext = {};
  if (context?.instrument !== undefined) out.instrument = context.instrument;
  const u = url ?? context?.url;
  if (u !== undefined) out.url = u;
  const s = stream ?? context?.stream;
  if (s !== undefined) out.stream = s;
  return out;
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
