/**
 * `oi.quadrant`: the four quadrants of open-interest change against price, in one number.
 *
 * The classic futures reading of open interest with price (a practice of futures desks, not a
 * calibrated result): new contracts opened while price rises are new longs paying up (bullish
 * continuation); opened while price falls, new shorts pressing (bearish continuation); price
 * rising while open interest falls is short covering (weakly bullish: buying that ends when the
 * shorts are out); falling with open interest falling is long liquidation (weakly bearish).
 *
 * - d = 100 · ΔOI / OI_start (base units, matched venues, oi-measures.ts); r = 100 · ln(close / open)
 *   of the window's trades (all venues)
 * - x = sign(r) · w · √(|d| · |r|), w = 1 when open interest rose, ½ when it fell (closing
 *   quadrants are the weak ones; the ½ is a judgment, not calibrated); x = 0 when d or r is 0.
 *   The geometric mean keeps x in % and makes it large only when both moved.
 * - score = tanh(z(x)), center 0, prior σ 0.1 % (1m), 0.25 % (5m), 1 % (1h) (√ of the priors of d and r)
 * - confidence = OI confidence (matched venues updated within the window) · min(1, trades /
 *   tradeFullConfidenceCount); a window without trades is a measured 0 with confidence 0; value = x
 * - unavailable when open interest is stale or unknown at the window start
 */
import { directional, support, unavailable, type CardDefinition, prints } from "../card.js";
import { oiChange } from "./oi-measures.js";

export const oiQuadrant: CardDefinition = {
  id: "oi.quadrant",
  category: "open-interest",
  formula:
    "x = sign(r) · w · √(|d| · |r|), d = ΔOI % (base, matched venues), r = 100 · ln(close/open) of the window's trades, w = 1 if OI rose, ½ if it fell; score = tanh(z(x)); " +
    "confidence = OI confidence · min(1, trades / tradeFullConfidenceCount); value = x",
  units: "% (geometric mean of the OI change and the price return, signed)",
  differs:
    "Open-interest change read with the window's price move (new longs, new shorts, covering, long liquidation); oi.opening-flow reads it with taker flow instead, oi.change without direction, positioning.chase with the move of the window before.",
  scale: { center: 0, prior: { "1m": 0.1, "5m": 0.25, "1h": 1 } },
  feeds: ["oi", "trade"],
  compute(input, self) {
    const c = oiChange(input);
    if (typeof c === "string") return unavailable(c);
    const w = input.window;
    const trades = prints(w);
    const r = w.open === null || w.close === null ? 0 : 100 * Math.log(w.close / w.open);
    const d = 100 * c.change;
    const weight = d > 0 ? 1 : 0.5;
    const x = Math.sign(r) * weight * Math.sqrt(Math.abs(d) * Math.abs(r));
    return directional(self, x, c.confidence * support(trades, input.params.tradeFullConfidenceCount));
  },
};
