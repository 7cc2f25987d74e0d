/**
 * `MarketInputs`: every per-event input the cards read beyond the liquidation maps, kept for
 * one symbol: per-venue windows, one-minute bars, trade sizes, top of book, book changes,
 * funding, premium, open interest and the lead-lag between venues. The engine feeds it each event (O(1) amortised each, see
 * the modules) and reads it once per cycle through `CycleInput`.
 *
 * Windows, trade sizes, tops and book changes use the engine's cycle as their bucket, so every
 * window ends exactly on a cycle boundary; step series keep one hold limit beyond the longest
 * window so the value in force at the window start is still known.
 */
import type { BarEvent, LiquidationEvent, MarkEvent, OiEvent, QuoteEvent, TradeEvent, Venue } from "../events.js";
import type { EngineConfig } from "../config.js";
import type { WindowState } from "../window.js";
import { BarRing } from "./bar-ring.js";
import { BookChange, type BookChangeState, type LevelChangeListener } from "./book-change.js";
import { DerivativeMinutes } from "./derivative-minutes.js";
import type { BucketRingState } from "./bucket-ring.js";
import { FundingTracker, type FundingTrackerState } from "./funding.js";
import { OiHistory, type OiHistoryState } from "./oi-history.js";
import { PremiumTracker, type PremiumTrackerState } from "./premium.js";
import { PrintRuns, type PrintRunsState } from "./print-runs.js";
import { MinuteSources, type MinuteSourcesState } from "./minute-sources.js";
import { TopOfBook, type TopOfBookState } from "./top-of-book.js";
import { TradeSizes, type TradeSizesState } from "./trade-sizes.js";
import { VenueWindows, type VenueWindowsState } from "./venue-windows.js";
import { VenueLead, type VenueLeadState } from "./venue-lead.js";

export interface MarketInputsState {
  windows: VenueWindowsState;
  /** Absent when saved apart (`toJSON({ bars: false })`); then `barsHead` keeps the ring's head minute. */
  bars?: WindowState;
  barsHead?: number;
  /** Open interest and funding per minute; absent when saved apart (with the bars) and in checkpoints written before them. */
  derivatives?: BucketRingState;
  /** When saved apart: the ring's head minute (its rows come back from storage). */
  derivativesHead?: number;
  sizes: TradeSizesState;
  /** Absent in checkpoints written before print runs (they start empty). */
  runs?: PrintRunsState;
  /** Which source filled each venue's minutes (trades or bars); absent before bars existed. */
  minutes?: MinuteSourcesState;
  top: TopOfBookState;
  bookChange: BookChangeState;
  funding: FundingTrackerState;
  premium: PremiumTrackerState;
  oi: OiHistoryState;
  /** Absent in checkpoints written before venue lead-lag (it starts empty). */
  lead?: VenueLeadState;
}

interface Sizing {
  cycleMs: number;
  windowBuckets: number;
  holdBuckets: (holdMs: number) => number;
}

function sizing(config: EngineConfig): Sizing {
  const longest = Math.max(config.timeframeMs["1m"], config.timeframeMs["5m"], config.timeframeMs["1h"]);
  const windowBuckets = longest / config.cycleMs;
  return { cycleMs: config.cycleMs, windowBuckets, holdBuckets: (holdMs) => windowBuckets + Math.ceil(holdMs / config.cycleMs) + 1 };
}

export class MarketInputs {
  windows: VenueWindows;
  bars: BarRing;
  sizes: TradeSizes;
  runs: PrintRuns;
  minutes: MinuteSources;
  top: TopOfBook;
  bookChange: BookChange;
  funding: FundingTracker;
  premium: PremiumTracker;
  oi: OiHistory;
  lead: VenueLead;
  /** Open interest and funding per minute over the bars' day (the chart's history under the candles). */
  derivatives: DerivativeMinutes;

  constructor(readonly config: EngineConfig) {
    const s = sizing(config);
    const i = config.inputs;
    this.windows = new VenueWindows(s.cycleMs, s.windowBuckets);
    this.bars = new BarRing(i.barMinutes);
    this.sizes = new TradeSizes(s.cycleMs, s.windowBuckets, i.tradeSizes);
    this.runs = new PrintRuns(s.cycleMs, s.windowBuckets, i.printRunMin);
    this.minutes = new MinuteSources(i.barMinutes + 1);
    this.top = new TopOfBook(s.cycleMs, s.holdBuckets(config.staleAfterMs.book), config.staleAfterMs.book);
    this.bookChange = new BookChange(s.cycleMs, s.windowBuckets, i.bookChangeBandsPct);
    this.funding = new FundingTracker(s.cycleMs, s.holdBuckets(config.staleAfterMs.mark), config.staleAfterMs.mark);
    this.premium = new PremiumTracker(s.cycleMs, s.holdBuckets(config.staleAfterMs.mark), config.staleAfterMs.mark);
    this.oi = new OiHistory(s.cycleMs, s.holdBuckets(i.oiStaleMs), i.oiStaleMs);
    this.lead = new VenueLead(i.venueLead);
    this.derivatives = new DerivativeMinutes(i.barMinutes);
  }

  /**
   * A trade: `"late"` when too old for the windows (the caller counts it too late), `"in-bar"` when
   * its venue's bar already holds its minute (the windows and bars skip it: minute-sources.ts).
   * `late`: already known too late.
   */
  onTrade(ev: TradeEvent, late: boolean): "ok" | "late" | "in-bar" {
    if (!this.minutes.onTrade(ev.venue, ev.ts)) return "in-bar";
    const isBuy = ev.side === "buy";
    this.bars.addTrade(ev.ts, ev.price, ev.qty, isBuy);
    if (late) return "late";
    if (!this.windows.addTrade(ev.venue, ev.ts, ev.price, ev.qty, isBuy)) return "late";
    this.sizes.add(ev.ts, ev.price * ev.qty, isBuy);
    this.runs.add(ev.venue, ev.ts, ev.price, ev.price * ev.qty, isBuy);
    this.lead.onTrade(ev.venue, ev.ts, ev.price);
    return "ok";
  }

  /**
   * A closed bar: into its venue's window and the bar ring, unless its venue's trades already filled
   * that minute (`"skipped"`, minute-sources.ts). `"late"` when too old for the windows (the bar ring
   * may still hold it). Trade sizes and print runs read single trades: a bar adds nothing there.
   */
  onBar(ev: BarEvent, late: boolean): "ok" | "late" | "skipped" {
    if (!this.minutes.onBar(ev.venue, ev.openTs)) return "skipped";
    this.bars.addBar(ev);
    if (late || !this.windows.addBar(ev.venue, ev)) return "late";
    return "ok";
  }

  onLiquidation(ev: LiquidationEvent, late: boolean): boolean {
    const isLong = ev.side === "long";
    this.bars.addLiquidation(ev.ts, isLong, ev.qty, ev.notionalUsd);
    if (late) return false;
    return this.windows.addLiquidation(ev.venue, ev.ts, isLong, ev.qty, ev.notionalUsd, ev.sampling);
  }

  /**
   * Funding and premium from a mark. False (counted too late by the engine) when the mark carries a
   * funding rate that is too old: beyond the late limit, or older than the venue's newest rate.
   */
  onMark(ev: MarkEvent, late: boolean): boolean {
    const fundingTaken = this.funding.onMark(ev);
    this.premium.onMark(ev);
    if (ev.fundingRate !== undefined && fundingTaken && !late) this.derivatives.onFunding(ev.ts, this.funding.view(ev.ts, 0).map((f) => f.rate8h));
    return ev.fundingRate === undefined || (!late && fundingTaken);
  }

  /** `venueMark`: the venue's latest mark price, to value base units when it has no trade yet. */
  onOi(ev: OiEvent, venueMark: number | null): void {
    if (!this.oi.onOi(ev, this.windows.lastTrade(ev.venue)?.price ?? venueMark)) return;
    const now = this.oi.view(ev.ts, 0);
    this.derivatives.onOi(ev.ts, { usd: now.usd, base: now.base, venues: now.venues.filter((v) => v.base !== null).length });
  }

  onQuote(ev: QuoteEvent): void {
    this.top.onQuote(ev.venue, ev.ts, ev.bidPrice, ev.bidQty, ev.askPrice, ev.askQty);
  }

  /** The listener to pass to a venue book's delta (null mid: the book is not synced, nothing counted). */
  bookChangeListener(ts: number, mid: number | null): LevelChangeListener | undefined {
    return this.bookChange.begin(ts, mid);
  }

  onBookTop(venue: Venue, ts: number, bid: number | null, bidQty: number, ask: number | null, askQty: number): void {
    this.top.onBookTop(venue, ts, bid, bidQty, ask, askQty);
  }

  /** Before the cards read a boundary: the large-print threshold is recomputed. */
  beforeCycle(ts: number): void {
    this.sizes.refresh(ts);
    this.lead.closeThrough(ts);
  }

  /** After a boundary: every ring moves its head there. */
  advance(ts: number): void {
    this.windows.advance(ts);
    this.bars.advance(ts);
    this.sizes.advance(ts);
    this.runs.advance(ts);
    this.top.advance(ts);
    this.bookChange.advance(ts);
    this.funding.advance(ts);
    this.premium.advance(ts);
    this.oi.advance(ts);
    this.lead.advance(ts);
    this.derivatives.advance(ts);
  }

  toJSON(options: { bars?: boolean } = {}): MarketInputsState {
    const state: MarketInputsState = {
      windows: this.windows.toJSON(),
      sizes: this.sizes.toJSON(),
      runs: this.runs.toJSON(),
      minutes: this.minutes.toJSON(),
      top: this.top.toJSON(),
      bookChange: this.bookChange.toJSON(),
      funding: this.funding.toJSON(),
      premium: this.premium.toJSON(),
      oi: this.oi.toJSON(),
      lead: this.lead.toJSON(),
    };
    if (options.bars !== false) {
      state.bars = this.bars.toJSON();
      state.derivatives = this.derivatives.toJSON();
    } else {
      state.barsHead = this.bars.headMinute;
      state.derivativesHead = this.derivatives.headMinute;
    }
    return state;
  }

  /**
   * `barRows`: the bar rows saved apart (`BarRing.rows`) when the state has none; `derivativeRows`
   * likewise the per-minute open interest and funding (`DerivativeMinutes.rows`).
   */
  static fromJSON(state: MarketInputsState, config: EngineConfig, barRows?: readonly number[][], derivativeRows?: readonly (readonly (number | null)[])[]): MarketInputs {
    const m = new MarketInputs(config);
    const s = sizing(config);
    const i = config.inputs;
    m.windows = VenueWindows.fromJSON(state.windows, s.cycleMs, s.windowBuckets);
    const bars = state.bars ?? (barRows === undefined ? undefined : { bucketMs: 60_000, size: i.barMinutes + 1, head: state.barsHead ?? barRows.reduce((h, r) => Math.max(h, r[0]), -1), buckets: [...barRows] });
    if (bars !== undefined) m.bars = BarRing.fromJSON(bars);
    m.sizes = TradeSizes.fromJSON(state.sizes, s.cycleMs, s.windowBuckets, i.tradeSizes);
    if (state.runs !== undefined) m.runs = PrintRuns.fromJSON(state.runs, s.cycleMs, s.windowBuckets, i.printRunMin);
    if (state.minutes !== undefined) m.minutes = MinuteSources.fromJSON(state.minutes, i.barMinutes + 1);
    m.top = TopOfBook.fromJSON(state.top, s.cycleMs, s.holdBuckets(config.staleAfterMs.book), config.staleAfterMs.book);
    m.bookChange = BookChange.fromJSON(state.bookChange, s.cycleMs, s.windowBuckets, i.bookChangeBandsPct);
    m.funding = FundingTracker.fromJSON(state.funding, s.cycleMs, s.holdBuckets(config.staleAfterMs.mark), config.staleAfterMs.mark);
    m.premium = PremiumTracker.fromJSON(state.premium, s.cycleMs, s.holdBuckets(config.staleAfterMs.mark), config.staleAfterMs.mark);
    m.oi = OiHistory.fromJSON(state.oi, s.cycleMs, s.holdBuckets(i.oiStaleMs), i.oiStaleMs);
    if (state.lead !== undefined) m.lead = VenueLead.fromJSON(state.lead, i.venueLead);
    if (state.derivatives !== undefined) m.derivatives = DerivativeMinutes.fromJSON(state.derivatives);
    else if (derivativeRows !== undefined) {
      const head = state.derivativesHead ?? derivativeRows.reduce((h, r) => Math.max(h, r[0] as number), -1);
      m.derivatives = DerivativeMinutes.fromRows(i.barMinutes, derivativeRows, head);
    }
    return m;
  }
}
