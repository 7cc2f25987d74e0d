/**
 * What the derivatives cards share about a venue's premium (mark − index, bps of index; see
 * src/domain/inputs/premium.ts): the reasons they give when it is missing, the bps of a price
 * gap, and the premium change over the window averaged over the venues known at both ends.
 *
 * Only Binance (`markPriceUpdate` field `i`), Bybit (`indexPrice`) and Hyperliquid (`oraclePx`)
 * send an index with their marks; OKX's mark and funding channels carry none, so OKX is never in
 * `input.premium`.
 */
import type { VenuePremium } from "../../inputs/premium.js";

/** No mark ever carried an index price. */
export const NO_INDEX_REASON = "no index price in mark feed";

/** No venue knows its premium both now and at the window start. */
export const NO_PATH_REASON = "no venue has a premium both now and at the window start";

/**
 * Largest time between two venue readings (a mark and a trade, two indexes) that are compared as
 * one moment, ms. Marks arrive every 1–3 s on Binance, about every 100 ms on Bybit and about every
 * second on Hyperliquid: ten seconds apart means one of the two is stale and the gap is a price
 * move, not a dislocation.
 */
export const SAME_MOMENT_MS = 10_000;

/** `(a − b) / b` in basis points. */
export function gapBps(a: number, b: number): number {
  return ((a - b) / b) * 1e4;
}

/** Mean of `bps − startBps` over the venues known now and at the window start (`venues` 0: none). */
export function premiumChange(premium: readonly VenuePremium[]): { bps: number; venues: number } {
  let sum = 0;
  let venues = 0;
  for (const p of premium) {
    if (p.bps === null || p.startBps === null) continue;
    sum += p.bps - p.startBps;
    venues++;
  }
  return { bps: venues > 0 ? sum / venues : 0, venues };
}
