/**
 * `mkt.correlation` (stress): how loosely the symbol has moved with BTC over the day, 1 − ρ,
 * against what is usual for it: the symbol trading on its own story.
 *
 * Most coins track BTC minute by minute (ρ 0.6–0.9); when a coin's correlation falls, market-wide
 * signals explain less of it and its own news more. That is a change of regime for the symbol, with
 * no direction. ρ is read over the day's minute returns, so it moves slowly and is the same on every
 * timeframe; the center is the symbol's own usual level (coins differ). A judgment, not calibrated.
 *
 * - ρ = cov(r_S, r_BTC) / (σ_S · σ_BTC) over the minute returns both hold in the last day (market memory)
 * - x = 1 − ρ; strength = tanh(max(z(x), 0)), score 0, center rolling from 0.3, prior σ 0.15
 * - confidence = min(1, minutes / betaFullConfidenceMinutes); value = ρ
 * - unavailable for BTC itself, without BTC in the market, and before 60 minute returns of both
 */
import { stress, support, unavailable, type CardDefinition } from "../card.js";
import { betaMissing, btcMissing } from "./market.js";

export const mktCorrelation: CardDefinition = {
  id: "mkt.correlation",
  kind: "stress",
  category: "market-context",
  formula:
    "x = 1 − ρ, ρ = correlation of the symbol's and BTC's minute returns over the day (same on every timeframe); strength = tanh(max(z(x), 0)), score 0 (rolling center); " +
    "confidence = min(1, minutes / betaFullConfidenceMinutes); value = ρ",
  units: "correlation",
  differs:
    "How tightly the day tied the symbol to BTC, with no direction: mkt.decoupling signs the window's move apart from BTC, mkt.dispersion reads how far apart the whole market moved.",
  scale: { center: "rolling", priorCenter: 0.3, prior: 0.15 },
  feeds: ["trade"],
  compute({ market, params }, self) {
    if (!market.available) return unavailable(market.reason);
    const c = market.context;
    const missing = btcMissing(c, "its correlation to itself is 1") ?? betaMissing(c, c.own.correlation, "correlation");
    if (missing !== null) return unavailable(missing);
    const rho = c.own.correlation as number;
    return stress(self, 1 - rho, support(c.own.betaMinutes, params.betaFullConfidenceMinutes), rho);
  },
};
