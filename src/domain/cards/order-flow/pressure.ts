/**
 * `flow.pressure`: the window's net taker buying in USD against the volume the symbol usually
 * trades in a window that long.
 *
 * Trade `side` is the aggressor. `flow.cvd` says how one-sided the window was; a window can be
 * 80 % buying on a trickle of volume or 20 % buying on five times the usual volume. Net
 * aggressive volume measured against normal activity is the order-flow imbalance that moves
 * prices (Cont, Kukanov & Stoikov 2014, "The price impact of order book events", find price
 * changes linear in order-flow imbalance scaled by depth; usual volume stands in for depth here,
 * a judgment, not calibrated).
 *
 * - usual = Σ buyUsd + sellUsd of the complete minute bars since the first traded minute (at most
 *   the 24 h the bars hold, quiet minutes included, the window's own minutes too) / those minutes
 * - x = (buyUsd − sellUsd of the window, all venues) / (usual · window minutes)
 * - score = tanh(z(x)), center 0, prior σ 0.3 (1m), 0.2 (5m), 0.1 (1h): a judgment, as `flow.cvd`
 * - confidence = min(trades / tradeFullConfidenceCount, minutes of bars / 240, 1); value = buyUsd − sellUsd
 * - unavailable "warming up: k of 60 minutes of bars" until an hour of bars backs the usual volume;
 *   a window without trades is a measured 0 (confidence 0)
 *
 * Cost: the day's baseline is summed once per cycle (`dayBaseline`, shared with other bar cards).
 */
import { directional, support, unavailable, type CardDefinition, prints, sideUnknown } from "../card.js";
import { MINUTE_MS } from "../../inputs/bar-ring.js";
import { dayBaseline, MIN_BASELINE_MINUTES, warmingUp } from "../bar-window.js";

/** Minutes of bars for full confidence in the usual volume. */
const FULL_BASELINE_MINUTES = 240;

export const flowPressure: CardDefinition = {
  id: "flow.pressure",
  category: "order-flow",
  formula:
    "x = (buyUsd − sellUsd) of the window / (usual USD volume per minute over the held bars, ≤ 24 h · window minutes); score = tanh(z(x)); " +
    "confidence = min(trades / tradeFullConfidenceCount, bar minutes / 240, 1); value = buyUsd − sellUsd",
  units: "USD (net taker buying)",
  differs:
    "Net taker USD against the symbol's usual volume, so a heavy one-sided window outweighs a thin one; flow.cvd divides by the window's own volume and reads both the same, volume cards read activity without side.",
  scale: { center: 0, prior: { "1m": 0.3, "5m": 0.2, "1h": 0.1 } },
  feeds: ["trade"],
  compute({ window: w, bars, windowMs, params }, self) {
    const cold = warmingUp(bars, MIN_BASELINE_MINUTES);
    if (cold !== null) return unavailable(cold);
    const blind = sideUnknown(w);
    if (blind !== null) return unavailable(blind);
    const { minutes: held, usd } = dayBaseline(bars);
    if (!(usd > 0)) return unavailable("no traded volume in the held bars");
    const usual = (usd / held) * (windowMs / MINUTE_MS);
    const net = w.buyNotionalUsd - w.sellNotionalUsd;
    const confidence = Math.min(support(prints(w), params.tradeFullConfidenceCount), support(held, FULL_BASELINE_MINUTES));
    return directional(self, net / usual, confidence, net);
  },
};
