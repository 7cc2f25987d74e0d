/**
 * `cascade.approach`: price moving toward the side with more estimated liquidation fuel. A move
 * that heads into the fuller side is the one that can set the fuel off; a move away from it, or
 * fuel balanced on both sides, says nothing here.
 *
 * - r = 10,000 · ln(close / open) of the window's trades (bps); 0 without trades in the window
 * - band b = cascadeBandPct[timeframe]; Fu, Fd = estimated short levels in (P, P·(1 + b/100)] and long
 *   levels in [P·(1 − b/100), P), P = last trade; f = (Fu − Fd) / (Fu + Fd), 0 without levels
 * - x = r · |f| when r · f > 0 (the move heads to the fuller side), else 0: the sign is the move's
 * - score = tanh(z(x)), center 0, prior σ 5 (1m), 10 (5m), 30 (1h) bps; value = x (bps)
 * - confidence = min(min(1, trades / tradeFullConfidenceCount), min(1, OI cohorts / levelFullConfidenceCohorts))
 * - unavailable before the first trade; a window without trades is a measured zero (confidence 0)
 *
 * Why: stop and liquidation orders resting beyond the price turn a move that reaches them into a
 * self-feeding one (Osler, "Stop-loss orders and price cascades in currency markets", JIMF 2005,
 * finds trends accelerate once price crosses clustered stop levels); the move is what brings price
 * there. A judgment, not calibrated. The fuel is estimated (docs/liquidation-model.md).
 */
import { directional, support, unavailable, type CardDefinition, prints } from "../card.js";
import { fuelNear, levelMap } from "../levels/level-map.js";

export const cascadeApproach: CardDefinition = {
  id: "cascade.approach",
  category: "cascade",
  formula:
    "x = r · |f| when r · f > 0 else 0, r = window log return (bps), f = (Fu − Fd)/(Fu + Fd) of estimated short levels above and long levels below within cascadeBandPct[tf]; " +
    "score = tanh(z(x)); confidence = min(trades / tradeFullConfidenceCount, cohorts / levelFullConfidenceCohorts, 1); value = x",
  units: "bps (window return toward the fuller side)",
  differs:
    "The window's move only where it heads into the side with more estimated fuel; momentum.return reads every move, levels.density-skew the fuel without the move.",
  scale: { center: 0, prior: { "1m": 5, "5m": 10, "1h": 30 } },
  feeds: ["oi", "trade"],
  compute({ liq, window: w, params, timeframe }, self) {
    const map = levelMap(liq);
    if (typeof map === "string") return unavailable(map);
    const trades = prints(w);
    if (w.open === null || w.close === null) return directional(self, 0, 0, 0);
    const r = 10_000 * Math.log(w.close / w.open);
    const { up, down } = fuelNear(map.view, map.price, params.cascadeBandPct[timeframe]);
    const f = up + down > 0 ? (up - down) / (up + down) : 0;
    const x = r * f > 0 ? r * Math.abs(f) : 0;
    const confidence = Math.min(support(trades, params.tradeFullConfidenceCount), support(liq.cohorts, params.levelFullConfidenceCohorts));
    return directional(self, x, confidence, x);
  },
};
