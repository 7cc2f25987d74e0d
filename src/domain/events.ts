/**
 * Canonical events: the one contract between the collector and the engine.
 *
 * Every event carries `venue`, unified `symbol` (e.g. `BTCUSDT`), `ts` (the exchange's
 * event time in epoch milliseconds) and a `kind`. Quantities are always in base units
 * (contracts are converted with the instrument's contract value before an event exists).
 * `recvTs`, when present, is the local receive time of the raw message (epoch ms), kept
 * only to measure lag; the engine never orders or windows by it.
 */
import { z } from "zod";

export const VENUES = ["binance", "bybit", "okx", "hyperliquid"] as const;
export const VenueSchema = z.enum(VENUES);
export type Venue = z.infer<typeof VenueSchema>;

const positive = z.number().finite().positive();
const nonNegative = z.number().finite().nonnegative();
const epochMs = z.number().int().nonnegative();

const base = {
  venue: VenueSchema,
  symbol: z.string().min(1),
  ts: epochMs,
  recvTs: z.number().finite().optional(),
};

/** A price level: [price, qty in base units]. A qty of 0 in a delta removes the level. */
export const LevelSchema = z.tuple([positive, nonNegative]);
export type Level = z.infer<typeof LevelSchema>;

/** One execution. `side` is the **aggressor** (taker) side: `buy` lifted the ask. */
export const TradeEventSchema = z.object({
  ...base,
  kind: z.literal("trade"),
  price: positive,
  qty: positive,
  side: z.enum(["buy", "sell"]),
  tradeId: z.string(),
});

/**
 * Order book update. A `snapshot` replaces the book; a `delta` changes the listed levels.
 * Sequence ids follow the venue: `seq` is the id of the last update contained (Binance `u`,
 * snapshot `lastUpdateId`), `firstSeq` the first (Binance `U`), `prevSeq` the `seq` of the
 * previous delta on the same stream (Binance `pu`, OKX `prevSeqId`). A consumer detects a gap
 * when `prevSeq` (or `firstSeq - 1`) does not equal the last applied `seq`.
 */
export const BookEventSchema = z.object({
  ...base,
  kind: z.literal("book"),
  type: z.enum(["snapshot", "delta"]),
  bids: z.array(LevelSchema),
  asks: z.array(LevelSchema),
  seq: z.number().int(),
  firstSeq: z.number().int().optional(),
  prevSeq: z.number().int().optional(),
  /**
   * The venue's checksum of its book after this update, when it sends one (OKX: CRC32 of the
   * best 25 levels, a signed 32-bit integer). The book verifies it; Binance sends none.
   */
  checksum: z.number().int().optional(),
});

/** Best bid and offer (Binance `bookTicker`). Not applied to the depth book. */
export const QuoteEventSchema = z.object({
  ...base,
  kind: z.literal("quote"),
  bidPrice: positive,
  bidQty: nonNegative,
  askPrice: positive,
  askQty: nonNegative,
});

/**
 * Mark price and funding, as the venue gives them. `fundingRate` is per funding interval;
 * `fundingIntervalMs` is that interval where the venue states it (Bybit `fundingIntervalHour`,
 * OKX `nextFundingTime − fundingTime`, Hyperliquid's hourly funding); absent, the engine uses the
 * venue's default (src/domain/inputs/funding.ts).
 */
export const MarkEventSchema = z.object({
  ...base,
  kind: z.literal("mark"),
  markPrice: positive,
  indexPrice: positive.optional(),
  fundingRate: z.number().finite().optional(),
  nextFundingTs: epochMs.optional(),
  fundingIntervalMs: z.number().int().positive().optional(),
});

/** Open interest in base units (and in USD where the venue states it). */
export const OiEventSchema = z.object({
  ...base,
  kind: z.literal("oi"),
  oiBase: nonNegative,
  oiUsd: nonNegative.optional(),
});

/**
 * How completely a venue publishes its liquidations. Binance pushes at most one
 * liquidation per symbol per 1000 ms on `forceOrder`, so its stream is a sample.
 */
export const LiquidationSamplingSchema = z.enum(["complete", "sampled-1s"]);
export type LiquidationSampling = z.infer<typeof LiquidationSamplingSchema>;

/**
 * A forced liquidation. `side` is the side of the liquidated **position** (`long` was
 * liquidated by a forced sell). `price` is the average fill price, `qty` the filled
 * quantity in base units, `notionalUsd = price * qty`.
 */
export const LiquidationEventSchema = z.object({
  ...base,
  kind: z.literal("liquidation"),
  side: z.enum(["long", "short"]),
  price: positive,
  qty: positive,
  notionalUsd: positive,
  sampling: LiquidationSamplingSchema,
});

/**
 * The balance of the insurance fund (pool) that backs this symbol's contracts on one venue, as
 * the venue publishes it on a public REST endpoint (polled live; no recording holds one).
 *
 * - `balanceUsd`: the pool's balance in USD as the venue states it (Bybit `value`, OKX `total`),
 *   or its USDT balance counted at par where the venue gives no USD value (Binance). May be
 *   negative where a venue lets a depleted pool go below zero.
 * - `asset`: the currency the pool holds (`USDT`).
 * - `poolId`: identifies the pool within the venue (the same id on every symbol sharing it);
 *   a change of id means the venue regrouped its pools, so balances before and after do not
 *   compare.
 * - `shared`: the pool backs other contracts too (a shared / grouped pool), not this symbol alone.
 * - `ts`: the venue's update time of the balance (not the time it was polled).
 *
 * Hyperliquid publishes no insurance fund: it has no such event.
 */
export const InsuranceEventSchema = z.object({
  ...base,
  kind: z.literal("insurance"),
  balanceUsd: z.number().finite(),
  asset: z.string().min(1),
  poolId: z.string().min(1).max(200),
  shared: z.boolean(),
});

/**
 * A one-minute candle (bar) of trades, from a venue's kline stream, its REST candles or an archive.
 * It covers `[openTs, openTs + 60 000)`; `openTs` is a multiple of a minute. Its event time `ts`
 * is its **close** time, `openTs + 59 999` (Binance's `T`): a bar is known once its minute is over,
 * so merging by `ts` never lets a bar's minute be read before that minute has passed.
 *
 * - `volumeBase` / `volumeQuote`: traded quantity in base units and its value in the quote (USD);
 *   `volumeQuote` null where the venue's candle has no quote volume (Hyperliquid): the engine then
 *   values the volume at the bar's typical price (high + low + close) / 3, an estimate it documents;
 * - `takerBuyBase` / `takerBuyQuote`: the part bought by takers (aggressor buys), where the venue
 *   states it (Binance); null where its bars have no taker split (Bybit, OKX, Hyperliquid REST
 *   candles): the side of that volume is unknown, and the engine says so rather than guess.
 *   Taker sell = volume − taker buy.
 * - `trades`: trade count, where the venue states it;
 * - `closed`: false while the minute is still forming (the engine applies closed bars only).
 */
export const BAR_MS = 60_000;

export const BarEventSchema = z
  .object({
    ...base,
    kind: z.literal("bar"),
    openTs: epochMs,
    open: positive,
    high: positive,
    low: positive,
    close: positive,
    volumeBase: nonNegative,
    volumeQuote: nonNegative.nullable(),
    takerBuyBase: nonNegative.nullable(),
    takerBuyQuote: nonNegative.nullable(),
    trades: z.number().int().nonnegative().nullable(),
    closed: z.boolean(),
  })
  .refine((b) => b.openTs % BAR_MS === 0 && b.ts === b.openTs + BAR_MS - 1, { message: "a bar is one minute: openTs a whole minute and ts = openTs + 59 999" });

export const CanonicalEventSchema = z.discriminatedUnion("kind", [
  TradeEventSchema,
  BookEventSchema,
  QuoteEventSchema,
  MarkEventSchema,
  OiEventSchema,
  LiquidationEventSchema,
  InsuranceEventSchema,
  BarEventSchema,
]);

export type TradeEvent = z.infer<typeof TradeEventSchema>;
export type BookEvent = z.infer<typeof BookEventSchema>;
export type QuoteEvent = z.infer<typeof QuoteEventSchema>;
export type MarkEvent = z.infer<typeof MarkEventSchema>;
export type OiEvent = z.infer<typeof OiEventSchema>;
export type LiquidationEvent = z.infer<typeof LiquidationEventSchema>;
export type InsuranceEvent = z.infer<typeof InsuranceEventSchema>;
export type BarEvent = z.infer<typeof BarEventSchema>;
export type CanonicalEvent = z.infer<typeof CanonicalEventSchema>;
export type EventKind = CanonicalEvent["kind"];

export const EVENT_KINDS: readonly EventKind[] = ["trade", "book", "quote", "mark", "oi", "liquidation", "insurance", "bar"];
