/**
 * `levels.exposure`: estimated liquidation notional within one ordinary move of the price, against
 * what the market trades in the same time. A `stress` card: when the forced orders a typical move
 * would release are large next to the window's turnover, the market cannot absorb them quietly.
 *
 * - σ = the timeframe's σ of log price: σ of 10 s log returns over the last hour · √(window / 10 s)
 * - E = long levels in [P·e^(−σ), P) + short levels in (P, P·e^σ], P = last trade
 * - V = taker notional traded in the window (buy + sell, all venues)
 * - x = E / V; strength = tanh(max(z(x), 0)), center rolling (the symbol's own usual E/V, prior
 *   center 0.03), prior σ 0.03; score 0; value = E (USD)
 * - confidence = min(min(1, trades / tradeFullConfidenceCount), min(1, OI cohorts / levelFullConfidenceCohorts));
 *   a window without trades is available with confidence 0 and x = 0 (no turnover to compare with)
 * - unavailable before the first trade and while fewer than two 10 s returns exist for σ
 *
 * Why: forced orders are market orders; their price impact depends on their size against the
 * liquidity the market provides over the same time (volume is the usual yardstick of impact, e.g.
 * the square-root law, Tóth et al., "Anomalous price impact and the critical nature of liquidity in
 * financial markets", PRX 2011). The one σ reach and the priors are a judgment, not calibrated; the
 * levels are estimated (docs/liquidation-model.md).
 */
import { stress, support, unavailable, type CardDefinition, prints } from "../card.js";
import { nextDown, nextUp } from "../../liquidation/cascade.js";
import { levelMap, windowSigma } from "./level-map.js";

export const levelsExposure: CardDefinition = {
  id: "levels.exposure",
  category: "levels",
  kind: "stress",
  formula:
    "x = E / V, E = estimated level notional within one σ of the timeframe (σ of 10 s log returns · √(window / 10 s)) either side of price, V = window taker notional; strength = tanh(max(z(x), 0)) against the symbol's usual; " +
    "confidence = min(trades / tradeFullConfidenceCount, cohorts / levelFullConfidenceCohorts, 1); value = E",
  units: "USD (estimated level notional within one σ)",
  differs:
    "Fuel within an ordinary move measured against turnover, without a side; cascade.* weigh fuel against resting depth, levels.density-skew compares the two sides.",
  scale: { center: "rolling", priorCenter: 0.03, prior: 0.03 },
  feeds: ["oi", "trade"],
  compute({ liq, window: w, windowMs, params }, self) {
    const map = levelMap(liq);
    if (typeof map === "string") return unavailable(map);
    const sigma = windowSigma(liq, windowMs);
    if (typeof sigma === "string") return unavailable(sigma);
    const p = map.price;
    const e = map.view.sumUsd("long", p * Math.exp(-sigma), nextDown(p)) + map.view.sumUsd("short", nextUp(p), p * Math.exp(sigma));
    const v = w.buyNotionalUsd + w.sellNotionalUsd + w.unsidedNotionalUsd;
    if (v === 0) return stress(self, 0, 0, e);
    const confidence = Math.min(support(prints(w), params.tradeFullConfidenceCount), support(liq.cohorts, params.levelFullConfidenceCohorts));
    return stress(self, e / v, confidence, e);
  },
};
