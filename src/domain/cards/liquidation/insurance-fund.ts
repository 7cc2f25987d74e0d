/**
 * `liq.insurance-fund`: change of the insurance funds that back this symbol, across the venues
 * that publish one. The fund absorbs liquidations filled beyond bankruptcy; a falling fund means
 * liquidations are being closed at a loss: a stressed market. A `stress` card: no direction.
 *
 * Input: `insurance` events, polled live (src/exchanges/insurance.ts) from Bybit (USDT pools,
 * isolated ones updated every minute, shared ones daily), OKX (per instrument family, daily
 * snapshots) and Binance (per group of symbols). Hyperliquid publishes none. No recording holds
 * one, so in replay the card is unavailable, never estimated.
 *
 * Per venue v (its current pool; a regrouped pool restarts its history), with W the window and t
 * the cycle boundary:
 * - B_v(x) = the balance interpolated linearly between the venue's updates, held flat after the
 *   newest one (a venue publishing daily spreads a day's change over the day instead of dropping
 *   it into one minute);
 * - Δ_v = B_v(t) − B_v(t − W), from the first update when the history starts inside the window;
 * - a venue whose newest update is older than 26 h at t (beyond one daily publication) is left out.
 *
 * Then x = −Σ Δ_v / Σ B_v(t − W) (the fraction the funds fell; +∞ when they were at or below 0 and
 * fell), strength = tanh(max(z(x), 0)) with center 0 and prior σ 0.5 % (only a falling fund is
 * stress), score = 0 (the public endpoints do not say whether longs or shorts were closed at a
 * loss), confidence = venues counted / 3, value = Σ Δ_v (USD).
 *
 * Unavailable when no venue has sent a balance or every venue's newest balance is older than 26 h.
 */
import { stress, unavailable, type CardDefinition, type InsurancePoolView } from "../card.js";

/** A venue's newest balance older than this no longer counts (daily publication plus margin). */
export const INSURANCE_STALE_MS = 26 * 3_600_000;
/** Venues that publish an insurance fund (Bybit, OKX, Binance). */
const PUBLISHING_VENUES = 3;
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
  kind: "stress",
  formula:
    "x = −Σ (B(t) − B(t − W)) / Σ B(t − W) over Bybit, OKX and Binance funds, B interpolated between updates; strength = tanh(max(z(x), 0)); " +
    "score = 0 (no side); confidence = venues counted / 3; value = Σ (B(t) − B(t − W))",
  units: "USD (change of the funds; negative = they fell)",
  differs: "Losses the venues absorbed closing liquidations beyond bankruptcy: stress without a direction, which no flow or level card measures.",
  scale: { center: 0, prior: 0.005 },
  feeds: ["insurance"],
  missingFeedReason: { insurance: NO_INSURANCE_DATA },
  compute({ insurance, ts, windowMs }, self) {
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
    const fell = start > 0 ? -change / start : change < 0 ? Number.POSITIVE_INFINITY : 0;
    return stress(self, fell, counted / PUBLISHING_VENUES, change);
  },
};
