/**
 * What the funding cards share: the reason they give before any mark carried a funding rate, and
 * the funding formula the venues publish, to read the funding a premium implies.
 *
 * Binance, Bybit, OKX and Hyperliquid all state funding (per 8 h, Hyperliquid paying an eighth of
 * it every hour) as `F = P + clamp(I − P, −0.05 %, +0.05 %)`, `P` the average premium index of the
 * interval and `I` the interest rate (0.01 % per 8 h, `fundingBaselineRate`): while the premium
 * stays within 0.05 % of the interest rate, funding is pinned at `I`; beyond it, funding follows the
 * premium less 0.05 %. (Binance, "Introduction to Binance Futures Funding Rates"; Bybit and OKX
 * funding-rate help pages; Hyperliquid docs, Trading → Funding.)
 */

/** No mark ever carried a funding rate. */
export const NO_FUNDING_REASON = "no funding rate in mark feed";

/** Half-width of the clamp of the interest term in the venues' funding formula, fraction per 8 h (0.05 %). */
export const FUNDING_CLAMP_8H = 0.0005;

/** The 8-hour funding `P + clamp(I − P, ±FUNDING_CLAMP_8H)` that a premium `P` (fraction) implies at interest `I`. */
export function impliedFunding8h(premium: number, interest: number): number {
  const d = interest - premium;
  return premium + (d > FUNDING_CLAMP_8H ? FUNDING_CLAMP_8H : d < -FUNDING_CLAMP_8H ? -FUNDING_CLAMP_8H : d);
}
