/**
 * `oi.venue-rotation`: how much of the open interest moved between venues in the window. A stress
 * card: positions leaving one venue for another while the total barely moves are venue-specific
 * events (a margin or risk-limit change, a venue's own cascade, a basis or funding arbitrage
 * between venues), which the summed open interest hides. A judgment, not calibrated.
 *
 * - venues: current now and known at the window start (oi-measures.ts); sᵥ = base share of venue
 *   v in their sum now, s⁰ᵥ at the window start
 * - x = 100 · ½ Σᵥ |sᵥ − s⁰ᵥ| (the share of open interest that changed venue, %)
 * - strength = tanh(max(z(x), 0)), center 0, prior σ 0.05 % (1m), 0.1 % (5m), 0.3 % (1h)
 * - confidence = OI confidence (matched venues updated within the window); value = x
 * - unavailable below two matched venues, when open interest is stale or unknown at the window start
 */
import { stress, unavailable, type CardDefinition } from "../card.js";
import { oiChange } from "./oi-measures.js";

export const oiVenueRotation: CardDefinition = {
  id: "oi.venue-rotation",
  category: "open-interest",
  kind: "stress",
  formula:
    "x = 100 · ½ Σᵥ |sᵥ − s⁰ᵥ|, sᵥ, s⁰ᵥ = venue v's share of base OI now and at the window start (venues known at both ends); strength = tanh(max(z(x), 0)), score 0; " +
    "confidence = share of current OI updated within the window; value = x",
  units: "% of open interest that changed venue",
  differs: "Where the open interest sits, not how much there is: oi.change reads the total, which a move from one venue to another leaves unchanged.",
  scale: { center: 0, prior: { "1m": 0.05, "5m": 0.1, "1h": 0.3 } },
  feeds: ["oi"],
  compute(input, self) {
    const c = oiChange(input);
    if (typeof c === "string") return unavailable(c);
    if (c.venues.length < 2) return unavailable("fewer than two venues deliver open interest known at both ends of the window");
    if (!(c.base > 0)) return unavailable("open interest of the matched venues is zero now");
    let moved = 0;
    for (const v of input.oi.venues) {
      if (v.base === null || v.startBase === null) continue;
      moved += Math.abs(v.base / c.base - v.startBase / c.startBase);
    }
    return stress(self, 50 * moved, c.confidence);
  },
};
