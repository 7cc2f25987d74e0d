/**
 * What the client reads, as TypeScript types only: every type comes from the engine's wire
 * schemas in src/protocol (imported with `import type`, so no schema code and no zod reaches a
 * browser bundle).
 */
import type { z } from "zod";
import type {
  BatchBiasResponseSchema,
  BiasAllResponseSchema,
  BiasOneResponseSchema,
  CardsResponseSchema,
  LiquidationsResponseSchema,
  SymbolsListSchema,
} from "../protocol/http.js";
import type { LiquidationHeatmap, LiquidationLevels } from "../protocol/liquidation.js";
import type { Zones } from "../protocol/zones.js";
import type { Bias, Card, LiquidationTotals, Mode } from "../protocol/snapshot.js";
import type { StoredLiquidation } from "../protocol/stream.js";

export type { Market } from "../protocol/http.js";
export type { CascadeRisk, LiquidationClusters, LiquidationHeatmap, LiquidationLevels } from "../protocol/liquidation.js";
export type { Bias, Card, CardState, CardTransition, CardValue, CarriedInput, LiquidationTotals, Mode, SymbolSnapshot, Timeframe } from "../protocol/snapshot.js";
export type { StoredLiquidation } from "../protocol/stream.js";
export type { Zone, Zones } from "../protocol/zones.js";

export type SymbolsList = z.infer<typeof SymbolsListSchema>;
export type CardsResponse = z.infer<typeof CardsResponseSchema>;
export type BiasOneResponse = z.infer<typeof BiasOneResponseSchema>;
export type BiasAllResponse = z.infer<typeof BiasAllResponseSchema>;
export type LiquidationsResponse = z.infer<typeof LiquidationsResponseSchema>;
export type BatchBiasResponse = z.infer<typeof BatchBiasResponseSchema>;

/** `SYMBOL:bias` data: every mode's latest bias and the cycle's last trade price. */
export interface BiasData {
  symbol: string;
  /** Event time of the cycle (ms). */
  ts: number;
  price: number | null;
  bias: Record<Mode, Bias | null>;
}

/** `SYMBOL:cards` data: every card of the cycle. */
export interface CardsData {
  symbol: string;
  ts: number;
  price: number | null;
  cards: Card[];
}

/**
 * `SYMBOL:liquidations` data. A snapshot lists the most recent stored liquidations; an update
 * lists those stored since the previous update. Newest first; `totals` are cumulative.
 */
export interface LiquidationsData {
  symbol: string;
  liquidations: StoredLiquidation[];
  totals: LiquidationTotals;
}

/** The data type a channel carries, from its name (`*:bias` carries each symbol's bias). */
export type ChannelData<C extends string> = C extends `${string}:bias`
  ? BiasData
  : C extends `${string}:cards`
    ? CardsData
    : C extends `${string}:liquidations`
      ? LiquidationsData
      : C extends `${string}:heatmap`
        ? LiquidationHeatmap
        : C extends `${string}:levels`
          ? LiquidationLevels
          : C extends `${string}:zones`
            ? Zones
            : unknown;
