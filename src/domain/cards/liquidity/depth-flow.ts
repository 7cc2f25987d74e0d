/**
 * `liquidity.depth-flow`: which side of the book near the price is thinning, fills included
 * (the book's order-flow imbalance).
 *
 * The net change of resting depth per side over the window (added minus removed, whether
 * removed by a cancel or a fill) is the multi-level order-flow imbalance; divided by the depth
 * it is what moves the mid (Cont, Kukanov & Stoikov 2014, "The price impact of order book
 * events": ΔP ≈ OFI / depth; Xu, Gould & Howison 2018 for several levels). Bids growing while
 * asks thin is bullish.
 *
 * - band and depth as in `book-traffic.ts` (0.1 % for 1m and 5m, 1 % for 1h)
 * - x = ((bidAdded − bidRemoved) − (askAdded − askRemoved)) / resting USD in the band (both
 *   sides, at the boundary); score = tanh(z(x)), center 0, prior σ 0.3
 * - confidence = min(1, (added + removed, both sides) / resting USD in the band)
 * - value = (bidAdded − bidRemoved) − (askAdded − askRemoved) (USD)
 * - a window without changes is a measured 0 (confidence 0)
 * - unavailable while no book is synced, a side is empty, or the band holds no depth
 *
 * Cost: O(1) after the shared inputs.
 */
import { directional, support, unavailable, type CardDefinition } from "../card.js";
import { bookTraffic } from "./book-traffic.js";

export const liquidityDepthFlow: CardDefinition = {
  id: "liquidity.depth-flow",
  category: "liquidity",
  formula:
    "x = ((bidAdded − bidRemoved) − (askAdded − askRemoved)) / resting USD near mid, removed including fills (window); " +
    "score = tanh(z(x)); confidence = min(1, traffic / resting depth); value = the numerator (USD)",
  units: "USD (net bid depth change minus net ask depth change)",
  differs:
    "What each side actually lost or gained, fills included, against the depth: liquidity.pulled and liquidity.added isolate cancels and new orders; flow.cvd reads the fills alone.",
  scale: { center: 0, prior: 0.3 },
  feeds: ["book"],
  compute(input, self) {
    const t = bookTraffic(input);
    if (typeof t === "string") return unavailable(t);
    if (t.depthUsd <= 0) return unavailable(`no resting depth within ±${t.change.bandPct} % of mid`);
    const c = t.change;
    const net = c.bidAddedUsd - c.bidRemovedUsd - (c.askAddedUsd - c.askRemovedUsd);
    const traffic = c.bidAddedUsd + c.bidRemovedUsd + c.askAddedUsd + c.askRemovedUsd;
    return directional(self, net / t.depthUsd, support(traffic, t.depthUsd), net);
  },
};
