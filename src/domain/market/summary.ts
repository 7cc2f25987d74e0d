/**
 * What a symbol tells the market once per cycle (the Coordinator's input, src/domain/market/memory.ts):
 * a compact summary of its last cycle, built from the same inputs the cards read.
 */
import { TIMEFRAMES, type Mode, type Timeframe } from "../vocabulary.js";
import type { CardInput } from "../cards/card.js";
import { liquidationSampling } from "../cards/card.js";

export interface CycleSummary {
  symbol: string;
  /** The cycle boundary (event time, ms). */
  ts: number;
  /** Last price at the boundary; null before any. */
  price: number | null;
  /** Log return of each window (first to last price in it); null without a price in the window. */
  returns: Record<Timeframe, number | null>;
  /** Traded notional (taker buys + sells + volume of unknown side) and net taker buying, USD, per window. */
  volumeUsd: Record<Timeframe, number>;
  takerDeltaUsd: Record<Timeframe, number>;
  /** Open interest change over each window, % of the start (venues known at both ends); null without. */
  oiChangePct: Record<Timeframe, number | null>;
  /** Funding now as an 8-hour equivalent, averaged over venues with a current rate; null without. */
  funding8h: number | null;
  /** Liquidations of the last hour by liquidated side, USD, and how they were counted. */
  liquidations: { longUsd: number; shortUsd: number; sampling: "sampled" | "complete" | null };
  /** Bias score per mode at the boundary; null where none yet. */
  bias: Record<Mode, number | null>;
}

/** The summary of a boundary from its three timeframes' card inputs. */
export function summarize(symbol: string, inputs: Readonly<Record<Timeframe, CardInput>>, bias: Record<Mode, number | null>): CycleSummary {
  const returns = {} as Record<Timeframe, number | null>;
  const volumeUsd = {} as Record<Timeframe, number>;
  const takerDeltaUsd = {} as Record<Timeframe, number>;
  const oiChangePct = {} as Record<Timeframe, number | null>;
  for (const tf of TIMEFRAMES) {
    const w = inputs[tf].window;
    returns[tf] = w.open !== null && w.close !== null && w.open > 0 ? Math.log(w.close / w.open) : null;
    volumeUsd[tf] = w.buyNotionalUsd + w.sellNotionalUsd + w.unsidedNotionalUsd;
    takerDeltaUsd[tf] = w.buyNotionalUsd - w.sellNotionalUsd;
    const m = inputs[tf].oi.matched;
    oiChangePct[tf] = m !== null && m.startBase > 0 ? (100 * (m.base - m.startBase)) / m.startBase : null;
  }
  let fundingSum = 0;
  let fundingN = 0;
  for (const f of inputs["1h"].funding) {
    if (f.rate8h === null) continue;
    fundingSum += f.rate8h;
    fundingN++;
  }
  const hour = inputs["1h"];
  return {
    symbol,
    ts: hour.ts,
    price: hour.price,
    returns,
    volumeUsd,
    takerDeltaUsd,
    oiChangePct,
    funding8h: fundingN > 0 ? fundingSum / fundingN : null,
    liquidations: { longUsd: hour.window.longLiqNotionalUsd, shortUsd: hour.window.shortLiqNotionalUsd, sampling: liquidationSampling(hour.venues) ?? null },
    bias,
  };
}
