/**
 * `CycleInput`: the `CardInput` of one timeframe at one cycle boundary, built lazily: each
 * input is computed on first read and kept for the rest of the cycle, so an input no card reads
 * costs nothing and one that a hundred cards read is computed once. What does not depend on the
 * window (the books' depth per band, the bar series, the liquidation view) is shared by the
 * three timeframes through `CycleShared`.
 */
import { TIMEFRAMES, type Timeframe } from "../vocabulary.js";
import type { EventKind } from "../events.js";
import type { BookView } from "../book.js";
import type { CardParams } from "../config.js";
import type { WindowSums } from "../window.js";
import type { LiquidationCardView } from "../liquidation/maps.js";
import type { CardInput, InsurancePoolView, MarketView, MarkView } from "../cards/card.js";
import type { BarSeries } from "./bar-ring.js";
import type { BandChange } from "./book-change.js";
import type { VenueFunding } from "./funding.js";
import type { MarketInputs } from "./market-inputs.js";
import type { OpenInterestView } from "./oi-history.js";
import type { VenuePremium } from "./premium.js";
import type { PrintRunsView } from "./print-runs.js";
import type { VenueTop } from "./top-of-book.js";
import type { TradeSizeView } from "./trade-sizes.js";
import { VenueWindows, type VenueWindow } from "./venue-windows.js";
import type { VenueLeadView } from "./venue-lead.js";

/** What the three timeframes of a boundary share. */
export interface CycleShared {
  readonly ts: number;
  readonly inputs: MarketInputs;
  readonly book: BookView;
  readonly price: number | null;
  readonly priceReason: string | null;
  readonly mark: MarkView | null;
  readonly feeds: Readonly<Record<EventKind, boolean>>;
  readonly fundingSeen: boolean;
  readonly params: Readonly<CardParams>;
  readonly liq: LiquidationCardView;
  readonly insurance: readonly InsurancePoolView[];
  readonly market: MarketView;
}

class CycleInput implements CardInput {
  private cache: {
    venues?: VenueWindow[];
    window?: WindowSums;
    top?: VenueTop[];
    bookChange?: BandChange[];
    oi?: OpenInterestView;
    funding?: VenueFunding[];
    premium?: VenuePremium[];
    sizes?: TradeSizeView;
    runs?: PrintRunsView;
    lead?: VenueLeadView;
  } = {};

  constructor(
    private readonly shared: CycleShared,
    readonly timeframe: Timeframe,
    readonly windowMs: number,
    readonly timeframes: Readonly<Record<Timeframe, CardInput>>,
  ) {}

  get ts(): number {
    return this.shared.ts;
  }
  get book(): BookView {
    return this.shared.book;
  }
  get price(): number | null {
    return this.shared.price;
  }
  get priceReason(): string | null {
    return this.shared.priceReason;
  }
  get mark(): MarkView | null {
    return this.shared.mark;
  }
  get feeds(): Readonly<Record<EventKind, boolean>> {
    return this.shared.feeds;
  }
  get fundingSeen(): boolean {
    return this.shared.fundingSeen;
  }
  get params(): Readonly<CardParams> {
    return this.shared.params;
  }
  get liq(): LiquidationCardView {
    return this.shared.liq;
  }
  get insurance(): readonly InsurancePoolView[] {
    return this.shared.insurance;
  }
  get market(): MarketView {
    return this.shared.market;
  }
  get bars(): BarSeries {
    return this.shared.inputs.bars.series(this.shared.ts);
  }
  get venues(): readonly VenueWindow[] {
    return (this.cache.venues ??= this.shared.inputs.windows.venueSums(this.ts, this.windowMs));
  }
  get window(): Readonly<WindowSums> {
    return (this.cache.window ??= VenueWindows.merge(this.venues, this.ts - this.windowMs, this.ts));
  }
  get top(): readonly VenueTop[] {
    return (this.cache.top ??= this.shared.inputs.top.view(this.ts, this.windowMs));
  }
  get bookChange(): readonly BandChange[] {
    return (this.cache.bookChange ??= this.shared.inputs.bookChange.view(this.ts, this.windowMs));
  }
  get oi(): OpenInterestView {
    return (this.cache.oi ??= this.shared.inputs.oi.view(this.ts, this.windowMs));
  }
  get funding(): readonly VenueFunding[] {
    return (this.cache.funding ??= this.shared.inputs.funding.view(this.ts, this.windowMs));
  }
  get premium(): readonly VenuePremium[] {
    return (this.cache.premium ??= this.shared.inputs.premium.view(this.ts, this.windowMs));
  }
  get sizes(): TradeSizeView {
    return (this.cache.sizes ??= this.shared.inputs.sizes.view(this.ts, this.windowMs));
  }
  get lead(): VenueLeadView {
    return (this.cache.lead ??= this.shared.inputs.lead.view(this.ts, this.windowMs));
  }
  get runs(): PrintRunsView {
    return (this.cache.runs ??= this.shared.inputs.runs.view(this.ts, this.windowMs));
  }
}

/** The three timeframes' inputs of one boundary. */
export function cycleInputs(shared: CycleShared, timeframeMs: Readonly<Record<Timeframe, number>>): Record<Timeframe, CardInput> {
  const all = {} as Record<Timeframe, CardInput>;
  for (const tf of TIMEFRAMES) all[tf] = new CycleInput(shared, tf, timeframeMs[tf], all);
  return all;
}

/**
 * A `BookView` over venue depth functions that computes each band once per cycle: the books do
 * not change while the cards of a boundary run.
 */
export function cachedBookView(
  synced: boolean,
  depth: (bandPct: number) => ReturnType<BookView["depthWithin"]>,
  primaryLevels: () => ReturnType<BookView["levels"]>,
): BookView {
  const cache = new Map<number, ReturnType<BookView["depthWithin"]>>();
  let levels: ReturnType<BookView["levels"]> | undefined;
  return {
    synced,
    levels() {
      if (levels === undefined) levels = primaryLevels();
      return levels;
    },
    depthWithin(bandPct: number) {
      let d = cache.get(bandPct);
      if (d === undefined && !cache.has(bandPct)) {
        d = depth(bandPct);
        cache.set(bandPct, d);
      }
      return d === null || d === undefined ? null : { ...d };
    },
  };
}
