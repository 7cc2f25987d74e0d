/**
 * `LiquidationMaps`: the liquidation state of one symbol that the engine feeds and queries.
 * It owns the realized store (heatmap, clusters, intensity history), the estimated levels
 * (open-interest cohorts, sweeps) and the 10 s close ring (volatility), and builds the
 * wire shapes of `src/protocol/liquidation.ts`.
 *
 * Hot path: `onTrade`, `onLiquidation`, `onOi` are O(1) amortised (see each module).
 * Per cycle: `onCycle` (evictions, OI bucket closes) and the card view, built lazily:
 * O(levels) for the level view, O(profile bins) for realized clusters, O(1,440) for the
 * intensity history. Memory per symbol: the sum of `realized.ts`, `levels.ts` and
 * `volatility.ts` bounds, about 3 MB at the defaults, fixed by config caps.
 */
import type { LiquidationEvent, OiEvent, Venue } from "../events.js";
import type { BracketTable } from "./brackets.js";
import type { EngineConfig } from "../config.js";
import type { BookView } from "../book.js";
import type { CascadeRisk, HeatmapQuery, LevelsQuery, LiquidationClusters, LiquidationHeatmap, LiquidationLevels } from "../../protocol/liquidation.js";
import { RealizedStore, type LiquidationRecord, type RealizedOptions, type RealizedRow, type RealizedState } from "./realized.js";
import type { LevelView } from "./level-view.js";
import { EstimatedLevels, type LevelsOptions, type LevelsState, type SweptSums } from "./levels.js";
import { CloseRing, type CloseRingState } from "./volatility.js";
import { binLevels, computeCascade, findMagnets } from "./cascade.js";
import { parseClustersLimit, parseHeatmapQuery, parseLevelsQuery } from "./query.js";
import { NO_PRICE_YET } from "../inputs/carried.js";
import { realizedHeatmap } from "./realized-heatmap.js";

/**
 * Why carried-forward inputs cannot be read as current (src/domain/inputs/carried.ts): `price`,
 * why the price passed is null (default `no trade price yet`); `oi`, why open interest is stale.
 */
export interface StaleReasons {
  readonly price?: string | null;
  readonly oi?: string | null;
}

/** Plain JSON state of `LiquidationMaps`. */
export interface LiquidationMapsState {
  realized: RealizedState;
  levels: LevelsState;
  closes: CloseRingState;
}

/** What the liquidation cards read at one cycle boundary (shared by the three timeframes). */
export interface LiquidationCardView {
  /** Last trade price while current (null before any trade and when stale: src/domain/inputs/carried.ts). */
  readonly price: number | null;
  /** Why `price` is null (`no trade price yet`, or stale since when); null when it is not. */
  readonly priceReason: string | null;
  /** Why `levels()` is null (no current price, no open-interest feed, open interest stale); null when it is not. */
  readonly levelsReason: string | null;
  /** True once some venue delivered open interest. */
  readonly hasOi: boolean;
  /** Open-interest cohorts held. */
  readonly cohorts: number;
  /** The estimated level map at the boundary; null without open interest or trade price. */
  levels(): LevelView | null;
  /** Levels swept by trades in `[ts − windowMs, ts)`. */
  sweptIn(windowMs: number): SweptSums;
  /** Realized clusters held (peak price and notional), largest first. */
  realizedClusters(): readonly { pricePeak: number; notionalUsd: number; count: number }[];
  /** Mean and stdev of 1-minute liquidation notional over the last ≤ 24 h. */
  minuteStats(): { minutes: number; mean: number; stdev: number };
  /** Realized liquidations of `[ts − windowMs, ts)`, newest first (computed once per cycle for the longest window). */
  records(windowMs: number): readonly LiquidationRecord[];
  /** Cascade risk at the boundary (the `/cascade` object: levels vs depth per band, k·σ sweep shares). */
  cascade(): CascadeRisk;
}

/** A view of no books (nothing synced). */
export const NO_BOOKS: BookView = { synced: false, depthWithin: () => null, levels: () => null };

/** The no-data view (cards of an engine built without maps, e.g. in tests of other cards). */
export const EMPTY_LIQUIDATION_VIEW: LiquidationCardView = {
  price: null,
  priceReason: NO_PRICE_YET,
  levelsReason: NO_PRICE_YET,
  hasOi: false,
  cohorts: 0,
  levels: () => null,
  sweptIn: () => ({ longCount: 0, longUsd: 0, shortCount: 0, shortUsd: 0 }),
  realizedClusters: () => [],
  minuteStats: () => ({ minutes: 0, mean: 0, stdev: 0 }),
  records: () => [],
  cascade: () => ({ symbol: "", kind: "cascade-risk", estimated: true, available: false, ts: 0, reason: "no open-interest feed" }),
};

/** Realized clusters the cluster-proximity card looks through. */
const MAX_CLUSTERS_FOR_CARDS = 100;

export class LiquidationMaps {
  private realized: RealizedStore;
  private levelsModel: EstimatedLevels;
  private closes: CloseRing;
  private readonly horizonMs: number;

  constructor(
    readonly symbol: string,
    readonly config: EngineConfig,
  ) {
    this.realized = new RealizedStore(realizedOptions(config));
    this.levelsModel = new EstimatedLevels(levelsOptions(symbol, config));
    this.horizonMs = Math.max(config.timeframeMs["1m"], config.timeframeMs["5m"], config.timeframeMs["1h"]);
    this.closes = new CloseRing(config.cycleMs, this.horizonMs / config.cycleMs);
  }

  onLiquidation(ev: LiquidationEvent): void {
    this.realized.add(ev);
  }

  /** Refills the realized store from stored liquidations (oldest first), then drops those older than retention at `nowTs`. */
  seedRealized(liquidations: Iterable<LiquidationEvent>, nowTs: number): void {
    for (const ev of liquidations) this.realized.add(ev);
    this.realized.advance(nowTs);
  }

  /** `newest`: the trade is not older than the last trade (it may sweep levels and move the price). */
  onTrade(ts: number, price: number, qty: number, isBuy: boolean, newest: boolean): void {
    this.levelsModel.onTrade(ts, price, qty, isBuy, newest);
    this.closes.addTrade(ts, price);
  }

  onOi(ev: OiEvent): void {
    this.levelsModel.onOi(ev);
  }

  /** Installs bracket tables fetched live (see `EstimatedLevels.setLiveTables`); the venues re-priced. */
  setLiveBrackets(tables: readonly BracketTable[]): Venue[] {
    return this.levelsModel.setLiveTables(tables);
  }

  /** The live bracket tables installed. */
  liveBrackets(): BracketTable[] {
    return this.levelsModel.liveTables();
  }

  /** At a cycle boundary: evicts old realized records and cohorts, closes finished OI buckets. */
  onCycle(ts: number): void {
    this.realized.advance(ts);
    this.levelsModel.onCycle(ts);
  }

  /**
   * Why the estimated level map cannot be read at `ts` around `now` (null: it can): no current
   * price, no open-interest feed, or open interest older than `oiStale` says (its reason, from the
   * engine's carried inputs: positions the map holds stopped being updated then).
   */
  levelsUnavailable(price: number | null, why: StaleReasons = {}): string | null {
    if (price === null) return why.price ?? NO_PRICE_YET;
    if (!this.levelsModel.hasOi) return "no open-interest feed";
    return why.oi ?? null;
  }

  /**
   * The card view at boundary `ts` (lazy: each part is computed once, when a card asks). `price`:
   * the last trade while current (null: none, or stale); `why`: the reasons the engine's carried
   * inputs give (src/domain/inputs/carried.ts).
   */
  cardView(ts: number, price: number | null, book: BookView, why: StaleReasons = {}): LiquidationCardView {
    const levelsReason = this.levelsUnavailable(price, why);
    const levels = this.levelsModel;
    const realized = this.realized;
    let view: LevelView | null | undefined;
    let clusters: { pricePeak: number; notionalUsd: number; count: number }[] | undefined;
    let stats: { minutes: number; mean: number; stdev: number } | undefined;
    let hour: { windowMs: number; records: LiquidationRecord[] } | undefined;
    let cascade: CascadeRisk | undefined;
    const longest = Math.max(this.config.timeframeMs["1m"], this.config.timeframeMs["5m"], this.config.timeframeMs["1h"]);
    const lateMs = this.config.maxLateMs;
    return {
      price,
      priceReason: price === null ? (why.price ?? NO_PRICE_YET) : null,
      levelsReason,
      hasOi: levels.hasOi,
      cohorts: levels.cohortCount,
      levels: () => {
        if (view === undefined) view = levelsReason === null ? levels.view(ts) : null;
        return view;
      },
      sweptIn: (windowMs) => levels.sweptIn(ts, windowMs),
      realizedClusters: () => {
        clusters ??= realized.clusters(MAX_CLUSTERS_FOR_CARDS, false).map((c) => ({ pricePeak: c.pricePeak, notionalUsd: c.notionalUsd, count: c.count }));
        return clusters;
      },
      minuteStats: () => {
        stats ??= realized.minuteStats(ts);
        return stats;
      },
      records: (windowMs) => {
        hour ??= { windowMs: longest, records: realized.recordsBetween(ts - longest, ts, lateMs) };
        return windowMs >= hour.windowMs ? hour.records : hour.records.filter((r) => r.ts >= ts - windowMs);
      },
      cascade: () => (cascade ??= this.cascade(ts, price, book, why)),
    };
  }

  /** Realized heatmap (query validated; see `parseHeatmapQuery`). `referencePrice`: last trade. */
  heatmap(query: HeatmapQuery | undefined, referencePrice: number | null, clockTs: number): LiquidationHeatmap {
    const l = this.config.liquidation;
    const req = parseHeatmapQuery(query, {
      windowMs: l.heatmapWindowMs,
      timeBinMs: l.heatmapTimeBinMs,
      priceBinBps: l.heatmapPriceBinBps,
      retentionMs: l.realizedRetentionMs,
    });
    return realizedHeatmap(this.realized, this.symbol, req, referencePrice, clockTs);
  }

  /** Realized clusters, largest first (limit 1..100, default 10). */
  clusters(limit: number | undefined, ts: number): LiquidationClusters {
    const n = parseClustersLimit(limit);
    return {
      symbol: this.symbol,
      kind: "realized-clusters",
      measured: true,
      ts,
      profile: { binBps: this.config.liquidation.clusterBinBps, smoothingBins: this.config.liquidation.clusterSmoothingBins, bins: this.realized.profileBins },
      clusters: this.realized.clusters(n),
      sampling: this.realized.sampling(),
      retention: this.realized.retention(),
    };
  }

  /** Estimated level map at `ts` around `price` (the last trade while current; see `levelsUnavailable`). */
  levels(query: LevelsQuery | undefined, ts: number, price: number | null, why: StaleReasons = {}): LiquidationLevels {
    const l = this.config.liquidation;
    const q = parseLevelsQuery(query, l.levelBinBps, l.leverageTiers.map((t) => t.leverage));
    const base = { symbol: this.symbol, kind: "estimated-levels" as const, estimated: true as const, ts };
    // Without any open-interest feed that is the reason, whatever the price.
    const reason = this.levelsModel.hasOi ? this.levelsUnavailable(price, why) : "no open-interest feed";
    if (reason !== null || price === null) return { ...base, available: false, reason: reason ?? NO_PRICE_YET };
    const view = q.tiers === null ? this.levelsModel.view(ts) : this.levelsModel.viewOfTiers(ts, q.tiers);
    const b = binLevels(view, price, q.rangePct, q.binBps);
    const n = b.longUsd.length;
    const edges: number[] = [];
    const centers: number[] = [];
    for (let i = 0; i <= n; i++) edges.push((b.k0 + i) * b.width);
    for (let i = 0; i < n; i++) centers.push((b.k0 + i + 0.5) * b.width);
    const down: [number, number][] = [];
    const up: [number, number][] = [];
    for (let i = n; i >= 0; i--) if (edges[i] < price) down.push([edges[i], view.sumUsd("long", edges[i], price)]);
    for (let i = 0; i <= n; i++) if (edges[i] > price) up.push([edges[i], view.sumUsd("short", price, edges[i])]);
    const swept = this.levelsModel.sweptTotals();
    return {
      ...base,
      available: true,
      referencePrice: price,
      price: { binBps: q.binBps, binWidth: b.width, rangePct: q.rangePct, edges, centers },
      longUsd: b.longUsd,
      shortUsd: b.shortUsd,
      cumulative: { down, up },
      magnets: findMagnets(b, price, this.config.cards.magnetMinShare),
      totals: { longUsd: view.totalUsd("long"), shortUsd: view.totalUsd("short"), levels: view.levels, cohorts: this.levelsModel.cohortCount },
      sweeps: {
        long: { count: swept.longCount, notionalUsd: swept.longUsd },
        short: { count: swept.shortCount, notionalUsd: swept.shortUsd },
        recent: this.levelsModel.recentSweeps(),
      },
      coverage: this.levelsModel.coverage(),
      model: {
        leverageTiers: l.leverageTiers.map((t) => ({ leverage: t.leverage, weight: t.weight })),
        positionNotionalUsd: l.positionNotionalUsd,
        halfLifeMs: l.levelHalfLifeMs,
        takerSkew: l.takerSkew,
        oiBucketMs: l.oiBucketMs,
        brackets: this.levelsModel.tablesInUse().map(({ venue, table }) => ({ venue, tableId: table.id, source: table.source, asOf: table.asOf, assumed: table.assumed })),
      },
      ...(q.tiers === null ? {} : { tierFilter: q.tiers.map((i) => l.leverageTiers[i].leverage) }),
    };
  }

  /** Cascade risk at `ts` around `price` (as `levels`), against the engine's synced books. */
  cascade(ts: number, price: number | null, book: BookView, why: StaleReasons = {}): CascadeRisk {
    const base = { symbol: this.symbol, kind: "cascade-risk" as const, estimated: true as const, ts };
    // Without any open-interest feed that is the reason, whatever the price.
    const reason = this.levelsModel.hasOi ? this.levelsUnavailable(price, why) : "no open-interest feed";
    if (reason !== null || price === null) return { ...base, available: false, reason: reason ?? NO_PRICE_YET };
    return computeCascade({
      symbol: this.symbol,
      ts,
      ref: price,
      view: this.levelsModel.view(ts),
      book,
      bandsPct: this.config.liquidation.cascadeBandsPct,
      volatility: this.closes.stdevLogReturns(ts),
      bucketMs: this.config.cycleMs,
      horizonMs: this.horizonMs,
      ks: this.config.liquidation.volatilityK,
    });
  }

  /** Open-interest cohorts and realized records held (for memory checks). */
  sizes(): { realized: number; cohorts: number; profileBins: number } {
    return { realized: this.realized.held, cohorts: this.levelsModel.cohortCount, profileBins: this.realized.profileBins };
  }

  /** `{ realizedRecords: false }` leaves the realized records out (see `RealizedStore.toJSON`). */
  toJSON(options: { realizedRecords?: boolean } = {}): LiquidationMapsState {
    return { realized: this.realized.toJSON({ records: options.realizedRecords }), levels: this.levelsModel.toJSON(), closes: this.closes.toJSON() };
  }

  /** Global indexes of the realized records held, and the records of a range (for saving them apart). */
  realizedRange(): { from: number; to: number } {
    return this.realized.heldRange();
  }

  realizedRows(from: number, to: number): RealizedRow[] {
    return this.realized.rowsBetween(from, to);
  }

  static fromJSON(state: LiquidationMapsState, symbol: string, config: EngineConfig, realizedRows?: readonly RealizedRow[]): LiquidationMaps {
    const m = new LiquidationMaps(symbol, config);
    m.realized = RealizedStore.fromJSON(state.realized, realizedOptions(config), realizedRows);
    m.levelsModel = EstimatedLevels.fromJSON(state.levels, levelsOptions(symbol, config));
    m.closes = CloseRing.fromJSON(state.closes, config.cycleMs, m.horizonMs / config.cycleMs);
    return m;
  }
}

function realizedOptions(config: EngineConfig): RealizedOptions {
  const l = config.liquidation;
  return {
    retentionMs: l.realizedRetentionMs,
    capacity: l.realizedMaxEntries,
    profileBinBps: l.clusterBinBps,
    smoothingBins: l.clusterSmoothingBins,
    correctionMinEvents: l.correctionMinEvents,
  };
}

function levelsOptions(symbol: string, config: EngineConfig): LevelsOptions {
  const l = config.liquidation;
  const longest = Math.max(config.timeframeMs["1m"], config.timeframeMs["5m"], config.timeframeMs["1h"]);
  return {
    symbol,
    bucketMs: l.oiBucketMs,
    tiers: l.leverageTiers,
    positionNotionalUsd: l.positionNotionalUsd,
    takerSkew: l.takerSkew,
    halfLifeMs: l.levelHalfLifeMs,
    maxAgeMs: l.levelMaxAgeMs,
    maxCohorts: l.maxLevelCohorts,
    bracketOverrides: l.brackets,
    sweepBucketMs: config.cycleMs,
    sweepBuckets: longest / config.cycleMs,
  };
}
