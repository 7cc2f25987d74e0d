/**
 * `derivatives.premium`: the level of the perpetual's premium over its index (the basis), read as
 * crowding and faded.
 *
 * A perpetual trades above its index when leveraged longs pay up for exposure; the funding formula
 * of every venue charges that premium back to them (Binance, Bybit, OKX, Hyperliquid: funding =
 * average premium + clamp(interest − premium, ±0.05 %)). A rich premium is therefore a crowded,
 * paying long side, and the card leans bearish on it (and bullish on a discount). Why fade and not
 * follow: the level is a stock of positions already taken, and perpetual–spot deviations mean-revert
 * (He, Manela, Ross & von Wachter 2022, "Fundamentals of Perpetual Futures"); a high basis precedes
 * lower returns and crash risk (Christin, Routledge, Soska & Zetlin-Jones 2022, "The Crypto Carry
 * Trade"), at horizons longer than these windows: at 1m–1h it is a judgment, not calibrated. The
 * fresh demand that a premium *change* shows is read apart, as a follow signal, by
 * `derivatives.premium-change`.
 *
 * - P̄ = Σ_v mean_v · covered_v / Σ_v covered_v: the time-weighted premium (mark − index, bps of
 *   index) of each venue over the window, venues weighted by how much of the window they covered
 * - x = −P̄; score = tanh(z(x)), center 0 (mark on index), prior σ 4 bps on every timeframe (a level
 *   does not grow with the window)
 * - confidence = Σ covered_v / (venues · window); value = P̄ (bps)
 * - unavailable until a mark carried an index price (`no index price in mark feed`), and when no
 *   venue's premium is known within the window
 */
import { directional, unavailable, type CardDefinition } from "../card.js";
import { NO_INDEX_REASON } from "./premium-path.js";

export const derivativesPremium: CardDefinition = {
  id: "derivatives.premium",
  category: "derivatives",
  formula:
    "x = −P̄, P̄ = time-weighted premium (mark − index, bps) over the window, venues weighted by coverage; score = tanh(z(x)) (fade: a rich perp is a crowded long side); " +
    "confidence = covered time / (venues · window); value = P̄",
  units: "bps of index",
  differs:
    "The live premium level, un-averaged and un-clamped; funding.rate reads the funding that venues charge for it (pinned at the baseline while the premium stays inside the ±0.05 % clamp), derivatives.premium-change its move over the window.",
  scale: { center: 0, prior: 4 },
  feeds: ["mark"],
  compute({ premium, windowMs }, self) {
    if (premium.length === 0) return unavailable(NO_INDEX_REASON);
    let weighted = 0;
    let covered = 0;
    for (const p of premium) {
      if (p.window.mean === null) continue;
      weighted += p.window.mean * p.window.coveredMs;
      covered += p.window.coveredMs;
    }
    if (covered === 0) return unavailable("no premium known within the window");
    const mean = weighted / covered;
    return directional(self, -mean, covered / (premium.length * windowMs), mean);
  },
};
