/**
 * `oi.flush`: the forced part of a fall in open interest. A stress card: open interest falling
 * because positions are liquidated (not closed by choice) is leverage being wiped out, the
 * mechanism of a cascade; its side is read by `liq.imbalance`, its aftermath by
 * `positioning.capitulation`.
 *
 * - venues: those whose open-interest change is measured (oi-measures.ts); fall = max(0,
 *   OI_start − OI_now), L = liquidated qty on those venues in the window (both sides), base units
 * - x = 100 · min(fall, L) / OI_start: the share of open interest that left by liquidation, at most
 *   the fall itself (liquidations beyond the fall were replaced by new positions)
 * - strength = tanh(max(z(x), 0)), center 0, prior σ 0.02 % (1m), 0.05 % (5m), 0.2 % (1h) (a
 *   judgment, not calibrated)
 * - confidence = OI confidence · min(1, liquidations / liqFullConfidenceCount); a window without
 *   liquidations is a measured 0 with confidence 0; value = x, labelled `sampled` when a venue
 *   publishes at most one liquidation per second (Binance, OKX): L is then a lower bound
 * - unavailable when open interest is stale or unknown at the window start
 */
import { liquidationSampling, stress, support, unavailable, type CardDefinition } from "../card.js";
import { flushOf, oiChange } from "./oi-measures.js";

export const oiFlush: CardDefinition = {
  id: "oi.flush",
  category: "open-interest",
  kind: "stress",
  formula:
    "x = 100 · min(max(0, OI_start − OI_now), liquidated qty) / OI_start, base units over venues known at both ends; strength = tanh(max(z(x), 0)), score 0; " +
    "confidence = OI confidence · min(1, liquidations / liqFullConfidenceCount); value = x",
  units: "% of open interest liquidated away",
  differs:
    "Liquidations measured against the open interest they removed: liq.intensity compares liquidation notional with its own history whether or not open interest fell, oi.change reads the build-up, not the forced fall.",
  scale: { center: 0, prior: { "1m": 0.02, "5m": 0.05, "1h": 0.2 } },
  feeds: ["oi", "liquidation"],
  compute(input, self) {
    const c = oiChange(input);
    if (typeof c === "string") return unavailable(c);
    const f = flushOf(input, c);
    return stress(self, 100 * f.share, c.confidence * support(f.count, input.params.liqFullConfidenceCount), 100 * f.share, liquidationSampling(f.windows));
  },
};
