/**
 * OKX v5 public normalizer (USDT-margined swaps): WebSocket pushes → canonical events, and the
 * OKX book checksum. The connection facts of `wss://ws.okx.com:8443/ws/v5/public` are
 * `okx-connection.ts`.
 *
 * Frames are validated at this boundary (small zod schemas built once; book levels by hand).
 * OKX writes every number as a string; each must be a plain decimal, anything else rejects the
 * frame with a reason naming the field. Swap sizes are in **contracts**: `qty = sz × ctVal`, with
 * `ctVal` from the instrument facts table (`src/domain/instruments.ts`), as are the unit changes of
 * `PEPE-USDT-SWAP` (per PEPE) into `1000PEPEUSDT` (per 1000 PEPE). Pushes for untracked
 * instruments (spot, inverse, dated futures, other swaps) are ignored before validation.
 *
 * Docs: https://www.okx.com/docs-v5/en/#order-book-trading-market-data-ws-trades-channel,
 * …#order-book-trading-market-data-ws-order-book-channel, …#public-data-websocket-mark-price-channel,
 * …#public-data-websocket-funding-rate-channel, …#public-data-websocket-open-interest-channel,
 * …#public-data-websocket-liquidation-orders-channel, …#overview-websocket-connect
 */
import { z } from "zod";
import { okxBookChecksum } from "../domain/book-checksum.js";
import type { BarEvent, BookEvent, CanonicalEvent, LiquidationEvent, MarkEvent, OiEvent, TradeEvent } from "../domain/events.js";
import { INSTRUMENTS, type InstrumentFacts, type InstrumentTable, scaleDecimal } from "../domain/instruments.js";
import { SYMBOLS, type SymbolRegistry } from "../domain/symbols.js";
import { queryParam, type RawBar, toBar, urlPath } from "./bars.js";
import {
  batchData,
  decimalText,
  EPOCH_MS_TEXT,
  events,
  type Frame,
  type FrameCheck,
  ignored,
  isFrame,
  isNamed,
  type ItemResult,
  mapItems,
  nonEmptyText,
  parseFrame,
  parseLevels,
  positive,
  preview,
  rejected,
  SIGNED_DECIMAL,
  UNSIGNED_DECIMAL,
} from "./frame.js";
import { isOkxInsurance, mapOkxInsurance } from "./insurance.js";
import { TrackedInstruments } from "./tracked-instruments.js";
import type { ExchangeMapper, MapContext, MapResult } from "./types.js";

export { okxBookChecksum };

const VENUE = "okx" as const;

const decimal = decimalText;
const msText = z.string().regex(EPOCH_MS_TEXT, "must be epoch milliseconds as a string");
const instId = nonEmptyText;

/** https://www.okx.com/docs-v5/en/#order-book-trading-market-data-ws-trades-channel — one item of `data`. */
const TradeItem = z.object({ instId, tradeId: nonEmptyText, px: decimal, sz: decimal, side: z.enum(["buy", "sell"]), ts: msText });

/** https://www.okx.com/docs-v5/en/#order-book-trading-market-data-ws-order-book-channel — one item of `data`. */
const BookItem = z.object({
  ts: msText,
  checksum: z.number().int("must be an integer").optional(),
  seqId: z.number().int("must be an integer").optional(),
  prevSeqId: z.number().int("must be an integer").optional(),
});

/** https://www.okx.com/docs-v5/en/#public-data-websocket-mark-price-channel */
const MarkItem = z.object({ instId, markPx: decimal, ts: msText });

/** https://www.okx.com/docs-v5/en/#public-data-websocket-funding-rate-channel */
const FundingItem = z.object({
  instId,
  fundingRate: z.string().regex(SIGNED_DECIMAL, "must be a decimal string"),
  fundingTime: msText.optional(),
  nextFundingTime: z.union([msText, z.literal("")]).optional(),
  ts: msText,
});

/** https://www.okx.com/docs-v5/en/#public-data-websocket-open-interest-channel */
const OpenInterestItem = z.object({ instId, oi: decimal, oiCcy: decimal.optional(), oiUsd: decimal.optional(), ts: msText });

/** https://www.okx.com/docs-v5/en/#public-data-websocket-liquidation-orders-channel — one item of `data`. */
const LiquidationItem = z.object({
  instId,
  details: z.array(
    z.object({
      side: z.enum(["buy", "sell"]),
      posSide: z.enum(["long", "short", "net"]),
      bkPx: decimal,
      sz: decimal,
      ts: msText,
    }),
  ),
});

const TRADE_ITEM: FrameCheck<z.infer<typeof TradeItem>> = { name: "trades", schema: TradeItem };
const BOOK_ITEM: FrameCheck<z.infer<typeof BookItem>> = { name: "books", schema: BookItem };
const MARK_ITEM: FrameCheck<z.infer<typeof MarkItem>> = { name: "mark-price", schema: MarkItem };
const FUNDING_ITEM: FrameCheck<z.infer<typeof FundingItem>> = { name: "funding-rate", schema: FundingItem };
const OPEN_INTEREST_ITEM: FrameCheck<z.infer<typeof OpenInterestItem>> = { name: "open-interest", schema: OpenInterestItem };
const LIQUIDATION_ITEM: FrameCheck<z.infer<typeof LiquidationItem>> = { name: "liquidation-orders", schema: LiquidationItem };

/** `oi × ctVal` and `oiCcy` may differ by OKX's rounding of `oiCcy`, never by more than this (relative). */
const OI_CROSS_CHECK = 1e-6;

/** `vol × ctVal` and `volCcy` of a candle may differ by OKX's rounding of `volCcy`, never by more than this (relative). */
const VOLUME_CROSS_CHECK = 1e-6;
/** REST candle endpoints (same row format): the latest 1,440 bars, and history. */
const CANDLE_PATHS = ["/api/v5/market/history-candles", "/api/v5/market/candles"] as const;
/** A candle row `[ts, o, h, l, c, vol, volCcy, volCcyQuote, confirm]`. */
const CANDLE_ROW_FIELDS = 9;
/** Column of each bar field in a candle row (the base volume is `volCcy`, column 6). */
const CANDLE_COLUMN_OF: Readonly<Partial<Record<keyof RawBar, number>>> = { openTs: 0, open: 1, high: 2, low: 3, close: 4, volume: 6, quoteVolume: 7 };

/** Channels OKX publishes that liqflow does not use. */
const UNUSED_CHANNELS = new Set(["tickers", "books5", "bbo-tbt", "books50-l2-tbt", "books-l2-tbt", "index-tickers", "price-limit", "estimated-price", "instruments", "trades-all", "status"]);

/** Mark price and funding of one swap: OKX sends them on two channels; each event carries both. */
interface MarkState {
  markPx?: string;
  fundingRate?: string;
  nextFundingTs?: number;
  fundingIntervalMs?: number;
}

/**
 * OKX v5 mapper. Stateful per instrument for mark/funding (merged) and for books without
 * `seqId`; use one instance per connection or recording.
 *
 * - `trades` → `trade` per item: `side` is the taker's, `price` = `px`, `qty` = `sz × ctVal`,
 *   `tradeId`, `ts`.
 * - `books` → `book`: `action` `snapshot` or `update`; `seq` = `seqId`, `prevSeq` = `prevSeqId`
 *   (OKX chains by identity, ids may jump; heartbeats repeat `seqId`, a maintenance reset lowers
 *   it: the book accepts both since `prevSeq` names the last id). Pushes recorded before OKX added
 *   `seqId` (the 2022 recording) get `seq` = `ts` and `prevSeq` = the `ts` of the previous push of
 *   the same instrument seen by this mapper; continuity then rests on the checksum. `checksum` is
 *   passed on for the book to verify (levels are sizes × ctVal there; the book converts back),
 *   except `0`: OKX fixed it to 0 when it deprecated the checksum (production, 2026-06-23).
 * - `mark-price` and `funding-rate` → `mark`, from the latest of both per instrument: a mark-price
 *   push carries the last known funding; a funding push repeats the last known mark price (and
 *   is held, ignored, until the first mark price). `nextFundingTs` is the next settlement after the
 *   push: `fundingTime` ("settlement time", the upcoming one in OKX's example), else
 *   `nextFundingTime`; `fundingIntervalMs` = `nextFundingTime − fundingTime` (two consecutive
 *   settlements) when both are sent. OKX gives no index price on these channels.
 * - `open-interest` → `oi`: `oiBase` from `oiCcy` (already in the base coin, OKX's own
 *   conversion), cross-checked against `oi × ctVal` (contracts): a disagreement beyond rounding
 *   rejects the push (the contract value in the table would be wrong); `oiUsd` when sent.
 * - `liquidation-orders` (`instType` `SWAP`) → `liquidation` per detail: `side` is the
 *   liquidated position: `posSide` `long`/`short` (hedge mode), or in net mode (`posSide` `net`)
 *   the order side: a forced `sell` closes a `long`. A hedge-mode detail whose order side
 *   contradicts its position side is rejected. `price` = `bkPx` (OKX: "the price of the
 *   transaction with the system's liquidation account"), `qty` = `sz × ctVal`, `ts`, sampling
 *   `sampled-1s`: OKX states the channel "doesn't represent the total number of liquidations".
 * - REST candles, `GET /api/v5/market/history-candles?instId=…-USDT-SWAP&bar=1m` (or `/candles`;
 *   the endpoint is known from `context.url`, whose `instId` names the instrument) → `bar` per row
 *   `[ts, o, h, l, c, vol, volCcy, volCcyQuote, confirm]`: `volumeBase` from `volCcy` (the base
 *   coin, OKX's own conversion), cross-checked against `vol × ctVal` (contracts) as open interest
 *   is; `volumeQuote` = `volCcyQuote` (USDT); no taker split, no trade count. `confirm` `"1"` is a
 *   closed bar, `"0"` the forming one, emitted with `closed: false` (OKX states it; the engine
 *   skips it). A `bar` other than `1m` (absent means `1m`) is rejected. Checks and rules:
 *   src/exchanges/bars.ts. https://www.okx.com/docs-v5/en/#order-book-trading-market-data-get-candlesticks-history
 */
export class OkxMapper implements ExchangeMapper {
  readonly venue = VENUE;
  private readonly marks = new Map<string, MarkState>();
  private readonly lastBookTs = new Map<string, number>();
  private readonly tracked: TrackedInstruments;

  constructor(
    private readonly symbols: SymbolRegistry = SYMBOLS,
    instruments: InstrumentTable = INSTRUMENTS,
  ) {
    this.tracked = new TrackedInstruments(VENUE, symbols, instruments);
  }

  canHandle(message: unknown): boolean {
    if (message === "pong") return true;
    if (!isFrame(message)) return false;
    return (isFrame(message.arg) && typeof message.arg.channel === "string") || typeof message.event === "string";
  }

  map(message: unknown, recvTs?: number, context?: MapContext): MapResult {
    // https://www.okx.com/docs-v5/en/#overview-websocket-connect: the answer to a text "ping".
    if (message === "pong") return ignored("pong");
    if (!isFrame(message)) return rejected(`not a JSON object: ${preview(message)}`);
    // The insurance poll's REST answer `{code, msg, data}` (src/exchanges/insurance.ts).
    if (isOkxInsurance(message, context?.url)) return mapOkxInsurance(message, this.symbols, recvTs);
    if (isOkxCandles(context?.url)) return this.mapCandles(message, context!.url!, context?.instrument, recvTs);
    if (typeof message.event === "string") {
      const event = message.event.slice(0, 30);
      if (event === "error") return ignored(`error-response:${String(message.code ?? "").slice(0, 10)}`);
      return ignored(`${event}-response`);
    }
    const arg = message.arg;
    if (!isFrame(arg) || typeof arg.channel !== "string") return rejected(`unrecognized message: no "arg.channel" and no "event": ${preview(message)}`);
    const channel = arg.channel;
    switch (channel) {
      case "trades":
        return this.mapTrades(message, recvTs);
      case "books":
        return this.mapBooks(message, arg, recvTs);
      case "mark-price":
        return this.mapMarkPrice(message, recvTs);
      case "funding-rate":
        return this.mapFunding(message, recvTs);
      case "open-interest":
        return this.mapOpenInterest(message, recvTs);
      case "liquidation-orders":
        return this.mapLiquidations(message, recvTs);
      default:
        return ignored(UNUSED_CHANNELS.has(channel) || channel.startsWith("candle") ? `unused-channel:${channel.slice(0, 30)}` : `unknown-channel:${channel.slice(0, 30)}`);
    }
  }

  private mapTrades(frame: Frame, recvTs: number | undefined): MapResult {
    const data = batchData(frame, "trades");
    if (!Array.isArray(data)) return data;
    return mapItems(data, "instId", this.tracked, TRADE_ITEM, (t, { symbol, f }, i): ItemResult => {
      const price = positive(t.px, f.priceExp, `trades: field "data[${i}].px" (price)`);
      if (typeof price === "string") return { reject: price };
      const qty = positive(t.sz, f.qtyExp, `trades: field "data[${i}].sz" (size)`);
      if (typeof qty === "string") return { reject: qty };
      const event: TradeEvent = { kind: "trade", venue: VENUE, symbol, ts: Number(t.ts), price, qty, side: t.side, tradeId: t.tradeId };
      return event;
    }, recvTs);
  }

  private mapBooks(frame: Frame, arg: Frame, recvTs: number | undefined): MapResult {
    const instrument = arg.instId;
    if (!isNamed(instrument)) return rejected(`books: field "arg.instId" must be a non-empty string, got ${preview(instrument)}`);
    const known = this.tracked.find(instrument);
    if (typeof known === "string") return ignored(known);
    const action = frame.action;
    if (action !== "snapshot" && action !== "update") return rejected(`books: field "action" must be one of "snapshot", "update", got ${preview(action)}`);
    const data = batchData(frame, "books");
    if (!Array.isArray(data)) return data;
    const { symbol, f } = known;
    const out: CanonicalEvent[] = [];
    for (let i = 0; i < data.length; i++) {
      const item: unknown = data[i];
      const b = parseFrame(item, BOOK_ITEM, `data[${i}]`);
      if (typeof b === "string") return rejected(b);
      const bids = parseLevels((item as Frame).bids, "books", `data[${i}].bids`, f);
      if (typeof bids === "string") return rejected(bids);
      const asks = parseLevels((item as Frame).asks, "books", `data[${i}].asks`, f);
      if (typeof asks === "string") return rejected(asks);
      const ts = Number(b.ts);
      const snapshot = action === "snapshot";
      const event: BookEvent = { kind: "book", venue: VENUE, symbol, ts, type: snapshot ? "snapshot" : "delta", bids, asks, seq: b.seqId ?? ts };
      if (!snapshot) {
        if (b.seqId !== undefined) {
          if (b.prevSeqId === undefined) return rejected(`books: field "data[${i}].prevSeqId" is missing while "seqId" is present`);
          event.prevSeq = b.prevSeqId;
        } else {
          const previous = this.lastBookTs.get(instrument);
          if (previous !== undefined) event.prevSeq = previous;
          else event.firstSeq = ts;
        }
      }
      if (b.seqId === undefined) this.lastBookTs.set(instrument, ts);
      if (b.checksum !== undefined && b.checksum !== 0) event.checksum = b.checksum;
      out.push(event);
    }
    return events(out, recvTs);
  }

  private markState(instrument: string): MarkState {
    let state = this.marks.get(instrument);
    if (state === undefined) this.marks.set(instrument, (state = {}));
    return state;
  }

  private markEvent(symbol: string, ts: number, state: MarkState, f: InstrumentFacts): MarkEvent | string {
    const markPrice = positive(state.markPx!, f.priceExp, `mark-price: field "markPx" (mark price)`);
    if (typeof markPrice === "string") return markPrice;
    const event: MarkEvent = { kind: "mark", venue: VENUE, symbol, ts, markPrice };
    if (state.fundingRate !== undefined) event.fundingRate = Number(state.fundingRate);
    if (state.nextFundingTs !== undefined) event.nextFundingTs = state.nextFundingTs;
    if (state.fundingIntervalMs !== undefined) event.fundingIntervalMs = state.fundingIntervalMs;
    return event;
  }

  private mapMarkPrice(frame: Frame, recvTs: number | undefined): MapResult {
    const data = batchData(frame, "mark-price");
    if (!Array.isArray(data)) return data;
    return mapItems(data, "instId", this.tracked, MARK_ITEM, (m, { symbol, f }, i): ItemResult => {
      if (!(scaleDecimal(m.markPx, f.priceExp) > 0)) return { reject: `mark-price: field "data[${i}].markPx" (mark price) must be > 0, got "${m.markPx}"` };
      const state = this.markState(m.instId);
      state.markPx = m.markPx;
      const event = this.markEvent(symbol, Number(m.ts), state, f);
      return typeof event === "string" ? { reject: event } : event;
    }, recvTs);
  }

  private mapFunding(frame: Frame, recvTs: number | undefined): MapResult {
    const data = batchData(frame, "funding-rate");
    if (!Array.isArray(data)) return data;
    return mapItems(data, "instId", this.tracked, FUNDING_ITEM, (r, { symbol, f }, i): ItemResult => {
      const ts = Number(r.ts);
      if (!Number.isFinite(Number(r.fundingRate))) return { reject: `funding-rate: field "data[${i}].fundingRate" must be finite, got "${r.fundingRate.slice(0, 40)}"` };
      const state = this.markState(r.instId);
      state.fundingRate = r.fundingRate;
      state.nextFundingTs = nextSettlement(ts, r.fundingTime, r.nextFundingTime);
      state.fundingIntervalMs = fundingInterval(r.fundingTime, r.nextFundingTime);
      if (state.markPx === undefined) return { skip: "funding-rate-held-until-mark-price" };
      const event = this.markEvent(symbol, ts, state, f);
      return typeof event === "string" ? { reject: event } : event;
    }, recvTs);
  }

  private mapOpenInterest(frame: Frame, recvTs: number | undefined): MapResult {
    const data = batchData(frame, "open-interest");
    if (!Array.isArray(data)) return data;
    return mapItems(data, "instId", this.tracked, OPEN_INTEREST_ITEM, (o, { symbol, f }, i): ItemResult => {
      const fromContracts = scaleDecimal(o.oi, f.qtyExp);
      if (!Number.isFinite(fromContracts)) return { reject: `open-interest: field "data[${i}].oi" must be finite, got "${o.oi.slice(0, 40)}"` };
      if (o.oiUsd !== undefined && !Number.isFinite(Number(o.oiUsd))) return { reject: `open-interest: field "data[${i}].oiUsd" must be finite, got "${o.oiUsd.slice(0, 40)}"` };
      let oiBase = fromContracts;
      if (o.oiCcy !== undefined) {
        oiBase = scaleDecimal(o.oiCcy, f.baseExp);
        if (!Number.isFinite(oiBase)) return { reject: `open-interest: field "data[${i}].oiCcy" must be finite, got "${o.oiCcy.slice(0, 40)}"` };
        if (Math.abs(oiBase - fromContracts) > OI_CROSS_CHECK * Math.max(oiBase, fromContracts)) {
          return { reject: 
            `open-interest: field "data[${i}].oiCcy" ("${o.oiCcy}") disagrees with "oi" × ctVal ("${o.oi}" × ${f.sizeUnitBase}): the contract value of ${o.instId} may have changed`,
           };
        }
      }
      const event: OiEvent = { kind: "oi", venue: VENUE, symbol, ts: Number(o.ts), oiBase };
      if (o.oiUsd !== undefined) event.oiUsd = Number(o.oiUsd);
      return event;
    }, recvTs);
  }

  private mapCandles(frame: Frame, url: string, contextInstrument: string | undefined, recvTs: number | undefined): MapResult {
    const path = urlPath(url)!;
    const endpoint = path.slice(path.lastIndexOf("/") + 1);
    if (frame.code !== "0") return ignored(`error-response:${typeof frame.code === "string" ? frame.code.slice(0, 10) : typeof frame.code}`);
    const instrument = queryParam(url, "instId") ?? contextInstrument;
    if (!isNamed(instrument)) return rejected(`${endpoint}: no instrument (a candles answer names none; pass the request url with instId=)`);
    const known = this.tracked.find(instrument);
    if (typeof known === "string") return ignored(known);
    const bar = queryParam(url, "bar") ?? "1m";
    if (bar !== "1m") return rejected(`${endpoint}: the request url asks for bar ${preview(bar)}, not one-minute bars ("1m")`);
    const data = batchData(frame, endpoint);
    if (!Array.isArray(data)) return data;
    const { symbol, f } = known;
    const out: BarEvent[] = [];
    for (let i = 0; i < data.length; i++) {
      const row: unknown = data[i];
      if (!Array.isArray(row) || row.length !== CANDLE_ROW_FIELDS) return rejected(`${endpoint}: field "data[${i}]" must be an array of ${CANDLE_ROW_FIELDS} fields, got ${preview(row)}`);
      const confirm = row[8];
      if (confirm !== "0" && confirm !== "1") return rejected(`${endpoint}: field "data[${i}][8]" (confirm) must be one of "0", "1", got ${preview(confirm)}`);
      const raw: RawBar = { openTs: row[0], open: row[1], high: row[2], low: row[3], close: row[4], volume: row[6], quoteVolume: row[7] };
      const event = toBar(raw, (field) => `data[${i}][${CANDLE_COLUMN_OF[field]}]`, endpoint, { venue: VENUE, symbol, priceExp: f.priceExp, qtyExp: f.baseExp }, confirm === "1");
      if (typeof event === "string") return rejected(event);
      const contracts = row[5];
      if (typeof contracts !== "string" || !UNSIGNED_DECIMAL.test(contracts)) return rejected(`${endpoint}: field "data[${i}][5]" (vol, contracts) must be an unsigned decimal string, got ${preview(contracts)}`);
      const fromContracts = scaleDecimal(contracts, f.qtyExp);
      if (!Number.isFinite(fromContracts)) return rejected(`${endpoint}: field "data[${i}][5]" (vol, contracts) must be finite, got "${contracts.slice(0, 40)}"`);
      if (Math.abs(event.volumeBase - fromContracts) > VOLUME_CROSS_CHECK * Math.max(event.volumeBase, fromContracts)) {
        return rejected(
          `${endpoint}: field "data[${i}][6]" (volCcy "${String(row[6])}") disagrees with vol × ctVal ("${contracts}" × ${f.sizeUnitBase}): the contract value of ${instrument} may have changed`,
        );
      }
      out.push(event);
    }
    return events(out, recvTs);
  }

  private mapLiquidations(frame: Frame, recvTs: number | undefined): MapResult {
    const data = batchData(frame, "liquidation-orders");
    if (!Array.isArray(data)) return data;
    return mapItems(data, "instId", this.tracked, LIQUIDATION_ITEM, (item, { symbol, f }, i): ItemResult => {
      const details = item.details;
      if (details.length === 0) return { skip: "empty-batch" };
      const out: CanonicalEvent[] = [];
      for (let j = 0; j < details.length; j++) {
        const d = details[j];
        const where = `liquidation-orders: field "data[${i}].details[${j}]`;
        // A forced sell closes a long, a forced buy a short.
        const closes = d.side === "sell" ? "long" : "short";
        if (d.posSide !== "net" && d.posSide !== closes) {
          return { reject: `${where}.side" ("${d.side}") contradicts "posSide" ("${d.posSide}"): a liquidation closes its position` };
        }
        const price = positive(d.bkPx, f.priceExp, `${where}.bkPx" (price)`);
        if (typeof price === "string") return { reject: price };
        const qty = positive(d.sz, f.qtyExp, `${where}.sz" (size)`);
        if (typeof qty === "string") return { reject: qty };
        const event: LiquidationEvent = {
          kind: "liquidation",
          venue: VENUE,
          symbol,
          ts: Number(d.ts),
          side: d.posSide === "net" ? closes : d.posSide,
          price,
          qty,
          notionalUsd: price * qty,
          sampling: "sampled-1s",
        };
        out.push(event);
      }
      return out;
    }, recvTs);
  }
}

/** The url of a REST candles answer (`/api/v5/market/history-candles` or `/candles`). */
function isOkxCandles(url: string | undefined): boolean {
  const path = urlPath(url);
  return path !== undefined && CANDLE_PATHS.some((p) => path.endsWith(p));
}

/** The first settlement time after `ts` among `fundingTime` and `nextFundingTime`, if any. */
function nextSettlement(ts: number, fundingTime: string | undefined, nextFundingTime: string | undefined): number | undefined {
  for (const text of [fundingTime, nextFundingTime]) {
    if (text === undefined || text === "") continue;
    const t = Number(text);
    if (t > ts) return t;
  }
  return undefined;
}

/** Settlement intervals OKX uses (8 h by default; 4 h, 2 h or 1 h for some swaps). */
const FUNDING_INTERVALS_MS = [3_600_000, 7_200_000, 14_400_000, 28_800_000];

/** `nextFundingTime − fundingTime` (two consecutive settlements) when both are sent and the step is a known interval. */
function fundingInterval(fundingTime: string | undefined, nextFundingTime: string | undefined): number | undefined {
  if (fundingTime === undefined || nextFundingTime === undefined || fundingTime === "" || nextFundingTime === "") return undefined;
  const step = Number(nextFundingTime) - Number(fundingTime);
  return FUNDING_INTERVALS_MS.includes(step) ? step : undefined;
}
