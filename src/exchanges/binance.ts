/**
 * Binance USDⓈ-M futures normalizer: raw WebSocket frames (envelope removed) and REST depth
 * snapshots → canonical events.
 *
 * Frames are validated at this boundary with small zod schemas of the fields the event needs
 * (other fields are not checked). Binance sends prices and quantities as decimal strings;
 * they must be plain unsigned decimals (`"28145.10"`), anything else (`"abc"`, `"1e3"`,
 * `"-1"`, `""`) rejects the frame with a reason naming the field, never a coerced value.
 * Frames of untracked symbols are counted as `ignored: "untracked-symbol"` before validation.
 * The start of each map method, the book levels and the price checks are the shared ones of
 * `frame.ts`; the live connection is `binance-connection.ts`.
 *
 * Docs: https://developers.binance.com/docs/derivatives/usds-margined-futures/websocket-market-streams
 */
import { z } from "zod";
import type { BarEvent, BookEvent, CanonicalEvent, LiquidationEvent, MarkEvent, OiEvent, QuoteEvent, TradeEvent } from "../domain/events.js";
import { SYMBOLS, type SymbolRegistry } from "../domain/symbols.js";
import { type BarFieldName, newestOpenTime, queryParam, type RawBar, restBarClosed, toBar, urlPath } from "./bars.js";
import { unsignedDecimal } from "./decimal.js";
import {
  admit,
  epochMsNumber,
  events,
  type Frame,
  ignored,
  isFrame,
  isMapResult,
  isNamed,
  isNonEmptyString,
  isNonNegativeInt,
  isSafeInt,
  type LevelFormat,
  nonEmptyText,
  parseFrame,
  parseLevels,
  positive,
  preview,
  rejected,
  type TwinnedCheck,
  UNIT_FACTS,
} from "./frame.js";
import { isBinanceInsuranceGroup, mapBinanceInsuranceGroup } from "./insurance.js";
import { type TrackedSymbol, TrackedSymbols } from "./tracked-instruments.js";
import type { ExchangeMapper, MapContext, MapResult } from "./types.js";

const VENUE = "binance" as const;

/**
 * An unsigned plain decimal as Binance writes it: digits, optionally a point and digits. The
 * lengths are bounded (Binance sends at most a few dozen digits) so that no accepted string
 * can overflow to Infinity when converted.
 */
const UNSIGNED_DECIMAL = /^\d{1,24}(?:\.\d{1,24})?$/;
/** A signed decimal, or empty: delivery contracts send `r: ""` (no funding). */
const FUNDING_RATE = /^(?:-?\d{1,24}(?:\.\d{1,24})?)?$/;
/** Book levels as Binance writes them: `[price, qty]` pairs, digits bounded as in {@link UNSIGNED_DECIMAL}. */
const BINANCE_LEVELS: LevelFormat = { pairOnly: true, maxDigits: 24 };

const decimal = z.string().regex(UNSIGNED_DECIMAL, "must be an unsigned decimal string");
const epochMs = epochMsNumber;
const id = z.number().int("must be an integer id").nonnegative("must be >= 0");
const symbol = nonEmptyText;

/** https://developers.binance.com/docs/derivatives/usds-margined-futures/websocket-market-streams/Aggregate-Trade-Streams */
const AggTradeFrame = z.object({ s: symbol, a: id, p: decimal, q: decimal, T: epochMs, m: z.boolean() });

/**
 * Raw trades (`<symbol>@trade`). Not in the current USDⓈ-M docs but served by fstream; the
 * recordings in data/recorded use it. `X` is the trade type: `MARKET`, or off-book
 * `INSURANCE_FUND` / `ADL` executions that never hit the order book.
 */
const TradeFrame = z.object({ s: symbol, t: id, p: decimal, q: decimal, T: epochMs, m: z.boolean(), X: z.string().optional() });

/** https://developers.binance.com/docs/derivatives/usds-margined-futures/websocket-market-streams/Diff-Book-Depth-Streams */
const DepthUpdateFrame = z.object({ s: symbol, E: epochMs, U: id, u: id, pu: z.number().int("must be an integer id").optional() });

/** https://developers.binance.com/docs/derivatives/usds-margined-futures/market-data/rest-api/Order-Book */
const DepthSnapshotFrame = z.object({ lastUpdateId: id, E: epochMs.optional(), T: epochMs.optional() });

/** https://developers.binance.com/docs/derivatives/usds-margined-futures/websocket-market-streams/Mark-Price-Stream */
const MarkPriceFrame = z.object({
  s: symbol,
  E: epochMs,
  p: decimal,
  i: decimal.optional(),
  // Delivery contracts send `r: ""` and `T: 0`: the venue states no funding.
  r: z.string().regex(FUNDING_RATE, "must be a decimal string or empty").optional(),
  T: epochMs.optional(),
});

/** https://developers.binance.com/docs/derivatives/usds-margined-futures/websocket-market-streams/Individual-Symbol-Book-Ticker-Streams */
const BookTickerFrame = z.object({ s: symbol, b: decimal, B: decimal, a: decimal, A: decimal, E: epochMs.optional(), T: epochMs.optional() });

/** https://developers.binance.com/docs/derivatives/usds-margined-futures/websocket-market-streams/Liquidation-Order-Streams */
const ForceOrderFrame = z.object({
  o: z.object({ s: symbol, S: z.enum(["BUY", "SELL"]), ap: decimal, z: decimal, T: epochMs }),
});

/** https://developers.binance.com/docs/derivatives/usds-margined-futures/market-data/rest-api/Open-Interest */
const OpenInterestFrame = z.object({ symbol, openInterest: decimal, time: epochMs });

// Hand-written twins of the schemas above, one per frame: each accepts exactly what its schema
// accepts (test/unit/exchanges/frame-checks.test.ts), and zod runs only on a frame its twin
// refuses, to name the first bad field (`FrameCheck` in frame.ts). Every good frame skips zod's cost.
const isDecimal = (v: unknown): v is string => typeof v === "string" && UNSIGNED_DECIMAL.test(v);
const isOptionalEpochMs = (v: unknown): boolean => v === undefined || isNonNegativeInt(v);
const isTradeFrame = (f: Frame): boolean =>
  isNonEmptyString(f.s) && isNonNegativeInt(f.t) && isDecimal(f.p) && isDecimal(f.q) && isNonNegativeInt(f.T) && typeof f.m === "boolean" &&
  (f.X === undefined || typeof f.X === "string");
const isAggTradeFrame = (f: Frame): boolean =>
  isNonEmptyString(f.s) && isNonNegativeInt(f.a) && isDecimal(f.p) && isDecimal(f.q) && isNonNegativeInt(f.T) && typeof f.m === "boolean";
const isDepthUpdateFrame = (f: Frame): boolean =>
  isNonEmptyString(f.s) && isNonNegativeInt(f.E) && isNonNegativeInt(f.U) && isNonNegativeInt(f.u) && (f.pu === undefined || isSafeInt(f.pu));
const isDepthSnapshotFrame = (f: Frame): boolean => isNonNegativeInt(f.lastUpdateId) && isOptionalEpochMs(f.E) && isOptionalEpochMs(f.T);
const isMarkPriceFrame = (f: Frame): boolean =>
  isNonEmptyString(f.s) && isNonNegativeInt(f.E) && isDecimal(f.p) && (f.i === undefined || isDecimal(f.i)) &&
  (f.r === undefined || (typeof f.r === "string" && FUNDING_RATE.test(f.r))) && isOptionalEpochMs(f.T);
const isBookTickerFrame = (f: Frame): boolean =>
  isNonEmptyString(f.s) && isDecimal(f.b) && isDecimal(f.B) && isDecimal(f.a) && isDecimal(f.A) && isOptionalEpochMs(f.E) && isOptionalEpochMs(f.T);
const isForceOrderFrame = (f: Frame): boolean => {
  const o = f.o;
  return isFrame(o) && isNonEmptyString(o.s) && (o.S === "BUY" || o.S === "SELL") && isDecimal(o.ap) && isDecimal(o.z) && isNonNegativeInt(o.T);
};
const isOpenInterestFrame = (f: Frame): boolean => isNonEmptyString(f.symbol) && isDecimal(f.openInterest) && isNonNegativeInt(f.time);

const TRADE: TwinnedCheck<z.infer<typeof TradeFrame>> = { name: "trade", schema: TradeFrame, accepts: isTradeFrame };
const AGG_TRADE: TwinnedCheck<z.infer<typeof AggTradeFrame>> = { name: "aggTrade", schema: AggTradeFrame, accepts: isAggTradeFrame };
const DEPTH_UPDATE: TwinnedCheck<z.infer<typeof DepthUpdateFrame>> = { name: "depthUpdate", schema: DepthUpdateFrame, accepts: isDepthUpdateFrame };
const DEPTH_SNAPSHOT: TwinnedCheck<z.infer<typeof DepthSnapshotFrame>> = { name: "depth snapshot", schema: DepthSnapshotFrame, accepts: isDepthSnapshotFrame };
const MARK_PRICE: TwinnedCheck<z.infer<typeof MarkPriceFrame>> = { name: "markPriceUpdate", schema: MarkPriceFrame, accepts: isMarkPriceFrame };
const BOOK_TICKER: TwinnedCheck<z.infer<typeof BookTickerFrame>> = { name: "bookTicker", schema: BookTickerFrame, accepts: isBookTickerFrame };
const FORCE_ORDER: TwinnedCheck<z.infer<typeof ForceOrderFrame>> = { name: "forceOrder", schema: ForceOrderFrame, accepts: isForceOrderFrame };
const OPEN_INTEREST: TwinnedCheck<z.infer<typeof OpenInterestFrame>> = { name: "openInterest", schema: OpenInterestFrame, accepts: isOpenInterestFrame };

/**
 * Each frame check (schema and hand-written twin), for the test that holds them equal.
 * @internal
 */
export const BINANCE_FRAME_CHECKS: readonly TwinnedCheck[] = [TRADE, AGG_TRADE, DEPTH_UPDATE, DEPTH_SNAPSHOT, MARK_PRICE, BOOK_TICKER, FORCE_ORDER, OPEN_INTEREST];

/** Event types Binance USDⓈ-M streams send that liqflow does not use. */
const UNUSED_EVENTS = new Set([
  "continuous_kline",
  "24hrTicker",
  "24hrMiniTicker",
  "compositeIndex",
  "contractInfo",
  "assetIndexUpdate",
  "indexPriceUpdate",
]);
const MAPPED_EVENTS = new Set(["trade", "aggTrade", "depthUpdate", "markPriceUpdate", "bookTicker", "forceOrder", "kline"]);

/**
 * The columns of a kline: the row of `GET /fapi/v1/klines` and of the archive CSV
 * (data.binance.vision `futures/um/monthly/klines`, whose header names them so), in order.
 * https://developers.binance.com/docs/derivatives/usds-margined-futures/market-data/rest-api/Kline-Candlestick-Data
 */
const KLINE_COLUMNS = [
  "open_time", "open", "high", "low", "close", "volume", "close_time", "quote_volume", "count", "taker_buy_volume", "taker_buy_quote_volume", "ignore",
] as const;
/** Column of each bar field in a kline row. */
const KLINE_COLUMN_OF: Readonly<Record<keyof RawBar, number>> = {
  openTs: 0, open: 1, high: 2, low: 3, close: 4, volume: 5, closeTs: 6, quoteVolume: 7, trades: 8, takerBuyBase: 9, takerBuyQuote: 10,
};
/** Field of each bar field in a kline stream event's `k`. */
const KLINE_KEY_OF: Readonly<Record<keyof RawBar, string>> = {
  openTs: "t", closeTs: "T", open: "o", high: "h", low: "l", close: "c", volume: "v", quoteVolume: "q", trades: "n", takerBuyBase: "V", takerBuyQuote: "Q",
};
const CSV_COLUMN_NAME: BarFieldName = (field) => KLINE_COLUMNS[KLINE_COLUMN_OF[field]];
const STREAM_KLINE_NAME: BarFieldName = (field) => `k.${KLINE_KEY_OF[field]}`;

/** How a trade frame names its price and qty in reasons. */
interface TradeFields {
  readonly price: string;
  readonly qty: string;
}
const TRADE_FIELDS: TradeFields = { price: 'trade: field "p" (price)', qty: 'trade: field "q" (qty)' };
const AGG_TRADE_FIELDS: TradeFields = { price: 'aggTrade: field "p" (price)', qty: 'aggTrade: field "q" (qty)' };

/**
 * Binance USDⓈ-M mapper.
 *
 * - `trade` / `aggTrade` → `trade`: `side` is the aggressor, `m: true` (buyer is maker) means
 *   the taker sold → `sell`; `tradeId` = `t` (trade) or `a` (aggTrade); `ts` = `T` (trade time).
 *   Off-book raw trades (`X` ≠ `MARKET`) are ignored, as aggTrade leaves them out too.
 * - `depthUpdate` → `book` delta: `seq` = `u`, `firstSeq` = `U`, `prevSeq` = `pu`, `ts` = `E`.
 * - REST depth snapshot `{lastUpdateId, E, T, bids, asks}` → `book` snapshot: `seq` =
 *   `lastUpdateId`, `ts` = `E` (or `T`). It carries no symbol: the instrument comes from the
 *   `symbol=` parameter of `context.url`, else `context.instrument`.
 * - `markPriceUpdate` → `mark`: `p`, `i`, `r`, `T` (next funding); `ts` = `E`.
 * - `bookTicker` → `quote`: `b`, `B`, `a`, `A`; `ts` = `E` (or `T`).
 * - REST insurance balance `{symbols, assets}` (`GET /fapi/v1/insuranceBalance`, one group or an
 *   array of groups) → `insurance` per tracked symbol of the group (src/exchanges/insurance.ts).
 * - REST open interest `{openInterest, symbol, time}` (`GET /fapi/v1/openInterest`) → `oi`:
 *   `oiBase` = `openInterest` (base units: USDⓈ-M contracts are quoted in the base asset),
 *   `ts` = `time`; no USD value (the response states none).
 * - `forceOrder` → `liquidation`: `side` is the liquidated position (`S: SELL` closes a
 *   `long`), `price` = `ap` (average fill price), `qty` = `z` (filled accumulated qty),
 *   `notionalUsd` = price × qty, `ts` = `o.T`, sampling `sampled-1s` (Binance pushes at most one
 *   liquidation per symbol per second).
 * - An array frame (`!forceOrder@arr` in its historical form, `!markPrice@arr`) is mapped item
 *   by item and accepted or rejected as a whole; untracked items inside it are skipped.
 * - One-minute bars (checks and closing rules: src/exchanges/bars.ts), all with the taker split
 *   (`takerBuyBase`, `takerBuyQuote`), the trade count and the quote volume:
 *   - `kline` (`<symbol>@kline_1m`) → `bar` when `k.x` (closed); a forming kline is ignored
 *     (`kline-open`). `openTs` = `k.t`, `ts` = `k.T`, `o h l c v q n V Q`.
 *   - an archive CSV row (data.binance.vision `futures/um` klines, `recording.ts` splits the line
 *     into its 12 fields; the header line is skipped there) → a closed `bar`; the row names no
 *     symbol: the instrument comes from `context.instrument` (the file name, `AVAXUSDT-1m-2026-02.csv`).
 *   - REST `GET /fapi/v1/klines` (an array of 12-field rows; the endpoint must be named by
 *     `context.url`, since mark- and index-price klines have the same shape) → a `bar` per closed
 *     row: every row but the newest, and the newest once its close time is 5 s before `recvTs`;
 *     a row not shown closed is left out (`kline-open`). The symbol is the url's `symbol=`.
 */
export class BinanceMapper implements ExchangeMapper {
  readonly venue = VENUE;

  /** USDⓈ-M contracts are quoted in the base asset and USDT: tracked symbols need no unit facts. */
  private readonly tracked: TrackedSymbols;

  constructor(private readonly symbols: SymbolRegistry = SYMBOLS) {
    this.tracked = new TrackedSymbols(VENUE, symbols);
  }

  canHandle(message: unknown): boolean {
    if (Array.isArray(message)) return message.length > 0 && (isKlineRow(message) || isKlineRow(message[0]) || this.canHandle(message[0]));
    if (!isFrame(message)) return false;
    if (typeof message.e === "string") return MAPPED_EVENTS.has(message.e) || UNUSED_EVENTS.has(message.e);
    if ("openInterest" in message && "symbol" in message) return true;
    if (isBinanceInsuranceGroup(message)) return true;
    return "lastUpdateId" in message && "bids" in message && "asks" in message;
  }

  map(message: unknown, recvTs?: number, context?: MapContext): MapResult {
    if (Array.isArray(message)) {
      if (isKlineRow(message)) return this.mapKlineCsvRow(message, recvTs, context);
      if (isKlineRow(message[0])) return this.mapKlines(message, recvTs, context);
      return this.mapBatch(message, recvTs, context);
    }
    if (!isFrame(message)) return rejected(`not a JSON object: ${preview(message)}`);
    const e = message.e;
    if (typeof e === "string") {
      switch (e) {
        case "trade":
          return this.mapTrade(message, recvTs);
        case "aggTrade":
          return this.mapAggTrade(message, recvTs);
        case "depthUpdate":
          return this.mapDepthUpdate(message, recvTs);
        case "markPriceUpdate":
          return this.mapMarkPrice(message, recvTs);
        case "bookTicker":
          return this.mapBookTicker(message, recvTs);
        case "forceOrder":
          return this.mapForceOrder(message, recvTs);
        case "kline":
          return this.mapKline(message, recvTs);
        default:
          return ignored(UNUSED_EVENTS.has(e) ? `unused-event:${e}` : `unknown-event:${e.slice(0, 40)}`);
      }
    }
    if ("lastUpdateId" in message) return this.mapDepthSnapshot(message, recvTs, context);
    if ("openInterest" in message) return this.mapOpenInterest(message, recvTs);
    // `GET /fapi/v1/insuranceBalance`: one group, or an array of them (mapped item by item).
    if (isBinanceInsuranceGroup(message)) return mapBinanceInsuranceGroup(message, this.symbols, recvTs);
    // https://developers.binance.com/docs/derivatives/usds-margined-futures/websocket-market-streams/Live-Subscribing-Unsubscribing-to-streams
    if ("result" in message && "id" in message) return ignored("subscription-response");
    if ("code" in message && "msg" in message) return ignored("error-response");
    return rejected(`unrecognized message: no event type "e" and not a depth snapshot: ${preview(message)}`);
  }

  private mapTrade(frame: Frame, recvTs: number | undefined): MapResult {
    const a = admit(this.tracked, frame.s, frame, TRADE);
    if (isMapResult(a)) return a;
    const f = a.frame;
    if (f.X !== undefined && f.X !== "MARKET") return ignored(`off-book-trade:${f.X.slice(0, 20)}`);
    return trade(a.known.symbol, f.T, f.p, f.q, f.m, String(f.t), TRADE_FIELDS, recvTs);
  }

  private mapAggTrade(frame: Frame, recvTs: number | undefined): MapResult {
    const a = admit(this.tracked, frame.s, frame, AGG_TRADE);
    if (isMapResult(a)) return a;
    const f = a.frame;
    return trade(a.known.symbol, f.T, f.p, f.q, f.m, String(f.a), AGG_TRADE_FIELDS, recvTs);
  }

  private mapDepthUpdate(frame: Frame, recvTs: number | undefined): MapResult {
    const a = admit(this.tracked, frame.s, frame, DEPTH_UPDATE);
    if (isMapResult(a)) return a;
    const f = a.frame;
    const bids = parseLevels(frame.b, "depthUpdate", "b", UNIT_FACTS, BINANCE_LEVELS);
    if (typeof bids === "string") return rejected(bids);
    const asks = parseLevels(frame.a, "depthUpdate", "a", UNIT_FACTS, BINANCE_LEVELS);
    if (typeof asks === "string") return rejected(asks);
    const event: BookEvent = {
      kind: "book",
      venue: VENUE,
      symbol: a.known.symbol,
      ts: f.E,
      type: "delta",
      bids,
      asks,
      seq: f.u,
      firstSeq: f.U,
    };
    if (f.pu !== undefined) event.prevSeq = f.pu;
    return events([event], recvTs);
  }

  private mapDepthSnapshot(frame: Frame, recvTs: number | undefined, context: MapContext | undefined): MapResult {
    const known = this.contextSymbol(context, "depth snapshot", "a REST snapshot");
    if (!("symbol" in known)) return known;
    const f = parseFrame(frame, DEPTH_SNAPSHOT);
    if (typeof f === "string") return rejected(f);
    const ts = f.E ?? f.T;
    if (ts === undefined) return rejected(`depth snapshot: missing field "E" (and "T")`);
    const bids = parseLevels(frame.bids, "depth snapshot", "bids", UNIT_FACTS, BINANCE_LEVELS);
    if (typeof bids === "string") return rejected(bids);
    const asks = parseLevels(frame.asks, "depth snapshot", "asks", UNIT_FACTS, BINANCE_LEVELS);
    if (typeof asks === "string") return rejected(asks);
    const event: BookEvent = { kind: "book", venue: VENUE, symbol: known.symbol, ts, type: "snapshot", bids, asks, seq: f.lastUpdateId };
    return events([event], recvTs);
  }

  private mapOpenInterest(frame: Frame, recvTs: number | undefined): MapResult {
    const a = admit(this.tracked, frame.symbol, frame, OPEN_INTEREST);
    if (isMapResult(a)) return a;
    const f = a.frame;
    const event: OiEvent = { kind: "oi", venue: VENUE, symbol: a.known.symbol, ts: f.time, oiBase: Number(f.openInterest) };
    return events([event], recvTs);
  }

  private mapMarkPrice(frame: Frame, recvTs: number | undefined): MapResult {
    const a = admit(this.tracked, frame.s, frame, MARK_PRICE);
    if (isMapResult(a)) return a;
    const f = a.frame;
    const markPrice = positive(f.p, 0, 'markPriceUpdate: field "p" (mark price)');
    if (typeof markPrice === "string") return rejected(markPrice);
    const event: MarkEvent = { kind: "mark", venue: VENUE, symbol: a.known.symbol, ts: f.E, markPrice };
    if (f.i !== undefined) {
      const indexPrice = positive(f.i, 0, 'markPriceUpdate: field "i" (index price)');
      if (typeof indexPrice === "string") return rejected(indexPrice);
      event.indexPrice = indexPrice;
    }
    if (f.r !== undefined && f.r !== "") event.fundingRate = Number(f.r);
    if (f.T !== undefined && f.T !== 0) event.nextFundingTs = f.T;
    return events([event], recvTs);
  }

  private mapBookTicker(frame: Frame, recvTs: number | undefined): MapResult {
    const a = admit(this.tracked, frame.s, frame, BOOK_TICKER);
    if (isMapResult(a)) return a;
    const f = a.frame;
    const ts = f.E ?? f.T;
    if (ts === undefined) return rejected(`bookTicker: missing field "E" (and "T")`);
    const bidPrice = positive(f.b, 0, 'bookTicker: field "b" (bid price)');
    if (typeof bidPrice === "string") return rejected(bidPrice);
    const askPrice = positive(f.a, 0, 'bookTicker: field "a" (ask price)');
    if (typeof askPrice === "string") return rejected(askPrice);
    const event: QuoteEvent = {
      kind: "quote",
      venue: VENUE,
      symbol: a.known.symbol,
      ts,
      bidPrice,
      bidQty: unsignedDecimal(f.B),
      askPrice,
      askQty: unsignedDecimal(f.A),
    };
    return events([event], recvTs);
  }

  private mapForceOrder(frame: Frame, recvTs: number | undefined): MapResult {
    const a = admit(this.tracked, isFrame(frame.o) ? frame.o.s : undefined, frame, FORCE_ORDER);
    if (isMapResult(a)) return a;
    const o = a.frame.o;
    const price = positive(o.ap, 0, 'forceOrder: field "o.ap" (average price)');
    if (typeof price === "string") return rejected(price);
    const qty = positive(o.z, 0, 'forceOrder: field "o.z" (filled qty)');
    if (typeof qty === "string") return rejected(qty);
    const event: LiquidationEvent = {
      kind: "liquidation",
      venue: VENUE,
      symbol: a.known.symbol,
      ts: o.T,
      side: o.S === "SELL" ? "long" : "short",
      price,
      qty,
      notionalUsd: price * qty,
      sampling: "sampled-1s",
    };
    return events([event], recvTs);
  }

  private mapKline(frame: Frame, recvTs: number | undefined): MapResult {
    const known = isNamed(frame.s) ? this.tracked.find(frame.s) : undefined;
    if (typeof known === "string") return ignored(known);
    if (known === undefined) return rejected(`kline: field "s" must be a non-empty string, got ${preview(frame.s)}`);
    const k = frame.k;
    if (!isFrame(k)) return rejected(k === undefined ? `kline: missing field "k"` : `kline: field "k" must be an object, got ${preview(k)}`);
    if (typeof k.x !== "boolean") return rejected(`kline: field "k.x" (closed) must be a boolean, got ${preview(k.x)}`);
    if (!k.x) return ignored("kline-open");
    if (k.T === undefined) return rejected(`kline: missing field "k.T"`);
    const raw: RawBar = { openTs: k.t, closeTs: k.T, open: k.o, high: k.h, low: k.l, close: k.c, volume: k.v, quoteVolume: k.q, trades: k.n, takerBuyBase: k.V, takerBuyQuote: k.Q };
    const bar = toBar(raw, STREAM_KLINE_NAME, "kline", { venue: VENUE, symbol: known.symbol, priceExp: 0, qtyExp: 0 }, true);
    return typeof bar === "string" ? rejected(bar) : events([bar], recvTs);
  }

  /** The tracked symbol of a message that names none (REST depth, klines, an archive row): the url's `symbol=`, else `context.instrument`. */
  private contextSymbol(context: MapContext | undefined, frame: string, what: string): TrackedSymbol | MapResult {
    const instrument = instrumentFromUrl(context?.url) ?? context?.instrument;
    if (instrument === undefined) return rejected(`${frame}: no symbol (${what} names none; pass the request url or the instrument in the map context)`);
    const known = this.tracked.find(instrument);
    return typeof known === "string" ? ignored(known) : known;
  }

  private mapKlineCsvRow(fields: readonly unknown[], recvTs: number | undefined, context: MapContext | undefined): MapResult {
    const known = this.contextSymbol(context, "kline-csv", "an archive row");
    if (!("symbol" in known)) return known;
    if (fields.length !== KLINE_COLUMNS.length) {
      return rejected(`kline-csv: ${fields.length} fields, expected ${KLINE_COLUMNS.length} (${KLINE_COLUMNS.join(",")})`);
    }
    const bar = toBar(klineRow(fields), CSV_COLUMN_NAME, "kline-csv", { venue: VENUE, symbol: known.symbol, priceExp: 0, qtyExp: 0 }, true);
    return typeof bar === "string" ? rejected(bar) : events([bar], recvTs);
  }

  private mapKlines(rows: readonly unknown[], recvTs: number | undefined, context: MapContext | undefined): MapResult {
    const path = urlPath(context?.url);
    if (path === undefined) {
      return rejected("klines: rows of an unnamed endpoint (mark- and index-price klines look the same): pass the request url (…/fapi/v1/klines?symbol=…&interval=1m) in the map context");
    }
    if (!path.endsWith("/fapi/v1/klines")) return ignored(`unused-rest:${path.slice(path.lastIndexOf("/") + 1).slice(0, 40)}`);
    const known = this.contextSymbol(context, "klines", "a klines answer");
    if (!("symbol" in known)) return known;
    const target = { venue: VENUE, symbol: known.symbol, priceExp: 0, qtyExp: 0 };
    const newest = newestOpenTime(rows, (row) => (Array.isArray(row) ? row[0] : undefined));
    const out: BarEvent[] = [];
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i];
      if (!Array.isArray(row) || row.length !== KLINE_COLUMNS.length) {
        return rejected(`klines: row [${i}] must be an array of ${KLINE_COLUMNS.length} fields, got ${preview(row)}`);
      }
      const bar = toBar(klineRow(row), (field) => `[${i}][${KLINE_COLUMN_OF[field]}]`, "klines", target, true);
      if (typeof bar === "string") return rejected(bar);
      if (restBarClosed(bar.openTs, newest, undefined, recvTs)) out.push(bar);
    }
    return out.length > 0 ? events(out, recvTs) : ignored("kline-open");
  }

  private mapBatch(items: unknown[], recvTs: number | undefined, context: MapContext | undefined): MapResult {
    if (items.length === 0) return ignored("empty-batch");
    const events: CanonicalEvent[] = [];
    let firstIgnored: string | undefined;
    for (let i = 0; i < items.length; i++) {
      const item = items[i];
      if (Array.isArray(item)) return rejected(`batch item ${i}: nested array`);
      const result = this.map(item, recvTs, context);
      if (result.rejected !== undefined) return rejected(`batch item ${i}: ${result.rejected}`);
      if (result.ignored !== undefined) firstIgnored ??= result.ignored;
      else events.push(...result.events);
    }
    return events.length > 0 ? { events } : ignored(firstIgnored ?? "empty-batch");
  }
}

function trade(
  symbol: string,
  ts: number,
  p: string,
  q: string,
  buyerIsMaker: boolean,
  tradeId: string,
  fields: TradeFields,
  recvTs: number | undefined,
): MapResult {
  const price = positive(p, 0, fields.price);
  if (typeof price === "string") return rejected(price);
  const qty = positive(q, 0, fields.qty);
  if (typeof qty === "string") return rejected(qty);
  const event: TradeEvent = {
    kind: "trade",
    venue: VENUE,
    symbol,
    ts,
    price,
    qty,
    side: buyerIsMaker ? "sell" : "buy",
    tradeId,
  };
  return events([event], recvTs);
}

/** A kline row: an archive CSV line split into its fields (all strings), or a REST row (an array of scalars). */
function isKlineRow(value: unknown): value is unknown[] {
  return Array.isArray(value) && value.length > 0 && (typeof value[0] === "string" || typeof value[0] === "number");
}

function klineRow(row: readonly unknown[]): RawBar {
  return { openTs: row[0], open: row[1], high: row[2], low: row[3], close: row[4], volume: row[5], closeTs: row[6], quoteVolume: row[7], trades: row[8], takerBuyBase: row[9], takerBuyQuote: row[10] };
}

function instrumentFromUrl(url: string | undefined): string | undefined {
  const symbol = queryParam(url, "symbol");
  return symbol === undefined || symbol === "" ? undefined : symbol.toUpperCase();
}
