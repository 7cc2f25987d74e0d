/**
 * The REST requests for one-minute bars of a span (a live warm start, a gap refill), per venue,
 * and the mapping of their answers. Pure: no I/O, no clock; the collector sends the requests.
 *
 * | venue | request | most bars per request |
 * |---|---|---|
 * | Binance | `GET /fapi/v1/klines?symbol&interval=1m&startTime&endTime&limit` (open time within [startTime, endTime]) | 1,500 |
 * | Bybit | `GET /v5/market/kline?category=linear&symbol&interval=1&start&end&limit` (start time within [start, end]) | 1,000 |
 * | OKX | `GET /api/v5/market/history-candles?instId&bar=1m&after&before&limit` (ts within (before, after), both exclusive) | 100 |
 * | Hyperliquid | `POST /info {"type":"candleSnapshot","req":{"coin","interval":"1m","startTime","endTime"}}` | 5,000 (and only the 5,000 most recent exist) |
 *
 * A span is the bars whose open time is in `[startMs, endMs)`; it is cut into consecutive pages of
 * at most the venue's limit, oldest first, each one request. An answer maps with the venue's
 * mapper and the request url in the context ({@link mapRestBars}): the mapper reads the
 * instrument and the interval from the url (a Hyperliquid candle names its coin and interval
 * itself) and leaves out a newest bar not yet shown closed.
 *
 * Docs: https://developers.binance.com/docs/derivatives/usds-margined-futures/market-data/rest-api/Kline-Candlestick-Data,
 * https://bybit-exchange.github.io/docs/v5/market/kline,
 * https://www.okx.com/docs-v5/en/#order-book-trading-market-data-get-candlesticks-history,
 * https://hyperliquid.gitbook.io/hyperliquid-docs/for-developers/api/info-endpoint#candle-snapshot
 */
import { BAR_MS, type Venue } from "../domain/events.js";
import { getConnectionSpec } from "./connections.js";
import { getMapper } from "./registry.js";
import type { MapContext, MapResult } from "./types.js";

/** One HTTP request: `body` (JSON text) and `headers` only for a POST. */
export interface RestBarsRequest {
  url: string;
  method: "GET" | "POST";
  body?: string;
  headers?: Record<string, string>;
}

/** Most one-minute bars one request may return, per venue (the venue's documented `limit` maximum, or its answer cap). */
export const BARS_PER_REQUEST: Readonly<Record<Venue, number>> = { binance: 1_500, bybit: 1_000, okx: 100, hyperliquid: 5_000 };

/** Hyperliquid's REST base: its connection spec has none (no REST poll), the info endpoint lives here. */
const HYPERLIQUID_REST_URL = "https://api.hyperliquid.xyz";

/** The page builders: one request for the bars opening in `[fromMs, toMs)`, under `base`. */
const PAGE: Readonly<Record<Venue, (base: string, instrument: string, fromMs: number, toMs: number, limit: number) => RestBarsRequest>> = {
  binance: (base, instrument, from, to, limit) => ({
    method: "GET",
    url: `${base}/fapi/v1/klines?symbol=${encodeURIComponent(instrument)}&interval=1m&startTime=${from}&endTime=${to - 1}&limit=${limit}`,
  }),
  bybit: (base, instrument, from, to, limit) => ({
    method: "GET",
    url: `${base}/v5/market/kline?category=linear&symbol=${encodeURIComponent(instrument)}&interval=1&start=${from}&end=${to - 1}&limit=${limit}`,
  }),
  okx: (base, instrument, from, to, limit) => ({
    method: "GET",
    url: `${base}/api/v5/market/history-candles?instId=${encodeURIComponent(instrument)}&bar=1m&after=${to}&before=${from - 1}&limit=${limit}`,
  }),
  hyperliquid: (base, instrument, from, to) => ({
    method: "POST",
    url: `${base}/info`,
    body: JSON.stringify({ type: "candleSnapshot", req: { coin: instrument, interval: "1m", startTime: from, endTime: to - 1 } }),
    headers: { "content-type": "application/json" },
  }),
};

/**
 * The requests for the one-minute bars of `instrument` (the venue's spelling: `BTCUSDT`,
 * `BTC-USDT-SWAP`, `BTC`) that open in `[startMs, endMs)`, oldest page first; none for an empty
 * span. `restUrl` overrides the venue's REST base (the collector's `<VENUE>_REST_URL`). Throws
 * (naming the argument) on an empty instrument or a time that is not a non-negative integer.
 */
export function restBarsRequests(venue: Venue, instrument: string, startMs: number, endMs: number, restUrl?: string): RestBarsRequest[] {
  if (instrument === "") throw new RangeError("restBarsRequests: instrument must not be empty");
  for (const [name, value] of [["startMs", startMs], ["endMs", endMs]] as const) {
    if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`restBarsRequests: ${name} must be an integer >= 0 (epoch ms), got ${value}`);
  }
  const base = (restUrl ?? getConnectionSpec(venue).restUrl ?? HYPERLIQUID_REST_URL).replace(/\/+$/, "");
  const limit = BARS_PER_REQUEST[venue];
  const out: RestBarsRequest[] = [];
  for (let from = Math.ceil(startMs / BAR_MS) * BAR_MS; from < endMs; from += limit * BAR_MS) {
    out.push(PAGE[venue](base, instrument, from, Math.min(from + limit * BAR_MS, endMs), limit));
  }
  return out;
}

/**
 * The bars of one answer (its parsed JSON body) to a request of {@link restBarsRequests}: the
 * venue's mapper with the request url in the context, as a recording replays it. `recvTs` (local
 * receive time, epoch ms) decides whether the newest bar had closed where the venue does not say.
 */
export function mapRestBars(venue: Venue, body: unknown, recvTs: number | undefined, context: MapContext & { url: string }): MapResult {
  return getMapper(venue).map(body, recvTs, context);
}
