/**
 * `exhaustion.liquidation-spike`: a burst of liquidations of the losing side after an extended
 * move, read against the move. When the longs caught in a fall (or the shorts caught in a rise)
 * are liquidated in a burst, the forced orders are the move's last fuel: once they are through,
 * nobody is left to be forced, and price tends to retrace (the capitulation reading of a
 * liquidation flush; see positioning.capitulation for its open-interest form). The sign is a
 * judgment, not calibrated.
 *
 * Liquidation `side` is the liquidated position: long liquidated = forced sell. Binance and OKX
 * publish at most one liquidation per symbol per second: the figure is a sample and says so.
 *
 * - m = the window's move in day-σ units (exhaustion/move.ts), from the window's complete minute
 *   bars; liquidations come from the window itself (`input.window`, [ts − W, ts))
 * - s = (window liquidation notional / window minutes) / the mean liquidation notional per minute
 *   over ≤ 24 h (`liq.minuteStats`): how many times the usual rate
 * - losing share w = liquidated shorts' share of the notional when m > 0 (they paid for the rise),
 *   liquidated longs' when m < 0
 * - x = −m · w · max(0, ln s)
 * - score = tanh(z(x)), center 0, prior σ 1.5 (a judgment, not calibrated: the shared month has no
 *   liquidations; a window holding a burst of 5 to 50 times the usual rate after a 1σ move with half
 *   of it on the losing side gives 0.8 to 2)
 * - confidence = min(1, liquidations / liqFullConfidenceCount); value = x; sampling labelled
 * - unavailable without a liquidation feed, until N + 60 minutes of bars exist, and while the
 *   liquidation history is shorter than 60 minutes (`warming up: k of 60 minutes of liquidation
 *   history`); a window without liquidations is a measured zero (confidence 0)
 */
import { directional, liquidationSampling, support, unavailable, type CardDefinition } from "../card.js";
import { MIN_BASELINE_MINUTES } from "../bar-window.js";
import { exhaustionWindow } from "./move.js";

export const exhaustionLiquidationSpike: CardDefinition = {
  id: "exhaustion.liquidation-spike",
  category: "exhaustion",
  formula:
    "x = −m · w · max(0, ln s), m = the window's move in day-σ units, s = window liquidation USD per minute / the 24 h mean per minute, w = share liquidated on the losing side of the move; " +
    "score = tanh(z(x)); confidence = min(1, liquidations / liqFullConfidenceCount); value = x",
  units: "σ × ln(liquidation rate ratio) (+ = longs flushed after a fall)",
  differs:
    "Fades the move once its losers are flushed: liq.imbalance and liq.intensity follow the forced side while it is being liquidated, positioning.capitulation needs " +
    "open interest to fall and funding to reset, exhaustion.volume-climax reads all volume rather than forced orders.",
  scale: { center: 0, prior: 1.5 },
  feeds: ["trade", "liquidation"],
  compute({ bars, windowMs, window: lw, venues, liq, params }, self) {
    const w = exhaustionWindow(bars, windowMs);
    if (typeof w === "string") return unavailable(w);
    const total = lw.longLiqNotionalUsd + lw.shortLiqNotionalUsd;
    const count = lw.longLiqCount + lw.shortLiqCount;
    if (total === 0) return directional(self, 0, 0, 0);
    const stats = liq.minuteStats();
    if (stats.minutes < MIN_BASELINE_MINUTES) return unavailable(`warming up: ${stats.minutes} of ${MIN_BASELINE_MINUTES} minutes of liquidation history`);
    if (!(stats.mean > 0)) return unavailable("no liquidation in the held history to compare the window with");
    const s = total / (windowMs / 60_000) / stats.mean;
    const losing = w.move > 0 ? lw.shortLiqNotionalUsd : w.move < 0 ? lw.longLiqNotionalUsd : 0;
    const x = -w.move * (losing / total) * Math.max(0, Math.log(s));
    return directional(self, x, support(count, params.liqFullConfidenceCount), x, liquidationSampling(venues));
  },
};
