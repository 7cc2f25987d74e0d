/**
 * `mkt.flow`: the market's net taker buying as a share of its traded notional, over the tracked
 * symbols: Σ taker delta / Σ traded notional.
 *
 * Trade `side` is the aggressor. Taker buying across the market is demand for exposure to crypto
 * as a whole, which lifts what moves with the market. Notional-weighted, so BTC and ETH weigh most,
 * as they do in the money. A judgment, not calibrated.
 *
 * - x = Σ_i (buyUsd_i − sellUsd_i) / Σ_i volumeUsd_i over the market's fresh symbols (the symbol
 *   included); volume includes bars' volume of unknown side, whose delta counts as 0 (market memory)
 * - score = tanh(z(x)), center 0, prior σ 0.2 (1m), 0.12 (5m), 0.06 (1h): flatter than one
 *   symbol's, many symbols netting out
 * - confidence = min(1, n / marketFullConfidenceSymbols), n symbols priced in the window; value = x
 * - a window without volume anywhere is a measured 0 with confidence 0; unavailable with fewer than
 *   3 symbols priced in the window
 */
import { directional, support, unavailable, type CardDefinition } from "../card.js";
import { fewSymbols } from "./market.js";

export const mktFlow: CardDefinition = {
  id: "mkt.flow",
  category: "market-context",
  formula:
    "x = Σ taker delta USD / Σ traded notional USD over the market's symbols in the window; score = tanh(z(x)); " +
    "confidence = min(1, n / marketFullConfidenceSymbols); value = x",
  units: "share of the market's traded notional (net taker buying)",
  differs:
    "The whole market's aggression weighted by notional: flow.cvd is the symbol's own taker flow, mkt.breadth counts symbols by price change rather than by who crossed the spread.",
  scale: { center: 0, prior: { "1m": 0.2, "5m": 0.12, "1h": 0.06 } },
  feeds: ["trade"],
  compute({ market, timeframe, params }, self) {
    if (!market.available) return unavailable(market.reason);
    const c = market.context;
    const n = c.breadth[timeframe].n;
    const few = fewSymbols(n, "symbols priced in the window");
    if (few !== null) return unavailable(few);
    const x = c.flow[timeframe];
    if (x === null) return directional(self, 0, 0);
    return directional(self, x, support(n, params.marketFullConfidenceSymbols));
  },
};
