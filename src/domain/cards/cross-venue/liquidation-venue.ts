/**
 * `xv.liquidation-venue` (stress): how far the window's liquidations sit on other venues than its
 * trading does.
 *
 * Where leverage is spread evenly, each venue's share of the liquidations follows its share of the
 * volume. A venue that liquidates far more than it trades is having its own squeeze: its traders
 * were more levered or more one-sided, its mark or index moved apart, or its risk engine is
 * closing positions the other venues keep. A venue-specific stress with no direction by itself
 * (liq.imbalance reads the side). Venues differ lastingly (leverage caps, which venues publish every
 * liquidation), so the center is the symbol's own usual. A judgment, not calibrated.
 *
 * - venues that deliver both trades and liquidations; L_v = venue v's share of their liquidation
 *   notional in the window, V_v its share of their traded notional (taker and bars' volume)
 * - x = ½ Σ_v |L_v − V_v| (0 to 1); strength = tanh(max(z(x), 0)), center rolling (prior center
 *   0.3), prior σ 0.25; score 0
 * - confidence = min(1, liquidations / liqFullConfidenceCount); value = x; labelled `sampled` when a
 *   venue with liquidations in the window publishes at most one per second (Binance, OKX: their
 *   share is a lower bound, so the shares lean toward Bybit and Hyperliquid, which publish all)
 * - a window without liquidations is a measured 0 (confidence 0); unavailable below two venues
 *   delivering both trades and liquidations, and when those venues traded nothing in the window
 *
 * Cost: O(venues).
 */
import { liquidationSampling, stress, support, unavailable, type CardDefinition } from "../card.js";
import type { VenueWindow } from "../../inputs/venue-windows.js";
import { volumeUsd } from "./venues.js";

function liquidatedUsd(v: VenueWindow): number {
  return v.window.longLiqNotionalUsd + v.window.shortLiqNotionalUsd;
}

export const xvLiquidationVenue: CardDefinition = {
  id: "xv.liquidation-venue",
  category: "cross-venue",
  kind: "stress",
  formula:
    "x = ½ Σ_v |L_v − V_v|, L_v and V_v = venue v's share of the window's liquidation notional and of its traded notional, over venues delivering both; strength = tanh(max(z(x), 0)) against the symbol's usual; " +
    "confidence = min(1, liquidations / liqFullConfidenceCount); value = x",
  units: "share of liquidation notional away from the venues' volume shares (0 to 1)",
  differs:
    "Which venue the forced flow comes from against where the trading is; liq.* cards read the liquidations of all venues together, oi.venue-rotation where positions move, xv.volume-shift where trading moves.",
  scale: { center: "rolling", priorCenter: 0.3, prior: 0.25 },
  feeds: ["trade", "liquidation"],
  compute({ venues, params }, self) {
    const both = venues.filter((v) => v.last !== null && v.liquidationSampling !== null);
    if (both.length < 2) return unavailable("fewer than two venues deliver both trades and liquidations");
    let liquidated = 0;
    let traded = 0;
    let count = 0;
    for (const v of both) {
      liquidated += liquidatedUsd(v);
      traded += volumeUsd(v.window);
      count += v.window.longLiqCount + v.window.shortLiqCount;
    }
    if (liquidated === 0) return stress(self, 0, 0);
    if (traded === 0) return unavailable("the venues with liquidations traded nothing in the window");
    let apart = 0;
    for (const v of both) apart += Math.abs(liquidatedUsd(v) / liquidated - volumeUsd(v.window) / traded);
    return stress(self, apart / 2, support(count, params.liqFullConfidenceCount), apart / 2, liquidationSampling(both));
  },
};
