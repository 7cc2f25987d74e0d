/**
 * `positioning.trapped`: positions opened in the window by aggressive traders that are now
 * underwater. Takers who opened longs above the current price (or shorts below it) are trapped:
 * their stops, liquidations and capitulation push price further against them (trapped longs
 * sell: bearish; trapped shorts buy: bullish). Openers in profit are not trapped and add nothing.
 *
 * Entries are estimated per segment: base open interest is known at the window starts of the
 * three timeframes (1, 5, 60 minutes back), so the 1h window is cut into [−60, −5), [−5, −1) and
 * [−1, 0) minutes, the 5m window into [−5, −1) and [−1, 0), the 1m window is one segment. Minute
 * open-interest changes are not available (no base open interest at arbitrary times). Attributing
 * new contracts to the taker side is a judgment (off by default in the level map,
 * docs/liquidation-model.md), not a venue fact.
 *
 * - per segment k: ΔOIₖ = Σ base OI change over venues known at both ends; Vₖ = VWAP of the
 *   segment's trades (all venues), imbₖ = (B − S)/(B + S) of their taker qty
 * - qₖ = max(0, ΔOIₖ) · imbₖ: base units opened net by aggressive buyers (+) or sellers (−)
 * - trapped when qₖ · (P − Vₖ) < 0 (P = last trade): contributes |qₖ| · (P − Vₖ) USD, the loss
 *   signed toward the trapped side's forced exit (longs: negative)
 * - value = Σ contributions (USD); x = 10⁴ · value / (OI_now · P): bps of the open interest's notional
 * - score = tanh(z(x)), center 0, prior σ 0.002 (1m), 0.005 (5m), 0.05 (1h) bps (a judgment, not calibrated)
 * - confidence = OI confidence · min(1, trades / tradeFullConfidenceCount)
 * - segments without trades or without new open interest contribute 0
 * - unavailable before the first trade, when open interest is stale or unknown at the window start
 */
import { directional, imbalance, support, unavailable, type CardDefinition, prints, sideUnknown } from "../card.js";
import { oiBaseAtStartOf, oiChange, timeframesByLength } from "../open-interest/oi-measures.js";

export const positioningTrapped: CardDefinition = {
  id: "positioning.trapped",
  category: "positioning",
  formula:
    "x = 10⁴ · Σₖ |qₖ|·(P − Vₖ) [over segments with qₖ·(P − Vₖ) < 0] / (OI_now · P), qₖ = max(0, ΔOIₖ) · taker imbalance, Vₖ = VWAP of segment k (timeframe window starts); score = tanh(z(x)); " +
    "confidence = OI confidence · min(1, trades / tradeFullConfidenceCount); value = Σ in USD",
  units: "USD (loss of trapped aggressive openers, signed toward their forced exit)",
  differs:
    "The unrealised loss of the taker side that opened positions in the window: oi.opening-flow reads the same openers as they arrive, positioning.squeeze the funding-paying side against the window's move, vwap cards price against the VWAP without open interest.",
  scale: { center: 0, prior: { "1m": 0.002, "5m": 0.005, "1h": 0.05 } },
  feeds: ["oi", "trade"],
  compute(input, self) {
    const p = input.price;
    if (p === null) return unavailable(input.priceReason ?? "no trade price yet");
    const c = oiChange(input);
    if (typeof c === "string") return unavailable(c);
    const blind = sideUnknown(input.window);
    if (blind !== null) return unavailable(blind);
    const tfs = timeframesByLength(input).filter((tf) => input.timeframes[tf].windowMs <= input.windowMs);
    let value = 0;
    for (let j = tfs.length - 1; j >= 0; j--) {
      const outer = input.timeframes[tfs[j]].window;
      const inner = j > 0 ? input.timeframes[tfs[j - 1]].window : null;
      const trades = prints(outer) - (inner === null ? 0 : prints(inner));
      if (trades === 0) continue;
      const start = oiBaseAtStartOf(input, tfs[j]);
      const end = j > 0 ? oiBaseAtStartOf(input, tfs[j - 1]) : null;
      let opened = 0;
      for (const v of input.oi.venues) {
        const a = start[v.venue];
        const b = end === null ? v.base : end[v.venue];
        if (a !== null && a !== undefined && b !== null && b !== undefined) opened += b - a;
      }
      if (!(opened > 0)) continue;
      const buyQty = outer.buyQty - (inner?.buyQty ?? 0);
      const sellQty = outer.sellQty - (inner?.sellQty ?? 0);
      const usd = outer.buyNotionalUsd + outer.sellNotionalUsd - (inner === null ? 0 : inner.buyNotionalUsd + inner.sellNotionalUsd);
      const vwap = usd / (buyQty + sellQty);
      const q = opened * imbalance(buyQty, sellQty);
      if (q * (p - vwap) < 0) value += Math.abs(q) * (p - vwap);
    }
    const x = (1e4 * value) / ((input.oi.base as number) * p);
    return directional(self, x, c.confidence * support(prints(input.window), input.params.tradeFullConfidenceCount), value);
  },
};
