/**
 * Hyperliquid perpetuals normalizer: WebSocket pushes → canonical events. The connection facts
 * of `wss://api.hyperliquid.xyz/ws` are `hyperliquid-connection.ts`.
 *
 * Frames are validated at this boundary (small zod schemas built once; book levels by hand).
 * Prices and sizes are decimal strings in coin units (`kPEPE` is itself 1000 PEPE, the unit of
 * `1000PEPEUSDT`); the instrument facts table (`src/domain/instruments.ts`) converts them.
 * Hyperliquid publishes no liquidation stream: nothing here produces a `liquidation`.
 *
 * Docs: https://hyperliquid.gitbook.io/hyperliquid-docs/for-developers/api/websocket/subscriptions,
 * …/api/websocket (heartbeats), …/api/rate-limits-and-user-limits
 */
import { z } from "zod";
import type { BarEvent, BookEvent, Level, MarkEvent, OiEvent, TradeEvent } from "../domain/events.js";
import { INSTRUMENTS, type InstrumentFacts, type InstrumentTable, scaleDecimal } from "../domain/instruments.js";
import { SYMBOLS, type SymbolRegistry } from "../domain/symbols.js";
import { newestOpenTime, type RawBar, restBarClosed, toBar } from "./bars.js";
import {
  admit,
  batchData,
  decimalText,
  epochMsNumber,
  events,
  type Frame,
  type FrameCheck,
  ignored,
  isFrame,
  isMapResult,
  isNamed,
  type ItemResult,
  mapItems,
  nonEmptyText,
  positive,
  preview,
  rejected,
  SIGNED_DECIMAL,
  UNSIGNED_DECIMAL,
} from "./frame.js";
import { TrackedInstruments } from "./tracked-instruments.js";
import type { ExchangeMapper, MapContext, MapResult } from "./types.js";

const VENUE = "hyperliquid" as const;

const decimal = decimalText;
const epochMs = epochMsNumber;
const coin = nonEmptyText;

/** WsTrade — one item of `data`. `side` is the aggressor's: `B` bought, `A` sold. */
const TradeItem = z.object({ coin, side: z.enum(["B", "A"]), px: decimal, sz: decimal, time: epochMs, tid: z.number().int("must be an integer id").nonnegative("must be >= 0") });

/** WsBook: `levels` = [bids, asks], each level `{px, sz, n}`. */
const BookData = z.object({ coin, time: epochMs, levels: z.tuple([z.array(z.unknown()), z.array(z.unknown())]) });

/** A number as Hyperliquid writes it in asset contexts: a decimal string (the live feed) or a JSON number (the docs' types). */
const ctxNumber = (pattern: RegExp) =>
  z
    .union([z.string(), z.number()])
    .transform((v) => (typeof v === "number" ? String(v) : v))
    .pipe(z.string().regex(pattern, "must be a decimal string"));

/** WsActiveAssetCtx with PerpsAssetCtx. */
const AssetCtxData = z.object({
  coin,
  ctx: z.object({
    markPx: ctxNumber(UNSIGNED_DECIMAL),
    oraclePx: ctxNumber(UNSIGNED_DECIMAL),
    funding: ctxNumber(SIGNED_DECIMAL),
    openInterest: ctxNumber(UNSIGNED_DECIMAL),
  }),
});

const TRADE_ITEM: FrameCheck<z.infer<typeof TradeItem>> = { name: "trades", schema: TradeItem };
const BOOK_DATA: FrameCheck<z.infer<typeof BookData>> = { name: "l2Book", schema: BookData, at: "data" };
const ASSET_CTX_DATA: FrameCheck<z.infer<typeof AssetCtxData>> = { name: "activeAssetCtx", schema: AssetCtxData, at: "data" };

/** Channels Hyperliquid pushes that liqflow does not use. */
const UNUSED_CHANNELS = new Set(["allMids", "bbo", "candle", "notification", "webData2", "activeSpotAssetCtx", "post"]);

/** Hyperliquid settles funding every hour (docs: Trading → Funding). */
const FUNDING_INTERVAL_MS = 3_600_000;

/**
 * Hyperliquid mapper (stateless).
 *
 * - `trades` → `trade` per item: `side` `B` → `buy`, `A` → `sell` (the aggressor), `price` = `px`,
 *   `qty` = `sz`, `tradeId` = `tid` (unique together with `time` and `coin`), `ts` = `time`. The
 *   first push after subscribing replays recent trades; they are real trades with their own times.
 * - `l2Book` → `book` **snapshot**: every push is the whole (20-level) book; `levels[0]` are the
 *   bids, `levels[1]` the asks; `seq` = `time`, `ts` = `time`.
 * - `activeAssetCtx` → `mark` (`markPrice` = `markPx`, `indexPrice` = `oraclePx`, `fundingRate` =
 *   `funding`, Hyperliquid's **hourly** rate, so `fundingIntervalMs` = 1 h: "funding is paid every
 *   hour" (Hyperliquid docs, Trading → Funding); no next funding time is sent) and `oi` (`oiBase` =
 *   `openInterest`, coin units). The push carries **no timestamp**: `ts` is the local receive time
 *   (whole ms); without one the push is rejected rather than given an invented time.
 * - The answer to `POST /info {"type":"candleSnapshot","req":{"coin","interval":"1m",…}}`, an array
 *   of candles `{t, T, s, i, o, c, h, l, v, n}` → `bar` per closed candle of a tracked coin:
 *   `openTs` = `t`, `volumeBase` = `v` (coin units), `trades` = `n`; no quote volume
 *   (`volumeQuote: null`) and no taker split. `T` is the candle's last millisecond in Hyperliquid's
 *   documented example (`t + 899 999` for 15 minutes), so `t + 59 999` here; `t + 60 000` (the
 *   next minute's open) is read as the same minute; any other `T`, or an interval `i` other than
 *   `1m`, is rejected. Every candle but the newest is closed;
 *   the newest once `T` is 5 s before `recvTs`, else left out (`kline-open`). Checks and rules:
 *   src/exchanges/bars.ts. https://hyperliquid.gitbook.io/hyperliquid-docs/for-developers/api/info-endpoint#candle-snapshot
 */
export class HyperliquidMapper implements ExchangeMapper {
  readonly venue = VENUE;
  private readonly tracked: TrackedInstruments;

  constructor(symbols: SymbolRegistry = SYMBOLS, instruments: InstrumentTable = INSTRUMENTS) {
    this.tracked = new TrackedInstruments(VENUE, symbols, instruments);
  }

  canHandle(message: unknown): boolean {
    return (isFrame(message) && typeof message.channel === "string") || isCandleSnapshot(message);
  }

  map(message: unknown, recvTs?: number, _context?: MapContext): MapResult {
    if (isCandleSnapshot(message)) return this.mapCandles(message, recvTs);
    if (Array.isArray(message) && message.length === 0) return ignored("empty-batch");
    if (!isFrame(message)) return rejected(`not a JSON object: ${preview(message)}`);
    const channel = message.channel;
    if (typeof channel !== "string") return rejected(`unrecognized message: no "channel": ${preview(message)}`);
    switch (channel) {
      case "trades":
        return this.mapTrades(message, recvTs);
      case "l2Book":
        return this.mapBook(message, recvTs);
      case "activeAssetCtx":
        return this.mapAssetCtx(message, recvTs);
      case "subscriptionResponse":
        return ignored("subscription-response");
      case "pong":
        return ignored("pong");
      case "error":
        return ignored("error-response");
      default:
        return ignored(UNUSED_CHANNELS.has(channel) ? `unused-channel:${channel}` : `unknown-channel:${channel.slice(0, 30)}`);
    }
  }

  private mapTrades(frame: Frame, recvTs: number | undefined): MapResult {
    const data = batchData(frame, "trades");
    if (!Array.isArray(data)) return data;
    return mapItems(data, "coin", this.tracked, TRADE_ITEM, (t, { symbol, f }, i): ItemResult => {
      const price = positive(t.px, f.priceExp, `trades: field "data[${i}].px" (price)`);
      if (typeof price === "string") return { reject: price };
      const qty = positive(t.sz, f.qtyExp, `trades: field "data[${i}].sz" (size)`);
      if (typeof qty === "string") return { reject: qty };
      const event: TradeEvent = { kind: "trade", venue: VENUE, symbol, ts: t.time, price, qty, side: t.side === "B" ? "buy" : "sell", tradeId: String(t.tid) };
      return event;
    }, recvTs);
  }

  private mapBook(frame: Frame, recvTs: number | undefined): MapResult {
    const data = frame.data;
    const a = admit(this.tracked, isFrame(data) ? data.coin : undefined, data, BOOK_DATA);
    if (isMapResult(a)) return a;
    const { symbol, f } = a.known;
    const [rawBids, rawAsks] = a.frame.levels;
    const bids = parseWsLevels(rawBids, "data.levels[0]", f);
    if (typeof bids === "string") return rejected(bids);
    const asks = parseWsLevels(rawAsks, "data.levels[1]", f);
    if (typeof asks === "string") return rejected(asks);
    const time = a.frame.time;
    const event: BookEvent = { kind: "book", venue: VENUE, symbol, ts: time, type: "snapshot", bids, asks, seq: time };
    return events([event], recvTs);
  }

  private mapCandles(candles: readonly unknown[], recvTs: number | undefined): MapResult {
    const newest = newestOpenTime(candles, (c) => (isFrame(c) ? c.t : undefined));
    const out: BarEvent[] = [];
    let firstSkipped: string | undefined;
    for (let i = 0; i < candles.length; i++) {
      const c = candles[i];
      if (!isFrame(c)) return rejected(`candleSnapshot: field "[${i}]" must be an object, got ${preview(c)}`);
      if (!isNamed(c.s)) return rejected(`candleSnapshot: field "[${i}].s" (coin) must be a non-empty string, got ${preview(c.s)}`);
      const known = this.tracked.find(c.s);
      if (typeof known === "string") {
        firstSkipped ??= known;
        continue;
      }
      if (c.i !== CANDLE_INTERVAL) return rejected(`candleSnapshot: field "[${i}].i" (interval) ${preview(c.i)} is not one minute ("${CANDLE_INTERVAL}")`);
      if (c.T === undefined) return rejected(`candleSnapshot: missing field "[${i}].T"`);
      const raw: RawBar = { openTs: c.t, closeTs: c.T, open: c.o, high: c.h, low: c.l, close: c.c, volume: c.v, trades: c.n };
      const target = { venue: VENUE, symbol: known.symbol, priceExp: known.f.priceExp, qtyExp: known.f.qtyExp };
      const bar = toBar(raw, (field) => `[${i}].${CANDLE_KEY_OF[field]}`, "candleSnapshot", target, true, CLOSE_AS_NEXT_OPEN_MS);
      if (typeof bar === "string") return rejected(bar);
      if (restBarClosed(bar.openTs, newest, undefined, recvTs)) out.push(bar);
      else firstSkipped ??= "kline-open";
    }
    return out.length > 0 ? events(out, recvTs) : ignored(firstSkipped ?? "empty-batch");
  }

  private mapAssetCtx(frame: Frame, recvTs: number | undefined): MapResult {
    const data = frame.data;
    const a = admit(this.tracked, isFrame(data) ? data.coin : undefined, data, ASSET_CTX_DATA);
    if (isMapResult(a)) return a;
    if (recvTs === undefined || !Number.isFinite(recvTs) || recvTs < 0) {
      return rejected("activeAssetCtx: the push carries no time and no local receive time was given");
    }
    const { symbol, f } = a.known;
    const c = a.frame.ctx;
    const markPrice = positive(c.markPx, f.priceExp, `activeAssetCtx: field "data.ctx.markPx" (mark price)`);
    if (typeof markPrice === "string") return rejected(markPrice);
    const indexPrice = positive(c.oraclePx, f.priceExp, `activeAssetCtx: field "data.ctx.oraclePx" (oracle price)`);
    if (typeof indexPrice === "string") return rejected(indexPrice);
    const fundingRate = Number(c.funding);
    if (!Number.isFinite(fundingRate)) return rejected(`activeAssetCtx: field "data.ctx.funding" must be finite, got "${c.funding.slice(0, 40)}"`);
    const oiBase = scaleDecimal(c.openInterest, f.qtyExp);
    if (!Number.isFinite(oiBase)) return rejected(`activeAssetCtx: field "data.ctx.openInterest" must be finite, got "${c.openInterest.slice(0, 40)}"`);
    const ts = Math.floor(recvTs);
    const mark: MarkEvent = { kind: "mark", venue: VENUE, symbol, ts, markPrice, indexPrice, fundingRate, fundingIntervalMs: FUNDING_INTERVAL_MS };
    const oi: OiEvent = { kind: "oi", venue: VENUE, symbol, ts, oiBase };
    return events([mark, oi], recvTs);
  }
}

/** Hyperliquid's name of the one-minute candle interval. */
const CANDLE_INTERVAL = "1m";
/** A candle's `T` may be written as the next minute's open (`t + 60 000`): 1 ms past `t + 59 999`. */
const CLOSE_AS_NEXT_OPEN_MS = 1;
/** Field of each bar field in a candle. */
const CANDLE_KEY_OF: Readonly<Partial<Record<keyof RawBar, string>>> = { openTs: "t", closeTs: "T", open: "o", high: "h", low: "l", close: "c", volume: "v", trades: "n" };

/** A `candleSnapshot` answer: a non-empty array of candle objects (`t`, `T`, `s`, `i`, …). */
function isCandleSnapshot(message: unknown): message is unknown[] {
  if (!Array.isArray(message) || message.length === 0) return false;
  const first: unknown = message[0];
  return isFrame(first) && "t" in first && "T" in first && "i" in first;
}

/** WsLevel items `{px, sz, n}` → unified levels; the reason naming the first bad one otherwise. */
function parseWsLevels(raw: readonly unknown[], field: string, f: Pick<InstrumentFacts, "qtyExp" | "priceExp">): Level[] | string {
  const out: Level[] = new Array(raw.length);
  for (let i = 0; i < raw.length; i++) {
    const level = raw[i];
    if (!isFrame(level)) return `l2Book: field "${field}[${i}]" must be an object {px, sz, n}, got ${preview(level)}`;
    const px = level.px;
    const sz = level.sz;
    if (typeof px !== "string" || !UNSIGNED_DECIMAL.test(px)) return `l2Book: field "${field}[${i}].px" must be an unsigned decimal string, got ${preview(px)}`;
    if (typeof sz !== "string" || !UNSIGNED_DECIMAL.test(sz)) return `l2Book: field "${field}[${i}].sz" must be an unsigned decimal string, got ${preview(sz)}`;
    const price = scaleDecimal(px, f.priceExp);
    if (!(price > 0) || !Number.isFinite(price)) return `l2Book: field "${field}[${i}].px" (price) must be > 0, got "${px}"`;
    const qty = scaleDecimal(sz, f.qtyExp);
    if (!Number.isFinite(qty)) return `l2Book: field "${field}[${i}].sz" (size) must be finite, got "${sz}"`;
    out[i] = [price, qty];
  }
  return out;
}
