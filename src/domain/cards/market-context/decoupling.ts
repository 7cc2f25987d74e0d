/**
 * `mkt.decoupling`: the symbol's window return less the part BTC explains, r_S − β · r_BTC: its
 * idiosyncratic (residual) move.
 *
 * A coin's return is its beta times the market's plus its own story. Ranking on the residual
 * rather than the total return keeps the momentum and drops the market exposure: residual momentum
 * earned about twice the risk-adjusted return of total-return momentum in stocks (Blitz, Huij &
 * Martens 2011, "Residual Momentum", Journal of Empirical Finance 18(3)). A positive residual leans
 * bullish: the symbol is being bought for its own reasons. Its persistence at minutes to an hour
 * is a judgment, not calibrated.
 *
 * - r_S, r_BTC = ln(last / first price) of the window at the context's boundary (r_S = the context's
 *   relative-to-BTC return + r_BTC); β = cov(r_S, r_BTC) / var(r_BTC) over the day's minute returns
 * - x = r_S − β · r_BTC; score = tanh(z(x)), center 0, prior σ 0.08 % (1m), 0.16 % (5m), 0.5 % (1h)
 * - confidence = min(trades / tradeFullConfidenceCount, beta minutes / betaFullConfidenceMinutes),
 *   trades the symbol's in its window now; value = x
 * - unavailable for BTC itself (no residual to itself), without BTC in the market, before a beta (60
 *   minute returns of both), and when BTC or the symbol had no trade in the window
 */
import { directional, prints, support, unavailable, type CardDefinition } from "../card.js";
import { betaMissing, btcMissing } from "./market.js";

export const mktDecoupling: CardDefinition = {
  id: "mkt.decoupling",
  category: "market-context",
  formula:
    "x = r_S − β · r_BTC, window log returns, β = beta to BTC over the day's minute returns; score = tanh(z(x)); " +
    "confidence = min(trades / tradeFullConfidenceCount, beta minutes / betaFullConfidenceMinutes); value = x",
  units: "log return (residual to BTC)",
  differs:
    "The move left once the symbol's beta to BTC is taken out: mkt.relative-btc subtracts BTC's move one for one (a high-beta coin beats BTC in every rally), mkt.correlation reads how tightly the day tied them without a direction.",
  scale: { center: 0, prior: { "1m": 0.0008, "5m": 0.0016, "1h": 0.005 } },
  feeds: ["trade"],
  compute({ market, timeframe, window, params }, self) {
    if (!market.available) return unavailable(market.reason);
    const c = market.context;
    const missing = btcMissing(c, "it has no residual to itself") ?? betaMissing(c, c.own.beta);
    if (missing !== null) return unavailable(missing);
    const rBtc = c.btc?.returns[timeframe] ?? null;
    if (rBtc === null) return unavailable("no BTC trade in the window");
    const rel = c.own.relativeToBtc[timeframe];
    if (rel === null) return unavailable("no trade of the symbol in the window at the market's boundary");
    const x = rel + rBtc - (c.own.beta as number) * rBtc;
    const confidence = Math.min(support(prints(window), params.tradeFullConfidenceCount), support(c.own.betaMinutes, params.betaFullConfidenceMinutes));
    return directional(self, x, confidence);
  },
};
