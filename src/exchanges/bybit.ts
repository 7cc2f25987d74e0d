/**
 * Bybit v5 linear (USDT perpetuals) normalizer: public WebSocket frames → canonical events. The
 * connection facts of `wss://stream.bybit.com/v5/public/linear` are `bybit-connection.ts`.
 *
 * Frames are validated at this boundary (small zod schemas built once; book levels by hand).
 * Prices and sizes are decimal strings and must be plain decimals; anything else rejects the
 * frame with a reason naming the field. Frames of untracked symbols are ignored before
 * validation (`untracked-symbol`). Sizes are in the base coin for linear contracts; the
 * instrument facts table (`src/domain/instruments.ts`) converts them to unified units.
 *
 * Docs: https://bybit-exchange.github.io/docs/v5/websocket/public/trade,
 * …/public/orderbook, …/public/ticker, …/public/all-liquidation, https://bybit-exchange.github.io/docs/v5/ws/connect
 */
import { z } from "zod";
import type { BarEvent, BookEvent, CanonicalEvent, LiquidationEvent, MarkEvent, OiEvent, TradeEvent } from "../domain/events.js";
import { INSTRUMENTS, type InstrumentFacts, type InstrumentTable, scaleDecimal } from "../domain/instruments.js";
import { SYMBOLS, type SymbolRegistry } from "../domain/symbols.js";
import { newestOpenTime, queryParam, type RawBar, restBarClosed, toBar, urlPath } from "./bars.js";
import {
  admit,
  batchData,
  decimalText,
  EPOCH_MS_TEXT,
  epochMsNumber,
  events,
  type Frame,
  ignored,
  isFrame,
  isMapResult,
  isNamed,
  isNonEmptyString,
  isNonNegativeInt,
  type ItemResult,
  mapItems,
  nonEmptyText,
  parseLevels,
  positive,
  preview,
  rejected,
  SIGNED_DECIMAL,
  type TwinnedCheck,
  UNSIGNED_DECIMAL,
} from "./frame.js";
import { isBybitInsurance, mapBybitInsurance } from "./insurance.js";
import { TrackedInstruments } from "./tracked-instruments.js";
import type { ExchangeMapper, MapContext, MapResult } from "./types.js";

const VENUE = "bybit" as const;

const decimal = decimalText;
const epochMs = epochMsNumber;
const symbol = nonEmptyText;

/** https://bybit-exchange.github.io/docs/v5/websocket/public/trade — one item of `data`. */
const TradeItem = z.object({
  T: epochMs,
  s: symbol,
  S: z.enum(["Buy", "Sell"]),
  v: decimal,
  p: decimal,
  i: nonEmptyText,
  BT: z.boolean().optional(),
});

/** https://bybit-exchange.github.io/docs/v5/websocket/public/orderbook */
const OrderbookFrame = z.object({
  type: z.enum(["snapshot", "delta"]),
  ts: epochMs,
  data: z.object({ s: symbol, u: z.number().int("must be an integer id").positive("must be >= 1") }),
});

/** https://bybit-exchange.github.io/docs/v5/websocket/public/all-liquidation — one item of `data`. */
const LiquidationItem = z.object({ T: epochMs, s: symbol, S: z.enum(["Buy", "Sell"]), v: decimal, p: decimal });

/** https://bybit-exchange.github.io/docs/v5/websocket/public/ticker */
const TickerFrame = z.object({ type: z.enum(["snapshot", "delta"]), ts: epochMs, data: z.object({ symbol }) });

// Hand-written twins of the schemas above, each accepting exactly what its schema accepts
// (test/unit/exchanges/frame-checks.test.ts); zod runs only on what a twin refuses, to name the field.
const isDecimal = (v: unknown): boolean => typeof v === "string" && UNSIGNED_DECIMAL.test(v);
const isTradeItem = (t: Frame): boolean =>
  isNonNegativeInt(t.T) && isNonEmptyString(t.s) && (t.S === "Buy" || t.S === "Sell") && isDecimal(t.v) && isDecimal(t.p) && isNonEmptyString(t.i) &&
  (t.BT === undefined || typeof t.BT === "boolean");
const isOrderbookFrame = (f: Frame): boolean => {
  const d = f.data;
  return (f.type === "snapshot" || f.type === "delta") && isNonNegativeInt(f.ts) && isFrame(d) && isNonEmptyString(d.s) &&
    typeof d.u === "number" && Number.isSafeInteger(d.u) && d.u > 0;
};
const isTickerFrame = (f: Frame): boolean => (f.type === "snapshot" || f.type === "delta") && isNonNegativeInt(f.ts) && isFrame(f.data) && isNonEmptyString(f.data.symbol);

const TRADE_ITEM: TwinnedCheck<z.infer<typeof TradeItem>> = { name: "publicTrade", schema: TradeItem, accepts: isTradeItem };
const ORDERBOOK: TwinnedCheck<z.infer<typeof OrderbookFrame>> = { name: "orderbook", schema: OrderbookFrame, accepts: isOrderbookFrame };
const TICKERS: TwinnedCheck<z.infer<typeof TickerFrame>> = { name: "tickers", schema: TickerFrame, accepts: isTickerFrame };
const LIQUIDATION_ITEM = { name: "allLiquidation", schema: LiquidationItem };

/**
 * Each check with a hand-written twin, for the test that holds them equal.
 * @internal
 */
export const BYBIT_FRAME_CHECKS: readonly TwinnedCheck[] = [{ ...TRADE_ITEM, name: "publicTrade item" }, ORDERBOOK, TICKERS];

/** Ticker fields liqflow merges, and how each is checked. */
const TICKER_FIELDS = {
  markPrice: UNSIGNED_DECIMAL,
  indexPrice: UNSIGNED_DECIMAL,
  fundingRate: SIGNED_DECIMAL,
  nextFundingTime: EPOCH_MS_TEXT,
  fundingIntervalHour: UNSIGNED_DECIMAL,
  singleOpenInterest: UNSIGNED_DECIMAL,
  singleOpenInterestValue: UNSIGNED_DECIMAL,
} as const;
type TickerField = keyof typeof TICKER_FIELDS;
const TICKER_FIELD_NAMES = Object.keys(TICKER_FIELDS) as TickerField[];
/** The longest funding interval a ticker may state, hours; a larger one is ignored as malformed. */
const MAX_FUNDING_INTERVAL_HOURS = 168;

const MARK_FIELDS: readonly TickerField[] = ["markPrice", "indexPrice", "fundingRate", "nextFundingTime", "fundingIntervalHour"];
const OI_FIELDS: readonly TickerField[] = ["singleOpenInterest", "singleOpenInterestValue"];

/** The last full ticker of a symbol with the deltas merged into it (decimal strings as sent). */
type TickerState = Partial<Record<TickerField, string>>;

/** Topics Bybit publishes that liqflow does not use (first segment of the topic). */
const UNUSED_TOPICS = new Set(["liquidation", "tickers_lt", "lt", "insurance", "adlAlert", "priceLimit", "orderbook_rpi"]);
const MAPPED_TOPICS = new Set(["publicTrade", "orderbook", "tickers", "allLiquidation", "kline"]);

/** Bybit's name of the one-minute interval (topic `kline.1.{symbol}`, REST `interval=1`). */
const ONE_MINUTE = "1";
/** Fields of a REST kline row `[startTime, open, high, low, close, volume, turnover]`, by position. */
const KLINE_ROW_FIELDS = 7;
const KLINE_ROW_INDEX: Readonly<Partial<Record<keyof RawBar, number>>> = { openTs: 0, open: 1, high: 2, low: 3, close: 4, volume: 5, quoteVolume: 6 };
/** Field of each bar field in a `kline` push item. */
const KLINE_ITEM_KEY: Readonly<Partial<Record<keyof RawBar, string>>> = {
  openTs: "start", closeTs: "end", open: "open", high: "high", low: "low", close: "close", volume: "volume", quoteVolume: "turnover",
};

/**
 * Bybit v5 linear mapper. Stateful only for tickers (one merged ticker per symbol); use one
 * instance per connection or recording.
 *
 * - `publicTrade.{symbol}` → `trade` per item: `side` = `S`, the **taker** side (`Buy` lifted the
 *   ask), `qty` = `v`, `price` = `p`, `tradeId` = `i`, `ts` = `T`. Block trades (`BT: true`),
 *   matched off the book, are left out, as Binance's insurance-fund trades are.
 * - `orderbook.{depth}.{symbol}` → `book`: `seq` = `firstSeq` = `u` (Bybit's update ids are
 *   contiguous per symbol, so a delta chains when its `u` is the last `u` + 1), `ts` = `ts`. A
 *   `snapshot`, or any message with `u` = 1 (Bybit's service restarted), is a snapshot that
 *   replaces the book.
 * - `tickers.{symbol}` → `mark` and `oi`. Bybit sends one snapshot, then deltas carrying only the
 *   fields that changed: they merge into the last full ticker. A message that changes
 *   `markPrice`, `indexPrice`, `fundingRate`, `nextFundingTime` or `fundingIntervalHour` gives a
 *   `mark` from the merged ticker (`fundingIntervalMs` = `fundingIntervalHour` × 1 h when it is a
 *   whole number of hours, at most 168); one that changes `singleOpenInterest` or `singleOpenInterestValue` gives an `oi`:
 *   `oiBase` = `singleOpenInterest` (one side, as Binance and OKX count open interest; Bybit's
 *   `openInterest` is "the sum of both sides", https://bybit-exchange.github.io/docs/v5/market/open-interest),
 *   `oiUsd` = `singleOpenInterestValue`. A delta before any snapshot is ignored (nothing to merge into).
 * - `allLiquidation.{symbol}` → `liquidation` per item. `S` is the side of the **position**: "When
 *   you receive a Buy update, this means that a long position has been liquidated"
 *   (https://bybit-exchange.github.io/docs/v5/websocket/public/all-liquidation), so `Buy` → `long`,
 *   `Sell` → `short`. `price` = `p`, which Bybit documents as the **bankruptcy price** (it
 *   publishes no fill price), `qty` = `v`, `ts` = `T`, sampling `complete` (every liquidation,
 *   pushed in 500 ms batches). The per-symbol `liquidation` topic is deprecated and not used.
 * - One-minute bars (checks and closing rules: src/exchanges/bars.ts), with no taker split and no
 *   trade count (Bybit's klines have neither): `volumeBase` = `volume` (base coin), `volumeQuote` =
 *   `turnover` (USDT), prices and sizes converted by the instrument facts.
 *   - `kline.1.{symbol}` → `bar` per item with `confirm: true`; `openTs` = `start`, `end` must be
 *     `start + 59 999`. Bybit pushes the closed minute together with the new forming one: a
 *     forming item is skipped, a push of forming items only is ignored (`kline-open`). The
 *     items name no symbol: the topic does. Another interval is rejected (not one minute).
 *   - REST `GET /v5/market/kline?category=linear&symbol=…&interval=1` (`context.url`) →
 *     `bar` per closed row of `result.list` (newest first): every row but the newest, and the
 *     newest when its minute had ended by the answer's `time` (Bybit's clock), else 5 s before
 *     `recvTs`. The symbol is `result.symbol` (else the url's); another category is ignored.
 *   https://bybit-exchange.github.io/docs/v5/websocket/public/kline, …/v5/market/kline
 * - A frame received on another Bybit category's endpoint (`context.url` such as
 *   `…/v5/public/spot`, from a recording that mixes connections) is ignored: the same names
 *   (`BTCUSDT`) are different instruments there.
 */
export class BybitMapper implements ExchangeMapper {
  readonly venue = VENUE;
  private readonly tickers = new Map<string, TickerState>();
  private readonly tracked: TrackedInstruments;

  constructor(
    private readonly symbols: SymbolRegistry = SYMBOLS,
    instruments: InstrumentTable = INSTRUMENTS,
  ) {
    this.tracked = new TrackedInstruments(VENUE, symbols, instruments);
  }

  canHandle(message: unknown): boolean {
    if (!isFrame(message)) return false;
    if (typeof message.topic === "string") {
      const head = message.topic.slice(0, message.topic.indexOf("."));
      return MAPPED_TOPICS.has(head) || UNUSED_TOPICS.has(head);
    }
    return typeof message.op === "string" && "success" in message;
  }

  map(message: unknown, recvTs?: number, context?: MapContext): MapResult {
    if (!isFrame(message)) return rejected(`not a JSON object: ${preview(message)}`);
    const market = otherMarket(context?.url);
    if (market !== undefined) return ignored(`not-linear-market:${market}`);
    const topic = message.topic;
    if (typeof topic === "string") {
      const dot = topic.indexOf(".");
      const head = dot < 0 ? topic : topic.slice(0, dot);
      switch (head) {
        case "publicTrade":
          return this.mapTrades(message, recvTs);
        case "orderbook":
          return this.mapOrderbook(message, recvTs);
        case "tickers":
          return this.mapTicker(message, recvTs);
        case "allLiquidation":
          return this.mapLiquidations(message, recvTs);
        case "kline":
          return this.mapKline(message, topic, recvTs);
        default:
          return ignored(UNUSED_TOPICS.has(head) ? `unused-topic:${head}` : `unknown-topic:${head.slice(0, 40)}`);
      }
    }
    // https://bybit-exchange.github.io/docs/v5/ws/connect: subscribe acks and pongs.
    if (typeof message.op === "string" && "success" in message) {
      if (message.success !== true) return ignored(`error-response:${message.op.slice(0, 20)}`);
      return ignored(message.op === "ping" || message.op === "pong" ? "pong" : `${message.op.slice(0, 20)}-response`);
    }
    // A REST answer `{retCode, retMsg, result}`: the insurance poll's, or a recorded one (e.g. instruments-info).
    if ("retCode" in message && "result" in message) {
      if (isBybitInsurance(message, context?.url)) return mapBybitInsurance(message, this.symbols, recvTs);
      if (urlPath(context?.url)?.endsWith("/v5/market/kline")) return this.mapRestKlines(message, context!.url!, recvTs);
      return ignored(`rest-response${restPath(context?.url)}`);
    }
    return rejected(`unrecognized message: no "topic" and not a response: ${preview(message)}`);
  }

  private mapTrades(frame: Frame, recvTs: number | undefined): MapResult {
    const data = batchData(frame, "publicTrade");
    if (!Array.isArray(data)) return data;
    return mapItems(data, "s", this.tracked, TRADE_ITEM, (t, { symbol, f }, i): ItemResult => {
      if (t.BT === true) return { skip: "off-book-trade:block" };
      const price = positive(t.p, f.priceExp, `publicTrade: field "data[${i}].p" (price)`);
      if (typeof price === "string") return { reject: price };
      const qty = positive(t.v, f.qtyExp, `publicTrade: field "data[${i}].v" (size)`);
      if (typeof qty === "string") return { reject: qty };
      const event: TradeEvent = { kind: "trade", venue: VENUE, symbol, ts: t.T, price, qty, side: t.S === "Buy" ? "buy" : "sell", tradeId: t.i };
      return event;
    }, recvTs);
  }

  private mapOrderbook(frame: Frame, recvTs: number | undefined): MapResult {
    const a = admit(this.tracked, isFrame(frame.data) ? frame.data.s : undefined, frame, ORDERBOOK);
    if (isMapResult(a)) return a;
    const book = a.frame;
    const { symbol: unified, f } = a.known;
    const data = frame.data as Frame;
    const bids = parseLevels(data.b, "orderbook", "data.b", f);
    if (typeof bids === "string") return rejected(bids);
    const asks = parseLevels(data.a, "orderbook", "data.a", f);
    if (typeof asks === "string") return rejected(asks);
    const u = book.data.u;
    const snapshot = book.type === "snapshot" || u === 1;
    const event: BookEvent = {
      kind: "book",
      venue: VENUE,
      symbol: unified,
      ts: book.ts,
      type: snapshot ? "snapshot" : "delta",
      bids,
      asks,
      seq: u,
    };
    if (!snapshot) event.firstSeq = u;
    return events([event], recvTs);
  }

  private mapTicker(frame: Frame, recvTs: number | undefined): MapResult {
    const a = admit(this.tracked, isFrame(frame.data) ? frame.data.symbol : undefined, frame, TICKERS);
    if (isMapResult(a)) return a;
    const ticker = a.frame;
    const { symbol: unified, f } = a.known;
    const data = frame.data as Frame;
    const instrument = ticker.data.symbol;
    // Check every field before touching the state, so a bad delta changes nothing.
    let markChanged = false;
    let oiChanged = false;
    for (const field of TICKER_FIELD_NAMES) {
      const value = data[field];
      if (value === undefined) continue;
      if (typeof value !== "string" || (value !== "" && !TICKER_FIELDS[field].test(value))) {
        return rejected(`tickers: field "data.${field}" must be a decimal string or empty, got ${preview(value)}`);
      }
      if (value !== "") {
        const n = Number(value);
        if (!Number.isFinite(n)) return rejected(`tickers: field "data.${field}" must be finite, got "${value.slice(0, 40)}"`);
        if ((field === "markPrice" || field === "indexPrice") && !(n > 0)) return rejected(`tickers: field "data.${field}" must be > 0, got "${value}"`);
      }
      if (MARK_FIELDS.includes(field)) markChanged = true;
      else oiChanged = true;
    }
    let state: TickerState;
    if (ticker.type === "snapshot") {
      state = {};
      this.tickers.set(instrument, state);
    } else {
      const last = this.tickers.get(instrument);
      if (last === undefined) return ignored("tickers-delta-before-snapshot");
      state = last;
    }
    for (const field of TICKER_FIELD_NAMES) {
      const value = data[field] as string | undefined;
      if (value === undefined) continue;
      // An empty string: the venue states no value (e.g. no funding before listing).
      if (value === "") delete state[field];
      else state[field] = value;
    }
    if (!markChanged && !oiChanged) return ignored("tickers-unused-fields");
    const ts = ticker.ts;
    const out: CanonicalEvent[] = [];
    // Every value in the state was checked (finite, prices > 0) when it arrived.
    if (markChanged && state.markPrice !== undefined) {
      const mark: MarkEvent = { kind: "mark", venue: VENUE, symbol: unified, ts, markPrice: scaleDecimal(state.markPrice, f.priceExp) };
      if (state.indexPrice !== undefined) mark.indexPrice = scaleDecimal(state.indexPrice, f.priceExp);
      if (state.fundingRate !== undefined) mark.fundingRate = Number(state.fundingRate);
      if (state.nextFundingTime !== undefined && state.nextFundingTime !== "0") mark.nextFundingTs = Number(state.nextFundingTime);
      const hours = state.fundingIntervalHour === undefined ? NaN : Number(state.fundingIntervalHour);
      // Venues fund every 1 to 8 hours; an interval beyond a week is not one (and would overflow ms).
      if (Number.isInteger(hours) && hours > 0 && hours <= MAX_FUNDING_INTERVAL_HOURS) mark.fundingIntervalMs = hours * 3_600_000;
      out.push(mark);
    }
    if (oiChanged && state.singleOpenInterest !== undefined) {
      const oi: OiEvent = { kind: "oi", venue: VENUE, symbol: unified, ts, oiBase: scaleDecimal(state.singleOpenInterest, f.qtyExp) };
      if (state.singleOpenInterestValue !== undefined) oi.oiUsd = Number(state.singleOpenInterestValue);
      out.push(oi);
    }
    return out.length > 0 ? events(out, recvTs) : ignored("tickers-incomplete");
  }

  private mapKline(frame: Frame, topic: string, recvTs: number | undefined): MapResult {
    const [, interval, instrument] = topic.split(".");
    if (!isNamed(instrument)) return rejected(`kline: topic "${topic.slice(0, 40)}" names no symbol`);
    const known = this.tracked.find(instrument);
    if (typeof known === "string") return ignored(known);
    if (interval !== ONE_MINUTE) return rejected(`kline: topic "${topic.slice(0, 40)}" is not one-minute bars (interval "${String(interval).slice(0, 10)}")`);
    const data = frame.data;
    if (!Array.isArray(data)) return rejected(`kline: field "data" must be an array, got ${preview(data)}`);
    const out: BarEvent[] = [];
    for (let i = 0; i < data.length; i++) {
      const item: unknown = data[i];
      if (!isFrame(item)) return rejected(`kline: field "data[${i}]" must be an object, got ${preview(item)}`);
      if (typeof item.confirm !== "boolean") return rejected(`kline: field "data[${i}].confirm" must be a boolean, got ${preview(item.confirm)}`);
      if (!item.confirm) continue;
      if (item.end === undefined) return rejected(`kline: missing field "data[${i}].end"`);
      const raw: RawBar = { openTs: item.start, closeTs: item.end, open: item.open, high: item.high, low: item.low, close: item.close, volume: item.volume, quoteVolume: item.turnover };
      const bar = bybitBar(raw, (field) => `data[${i}].${KLINE_ITEM_KEY[field]}`, "kline", known.symbol, known.f, true);
      if (typeof bar === "string") return rejected(bar);
      out.push(bar);
    }
    return out.length > 0 ? events(out, recvTs) : ignored(data.length > 0 ? "kline-open" : "empty-batch");
  }

  private mapRestKlines(frame: Frame, url: string, recvTs: number | undefined): MapResult {
    if (frame.retCode !== 0) return ignored(`error-response:${codeText(frame.retCode)}`);
    const result = frame.result;
    if (!isFrame(result)) return rejected(`market/kline: field "result" must be an object, got ${preview(result)}`);
    const category = typeof result.category === "string" ? result.category : (queryParam(url, "category") ?? "linear");
    if (category !== "linear") return ignored(`not-linear-market:${category.slice(0, 20)}`);
    const interval = queryParam(url, "interval");
    if (interval !== ONE_MINUTE) return rejected(`market/kline: the request url asks for interval ${preview(interval ?? null)}, not one-minute bars ("1")`);
    const instrument = typeof result.symbol === "string" ? result.symbol : queryParam(url, "symbol");
    if (!isNamed(instrument)) return rejected(`market/kline: no symbol (neither "result.symbol" nor the url's symbol=)`);
    const known = this.tracked.find(instrument);
    if (typeof known === "string") return ignored(known);
    const rows = result.list;
    if (!Array.isArray(rows)) return rejected(`market/kline: field "result.list" must be an array, got ${preview(rows)}`);
    const venueNow = typeof frame.time === "number" && Number.isFinite(frame.time) ? frame.time : undefined;
    const newest = newestOpenTime(rows, (row) => (Array.isArray(row) ? row[0] : undefined));
    const out: BarEvent[] = [];
    for (let i = 0; i < rows.length; i++) {
      const row: unknown = rows[i];
      if (!Array.isArray(row) || row.length !== KLINE_ROW_FIELDS) {
        return rejected(`market/kline: field "result.list[${i}]" must be an array of ${KLINE_ROW_FIELDS} fields, got ${preview(row)}`);
      }
      const raw: RawBar = { openTs: row[0], open: row[1], high: row[2], low: row[3], close: row[4], volume: row[5], quoteVolume: row[6] };
      const bar = bybitBar(raw, (field) => `result.list[${i}][${KLINE_ROW_INDEX[field]}]`, "market/kline", known.symbol, known.f, true);
      if (typeof bar === "string") return rejected(bar);
      if (restBarClosed(bar.openTs, newest, venueNow, recvTs)) out.push(bar);
    }
    return out.length > 0 ? events(out, recvTs) : ignored(rows.length > 0 ? "kline-open" : "empty-batch");
  }

  private mapLiquidations(frame: Frame, recvTs: number | undefined): MapResult {
    // The docs type `data` as an object in the table and show an array in the example; accept both.
    const data = Array.isArray(frame.data) ? frame.data : isFrame(frame.data) ? [frame.data] : undefined;
    if (data === undefined) return rejected(`allLiquidation: field "data" must be an array, got ${preview(frame.data)}`);
    if (data.length === 0) return ignored("empty-batch");
    return mapItems(data, "s", this.tracked, LIQUIDATION_ITEM, (l, { symbol, f }, i): ItemResult => {
      const price = positive(l.p, f.priceExp, `allLiquidation: field "data[${i}].p" (bankruptcy price)`);
      if (typeof price === "string") return { reject: price };
      const qty = positive(l.v, f.qtyExp, `allLiquidation: field "data[${i}].v" (size)`);
      if (typeof qty === "string") return { reject: qty };
      const event: LiquidationEvent = {
        kind: "liquidation",
        venue: VENUE,
        symbol,
        ts: l.T,
        side: l.S === "Buy" ? "long" : "short",
        price,
        qty,
        notionalUsd: price * qty,
        sampling: "complete",
      };
      return event;
    }, recvTs);
  }
}

/** A bar from a kline push item or REST row; the reason it is rejected otherwise. */
function bybitBar(raw: RawBar, nameOf: (field: keyof RawBar) => string, frame: string, symbol: string, f: InstrumentFacts, closed: boolean): BarEvent | string {
  return toBar(raw, nameOf, frame, { venue: VENUE, symbol, priceExp: f.priceExp, qtyExp: f.qtyExp }, closed);
}

/** The Bybit category of a WebSocket endpoint other than linear (`spot`, `inverse`, `option`), if any. */
function otherMarket(url: string | undefined): string | undefined {
  if (url === undefined || !url.startsWith("ws")) return undefined;
  // Every message of a connection carries the same url: the last answer is kept.
  if (url === lastMarketUrl) return lastMarket;
  const match = /\/v5\/public\/([a-z]+)/.exec(url);
  lastMarketUrl = url;
  lastMarket = match !== null && match[1] !== "linear" ? match[1] : undefined;
  return lastMarket;
}
let lastMarketUrl: string | undefined;
let lastMarket: string | undefined;

/** An answer's error code for a reason: its text when it is a number or string, else its type. */
function codeText(code: unknown): string {
  return typeof code === "number" || typeof code === "string" ? String(code).slice(0, 10) : typeof code;
}

function restPath(url: string | undefined): string {
  const match = url === undefined ? null : /\/v5\/market\/([a-z-]+)/.exec(url);
  return match === null ? "" : `:${match[1]}`;
}
