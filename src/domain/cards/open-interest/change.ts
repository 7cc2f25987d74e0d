/**
 * `oi.change`: how much open interest the window added, as a share of the open interest at its
 * start. A stress card: new open interest is new leverage (fuel for a larger move either way),
 * but by itself it says nothing of direction (every contract has a long and a short holder);
 * the direction is read by `oi.quadrant` (with price) and `oi.opening-flow` (with taker flow).
 *
 * - x = 100 · (OI_now − OI_start) / OI_start, base units summed over the venues current now and
 *   known at the window start (src/domain/cards/open-interest/oi-measures.ts)
 * - strength = tanh(max(z(x), 0)), center 0, prior σ 0.1 % (1m), 0.25 % (5m), 1 % (1h): only a
 *   build-up above what is usual is stress; a fall reads strength 0 (`oi.flush` reads the forced
 *   part of a fall). A judgment, not calibrated.
 * - confidence = share of current open interest on matched venues that updated within the window
 *   (no update in the window: a measured change of 0 with confidence 0); value = x
 * - unavailable when no venue's open interest is current (older than inputs.oiStaleMs) or none
 *   was known at the window start
 */
import { stress, unavailable, type CardDefinition } from "../card.js";
import { oiChange } from "./oi-measures.js";

export const oiChangeCard: CardDefinition = {
  id: "oi.change",
  category: "open-interest",
  kind: "stress",
  formula:
    "x = 100 · (OI_now − OI_start) / OI_start, base units over venues known at both ends; strength = tanh(max(z(x), 0)), score 0; " +
    "confidence = share of current OI on matched venues updated within the window; value = x",
  units: "% of open interest",
  differs:
    "Leverage added in the window with no direction; oi.quadrant and oi.opening-flow sign it by price and by taker flow, oi.acceleration compares its pace with the window before, positioning.leverage-build nets out the price range.",
  scale: { center: 0, prior: { "1m": 0.1, "5m": 0.25, "1h": 1 } },
  feeds: ["oi"],
  compute(input, self) {
    const c = oiChange(input);
    if (typeof c === "string") return unavailable(c);
    return stress(self, 100 * c.change, c.confidence);
  },
};
