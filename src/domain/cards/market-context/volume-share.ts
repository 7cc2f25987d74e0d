/**
 * `mkt.volume-share` (stress): the symbol's share of the market's traded notional in the window
 * against its share over the hour: attention turning to the symbol.
 *
 * A symbol whose share of the market's volume jumps is where traders are looking now (news, a
 * listing, a squeeze), whatever the market's own volume does; that says something is happening to
 * it, not which way. Read as a log ratio to its own hour, so that BTC's 40 % and a small coin's 1 %
 * share the same scale. A judgment, not calibrated.
 *
 * - s_w = own traded notional / the market's over the window, s_h = the same over 1h (market
 *   memory: fresh symbols, the symbol included; taker volume and bars' volume of unknown side)
 * - x = ln(s_w / s_h); strength = tanh(max(z(x), 0)), score 0, center 0, prior σ 0.5 (1m), 0.35 (5m)
 * - confidence = min(1, the symbol's trades in its window now / tradeFullConfidenceCount); value =
 *   s_w / s_h
 * - a window without the symbol's volume (or anyone's) is a measured low: strength 0, confidence 0,
 *   value 0; unavailable on 1h (the hour is the reference), with fewer than 3 symbols in the market,
 *   and when the symbol or the market traded nothing in the hour
 */
import { prints, stress, support, unavailable, type CardDefinition } from "../card.js";
import { fewSymbols } from "./market.js";

export const mktVolumeShare: CardDefinition = {
  id: "mkt.volume-share",
  kind: "stress",
  category: "market-context",
  formula:
    "x = ln(s_w / s_1h), s = the symbol's traded notional / the market's, over the window and over the hour (1m and 5m); strength = tanh(max(z(x), 0)), score 0; " +
    "confidence = min(1, trades / tradeFullConfidenceCount); value = s_w / s_1h",
  units: "ratio (window share / hour share)",
  differs:
    "The symbol's volume against the market's at the same time: volume.relative compares it with the symbol's own past, so a market-wide surge lifts that card on every symbol and this one on none.",
  scale: { center: 0, prior: { "1m": 0.5, "5m": 0.35, "1h": 0.35 } },
  feeds: ["trade"],
  compute({ market, timeframe, window, params }, self) {
    if (!market.available) return unavailable(market.reason);
    if (timeframe === "1h") return unavailable("the hour's share is the reference the 1m and 5m shares are read against");
    const c = market.context;
    const few = fewSymbols(c.symbols);
    if (few !== null) return unavailable(few);
    const hour = c.own.volumeShare["1h"];
    if (hour === null) return unavailable("no traded volume in the market in the hour");
    if (hour === 0) return unavailable("no traded volume of the symbol in the hour: no share to compare with");
    const share = c.own.volumeShare[timeframe];
    // No volume in the window: ln 0 = −∞ reads strength 0 and, at confidence 0, joins no statistics.
    if (share === null || share === 0) return stress(self, Number.NEGATIVE_INFINITY, 0, 0);
    return stress(self, Math.log(share / hour), support(prints(window), params.tradeFullConfidenceCount), share / hour);
  },
};
