/**
 * `cascade.in-progress`: a cascade already running: forced orders of one side printing now AND
 * estimated levels of the same side still ahead of the price. Liquidated shorts are forced buys
 * that lift price into the short levels above; liquidated longs push it into the long levels below.
 *
 * - band b = cascadeBandPct[timeframe] (0.5 %, 1 %, 2 %); P = last trade
 * - Rs, Rl = realized short / long liquidation notional of the window (all venues)
 * - Fu = estimated short-level notional in (P, P·(1 + b/100)], Fd = long-level notional in [P·(1 − b/100), P)
 * - x = (√(Rs·Fu) − √(Rl·Fd)) / √((Rs + Rl)·(Fu + Fd)), in [−1, 1] (Cauchy–Schwarz): 1 when every
 *   liquidation was a short and every level ahead is a short one; 0 without liquidations or levels
 * - score = tanh(z(x)), center 0, prior σ 0.5
 * - value = √(Rs·Fu) − √(Rl·Fd) (USD: geometric mean of realized and estimated notional, up − down)
 * - confidence = min(liquidation support, level support) = min(min(1, liquidations /
 *   liqFullConfidenceCount), min(1, OI cohorts / levelFullConfidenceCohorts)); labelled `sampled` as
 *   the window's liquidations are
 * - unavailable before the first trade; a window without liquidations is a measured zero (confidence 0)
 *
 * Why: each forced order moves price into the next liquidation level, which forces the next order
 * (the liquidation spiral of Brunnermeier and Pedersen, "Market Liquidity and Funding Liquidity",
 * RFS 2009); a spiral needs both a trigger that is firing and fuel left ahead of it. The
 * geometric mean is 0 when either is missing. The fuel side is estimated (docs/liquidation-model.md).
 */
import { directional, liquidationSampling, support, unavailable, type CardDefinition } from "../card.js";
import { fuelNear, levelMap } from "../levels/level-map.js";

export const cascadeInProgress: CardDefinition = {
  id: "cascade.in-progress",
  category: "cascade",
  formula:
    "x = (√(Rs·Fu) − √(Rl·Fd)) / √((Rs + Rl)(Fu + Fd)), R = realized short/long liquidation notional of the window, F = estimated short levels above / long levels below within cascadeBandPct[tf]; " +
    "score = tanh(z(x)); confidence = min(liquidations / liqFullConfidenceCount, cohorts / levelFullConfidenceCohorts, 1); value = √(Rs·Fu) − √(Rl·Fd)",
  units: "USD (geometric mean of realized and estimated notional, up − down)",
  differs:
    "Realized forced flow and estimated fuel of the same side together (0 when either is missing); liq.imbalance reads the realized side alone, cascade.risk-up/down and levels.density-skew the estimated fuel alone.",
  scale: { center: 0, prior: 0.5 },
  feeds: ["liquidation", "oi", "trade"],
  compute({ liq, window: w, venues, params, timeframe }, self) {
    const map = levelMap(liq);
    if (typeof map === "string") return unavailable(map);
    const { up, down } = fuelNear(map.view, map.price, params.cascadeBandPct[timeframe]);
    const rs = w.shortLiqNotionalUsd;
    const rl = w.longLiqNotionalUsd;
    const gUp = Math.sqrt(rs * up);
    const gDown = Math.sqrt(rl * down);
    const scale = Math.sqrt((rs + rl) * (up + down));
    const x = scale > 0 ? (gUp - gDown) / scale : 0;
    const confidence = Math.min(support(w.longLiqCount + w.shortLiqCount, params.liqFullConfidenceCount), support(liq.cohorts, params.levelFullConfidenceCohorts));
    return directional(self, x, confidence, gUp - gDown, liquidationSampling(venues));
  },
};
