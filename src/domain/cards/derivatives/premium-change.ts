/**
 * `derivatives.premium-change`: how far the premium moved over the window, read as demand arriving
 * on the perpetual and followed.
 *
 * A premium that widens means buyers of the perpetual are paying up faster than spot moves: fresh
 * leveraged demand. Derivatives lead spot in crypto price discovery (Alexander, Choi, Park & Sohn
 * 2020, "BitMEX bitcoin derivatives: price discovery, informational efficiency, and hedging
 * effectiveness", J. Futures Markets), so the card follows the change: widening leans bullish,
 * narrowing bearish. That the same premium, once built, is a crowded long side is the
 * `derivatives.premium` card's reading; a judgment, not calibrated.
 *
 * - Δ = mean over venues known now and at the window start of (premium now − premium in force at the
 *   window start), bps of index
 * - x = Δ; score = tanh(z(x)), center 0, prior σ 1 bps (1m), 2 bps (5m), 4 bps (1h)
 * - confidence = venues known at both ends / venues that send an index; value = Δ (bps)
 * - unavailable until a mark carried an index price, and when no venue knows its premium both now
 *   and at the window start (a venue appearing mid-window is not a change)
 */
import { directional, unavailable, type CardDefinition } from "../card.js";
import { NO_INDEX_REASON, NO_PATH_REASON, premiumChange } from "./premium-path.js";

export const derivativesPremiumChange: CardDefinition = {
  id: "derivatives.premium-change",
  category: "derivatives",
  formula:
    "x = mean over venues of (premium now − premium at the window start), bps; score = tanh(z(x)) (follow: a widening premium is demand arriving on the perp); " +
    "confidence = venues known at both ends / venues with an index; value = x",
  units: "bps of index",
  differs:
    "The premium's displacement over the window, not its level (derivatives.premium) nor the shape of its path (derivatives.premium-acceleration); funding.drift reads the charged funding's change, which lags it by the funding interval.",
  scale: { center: 0, prior: { "1m": 1, "5m": 2, "1h": 4 } },
  feeds: ["mark"],
  compute({ premium }, self) {
    if (premium.length === 0) return unavailable(NO_INDEX_REASON);
    const change = premiumChange(premium);
    if (change.venues === 0) return unavailable(NO_PATH_REASON);
    return directional(self, change.bps, change.venues / premium.length);
  },
};
