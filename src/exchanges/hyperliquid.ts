/**
 * Hyperliquid perpetuals normalizer: WebSocket pushes → canonical events, and the connection
 * facts of `wss://api.hyperliquid.xyz/ws`.
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
import type { BarEvent, BookEvent, CanonicalEvent, Level, MarkEvent, OiEvent, TradeEvent } from "../domain/events.js";
import { INSTRUMENTS, type InstrumentFacts, type InstrumentTable, scaleDecimal } from "../domain/instruments.js";
import { SYMBOLS, type SymbolRegistry } from "../domain/symbols.js";
import {
  decimalText,
  describeIssue,
  epochMsNumber,
  events,
  type Frame,
  ignored,
  isFrame,
  isNamed,
  type ItemResult,
  mapItems,
  positive,
  preview,
  rejected,
  SIGNED_DECIMAL,
  UNSIGNED_DECIMAL,
} from "./frame.js";
import type { LiveConnectionSpec } from "./connections.js";
import { newestOpenTime, type RawBar, restBarClosed, toBar } from "./bars.js";
import type { ExchangeMapper, MapContext, MapResult } from "./types.js";

const VENUE = "hyperliquid" as const;

const decimal = decimalText;
const epochMs = epochMsNumber;
const coin = z.string().min(1, "must not be empty");

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

/** Channels Hyperliquid pushes that liqflow does not use. */
const UNUSED_CHANNELS = new Set(["allMids", "bbo", "candle", "notification", "webData2", "activeSpotAssetCtx", "post"]);

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
/** Hyperliquid settles funding every hour (docs: Trading → Funding). */
const FUNDING_INTERVAL_MS = 3_600_000;

export class HyperliquidMapper implements ExchangeMapper {
  readonly venue = VENUE;

  constructor(
    private readonly symbols: SymbolRegistry = SYMBOLS,
    private readonly instruments: InstrumentTable = INSTRUMENTS,
  ) {}

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

  /** Facts of a tracked coin; a string reason (ignored) when there are none usable. */
  private factsOf(name: string): { symbol: string; f: InstrumentFacts } | string {
    const unified = this.symbols.unify(VENUE, name);
    if (unified === undefined) return "untracked-symbol";
    const f = this.instruments.instrument(VENUE, name);
    if (f === undefined) return `no-instrument-facts:${name}`;
    if (f.status === "unverified") return `unverified-instrument-facts:${name}`;
    return { symbol: unified, f };
  }

  private mapTrades(frame: Frame, recvTs: number | undefined): MapResult {
    const data = frame.data;
    if (!Array.isArray(data)) return rejected(`trades: field "data" must be an array, got ${preview(data)}`);
    if (data.length === 0) return ignored("empty-batch");
    return mapItems(data, "trades", "coin", (n) => this.factsOf(n), TradeItem, (t, { symbol, f }, i): ItemResult => {
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
    const known = isFrame(data) && isNamed(data.coin) ? this.factsOf(data.coin) : undefined;
    if (typeof known === "string") return ignored(known);
    const parsed = BookData.safeParse(data);
    if (!parsed.success) return rejected(describeIssue("l2Book", parsed.error.issues[0], data, "data"));
    const { symbol, f } = known!;
    const [rawBids, rawAsks] = parsed.data.levels;
    const bids = parseWsLevels(rawBids, "data.levels[0]", f);
    if (typeof bids === "string") return rejected(bids);
    const asks = parseWsLevels(rawAsks, "data.levels[1]", f);
    if (typeof asks === "string") return rejected(asks);
    const time = parsed.data.time;
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
      const known = this.factsOf(c.s);
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
    const known = isFrame(data) && isNamed(data.coin) ? this.factsOf(data.coin) : undefined;
    if (typeof known === "string") return ignored(known);
    const parsed = AssetCtxData.safeParse(data);
    if (!parsed.success) return rejected(describeIssue("activeAssetCtx", parsed.error.issues[0], data, "data"));
    if (recvTs === undefined || !Number.isFinite(recvTs) || recvTs < 0) {
      return rejected("activeAssetCtx: the push carries no time and no local receive time was given");
    }
    const { symbol, f } = known!;
    const c = parsed.data.ctx;
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

/** Subscription types per coin, in this order. */
const COIN_SUBSCRIPTIONS = ["trades", "l2Book", "activeAssetCtx"] as const;

/**
 * How to hold the Hyperliquid connection
 * (https://hyperliquid.gitbook.io/hyperliquid-docs/for-developers/api/websocket):
 * - keepalive: the server closes a connection it has not heard from in 60 s; the client sends
 *   `{"method":"ping"}` every 30 s and the server answers `{"channel":"pong"}`;
 * - topics are written `type:coin` (`l2Book:BTC`); each becomes one
 *   `{"method":"subscribe","subscription":{"type","coin"}}` frame (one subscription per frame);
 * - Hyperliquid allows 1000 subscriptions per IP across connections; 300 per connection here;
 * - `topicOf`: the push's `channel` and the `coin` of its data name its topic;
 * - stale: `l2Book` pushes on every block that changes the top 20 levels (sub-second on listed
 *   coins) and `activeAssetCtx` on every change of the context, so 30 s / 60 s of silence is a
 *   dead stream; trades can pause on quiet coins (10 min). No liquidation stream.
 */
export const HYPERLIQUID_CONNECTION: LiveConnectionSpec = {
  venue: VENUE,
  wsUrl: "wss://api.hyperliquid.xyz/ws",
  restUrl: null,
  maxTopicsPerConnection: 300,
  topics(instrument: string): string[] {
    if (INSTRUMENTS.instrument(VENUE, instrument) === undefined) return [];
    return COIN_SUBSCRIPTIONS.map((type) => `${type}:${instrument}`);
  },
  globalTopics(): string[] {
    return [];
  },
  subscribeFrames(topics: readonly string[]): string[] {
    return topics.map((topic) => {
      const colon = topic.indexOf(":");
      return JSON.stringify({ method: "subscribe", subscription: { type: topic.slice(0, colon), coin: topic.slice(colon + 1) } });
    });
  },
  keepalive: { intervalMs: 30_000, frame: '{"method":"ping"}' },
  isControl(message: unknown): boolean {
    return isFrame(message) && (message.channel === "pong" || message.channel === "subscriptionResponse");
  },
  staleAfterMs(topic: string): number {
    if (topic.startsWith("trades:")) return 600_000;
    if (topic.startsWith("activeAssetCtx:")) return 60_000;
    return 30_000;
  },
  liquidationSampling: null,
  topicOf(message: unknown): string | undefined {
    if (!isFrame(message) || typeof message.channel !== "string") return undefined;
    const data = message.data;
    const first = Array.isArray(data) ? data[0] : data;
    return isFrame(first) && typeof first.coin === "string" ? `${message.channel}:${first.coin}` : undefined;
  },
};
