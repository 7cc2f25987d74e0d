/**
 * `oi.opening-flow`: positions opened per unit of traded volume, signed by the aggressor.
 *
 * Every new contract has a buyer and a seller; when open interest rises while takers are net
 * buyers, the aggressive side of the new contracts is long (new longs paying the spread: bullish),
 * while net taker selling makes them new shorts (bearish). Scaling by the volume makes it a rate:
 * how much of the trading opened positions, not how much trading there was. Closing windows
 * (open interest falling) read 0: who closed cannot be told apart from who opened. Attributing the
 * new contracts to the taker side is a judgment (the reading docs/liquidation-model.md leaves off
 * by default for the level map), not a venue fact.
 *
 * - venues: those whose open-interest change is measured (oi-measures.ts); B, S = taker buy and
 *   sell qty on them, base units
 * - x = max(0, ΔOI) / (B + S) · (B − S) / (B + S); 0 without trades
 * - score = tanh(z(x)), center 0, prior σ 0.1 (1m), 0.05 (5m), 0.02 (1h) (a judgment, not calibrated)
 * - confidence = OI confidence · min(1, trades / tradeFullConfidenceCount)
 * - value = max(0, ΔOI) · (B − S) / (B + S): base units opened net by aggressive buyers (+) or sellers (−)
 * - unavailable when open interest is stale or unknown at the window start
 */
import { directional, imbalance, support, unavailable, type CardDefinition } from "../card.js";
import { oiChange, tradesOn } from "./oi-measures.js";

export const oiOpeningFlow: CardDefinition = {
  id: "oi.opening-flow",
  category: "open-interest",
  formula:
    "x = max(0, ΔOI) / (B + S) · (B − S)/(B + S), ΔOI base over matched venues, B, S = taker buy and sell qty on them; score = tanh(z(x)); " +
    "confidence = OI confidence · min(1, trades / tradeFullConfidenceCount); value = max(0, ΔOI) · (B − S)/(B + S)",
  units: "base units opened net by aggressive buyers",
  differs:
    "New positions attributed to the taker side, per unit of volume; flow.cvd reads the taker imbalance whether or not positions opened, oi.quadrant signs the OI change by price instead of by aggressors.",
  scale: { center: 0, prior: { "1m": 0.1, "5m": 0.05, "1h": 0.02 } },
  feeds: ["oi", "trade"],
  compute(input, self) {
    const c = oiChange(input);
    if (typeof c === "string") return unavailable(c);
    const t = tradesOn(input.venues, c.venues);
    if (t.unsidedQty > 0) return unavailable("taker side unknown for part of the window (bars without a taker split)");
    const opened = Math.max(0, c.base - c.startBase);
    const volume = t.buyQty + t.sellQty;
    const imb = imbalance(t.buyQty, t.sellQty);
    const x = volume > 0 ? (opened / volume) * imb : 0;
    return directional(self, x, c.confidence * support(t.trades, input.params.tradeFullConfidenceCount), opened * imb);
  },
};
