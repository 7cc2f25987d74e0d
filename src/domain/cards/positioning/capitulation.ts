/**
 * `positioning.capitulation`: a crowd forced out and no longer paying. Open interest falls by
 * liquidation (`oi.flush`) while funding returns toward the neutral rate: the side that was
 * paying to hold its positions has been cleared, so the selling (long capitulation) or buying
 * (short squeeze's end) that drove the move is spent. The card is contrarian to the liquidated
 * side: liquidated longs with funding normalising lean bullish, liquidated shorts bearish.
 * Capitulation as exhaustion of forced flow is the classic reading of a liquidation flush that
 * resets funding; a judgment, not calibrated.
 *
 * - F = 100 · min(max(0, OI_start − OI_now), liquidated qty) / OI_start on the venues whose
 *   open-interest change is measured (the statistic of `oi.flush`)
 * - imb = (shortUsd − longUsd) / (shortUsd + longUsd) of those venues' liquidations (+: shorts liquidated)
 * - reset = max(0, |ē| − |eₙ|) in bps per 8 h: how far funding came back toward the baseline, ē the
 *   window's time-weighted mean and eₙ the latest rate (8-hour equivalents − fundingBaselineRate,
 *   coverage-weighted over the venues with a current rate; now − mean is about half the window's
 *   change for a steady drift)
 * - x = −imb · F · reset (0 without liquidations, a fall in open interest or a funding reset)
 * - score = tanh(z(x)), center 0, prior σ 0.001 (1m), 0.008 (5m), 0.1 (1h) %·bps
 * - confidence = OI confidence · min(1, liquidations / liqFullConfidenceCount) · funding coverage;
 *   value = x, labelled `sampled` when a venue publishes at most one liquidation per second
 * - unavailable when open interest is stale or unknown at the window start, or no funding rate
 *   is known in the window or current
 */
import { directional, imbalance, liquidationSampling, support, unavailable, type CardDefinition } from "../card.js";
import { flushOf, oiChange } from "../open-interest/oi-measures.js";
import { fundingExcess } from "./funding-excess.js";

export const positioningCapitulation: CardDefinition = {
  id: "positioning.capitulation",
  category: "positioning",
  formula:
    "x = −imb · F · reset, F = 100·min(OI fall, liquidated qty)/OI_start, imb = (shortUsd − longUsd)/(shortUsd + longUsd) liquidated, reset = max(0, |ē| − |eₙ|) funding excess bps per 8 h (window mean vs latest); " +
    "score = tanh(z(x)) (contrarian to the liquidated side); confidence = OI confidence · min(1, liquidations / liqFullConfidenceCount) · funding coverage; value = x",
  units: "% · bps (forced OI fall × liquidation side × funding reset)",
  differs:
    "The end of a flush: oi.flush measures the forced fall without direction, liq.imbalance follows the liquidated side while it is being liquidated; this card fades that side once funding has reset.",
  scale: { center: 0, prior: { "1m": 0.001, "5m": 0.008, "1h": 0.1 } },
  feeds: ["oi", "liquidation", "mark"],
  compute(input, self) {
    const c = oiChange(input);
    if (typeof c === "string") return unavailable(c);
    const f = fundingExcess(input);
    if (typeof f === "string") return unavailable(f);
    if (f.current === null) return unavailable("no current funding rate");
    const flush = flushOf(input, c);
    const reset = Math.max(0, 1e4 * (Math.abs(f.current.mean) - Math.abs(f.current.now)));
    const x = -imbalance(flush.shortUsd, flush.longUsd) * (100 * flush.share) * reset;
    const confidence = c.confidence * support(flush.count, input.params.liqFullConfidenceCount) * f.coverage;
    return directional(self, x, confidence, x, liquidationSampling(flush.windows));
  },
};
