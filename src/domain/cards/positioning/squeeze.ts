/**
 * `positioning.squeeze`: the crowded side losing money. When funding says longs pay (they are the
 * crowded side) and price falls, the crowd is underwater; its stops and liquidations sell into
 * the fall (a long squeeze: bearish). Negative funding with price rising squeezes shorts, whose
 * forced buying lifts price further (bullish). A price move with the crowd is not a squeeze and
 * reads 0. The card follows the move.
 *
 * Open interest is not a factor: whether it is "high" needs more history than the hour held, and
 * the crowd's existence is read from funding. The long/short account ratios are published on no
 * feed liqflow has. A judgment, not calibrated.
 *
 * - r = 100 · ln(close / open) of the window's trades (all venues); e = funding excess over
 *   fundingBaselineRate, bps per 8 h (positioning/funding-excess.ts)
 * - x = r · |e| when r and e have opposite signs (price against the paying side), else 0
 * - score = tanh(z(x)), center 0, prior σ 0.25 (1m), 0.6 (5m), 2.5 (1h) %·bps (σ_r · σ_e / 2, σ_e = 5 bps)
 * - confidence = min(1, trades / tradeFullConfidenceCount) · funding coverage; a window without
 *   trades is a measured 0 with confidence 0; value = x
 * - unavailable when no funding rate is known in the window
 */
import { directional, support, unavailable, type CardDefinition, prints } from "../card.js";
import { fundingExcess } from "./funding-excess.js";

export const positioningSqueeze: CardDefinition = {
  id: "positioning.squeeze",
  category: "positioning",
  formula:
    "x = r · |e| if r · e < 0 else 0, r = 100 · ln(close/open) of the window's trades, e = window funding − fundingBaselineRate in bps per 8 h; score = tanh(z(x)); " +
    "confidence = min(1, trades / tradeFullConfidenceCount) · funding coverage; value = x",
  units: "% · bps (price move against the paying side × its funding excess)",
  differs:
    "Price moving against the side funding says is crowded: momentum.return reads the move whoever it hurts, funding.rate the crowding whether or not it is losing, positioning.trapped the taker side that opened in the window.",
  scale: { center: 0, prior: { "1m": 0.25, "5m": 0.6, "1h": 2.5 } },
  feeds: ["trade", "mark"],
  compute(input, self) {
    const f = fundingExcess(input);
    if (typeof f === "string") return unavailable(f);
    const w = input.window;
    const r = w.open === null || w.close === null ? 0 : 100 * Math.log(w.close / w.open);
    const e = 1e4 * f.mean;
    const x = r * e < 0 ? r * Math.abs(e) : 0;
    return directional(self, x, support(prints(w), input.params.tradeFullConfidenceCount) * f.coverage);
  },
};
