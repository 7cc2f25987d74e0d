/**
 * `liq.insurance-fund`: change of the insurance funds that back this symbol, across the venues
 * that publish one. The fund absorbs liquidations filled beyond bankruptcy; a falling fund means
 * liquidations are being closed at a loss: a stressed market.
 *
 * Input: `insurance` events, polled live (src/exchanges/insurance.ts) from Bybit (USDT pools,
 * isolated ones updated every minute, shared ones daily), OKX (per instrument family, daily
 * snapshots) and Binance (per group of symbols). Hyperliquid publishes none. No recording holds
 * one, so in replay the card is unavailable, never estimated.
 *
 * Per venue v (its current pool; a regrouped pool restarts its history), with W the window and
 * t the cycle boundary:
 * - B_v(x) = the balance interpolated linearly between the venue's updates, held flat after the
 *   newest one (a venue publishing daily spreads a day's change over the day instead of
 *   dropping it into one minute);
 * - Δ_v = B_v(t) − B_v(t − W), from the first update when the history starts inside the window;
 * - a venue whose newest update is older than 26 h at t (beyond one daily publication) is left out.
 *
 * Then:
 * - value = Σ Δ_v (USD; negative = the funds fell)
 * - r = Σ Δ_v / Σ B_v(t − W)  (relative change; −∞ when the funds were already at or below 0 and fell)
 * - strength = clamp(−r / 1 %, 0, 1): only a falling fund is stress, a 1 % fall in the window is full
 *   strength (a judgment, not calibrated)
 * - score = 0 and confidence = 0, always. A falling fund is not directional: the public endpoints do
 *   not say whether longs or shorts were closed at a loss. `confidence` is what weighs a card's
 *   score in the composite bias (src/domain/bias.ts); a score of 0 at any confidence above 0 would
 *   pull the liquidation category's score toward 0 whenever the funds are calm. So the card reports
 *   stress in `strength` and `value` for readers, and leaves the direction to the cards that have one.
 *   (Its one effect on the bias: as an available card it counts in the liquidation category's mean
 *   confidence.)
 *
 * Unavailable when no venue has sent a balance (`no insurance-fund data received …`) or every
 * venue's newest balance is older than 26 h.
 */
import type { Timeframe } from "../../protocol/snapshot.js";
import { available, clamp, unavailable, type CardDefinition, type InsurancePoolView } from "./card.js";

/** A fall of this fraction of the funds within the window is full strength. */
export const FULL_STRESS_DROP = 0.01;
/** A venue's newest balance older than this no longer counts (daily publication plus margin). */
export const INSURANCE_STALE_MS = 26 * 3_600_000;
/** Why the card is unavailable before any balance arrived. */
export const NO_INSURANCE_DATA =
  "no insurance-fund data received (polled live from bybit, okx, binance; hyperliquid publishes none)";

/** The balance at `x` by linear interpolation between samples, flat after the last; the first sample's before it. */
export function balanceAt(samples: InsurancePoolView["samples"], x: number): number {
  if (x <= samples[0][0]) return samples[0][1];
  for (let i = 1; i < samples.length; i++) {
    const [t1, b1] = samples[i];
    if (x <= t1) {
      const [t0, b0] = samples[i - 1];
      return b0 + ((b1 - b0) * (x - t0)) / (t1 - t0);
    }
  }
  return samples[samples.length - 1][1];
}

export const liqInsuranceFund: CardDefinition = {
  id: "liq.insurance-fund",
  category: "liquidation",
  description:
    "Insurance-fund change over the window across Bybit, OKX and Binance (Hyperliquid publishes none): value = Σ (B(t) − B(t − W)) in USD, " +
    "B interpolated linearly between the venue's updates; strength = clamp(−change / funds at t − W / 1 %, 0, 1) (only a falling fund is stress); " +
    "score = 0 and confidence = 0 (not directional: it never moves the bias); unavailable without balances or when every venue's newest is older than 26 h.",
  feeds: ["insurance"],
  missingFeedReason: { insurance: NO_INSURANCE_DATA },
  compute({ insurance, ts, windowMs }, _timeframe: Timeframe) {
    let change = 0;
    let start = 0;
    let counted = 0;
    const stale: string[] = [];
    for (const pool of insurance) {
      const newestTs = pool.samples[pool.samples.length - 1][0];
      if (ts - newestTs > INSURANCE_STALE_MS) {
        stale.push(`${pool.venue} ${((ts - newestTs) / 3_600_000).toFixed(1)} h`);
        continue;
      }
      const from = balanceAt(pool.samples, ts - windowMs);
      change += balanceAt(pool.samples, ts) - from;
      start += from;
      counted++;
    }
    if (counted === 0) {
      return unavailable(insurance.length === 0 ? NO_INSURANCE_DATA : `insurance-fund data stale: newest update ${stale.join(", ")} old (over 26 h)`);
    }
    const r = start > 0 ? change / start : change < 0 ? Number.NEGATIVE_INFINITY : 0;
    return available(0, clamp(-r / FULL_STRESS_DROP, 0, 1), 0, change);
  },
};
