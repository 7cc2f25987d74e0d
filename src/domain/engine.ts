/**
 * `SymbolEngine`: the per-symbol state machine a SymbolObject wraps. Pure: no runtime
 * imports, no wall clock; time is the events' own `ts`.
 *
 * Cycles. Boundaries are multiples of `cycleMs` (10 s) in event time. The first event sets
 * the first boundary (the next multiple after its ts). When an event with
 * `ts >= nextBoundary` arrives, the snapshot at that boundary is computed first (it covers
 * the events applied so far, all with ts < boundary), then the event is applied. Bias for a
 * mode is recomputed on boundaries that are multiples of its cadence (scalp 30 s, day 60 s,
 * swing 300 s), and once at the symbol's first cycle so it is never without one; other
 * snapshots carry the last one.
 *
 * Jumps. When event time jumps (a replay moving from one recording to the next, a feed back
 * after an outage), the consecutive boundaries of at most `catchUpMs` (5 minutes, 31 boundaries)
 * are emitted, so the 1m and 5m windows roll off in full; then the engine goes straight to the
 * last boundary at or before the new event and emits that one. Every boundary it emits is exact
 * (windows are read from the ring at that boundary); the ones skipped would only have shown the
 * 1h window and the 24 h bars decaying over a quiet stretch, which is all a jump costs: 32 cycles
 * whatever the gap, where a quiet day would be 8,640.
 *
 * Card inputs. Every event also feeds `MarketInputs` (src/domain/inputs): windows per venue,
 * one-minute bars, trade sizes, print runs, top of book, book changes, funding, premium and
 * open-interest history; at a boundary the cards read them through one lazy view per timeframe
 * (`CycleInput`), each input computed once, then their state and transition are derived
 * (src/domain/cards/registry.ts) and the bias reads them.
 *
 * Venues. Windows and liquidation totals sum all venues of the symbol. Books, quotes, marks
 * and open interest are kept per venue; where the snapshot has room for one (book summary,
 * mark) the primary venue is used: the first in `VENUES` order (binance, bybit, okx,
 * hyperliquid) with a synced book (book) or with a mark (mark). Book `gaps`/`resyncs` are
 * summed over venues; best bid/ask fall back to the primary venue's last quote when no
 * book is synced.
 *
 * Late events. An event older than the newest event time minus `maxLateMs`, or older than
 * the window ring, is counted `too-late` and left out of the windows; it is still counted
 * by kind, a liquidation still enters the totals and the recent ring, a book event still
 * applies by sequence. Latest price, quote, mark and open interest keep the newest by ts.
 *
 * Liquidation maps. Trades, liquidations and open interest also feed `LiquidationMaps`
 * (src/domain/liquidation): the realized heatmap and clusters, the estimated level map and
 * its sweeps, the 10 s close ring for volatility. They are read by the liquidation cards at
 * each cycle and served by `heatmap()`, `clusters()`, `levels()` and `cascade()` (the shapes
 * of src/protocol/liquidation.ts), never inside a snapshot.
 *
 * Cost: O(1) amortised per trade, liquidation, quote, mark or OI event; O(levels changed ·
 * log n) per book delta; per cycle O(cards × timeframes) plus the inputs the cards read (window
 * buckets, book running sums, the minute bar series once per minute) and the liquidation view:
 * O(estimated levels + realized profile bins + 1,440). About 1 ms of card compute per cycle for
 * 101 cards (BENCHMARKS.md, "Cards").
 * Memory: per venue a window ring (55 KB) and a book of at most 2·maxBookLevels levels plus
 * maxBufferedDeltas buffered deltas; the bar ring (1,441 minutes, 219 KB), trade sizes (≈ 110 KB),
 * the other input rings (≈ 30 KB each), the card memory (12 numbers per card), the
 * recent-liquidations ring, one snapshot, and the liquidation maps (bounded by
 * `liquidation.realizedMaxEntries` and `liquidation.maxLevelCohorts`: about 3 MB at the defaults,
 * see maps.ts).
 */
import {
  VENUES,
  type CanonicalEvent,
  type EventKind,
  type MarkEvent,
  type OiEvent,
  type Venue,
} from "./events.js";
import type { BookCounters, OrderBook } from "./book.js";
import { computeBias, parseCategoryWeights, type CategoryWeights } from "./bias.js";
import { longestWindowMs, parseEngineConfig, type EngineConfig, type EngineConfigInput } from "./config.js";
import { LiquidationMaps } from "./liquidation/maps.js";
import { liveTableProblems, type BracketTable } from "./liquidation/brackets.js";
import type { RealizedRow } from "./liquidation/realized.js";
import { ZoneTracker } from "./zones/tracker.js";
import type { ZoneConfigInput } from "./zones/config.js";
import type { Zones } from "../protocol/zones.js";
import type { MarketView } from "./cards/card.js";
import type { MarketContext } from "./market/memory.js";
import { summarize, type CycleSummary } from "./market/summary.js";
import { LiquidationLog, type RecentLiquidation } from "./liquidation/log.js";
import type { EngineState } from "./engine-state.js";
import { SymbolLearning, type SymbolLearningState } from "./learning/symbol-learning.js";
import type { ScoredOutcome } from "./learning/predictions.js";
import { daySigma } from "./cards/price-series.js";
import type { CascadeRisk, HeatmapQuery, LevelsQuery, LiquidationClusters, LiquidationHeatmap, LiquidationLevels } from "../protocol/liquidation.js";
import { computeCards, DEFAULT_REGISTRY, type CardMemory, type CardRegistry, type CardRunSettings } from "./cards/registry.js";
import { scaleSettings } from "./cards/scale.js";
import { packMemory, packSnapshot, unpackMemory, unpackSnapshot, type PackedMemory, type PackedSnapshot } from "./cards/pack.js";
import type { MarkView } from "./cards/card.js";
import { MarketInputs } from "./inputs/market-inputs.js";
import { VenueBooks } from "./inputs/venue-books.js";
import { InsurancePools } from "./inputs/insurance-pools.js";
import { cycleInputs } from "./inputs/cycle-input.js";
import { carried, currentPrice, staleReason, type CurrentPrice } from "./inputs/carried.js";
import { MODES, type Mode, type Timeframe } from "./vocabulary.js";
import type { Bias, Card, CarriedInputs, LiquidationTotals, SymbolSnapshot } from "../protocol/snapshot.js";

export type { InsurancePoolState } from "./inputs/insurance-pools.js";

export interface SymbolEngineOptions {
  /** Overrides of `DEFAULT_ENGINE_CONFIG` (validated). */
  config?: EngineConfigInput;
  /** Category weights per mode (validated); missing entries weigh 1. */
  weights?: CategoryWeights;
  /** Cards to run; `DEFAULT_REGISTRY` when absent. Not persisted by `toJSON`. */
  registry?: CardRegistry;
  /** Overrides of the zone pipeline's defaults (src/domain/zones/config.ts); persisted with the tracker. */
  zones?: ZoneConfigInput;
}

export type { RecentLiquidation } from "./liquidation/log.js";

/**
 * Event counters since start, flat (the same record as a snapshot's `events`): events accepted
 * for this symbol by kind, `too-late` (left out of the windows for being too old),
 * `wrong-symbol` (for another symbol, ignored), `bar-skipped` (a bar that was still forming, or
 * whose minute its venue's trades already filled) and `trade-in-bar` (a trade whose minute its
 * venue's bar already filled: left out of the windows, src/domain/inputs/minute-sources.ts).
 */
export type EngineCounters = Record<EventKind | "too-late" | "wrong-symbol" | "bar-skipped" | "trade-in-bar", number>;

export type { EngineState } from "./engine-state.js";

const STATE_VERSION = 1;

/** A card's score on one timeframe at this cycle; null when the card is not registered or unavailable. */
function cardScore(cards: readonly Card[], id: string, tf: Timeframe): number | null {
  const v = cards.find((c) => c.id === id)?.timeframes[tf];
  return v !== undefined && v.available ? v.score : null;
}

function zeroKinds<T>(value: T): Record<EventKind, T> {
  return { trade: value, book: value, quote: value, mark: value, oi: value, liquidation: value, insurance: value, bar: value };
}

export class SymbolEngine {
  readonly config: EngineConfig;
  private weights: CategoryWeights;
  private readonly registry: CardRegistry;
  private readonly cardSettings: CardRunSettings;
  private readonly catchUpMs: number;
  private readonly horizonMs: number;

  private nextBoundary: number | null = null;
  private clockTs = -1;
  private lastPrice: number | null = null;
  private lastTradeTs = -1;
  private books: VenueBooks;
  private marks: Partial<Record<Venue, MarkEvent>> = {};
  private oi: Partial<Record<Venue, OiEvent>> = {};
  private insurance: InsurancePools;
  private inputs: MarketInputs;
  private feeds: Record<EventKind, boolean> = zeroKinds(false);
  private fundingSeen = false;
  private liquidationLog: LiquidationLog;
  private counts: Record<EventKind, number> = zeroKinds(0);
  private tooLate = 0;
  private wrongSymbol = 0;
  private barSkipped = 0;
  private tradeInBar = 0;
  private memory: Map<string, CardMemory> = new Map();
  private bias: Record<Mode, Bias | null> = { scalp: null, day: null, swing: null };
  private last: SymbolSnapshot | null = null;
  private maps: LiquidationMaps;
  private zoneTracker: ZoneTracker;
  private zonesLatest: Zones | null = null;
  private marketContext: MarketContext | null = null;
  private lastSummary: CycleSummary | null = null;
  private weightsVersion: number | null = null;
  private learning: SymbolLearning;

  constructor(
    readonly symbol: string,
    options: SymbolEngineOptions = {},
  ) {
    if (symbol.length === 0) throw new Error("SymbolEngine: symbol must not be empty");
    this.config = parseEngineConfig(options.config);
    this.weights = parseCategoryWeights(options.weights ?? {});
    this.registry = options.registry ?? DEFAULT_REGISTRY;
    const c = this.config;
    this.cardSettings = {
      ...scaleSettings(c.cycleMs, c.cards.scaleHalfLifeMs, c.cards.scalePriorMs),
      neutralBand: c.neutralBand,
      historyCycles: c.cards.historyCycles,
      adapt: c.cards.scaleAdapt,
    };
    this.catchUpMs = c.catchUpMs;
    this.horizonMs = longestWindowMs(c);
    this.books = new VenueBooks({ maxLevels: c.maxBookLevels, maxBufferedDeltas: c.maxBufferedDeltas }, c.staleAfterMs.book);
    this.insurance = new InsurancePools(this.horizonMs);
    this.inputs = new MarketInputs(c);
    this.maps = new LiquidationMaps(symbol, c);
    this.zoneTracker = new ZoneTracker(options.zones);
    this.learning = SymbolLearning.create({ cadenceMs: c.biasCadenceMs });
    this.liquidationLog = new LiquidationLog(c.recentLiquidations);
  }

  /**
   * The market context the Coordinator answered to this symbol's last summary. Cards read it at
   * the next boundaries while it is at most two cycles old (`MarketView`); an older one than the
   * context held is ignored, so answers arriving out of order do not step back.
   */
  setMarketContext(context: MarketContext | null): void {
    if (context === null) return;
    if (this.marketContext !== null && this.marketContext.ts > context.ts) return;
    this.marketContext = context;
  }

  /** What this symbol tells the market about its last cycle (null before the first). */
  summary(): CycleSummary | null {
    return this.lastSummary;
  }

  /**
   * Applies events in order; returns the snapshots of every cycle boundary crossed, in order.
   * Events for another symbol are counted (`wrong-symbol`) and ignored.
   */
  ingest(events: readonly CanonicalEvent[]): SymbolSnapshot[] {
    const out: SymbolSnapshot[] = [];
    const cycleMs = this.config.cycleMs;
    for (let i = 0; i < events.length; i++) {
      const ev = events[i];
      if (ev.symbol !== this.symbol) {
        this.wrongSymbol++;
        continue;
      }
      if (this.nextBoundary === null) {
        // An insurance balance can be hours old when polled (venues publish some pools daily):
        // it must not start the symbol's cycles in the past.
        if (ev.kind !== "insurance") this.nextBoundary = (Math.floor(ev.ts / cycleMs) + 1) * cycleMs;
      } else if (ev.ts >= this.nextBoundary) this.emitThrough(ev.ts, out);
      this.apply(ev);
    }
    return out;
  }

  /**
   * Applies history (a warm start's one-minute bars of the last day) without computing the cycles
   * it spans: the windows and the bar ring fill so the first live cycle reads a full hour and
   * day, instead of thousands of cycles being computed for boundaries nobody reads. History past
   * the next boundary (an engine that was alive before its collector restarted) is history too:
   * the boundaries it spans are skipped, as a catch-up skips them. The cycles start, or resume,
   * at the first boundary after the newest history event. Returns no snapshots.
   */
  backfill(events: readonly CanonicalEvent[]): SymbolSnapshot[] {
    let newest = -1;
    for (const ev of events) {
      if (ev.symbol !== this.symbol) {
        this.wrongSymbol++;
        continue;
      }
      this.apply(ev);
      if (ev.kind !== "insurance" && ev.ts > newest) newest = ev.ts;
    }
    if (newest >= 0) {
      const next = (Math.floor(newest / this.config.cycleMs) + 1) * this.config.cycleMs;
      if (this.nextBoundary === null || next > this.nextBoundary) this.nextBoundary = next;
    }
    return [];
  }

  /**
   * Advances event time to `ts` with no events (quiet periods): emits the boundaries up to
   * and including `ts`. Nothing before the first event. Does not move the late-event clock.
   */
  advanceTo(ts: number): SymbolSnapshot[] {
    const out: SymbolSnapshot[] = [];
    if (this.nextBoundary !== null && ts >= this.nextBoundary) this.emitThrough(ts, out);
    return out;
  }

  /** The last snapshot emitted, null before the first boundary. */
  latest(): SymbolSnapshot | null {
    return this.last;
  }

  /** Next boundary that will be emitted, null before the first event. */
  get nextBoundaryTs(): number | null {
    return this.nextBoundary;
  }

  /** Cumulative liquidations per liquidated side since the engine began (every one counted). */
  liquidationTotals(): LiquidationTotals {
    return this.liquidationLog.totalsNow();
  }

  /** Up to `limit` most recently ingested liquidations, newest first (ring of `recentLiquidations`). */
  recentLiquidations(limit = this.config.recentLiquidations): RecentLiquidation[] {
    return this.liquidationLog.newest(limit);
  }

  /**
   * Replaces the category weights (validated) used from the next bias computation on; `version`
   * is the learner's (the bias records it as `weightsVersion`), null for hand-set weights. A
   * version not newer than the one in force is ignored: replies arriving out of order do not step
   * back, and the same weights repeated by every reply are not parsed again.
   */
  setWeights(weights: CategoryWeights, version: number | null = null): void {
    // Every report's reply carries the weights: the same version again is the same weights, not re-validated each cycle.
    if (version !== null && this.weightsVersion !== null && version <= this.weightsVersion) return;
    this.weights = parseCategoryWeights(weights);
    this.weightsVersion = version;
  }

  /** The predictions scored since the last call, oldest first, for the Coordinator's learner (they leave the queue). */
  takeOutcomes(): ScoredOutcome[] {
    return this.learning.takeOutcomes();
  }

  /** Puts back outcomes whose report failed, ahead of newer ones. */
  requeueOutcomes(outcomes: readonly ScoredOutcome[]): void {
    this.learning.requeue(outcomes);
  }

  /** This symbol's learning record: running statistics, prediction counters (read-only use). */
  learningRecord(): SymbolLearning {
    return this.learning;
  }

  getWeights(): CategoryWeights {
    return structuredClone(this.weights);
  }

  /** Events by kind, `too-late` and `wrong-symbol` since start. */
  counters(): EngineCounters {
    return { ...this.counts, "too-late": this.tooLate, "wrong-symbol": this.wrongSymbol, "bar-skipped": this.barSkipped, "trade-in-bar": this.tradeInBar };
  }

  /**
   * Realized liquidation heatmap over a window ending at the newest event (query validated:
   * `LiquidationQueryError` names the field and its bound). Measured; sampling per venue and
   * an estimated correction beside the totals.
   */
  heatmap(query?: HeatmapQuery): LiquidationHeatmap {
    return this.maps.heatmap(query, this.priceNow(this.readTs()).price, Math.max(this.clockTs, 0));
  }

  /** Realized liquidation clusters (peaks of the 24 h price profile), largest first; `limit` 1..100 (default 10). */
  clusters(limit?: number): LiquidationClusters {
    return this.maps.clusters(limit, Math.max(this.clockTs, 0));
  }

  /**
   * Installs the maintenance-margin tables a venue published, fetched live by the collector (never
   * in replay, so replays stay deterministic). Each table is checked (`liveTableProblems`: a known
   * venue, this symbol, not assumed, a valid table); valid ones replace that venue's live table.
   * Precedence: config override > live > shipped > fallback. Cohorts of a venue whose tier
   * parameters change are re-priced (see `EstimatedLevels.setLiveTables`). Persisted by `toJSON`.
   */
  setBracketTables(tables: readonly unknown[]): { applied: string[]; rejected: string[]; repriced: Venue[] } {
    const valid: BracketTable[] = [];
    const rejected: string[] = [];
    tables.forEach((t, i) => {
      const problems = liveTableProblems(t, this.symbol, VENUES);
      if (problems.length === 0) valid.push(t as BracketTable);
      else rejected.push(`tables.${i}: ${problems.join("; ")}`);
    });
    const repriced = valid.length > 0 ? this.maps.setLiveBrackets(valid) : [];
    return { applied: valid.map((t) => t.id), rejected, repriced };
  }

  /** The live bracket tables in force (one per venue at most). */
  liveBracketTables(): BracketTable[] {
    return this.maps.liveBrackets();
  }

  /**
   * Estimated liquidation level map around the last trade price, at the newest event time;
   * unavailable (with the reason and since when) while the price or open interest is stale.
   */
  levels(query?: LevelsQuery): LiquidationLevels {
    const nowTs = this.readTs();
    const now = this.priceNow(nowTs);
    return this.maps.levels(query, Math.max(this.clockTs, 0), now.price, { price: now.reason, oi: this.oiStale(nowTs) });
  }

  /** Cascade risk: estimated level notional near price against the synced books' depth, and volatility sweep shares (unavailable as `levels`). */
  cascade(): CascadeRisk {
    const nowTs = this.readTs();
    const now = this.priceNow(nowTs);
    return this.maps.cascade(Math.max(this.clockTs, 0), now.price, this.books.view(this.clockTs), { price: now.reason, oi: this.oiStale(nowTs) });
  }

  /**
   * The carried-forward inputs at `nowTs` (event time): each one's newest value, its time, age,
   * limit and stale flag (src/domain/inputs/carried.ts). Null entries: never received.
   */
  carriedAt(nowTs: number): CarriedInputs {
    const c = this.config;
    let mark: MarkEvent | undefined;
    let oiTs = -Infinity;
    for (const v of VENUES) {
      const m = this.marks[v];
      if (m !== undefined && (mark === undefined || m.ts > mark.ts)) mark = m;
      const o = this.oi[v];
      if (o !== undefined && o.ts > oiTs) oiTs = o.ts;
    }
    const bookTs = this.books.newestTs();
    return {
      price: this.lastPrice === null ? null : carried(this.lastPrice, this.lastTradeTs, nowTs, c.staleAfterMs.price),
      mark: mark === undefined ? null : carried(mark.markPrice, mark.ts, nowTs, c.staleAfterMs.mark),
      book: bookTs === null ? null : carried(null, bookTs, nowTs, c.staleAfterMs.book),
      oi: oiTs === -Infinity ? null : carried(null, oiTs, nowTs, c.inputs.oiStaleMs),
    };
  }

  /** Event time reads between cycles are judged at: the newest event, or the last boundary if later. */
  private readTs(): number {
    return Math.max(this.clockTs, this.last?.ts ?? -1, 0);
  }

  /** The last trade price if current at `nowTs`, else null with why. */
  private priceNow(nowTs: number): CurrentPrice {
    return currentPrice(this.lastPrice === null ? null : carried(this.lastPrice, this.lastTradeTs, nowTs, this.config.staleAfterMs.price), nowTs);
  }

  /** Why open interest is stale at `nowTs` (null: fresh or never received). */
  private oiStale(nowTs: number, oi = this.carriedAt(nowTs).oi): string | null {
    return oi !== null && oi.stale ? staleReason("open interest", "last update", oi, nowTs) : null;
  }

  /**
   * Support/resistance zones and liquidity traps as of the last cycle (computed once per cycle,
   * after the bias; the tracker's state moves with each computation, so reads never recompute).
   * Null before the first cycle.
   */
  zones(): Zones | null {
    return this.zonesLatest;
  }

  /** Realized records, open-interest cohorts and profile bins held by the liquidation maps. */
  liquidationMapSizes(): { realized: number; cohorts: number; profileBins: number } {
    return this.maps.sizes();
  }

  /** Book counters (applied, gaps, resyncs, stale, ...) per venue that sent book events. */
  bookCounters(): Partial<Record<Venue, BookCounters>> {
    return this.books.counters();
  }

  /** The book of one venue (read-only use), undefined when that venue sent no book event. */
  book(venue: Venue): OrderBook | undefined {
    return this.books.book(venue);
  }

  /** Cards available on at least one timeframe in the last snapshot, and the card count. */
  availableCards(): { available: number; cards: number } {
    const cards = this.last?.cards ?? [];
    const available = cards.filter((c) => Object.values(c.timeframes).some((v) => v.available)).length;
    return { available, cards: this.registry.cards.length };
  }

  private apply(ev: CanonicalEvent): void {
    const ts = ev.ts;
    let late = false;
    if (ts > this.clockTs) this.clockTs = ts;
    else if (ts < this.clockTs - this.config.maxLateMs) late = true;
    switch (ev.kind) {
      case "trade": {
        this.counts.trade++;
        this.feeds.trade = true;
        const newest = ts >= this.lastTradeTs;
        if (newest) {
          this.lastTradeTs = ts;
          this.lastPrice = ev.price;
        }
        this.maps.onTrade(ts, ev.price, ev.qty, ev.side === "buy", newest);
        this.learning.onPrice(ts, ev.price);
        this.zoneTracker.onTrade(ts, ev.price, ev.qty, ev.side);
        const taken = this.inputs.onTrade(ev, late);
        if (taken === "late") this.tooLate++;
        else if (taken === "in-bar") this.tradeInBar++;
        return;
      }
      case "liquidation": {
        this.counts.liquidation++;
        this.feeds.liquidation = true;
        this.liquidationLog.add(ev);
        this.maps.onLiquidation(ev);
        if (!this.inputs.onLiquidation(ev, late)) this.tooLate++;
        return;
      }
      case "book": {
        this.counts.book++;
        this.feeds.book = true;
        const listener = ev.type === "delta" ? this.inputs.bookChangeListener(ts, this.books.book(ev.venue)?.mid() ?? null) : undefined;
        const book = this.books.apply(ev, listener);
        this.inputs.onBookTop(ev.venue, ts, book.bestBid(), book.bestBidQty(), book.bestAsk(), book.bestAskQty());
        return;
      }
      case "quote": {
        this.counts.quote++;
        this.feeds.quote = true;
        this.books.onQuote(ev);
        this.inputs.onQuote(ev);
        return;
      }
      case "mark": {
        this.counts.mark++;
        this.feeds.mark = true;
        const prev = this.marks[ev.venue];
        if (prev === undefined || ts >= prev.ts) this.marks[ev.venue] = ev;
        if (ev.fundingRate !== undefined) this.fundingSeen = true;
        if (!this.inputs.onMark(ev, late)) this.tooLate++;
        return;
      }
      case "oi": {
        this.counts.oi++;
        this.feeds.oi = true;
        const prev = this.oi[ev.venue];
        if (prev === undefined || ts >= prev.ts) this.oi[ev.venue] = ev;
        this.maps.onOi(ev);
        this.inputs.onOi(ev, this.marks[ev.venue]?.markPrice ?? null);
        return;
      }
      case "bar": {
        this.counts.bar++;
        this.feeds.bar = true;
        if (!ev.closed) {
          this.barSkipped++;
          return;
        }
        const taken = this.inputs.onBar(ev, late);
        if (taken === "skipped") {
          this.barSkipped++;
          return;
        }
        if (taken === "late") this.tooLate++;
        // A bar's close is the last price of its minute: the price where no trade is newer.
        this.learning.onPrice(ts, ev.close);
        if (ts >= this.lastTradeTs) {
          this.lastTradeTs = ts;
          this.lastPrice = ev.close;
        }
        return;
      }
      case "insurance": {
        this.counts.insurance++;
        this.feeds.insurance = true;
        this.insurance.add(ev);
        return;
      }
    }
  }

  /** Emits boundaries from `nextBoundary` through the last one <= ts, capped as in the module comment. */
  private emitThrough(ts: number, out: SymbolSnapshot[]): void {
    const cycleMs = this.config.cycleMs;
    const first = this.nextBoundary as number;
    const lastBoundary = Math.floor(ts / cycleMs) * cycleMs;
    const catchUpEnd = first + this.catchUpMs;
    let b = first;
    for (; b <= lastBoundary && b <= catchUpEnd; b += cycleMs) out.push(this.cycle(b));
    if (b <= lastBoundary) {
      // The boundaries skipped are a gap: no prediction spanning it is scored.
      this.learning.onGap(b - cycleMs, lastBoundary);
      out.push(this.cycle(lastBoundary));
    }
    this.nextBoundary = lastBoundary + cycleMs;
  }

  /** Computes the snapshot at boundary `ts` and rolls the window heads to it. */
  private cycle(ts: number): SymbolSnapshot {
    const config = this.config;
    // Every event before ts has been applied: the predictions due are scored on it.
    this.learning.atBoundary(ts);
    this.maps.onCycle(ts);
    this.inputs.beforeCycle(ts);
    const book = this.books.view(ts);
    // A stale input stays in the snapshot with its time; nothing below reads it as current.
    const carriedNow = this.carriedAt(ts);
    const now = currentPrice(carriedNow.price, ts);
    const liq = this.maps.cardView(ts, now.price, book, { price: now.reason, oi: this.oiStale(ts, carriedNow.oi) });
    const mark = this.primaryMark(ts);
    const markView: MarkView | null =
      mark === undefined
        ? null
        : {
            markPrice: mark.markPrice,
            indexPrice: mark.indexPrice ?? null,
            fundingRate: mark.fundingRate ?? null,
            nextFundingTs: mark.nextFundingTs ?? null,
          };
    const inputs = cycleInputs(
      {
        ts,
        inputs: this.inputs,
        book,
        price: now.price,
        priceReason: now.reason,
        mark: markView,
        feeds: this.feeds,
        fundingSeen: this.fundingSeen,
        params: config.cards,
        liq,
        insurance: this.insurance.view(ts),
        market: this.marketView(ts),
      },
      config.timeframeMs,
    );
    const cards = computeCards(this.registry, inputs, this.memory, this.cardSettings);
    let sigma1m: number | null | undefined;
    for (const mode of MODES) {
      // A mode without any bias yet gets one at the first cycle, so a symbol that just came
      // alive answers within 10 s of event time; after that each mode keeps its cadence.
      if (ts % config.biasCadenceMs[mode] !== 0 && this.bias[mode] !== null) continue;
      this.bias[mode] = computeBias({
        mode,
        ts,
        timeframe: config.modeTimeframe[mode],
        timeframeWeights: config.modeTimeframeWeights[mode],
        cards,
        weights: this.weights,
        neutralBand: config.biasNeutralBand,
        previous: this.bias[mode],
        weightsVersion: this.weightsVersion,
      });
      this.learning.predict(this.bias[mode], cards, now.price, sigma1m ??= this.minuteSigma(inputs["1h"].bars));
    }
    // Zones come last: they read the book and both liquidation maps at this boundary.
    const levels = book.levels();
    this.zonesLatest = this.zoneTracker.compute({
      ts,
      price: now.price,
      bids: levels?.bids ?? null,
      asks: levels?.asks ?? null,
      levels: liq.levels(),
      clusters: this.feeds.liquidation ? liq.realizedClusters() : null,
      cards: { flow: cardScore(cards, "flow.pressure", "5m"), magnet: cardScore(cards, "levels.magnet", "5m") },
      symbol: this.symbol,
    });
    this.lastSummary = summarize(this.symbol, inputs, { scalp: this.bias.scalp?.score ?? null, day: this.bias.day?.score ?? null, swing: this.bias.swing?.score ?? null });
    const snapshot: SymbolSnapshot = {
      symbol: this.symbol,
      ts,
      eventTs: this.clockTs,
      price: now.price,
      mark: markView === null ? null : { ...markView },
      book: this.books.summary(ts),
      cards,
      bias: { scalp: this.bias.scalp, day: this.bias.day, swing: this.bias.swing },
      liquidations: this.liquidationTotals(),
      events: this.counters(),
      carried: carriedNow,
    };
    this.inputs.advance(ts);
    this.last = snapshot;
    return snapshot;
  }

  /**
   * σ of 1-minute log returns over the bar ring's day, the unit of the learning outcomes; null
   * below an hour of minute returns (too little history to scale an outcome by).
   */
  private minuteSigma(bars: Parameters<typeof daySigma>[0]): number | null {
    const { sigma, n } = daySigma(bars);
    return n >= 60 && Number.isFinite(sigma) && sigma > 0 ? sigma : null;
  }

  private marketView(ts: number): MarketView {
    const m = this.marketContext;
    if (m === null) return { available: false, reason: "no market context yet: the Coordinator has not answered" };
    const age = ts - m.ts;
    if (age > 2 * this.config.cycleMs) {
      return { available: false, reason: `market context stale: ${Math.round(age / 1000)} s old (more than two cycles)` };
    }
    return { available: true, context: m };
  }

  private primaryMark(nowTs: number): MarkEvent | undefined {
    for (const v of VENUES) {
      const m = this.marks[v];
      if (m !== undefined && nowTs - m.ts <= this.config.staleAfterMs.mark) return m;
    }
    return undefined;
  }

  /** Global indexes of the realized liquidation records held (see `toJSON({ realizedRecords: false })`). */
  realizedRange(): { from: number; to: number } {
    return this.maps.realizedRange();
  }

  /** The realized records with global indexes in `[from, to)`, oldest first. */
  realizedRows(from: number, to: number): RealizedRow[] {
    return this.maps.realizedRows(from, to);
  }

  /** Oldest one-minute bar changed since the last `markBarsSaved()` (Infinity: none); see `toJSON({ bars: false })`. */
  barsDirtyFrom(): number {
    return this.inputs.bars.dirtyFrom();
  }

  markBarsSaved(): void {
    this.inputs.bars.markSaved();
  }

  /** Newest minute id the bar ring holds (held minutes are `head − barMinutes … head`: a day of complete minutes and the one forming). */
  barsHeadMinute(): number {
    return this.inputs.bars.headMinute;
  }

  /** The one-minute bar rows held with minute id ≥ `fromMinute` (`[minute, ...fields]`). */
  barRows(fromMinute = 0): number[][] {
    return this.inputs.bars.rows(fromMinute);
  }

  /** Oldest minute of open interest and funding changed since the last `markDerivativesSaved()` (Infinity: none); saved apart with the bars. */
  derivativesDirtyFrom(): number {
    return this.inputs.derivatives.dirtyFrom();
  }

  markDerivativesSaved(): void {
    this.inputs.derivatives.markSaved();
  }

  /** Per-minute open interest and funding rows with minute id ≥ `fromMinute` (`DerivativeMinutes.rows`). */
  derivativeRows(fromMinute = 0): (number | null)[][] {
    return this.inputs.derivatives.rows(fromMinute);
  }

  /**
   * Plain JSON state. `{ realizedRecords: false }` leaves out the realized liquidation records
   * (the bulk of a busy symbol's state) and `{ bars: false }` the one-minute bars, for a caller
   * that saves them apart (`realizedRows`, `barRows`); `fromJSON` then needs them back.
   */
  toJSON(options: { realizedRecords?: boolean; bars?: boolean; learning?: boolean } = {}): EngineState {
    const books = this.books.toJSON();
    const marks: Partial<Record<Venue, MarkEvent>> = {};
    const oi: Partial<Record<Venue, OiEvent>> = {};
    for (const v of VENUES) {
      if (this.marks[v] !== undefined) marks[v] = this.marks[v];
      if (this.oi[v] !== undefined) oi[v] = this.oi[v];
    }
    const recentLiquidations = this.liquidationLog.oldestFirst();
    const cardMemory: PackedMemory[] = [];
    for (const card of this.registry.cards) {
      const m = this.memory.get(card.id);
      if (m !== undefined) cardMemory.push(packMemory(card.id, m));
    }
    return {
      version: STATE_VERSION,
      symbol: this.symbol,
      bookTs: books.bookTs,
      config: this.config,
      weights: structuredClone(this.weights),
      nextBoundary: this.nextBoundary,
      clockTs: this.clockTs,
      lastTrade: this.lastPrice === null ? null : { price: this.lastPrice, ts: this.lastTradeTs },
      books: books.books,
      quotes: books.quotes,
      marks,
      oi,
      feeds: { ...this.feeds },
      fundingSeen: this.fundingSeen,
      liquidations: this.liquidationTotals(),
      recentLiquidations,
      counters: { events: { ...this.counts }, tooLate: this.tooLate, wrongSymbol: this.wrongSymbol, barSkipped: this.barSkipped, tradeInBar: this.tradeInBar },
      cardMemory,
      bias: { ...this.bias },
      latest: this.last === null ? null : this.packLatest(this.last),
      liquidationMaps: this.maps.toJSON(options),
      insurance: this.insurance.toJSON(),
      zones: { tracker: this.zoneTracker.toJSON(), latest: this.zonesLatest },
      inputs: this.inputs.toJSON(options),
      market: this.marketContext,
      weightsVersion: this.weightsVersion,
      ...(options.learning === false ? {} : { learning: this.learning.toJSON() }),
    };
  }

  /**
   * The last snapshot packed for the checkpoint. Its bias is the engine's own (the same objects,
   * set by the cycle that made it): written once, under `bias`, not twice (≈ 20 KB with the bias's
   * explanation), and flagged `biasIsEngine`.
   */
  private packLatest(last: SymbolSnapshot): PackedSnapshot {
    const packed = packSnapshot(last);
    const same = MODES.every((m) => last.bias[m] === this.bias[m]);
    if (!same) return packed;
    const { bias: _bias, ...rest } = packed;
    return { ...rest, biasIsEngine: true };
  }

  /** The learning state alone (saved apart by the SymbolObject when it changed: `learningChanged`). */
  learningJSON(): SymbolLearningState {
    return this.learning.toJSON();
  }

  /** Which parts of the learning state changed since `markLearningSaved`. */
  get learningChanged(): { book: boolean; stats: boolean } {
    return this.learning.changed;
  }

  markLearningSaved(): void {
    this.learning.markSaved();
  }

  /** Restores an engine from `toJSON()` output (after a JSON round-trip or not). */
  static fromJSON(
    state: EngineState,
    options: {
      registry?: CardRegistry;
      realizedRows?: readonly RealizedRow[];
      barRows?: readonly number[][];
      derivativeRows?: readonly (readonly (number | null)[])[];
      learning?: unknown;
    } = {},
  ): SymbolEngine {
    if (state.version !== STATE_VERSION) {
      throw new Error(`SymbolEngine.fromJSON: state version must be ${STATE_VERSION} (got ${String(state.version)})`);
    }
    const e = new SymbolEngine(state.symbol, { config: state.config, weights: state.weights, registry: options.registry });
    const c = e.config;
    e.nextBoundary = state.nextBoundary;
    e.clockTs = state.clockTs;
    e.lastPrice = state.lastTrade?.price ?? null;
    e.lastTradeTs = state.lastTrade?.ts ?? -1;
    e.books = VenueBooks.fromJSON(
      { books: state.books, bookTs: state.bookTs, quotes: state.quotes },
      { maxLevels: c.maxBookLevels, maxBufferedDeltas: c.maxBufferedDeltas },
      c.staleAfterMs.book,
    );
    for (const v of VENUES) {
      if (state.marks[v] !== undefined) e.marks[v] = state.marks[v];
      if (state.oi[v] !== undefined) e.oi[v] = state.oi[v];
    }
    e.insurance = InsurancePools.fromJSON(state.insurance, e.horizonMs);
    if (state.inputs !== undefined) e.inputs = MarketInputs.fromJSON(state.inputs, c, options.barRows, options.derivativeRows);
    e.feeds = { ...zeroKinds(false), ...state.feeds };
    e.fundingSeen = state.fundingSeen;
    e.liquidationLog = LiquidationLog.fromJSON(state.liquidations, state.recentLiquidations, c.recentLiquidations);
    e.counts = { ...zeroKinds(0), ...state.counters.events };
    e.tooLate = state.counters.tooLate;
    e.wrongSymbol = state.counters.wrongSymbol;
    e.barSkipped = state.counters.barSkipped ?? 0;
    e.tradeInBar = state.counters.tradeInBar ?? 0;
    e.memory = new Map(state.cardMemory.map(unpackMemory));
    // A bias saved before the bias had its state (and timeframes, contributions) is recomputed at the next cycle.
    const current = (b: Bias | null): Bias | null => (b !== null && b.state !== undefined ? b : null);
    e.bias = { scalp: current(state.bias.scalp), day: current(state.bias.day), swing: current(state.bias.swing) };
    e.weightsVersion = state.weightsVersion ?? null;
    const learning = options.learning ?? state.learning;
    if (learning !== undefined) e.learning = SymbolLearning.fromJSON(learning, { cadenceMs: c.biasCadenceMs });
    const biasIsEngine = state.latest !== null && "biasIsEngine" in state.latest && state.latest.biasIsEngine === true;
    e.last = state.latest === null ? null : unpackSnapshot(biasIsEngine ? { ...state.latest, bias: { ...state.bias } } : state.latest);
    // The same bias objects as the engine's, as after a cycle (so the next checkpoint omits them again).
    if (e.last !== null && biasIsEngine) e.last.bias = { scalp: e.bias.scalp ?? e.last.bias.scalp, day: e.bias.day ?? e.last.bias.day, swing: e.bias.swing ?? e.last.bias.swing };
    // A snapshot of a checkpoint written before carried inputs: its price judged as the engine would have.
    if (e.last !== null && (e.last.carried === undefined || e.last.eventTs === undefined)) {
      const carriedThen = e.carriedAt(e.last.ts);
      e.last = { ...e.last, eventTs: e.clockTs, price: currentPrice(carriedThen.price, e.last.ts).price, carried: carriedThen };
    }
    if (state.zones !== undefined) {
      e.zoneTracker = ZoneTracker.fromJSON(state.zones.tracker);
      e.zonesLatest = state.zones.latest;
    }
    e.marketContext = state.market ?? null;
    if (state.liquidationMaps !== undefined) e.maps = LiquidationMaps.fromJSON(state.liquidationMaps, e.symbol, c, options.realizedRows);
    else e.maps.seedRealized(e.liquidationLog.oldestFirst().map((r) => ({ ...r, kind: "liquidation" as const, symbol: e.symbol })), state.latest?.ts ?? -1);
    return e;
  }
}
