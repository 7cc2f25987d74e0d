/**
 * `liquidity.turnover`: how many times a minute the book near the price is rewritten.
 *
 * Depth added plus depth removed over the window, against the depth that rests there: a book
 * whose resting size is replaced many times a minute is fleeting, quoted by makers who reprice
 * at every tick and withdraw at the first sign of trouble (Hasbrouck & Saar 2009), and a surge of
 * it comes with repricing after news. A stress reading with no direction; a judgment, not
 * calibrated.
 *
 * - band and depth as in `book-traffic.ts` (0.1 % for 1m and 5m, 1 % for 1h)
 * - x = (added + removed, both sides) / (2 · resting USD in the band) / window minutes
 * - strength = tanh(max(z(x), 0)), center rolling (the symbol's usual, from 5 per minute),
 *   prior σ 5 (1m), 4 (5m), 3 (1h): longer windows average more
 * - confidence = min(1, levels in band / bookFullConfidenceLevels); value = x
 * - a window without changes is a measured 0
 * - unavailable while no book is synced, a side is empty, or the band holds no depth
 *
 * Cost: O(1) after the shared inputs.
 */
import { stress, support, unavailable, type CardDefinition } from "../card.js";
import { bookTraffic } from "./book-traffic.js";

export const liquidityTurnover: CardDefinition = {
  id: "liquidity.turnover",
  category: "liquidity",
  kind: "stress",
  formula:
    "x = (depth added + removed near mid, both sides, window) / (2 · resting depth) / window minutes; strength = tanh(max(z(x), 0)) against the symbol's usual; " +
    "confidence = min(1, levels in band / bookFullConfidenceLevels); value = x",
  units: "book rewrites per minute",
  differs:
    "How fast the near book is replaced, whatever the side or the reason: liquidity.cancel-ratio asks what share of it is withdrawal, spread.update-rate counts changes of the best levels only.",
  scale: { center: "rolling", priorCenter: 5, prior: { "1m": 5, "5m": 4, "1h": 3 } },
  feeds: ["book"],
  compute(input, self) {
    const t = bookTraffic(input);
    if (typeof t === "string") return unavailable(t);
    if (t.depthUsd <= 0) return unavailable(`no resting depth within ±${t.change.bandPct} % of mid`);
    const c = t.change;
    const traffic = c.bidAddedUsd + c.bidRemovedUsd + c.askAddedUsd + c.askRemovedUsd;
    const x = traffic / (2 * t.depthUsd) / (input.windowMs / 60_000);
    return stress(self, x, support(t.depth.bidLevels + t.depth.askLevels, input.params.bookFullConfidenceLevels));
  },
};
