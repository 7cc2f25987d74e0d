/**
 * `levels.build-up`: estimated liquidation notional accumulating near the price. New leveraged
 * positions opened near the current price put their liquidation levels close by; the more of them
 * pile up, the more fragile the market is to a move either way. A `stress` card: no direction (new
 * open interest places as many long as short positions at the default takerSkew of 0).
 *
 * - r = magnetRangePct[timeframe]; N = estimated long and short level notional within ±r % of the
 *   last trade (the card's value)
 * - N₀ = the card's own value historyCycles cycles ago (60 s at the defaults) on this timeframe
 * - x = (N − N₀) / max(N, N₀), in [−1, 1], 0 when both are 0; strength = tanh(max(z(x), 0)), center 0,
 *   prior σ 0.05 (1m), 0.03 (5m), 0.02 (1h); score 0
 * - confidence = min(1, OI cohorts / levelFullConfidenceCohorts)
 * - while fewer than historyCycles previous values exist, or N₀ is missing (the map was unavailable
 *   then), the card is available with confidence 0 and x = 0: it must publish N to build the history
 *   it reads (an unavailable card's value is not kept), and a confidence-0 sample never joins its scale
 * - unavailable before the first trade
 *
 * N moves with price too (a move sweeps the levels it crosses and brings others into range), so the
 * card reads "more fuel near price than a minute ago", whatever put it there. A judgment, not
 * calibrated; the levels are estimated (docs/liquidation-model.md).
 */
import { stress, support, unavailable, type CardDefinition } from "../card.js";
import { fuelNear, levelMap } from "./level-map.js";

export const levelsBuildUp: CardDefinition = {
  id: "levels.build-up",
  category: "levels",
  kind: "stress",
  formula:
    "x = (N − N₀) / max(N, N₀), N = estimated level notional within ±magnetRangePct[tf] of price, N₀ = its value historyCycles cycles ago; strength = tanh(max(z(x), 0)); " +
    "confidence = min(1, cohorts / levelFullConfidenceCohorts), 0 until N₀ exists; value = N",
  units: "USD (estimated level notional near price)",
  differs:
    "The growth of the fuel near price over the last cycles, without a side; levels.density-skew and levels.magnet read where the fuel is now, open-interest cards the open interest itself.",
  history: true,
  scale: { center: 0, prior: { "1m": 0.05, "5m": 0.03, "1h": 0.02 } },
  feeds: ["oi", "trade"],
  compute({ liq, params, timeframe }, self) {
    const map = levelMap(liq);
    if (typeof map === "string") return unavailable(map);
    const { up, down } = fuelNear(map.view, map.price, params.magnetRangePct[timeframe]);
    const n = up + down;
    const k = params.historyCycles;
    const before = self.previous.length >= k ? self.previous[k - 1] : null;
    if (before === null) return stress(self, 0, 0, n);
    const most = Math.max(n, before);
    return stress(self, most > 0 ? (n - before) / most : 0, support(liq.cohorts, params.levelFullConfidenceCohorts), n);
  },
};
