/**
 * The one rule for one-minute bars (klines, candles) of every venue: a venue's bar fields → a
 * checked canonical `bar` event, and when a bar of a REST answer counts as closed. The venue
 * mappers read their own formats (which field is which, units, the symbol) and hand the fields
 * here; `bars-rest.ts` builds the requests. Pure: no I/O, no clock.
 *
 * | venue | format | closed | taker split | trades | quote volume |
 * |---|---|---|---|---|---|
 * | Binance | archive CSV row (data.binance.vision `futures/um` klines) | always | `taker_buy_volume` / `…_quote_volume` | `count` | `quote_volume` |
 * | Binance | WebSocket `<symbol>@kline_1m` | `k.x` | `k.V` / `k.Q` | `k.n` | `k.q` |
 * | Binance | REST `GET /fapi/v1/klines` | {@link restBarClosed} | `[9]` / `[10]` | `[8]` | `[7]` |
 * | Bybit | WebSocket `kline.1.{symbol}` | `confirm` | none | none | `turnover` |
 * | Bybit | REST `GET /v5/market/kline` | {@link restBarClosed}, against the answer's `time` | none | none | `[6]` turnover |
 * | OKX | REST `GET /api/v5/market/history-candles` (and `/candles`) | `confirm` `"1"` | none | none | `[7]` volCcyQuote |
 * | Hyperliquid | `POST /info` `candleSnapshot` | {@link restBarClosed} | none | `n` | none |
 *
 * Forming bars. The engine applies closed bars only. A live stream re-sends the forming minute
 * every second or two and then sends it closed, so a forming bar from a stream is never emitted:
 * the message is ignored (`kline-open`), or the item skipped when the message also holds a closed
 * bar (Bybit pushes the closed minute and the new one together). In a REST answer a bar the venue
 * itself marks as forming (OKX `confirm: "0"`) is emitted with `closed: false`, so a warm start
 * sees where the venue's bars end; where the venue states nothing (Binance, Bybit, Hyperliquid),
 * closing is only inferred from time ({@link restBarClosed}) and a bar not shown closed is left
 * out (`kline-open`), never emitted as if closed.
 *
 * Rejected, never coerced: a time that is not a whole minute, a stated close time other than
 * `openTs + 59 999` (a bar of another interval), a field that is not a plain decimal (or integer
 * where a count or time is), a price ≤ 0, high < low, an open or close outside [low, high], a
 * taker-buy volume above the volume (base or quote).
 */
import { BAR_MS, type BarEvent, type Venue } from "../domain/events.js";
import { scaleDecimal } from "../domain/instruments.js";
import { EPOCH_MS_TEXT, preview, UNSIGNED_DECIMAL } from "./frame.js";

/** A bar's close time (its event time) from its open time: the last millisecond of its minute. */
const BAR_CLOSE_OFFSET_MS = BAR_MS - 1;

/**
 * How long after its close a REST bar must have been received to count as closed when only the
 * local receive time proves it (Binance, Hyperliquid): the local clock may run ahead of the
 * venue's (the recordings here show skews above a second), and a partial bar taken as closed
 * would fill its minute and push that minute's later trades out of the engine.
 */
export const REST_CLOSE_GRACE_MS = 5_000;

/** A bar's fields as the venue sent them, before any check: decimal strings, epoch ms (number or digits). */
export interface RawBar {
  openTs: unknown;
  /** The close time the venue states (Binance `T`, Bybit `end`, Hyperliquid `T`), when it states one. */
  closeTs?: unknown;
  open: unknown;
  high: unknown;
  low: unknown;
  close: unknown;
  /** Traded quantity in the venue's size unit (scaled by `qtyExp`). */
  volume: unknown;
  /** Traded value in the quote (USDT); absent where the venue gives none. */
  quoteVolume?: unknown;
  /** Part of `volume` bought by takers; absent where the venue gives no taker split. */
  takerBuyBase?: unknown;
  takerBuyQuote?: unknown;
  /** Trade count; absent where the venue gives none. */
  trades?: unknown;
}

/** Where a field sits in the venue's message, to name it in a reason (`k.o`, `[2][1]`, `high`). */
export type BarFieldName = (field: keyof RawBar) => string;

/** What a bar is about and how its numbers convert to unified units. */
export interface BarTarget {
  venue: Venue;
  symbol: string;
  /** unified price = venue price × 10^priceExp. */
  priceExp: number;
  /** unified qty = venue volume × 10^qtyExp (volume and taker-buy base volume). */
  qtyExp: number;
}

/**
 * A checked `bar` event from a venue's fields, or the reason it is rejected, starting with
 * `frame` (e.g. `kline: field "k.h" (high) must be …`). `ts` = `openTs + 59 999`; a stated close
 * time must equal it, except that `closeSlackMs` more is accepted (Hyperliquid, whose close may
 * be written as the next minute's open) and read as the same minute.
 */
export function toBar(raw: RawBar, nameOf: BarFieldName, frame: string, target: BarTarget, closed: boolean, closeSlackMs = 0): BarEvent | string {
  const openTs = epochMs(raw.openTs);
  if (openTs === undefined) return `${frame}: field "${nameOf("openTs")}" (open time) must be epoch milliseconds, got ${preview(raw.openTs)}`;
  if (openTs % BAR_MS !== 0) return `${frame}: field "${nameOf("openTs")}" (open time) ${openTs} is not a whole minute`;
  const ts = openTs + BAR_CLOSE_OFFSET_MS;
  if (raw.closeTs !== undefined) {
    const closeTs = epochMs(raw.closeTs);
    if (closeTs === undefined) return `${frame}: field "${nameOf("closeTs")}" (close time) must be epoch milliseconds, got ${preview(raw.closeTs)}`;
    if (closeTs < ts || closeTs > ts + closeSlackMs) {
      return `${frame}: field "${nameOf("closeTs")}" (close time) ${closeTs} is not open time + 59 999 (${ts}): not a one-minute bar`;
    }
  }
  const prices: number[] = [];
  for (const key of ["open", "high", "low", "close"] as const) {
    const price = decimal(raw[key], target.priceExp);
    if (typeof price === "string") return `${frame}: field "${nameOf(key)}" (${key}) ${price}`;
    if (!(price > 0)) return `${frame}: field "${nameOf(key)}" (${key}) must be > 0, got ${preview(raw[key])}`;
    prices.push(price);
  }
  const [open, high, low, close] = prices;
  if (high < low) return `${frame}: high ${high} is below low ${low}`;
  if (open < low || open > high) return `${frame}: open ${open} is outside [low ${low}, high ${high}]`;
  if (close < low || close > high) return `${frame}: close ${close} is outside [low ${low}, high ${high}]`;
  const volumes = optionalVolumes(raw, nameOf, frame, target.qtyExp);
  if (typeof volumes === "string") return volumes;
  const { volumeBase, volumeQuote, takerBuyBase, takerBuyQuote } = volumes;
  if (takerBuyBase !== null && takerBuyBase > volumeBase) return `${frame}: taker buy volume ${takerBuyBase} exceeds volume ${volumeBase}`;
  if (takerBuyQuote !== null && volumeQuote !== null && takerBuyQuote > volumeQuote) {
    return `${frame}: taker buy quote volume ${takerBuyQuote} exceeds quote volume ${volumeQuote}`;
  }
  let trades: number | null = null;
  if (raw.trades !== undefined) {
    const count = epochMs(raw.trades);
    if (count === undefined) return `${frame}: field "${nameOf("trades")}" (trade count) must be an integer >= 0, got ${preview(raw.trades)}`;
    trades = count;
  }
  return { kind: "bar", venue: target.venue, symbol: target.symbol, ts, openTs, open, high, low, close, volumeBase, volumeQuote, takerBuyBase, takerBuyQuote, trades, closed };
}

interface Volumes {
  volumeBase: number;
  volumeQuote: number | null;
  takerBuyBase: number | null;
  takerBuyQuote: number | null;
}

function optionalVolumes(raw: RawBar, nameOf: BarFieldName, frame: string, qtyExp: number): Volumes | string {
  const out: Volumes = { volumeBase: 0, volumeQuote: null, takerBuyBase: null, takerBuyQuote: null };
  const fields = [
    ["volume", "volumeBase", qtyExp, "volume"],
    ["quoteVolume", "volumeQuote", 0, "quote volume"],
    ["takerBuyBase", "takerBuyBase", qtyExp, "taker buy volume"],
    ["takerBuyQuote", "takerBuyQuote", 0, "taker buy quote volume"],
  ] as const;
  for (const [from, to, exp, what] of fields) {
    const text = raw[from];
    if (text === undefined && from !== "volume") continue;
    const value = decimal(text, exp);
    if (typeof value === "string") return `${frame}: field "${nameOf(from)}" (${what}) ${value}`;
    out[to] = value;
  }
  return out;
}

/** A plain unsigned decimal string in unified units, or what is wrong with it. */
function decimal(text: unknown, exp: number): number | string {
  if (typeof text !== "string" || !UNSIGNED_DECIMAL.test(text)) return `must be an unsigned decimal string, got ${preview(text)}`;
  const value = scaleDecimal(text, exp);
  return Number.isFinite(value) ? value : `must be finite, got "${text.slice(0, 40)}"`;
}

/** A non-negative integer (epoch ms, a count) written as a JSON number or as digits; undefined otherwise. */
function epochMs(value: unknown): number | undefined {
  if (typeof value === "number") return Number.isSafeInteger(value) && value >= 0 ? value : undefined;
  return typeof value === "string" && EPOCH_MS_TEXT.test(value) ? Number(value) : undefined;
}

/**
 * Whether a bar of a REST answer had closed when the venue answered, where the venue does not say
 * (Binance, Bybit, Hyperliquid). A bar followed by a newer one in the same answer is closed: the
 * venue had started a later minute. The newest is closed when its minute had ended by the venue's
 * own clock (`venueNowMs`, Bybit's `time`), else by the local receive time less
 * {@link REST_CLOSE_GRACE_MS}; with neither it is not known closed.
 */
export function restBarClosed(openTs: number, newestOpenTs: number, venueNowMs: number | undefined, recvTs: number | undefined): boolean {
  if (openTs < newestOpenTs) return true;
  const closeTs = openTs + BAR_CLOSE_OFFSET_MS;
  if (venueNowMs !== undefined) return closeTs < venueNowMs;
  return recvTs !== undefined && closeTs + REST_CLOSE_GRACE_MS < recvTs;
}

/** The newest readable open time among `rows` (by `openTsOf`), or -Infinity when none is readable. */
export function newestOpenTime<T>(rows: readonly T[], openTsOf: (row: T) => unknown): number {
  let newest = Number.NEGATIVE_INFINITY;
  for (const row of rows) {
    const t = epochMs(openTsOf(row));
    if (t !== undefined && t > newest) newest = t;
  }
  return newest;
}

const PARAM_PATTERNS = new Map<string, RegExp>();

/** The `name=` parameter of a request url, decoded; undefined when absent. */
export function queryParam(url: string | undefined, name: string): string | undefined {
  if (url === undefined) return undefined;
  let pattern = PARAM_PATTERNS.get(name);
  if (pattern === undefined) PARAM_PATTERNS.set(name, (pattern = new RegExp(`[?&]${name}=([^&#]*)`)));
  const match = pattern.exec(url);
  if (match === null) return undefined;
  try {
    return decodeURIComponent(match[1]);
  } catch {
    return match[1];
  }
}

/** The path of a request url (`/fapi/v1/klines`), without scheme, host or query; undefined for no url. */
export function urlPath(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  const match = /^(?:[a-z]+:\/\/[^/?#]*)?([^?#]*)/i.exec(url);
  return match === null ? undefined : match[1];
}
