/**
 * The plain JSON state of a `SymbolEngine` (its checkpoint): what `toJSON` writes and `fromJSON`
 * reads. Fields marked "absent in older checkpoints" keep checkpoints of earlier versions loadable.
 */
import type { CategoryWeights } from "./bias.js";
import type { EngineConfig } from "./config.js";
import type { EventKind, MarkEvent, OiEvent, Venue } from "./events.js";
import type { WindowState } from "./window.js";
import type { LiquidationMapsState } from "./liquidation/maps.js";
import type { RecentLiquidation } from "./liquidation/log.js";
import type { ZoneTrackerState } from "./zones/tracker.js";
import type { Zones } from "../protocol/zones.js";
import type { MarketContext } from "./market/memory.js";
import type { SymbolLearningState } from "./learning/symbol-learning.js";
import type { CardMemory } from "./cards/registry.js";
import type { PackedMemory, PackedSnapshot } from "./cards/pack.js";
import type { MarketInputsState } from "./inputs/market-inputs.js";
import type { VenueBooksState } from "./inputs/venue-books.js";
import type { InsurancePoolState } from "./inputs/insurance-pools.js";
import type { Mode } from "./vocabulary.js";
import type { Bias, LiquidationTotals, SymbolSnapshot } from "../protocol/snapshot.js";

/** Plain JSON state of a `SymbolEngine`; `SymbolEngine.fromJSON(state)` restores it exactly. */
export interface EngineState {
  version: 1;
  symbol: string;
  config: EngineConfig;
  weights: CategoryWeights;
  nextBoundary: number | null;
  /** Newest event ts seen (-1 before any). */
  clockTs: number;
  lastTrade: { price: number; ts: number } | null;
  /** The single summed window of checkpoints written before per-venue windows (read: dropped). */
  window?: WindowState;
  books: VenueBooksState["books"];
  quotes: VenueBooksState["quotes"];
  marks: Partial<Record<Venue, MarkEvent>>;
  oi: Partial<Record<Venue, OiEvent>>;
  feeds: Record<EventKind, boolean>;
  fundingSeen: boolean;
  liquidations: LiquidationTotals;
  /** Oldest first. */
  recentLiquidations: RecentLiquidation[];
  counters: { events: Record<EventKind, number>; tooLate: number; wrongSymbol: number; barSkipped?: number; tradeInBar?: number };
  /**
   * Per card, compact: `[id, state, cycle score, W, m, Q (1m), W, m, Q (5m), W, m, Q (1h)]`, then the
   * previous values per timeframe `[1m[], 5m[], 1h[]]` for cards that keep them; older checkpoints
   * hold `[id, CardMemory]` (read the same).
   */
  cardMemory: (PackedMemory | [string, CardMemory])[];
  bias: Record<Mode, Bias | null>;
  /** The last snapshot, its cards packed (src/domain/cards/pack.ts); a plain snapshot in older checkpoints. */
  latest: SymbolSnapshot | PackedSnapshot | null;
  /** Liquidation maps; absent in checkpoints written before they existed (rebuilt from `recentLiquidations`). */
  liquidationMaps?: LiquidationMapsState;
  /** Event time of each venue's last book event; absent in older checkpoints. */
  bookTs?: Partial<Record<Venue, number>>;
  /** Insurance-fund balances per venue (see `InsurancePoolState`); absent in checkpoints written before the feed existed. */
  insurance?: Partial<Record<Venue, InsurancePoolState>>;
  /** Zone tracker and its last output; absent in checkpoints written before zones existed (they start empty). */
  zones?: { tracker: ZoneTrackerState; latest: Zones | null };
  /** Card inputs (per-venue windows, bars, sizes, tops, book changes, funding, premium, OI); absent in older checkpoints (they start empty). */
  inputs?: MarketInputsState;
  /** The last market context the Coordinator answered; absent in older checkpoints. */
  market?: MarketContext | null;
  /** Version of the learned weights in force (null: defaults); absent in older checkpoints. */
  weightsVersion?: number | null;
  /** Pending predictions, this symbol's record and the outcomes not yet reported; absent when saved apart (`toJSON({ learning: false })`) and in older checkpoints. */
  learning?: SymbolLearningState;
}
