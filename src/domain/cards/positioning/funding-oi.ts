/**
 * `positioning.funding-oi`: funding and open interest moving together or apart.
 *
 * Funding rises when perpetuals trade rich to the index, i.e. when buyers press. If open
 * interest rises with it, the buying is new longs (leverage entering long: bullish while it
 * lasts); if open interest falls while funding rises, the buying is shorts covering (a rally of
 * exits, which ends when they are out: bearish). The mirror: funding falling with open interest
 * rising is new shorts (bearish), with open interest falling, longs closing (a sell-off of exits:
 * bullish). In one product: funding moves backed by new positions are followed, funding moves
 * made by closing positions are faded. A judgment, not calibrated.
 *
 * - Δf = latest funding − the window's time-weighted mean, bps per 8 h (8-hour equivalents,
 *   coverage-weighted over venues with a current rate; about half the window's change for a
 *   steady drift)
 * - d = 100 · ΔOI / OI_start (base, matched venues, open-interest/oi-measures.ts)
 * - x = Δf · d; score = tanh(z(x)), center 0, prior σ 0.01 (1m), 0.075 (5m), 1 (1h) bps·%
 *   (σ_Δf 0.1, 0.3, 1 bps times σ_d 0.1, 0.25, 1 %)
 * - confidence = OI confidence · funding coverage; value = x
 * - unavailable when open interest is stale or unknown at the window start, or no funding rate
 *   is known in the window or current
 */
import { directional, unavailable, type CardDefinition } from "../card.js";
import { oiChange } from "../open-interest/oi-measures.js";
import { fundingExcess } from "./funding-excess.js";

export const positioningFundingOi: CardDefinition = {
  id: "positioning.funding-oi",
  category: "positioning",
  formula:
    "x = Δf · d, Δf = latest − window-mean funding (8 h equivalent, bps), d = ΔOI % (base, matched venues); score = tanh(z(x)); " +
    "confidence = OI confidence · funding coverage; value = x",
  units: "bps · % (funding change × OI change)",
  differs:
    "The change of funding read with the change of open interest: positioning.crowding reads the funding level against new open interest (contrarian), oi.quadrant the OI change against price.",
  scale: { center: 0, prior: { "1m": 0.01, "5m": 0.075, "1h": 1 } },
  feeds: ["oi", "mark"],
  compute(input, self) {
    const c = oiChange(input);
    if (typeof c === "string") return unavailable(c);
    const f = fundingExcess(input);
    if (typeof f === "string") return unavailable(f);
    if (f.current === null) return unavailable("no current funding rate");
    const x = 1e4 * (f.current.now - f.current.mean) * (100 * c.change);
    return directional(self, x, c.confidence * f.coverage);
  },
};
