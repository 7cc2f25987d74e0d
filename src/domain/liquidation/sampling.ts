/**
 * How a liquidation figure was sampled, from the venues behind it: `complete` venues report every
 * liquidation (Bybit, Hyperliquid), `sampled-1s` ones the last of each second (Binance, OKX).
 */
import type { FigureSampling, SideSums } from "../../protocol/liquidation.js";

/** Sampling of a set of venue codes (1 complete, 2 sampled, 0 none). */
export function combineSampling(codes: Iterable<number>): FigureSampling {
  let complete = false;
  let sampled = false;
  for (const c of codes) {
    if (c === 1) complete = true;
    else if (c === 2) sampled = true;
  }
  return complete && sampled ? "mixed" : complete ? "complete" : sampled ? "sampled-1s" : "none";
}

/** Zero sums of one side. */
export const emptySums = (): SideSums => ({ count: 0, qty: 0, notionalUsd: 0 });
