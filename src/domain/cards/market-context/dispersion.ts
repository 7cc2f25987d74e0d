/**
 * `mkt.dispersion` (stress): how far apart the tracked symbols' window returns are, against what
 * is usual: a market where coins move on their own stories rather than together.
 *
 * When dispersion is high the market factor explains less of each coin's move, so market-wide
 * readings (breadth, BTC) say less about any one symbol and the symbols' own signals more; it has
 * no direction. Cross-sectional dispersion grows with the window about as √time for diffusive
 * returns, so it is read per √minute to share one neutral level across timeframes (a judgment, not
 * calibrated).
 *
 * - d = sample standard deviation of the window log returns of the market's fresh symbols priced in
 *   the window (n of them, the symbol included; market memory)
 * - x = d / √(window minutes); strength = tanh(max(z(x), 0)), score 0, center rolling from 0.08 %
 *   per √minute, prior σ 0.04 % (only dispersion above the usual is stress)
 * - confidence = min(1, n / marketFullConfidenceSymbols); value = d
 * - unavailable with fewer than 3 symbols priced in the window
 */
import { stress, support, unavailable, type CardDefinition } from "../card.js";
import { windowMinutes } from "../bar-window.js";
import { fewSymbols } from "./market.js";

export const mktDispersion: CardDefinition = {
  id: "mkt.dispersion",
  kind: "stress",
  category: "market-context",
  formula:
    "x = d / √(window minutes), d = cross-sectional standard deviation of the market's window log returns; strength = tanh(max(z(x), 0)), score 0 (rolling center); " +
    "confidence = min(1, n / marketFullConfidenceSymbols); value = d",
  units: "log return (cross-sectional standard deviation)",
  differs:
    "How differently the symbols moved, not how much any one did: vol.* cards read the symbol's own volatility, mkt.relative-basket where the symbol sits in this spread (signed).",
  scale: { center: "rolling", priorCenter: 0.0008, prior: 0.0004 },
  feeds: ["trade"],
  compute({ market, timeframe, windowMs, params }, self) {
    if (!market.available) return unavailable(market.reason);
    const c = market.context;
    const n = c.breadth[timeframe].n;
    const few = fewSymbols(n, "symbols priced in the window");
    if (few !== null) return unavailable(few);
    const d = c.dispersion[timeframe];
    if (d === null) return unavailable("no dispersion in the market context");
    return stress(self, d / Math.sqrt(windowMinutes(windowMs)), support(n, params.marketFullConfidenceSymbols), d);
  },
};
