/**
 * `mkt.relative-btc`: the symbol's window return less BTC's: relative strength against the leader.
 *
 * Cross-sectional momentum is one of the three factors of crypto returns: coins that outperformed
 * keep outperforming (Liu, Tsyvinski & Wu 2022, "Common Risk Factors in Cryptocurrency", Journal of
 * Finance 77(2), weekly returns over one to four weeks). Read here at the window's horizon, a
 * symbol beating BTC leans bullish: the direction carries over from their weekly finding, its
 * strength at minutes to an hour is a judgment, not calibrated.
 *
 * - x = r_S − r_BTC, r = ln(last / first price) of each window at the context's boundary (market
 *   memory); score = tanh(z(x)), center 0, prior σ 0.1 % (1m), 0.2 % (5m), 0.6 % (1h)
 * - confidence = min(1, the symbol's trades in the window / tradeFullConfidenceCount) (the
 *   symbol's window now, one cycle after the context's); value = x
 * - unavailable for BTC itself, without BTC in the market, and when BTC or the symbol had no trade
 *   in the window
 */
import { directional, prints, support, unavailable, type CardDefinition } from "../card.js";
import { btcMissing } from "./market.js";

export const mktRelativeBtc: CardDefinition = {
  id: "mkt.relative-btc",
  category: "market-context",
  formula:
    "x = r_S − r_BTC, window log returns of the symbol and of BTC; score = tanh(z(x)); confidence = min(1, trades / tradeFullConfidenceCount); value = x",
  units: "log return (relative to BTC)",
  differs:
    "The symbol's raw outperformance of BTC, as traders rank it: mkt.decoupling first takes out the move the symbol's beta explains (a high-beta coin up 1.5 % with BTC up 1 % beats BTC but is not decoupled), mkt.relative-basket compares with the tracked alts instead.",
  scale: { center: 0, prior: { "1m": 0.001, "5m": 0.002, "1h": 0.006 } },
  feeds: ["trade"],
  compute({ market, timeframe, window, params }, self) {
    if (!market.available) return unavailable(market.reason);
    const c = market.context;
    const missing = btcMissing(c, "its return relative to BTC is 0");
    if (missing !== null) return unavailable(missing);
    if (c.btc?.returns[timeframe] == null) return unavailable("no BTC trade in the window");
    const x = c.own.relativeToBtc[timeframe];
    if (x === null) return unavailable("no trade of the symbol in the window at the market's boundary");
    return directional(self, x, support(prints(window), params.tradeFullConfidenceCount));
  },
};
