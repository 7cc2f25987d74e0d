/**
 * `mkt.btc-trend`: BTC's log return over the window, read for every other symbol.
 *
 * BTC is the market factor of crypto: the first of the three factors (market, size, momentum)
 * that capture cross-sectional crypto returns (Liu, Tsyvinski & Wu 2022, "Common Risk Factors in
 * Cryptocurrency", Journal of Finance 77(2)), and most altcoins move with it. A BTC trend over the
 * window leans the symbol the same way (time-series momentum of the market factor, Moskowitz, Ooi &
 * Pedersen 2012, at a far shorter horizon here: a judgment, not calibrated).
 *
 * - x = ln(last / first BTC price) of the window at the context's boundary (market memory)
 * - score = tanh(z(x)), center 0, prior σ 0.18 % (5m), 0.6 % (1h): BTC moves about 3 % a day
 * - confidence = 1: BTC is the most traded contract, its window always has prints when it has a
 *   return; value = x
 * - unavailable on 1m (BTC's last minute is mkt.btc-lead's reading, scaled by beta), for BTC itself
 *   (it would repeat momentum.return), without BTC in the market, and when BTC had no trade in the
 *   window
 */
import { directional, unavailable, type CardDefinition } from "../card.js";
import { btcMissing } from "./market.js";

/** Prior σ of BTC's window return per timeframe (log return), shared with `mkt.risk-tone`. */
export const BTC_RETURN_PRIOR = { "1m": 0.0008, "5m": 0.0018, "1h": 0.006 } as const;

export const mktBtcTrend: CardDefinition = {
  id: "mkt.btc-trend",
  category: "market-context",
  formula: "x = ln(last / first BTC price) over the window (5m and 1h; 1m is mkt.btc-lead's minute); score = tanh(z(x)); confidence = 1; value = x",
  units: "log return (BTC)",
  differs:
    "The market leader's own move over the window, whatever the symbol did: momentum.return is the symbol's move, mkt.btc-lead BTC's newest minute scaled by beta, mkt.relative-btc the symbol against it.",
  scale: { center: 0, prior: BTC_RETURN_PRIOR },
  feeds: ["trade"],
  compute({ market, timeframe }, self) {
    if (!market.available) return unavailable(market.reason);
    if (timeframe === "1m") return unavailable("BTC's last minute is read by mkt.btc-lead (scaled by the symbol's beta)");
    const c = market.context;
    const missing = btcMissing(c, "its trend is its own momentum (momentum.return)");
    if (missing !== null) return unavailable(missing);
    const r = c.btc?.returns[timeframe] ?? null;
    if (r === null) return unavailable("no BTC trade in the window");
    return directional(self, r, 1);
  },
};
