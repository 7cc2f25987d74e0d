/**
 * `mkt.btc-lead`: the move BTC's latest minute implies for the symbol, β · BTC's last-minute return,
 * read as the part the symbol has not made yet.
 *
 * BTC leads most altcoins by seconds to a minute or two: on tick data BTC's lead over Cardano ranged
 * from 16 s to 118 s, about 57 s on average, shrinking over 2019–2021 ("A tick-by-tick level
 * measurement of the lead-lag duration between cryptocurrencies: the case of Bitcoin versus
 * Cardano", Investment Management and Financial Innovations, 2021). So BTC's newest minute, scaled
 * by how much the symbol moves with BTC, leans the symbol the same way over the next minutes. The
 * sign at longer intraday horizons is contested (Jia, Wu, Yan & Yin 2019, "A seesaw effect in the
 * cryptocurrency market", find large coins predicting small coins negatively): the card states
 * the lead on 1m and 5m only. A judgment, not calibrated.
 *
 * - r = BTC's log return over its last minute as the market memory states it (close of the minute
 *   before the context's boundary to the price at it: the last complete minute when the boundary is
 *   a whole minute); β = cov(r_S, r_BTC) / var(r_BTC) over the day's minute returns
 * - x = β · r (the same on 1m and 5m); score = tanh(z(x)), center 0, prior σ 0.1 %
 * - confidence = min(1, beta minutes / betaFullConfidenceMinutes); value = x
 * - unavailable on 1h (a one-minute lead has played out within the hour: mkt.btc-trend reads BTC's
 *   hour), for BTC itself, without BTC in the market, before BTC has two minute closes, and before a
 *   beta (60 minute returns of both)
 */
import { directional, support, unavailable, type CardDefinition } from "../card.js";
import { betaMissing, btcMissing } from "./market.js";

export const mktBtcLead: CardDefinition = {
  id: "mkt.btc-lead",
  category: "market-context",
  formula:
    "x = β · r_BTC, r_BTC = BTC's last-minute log return, β = the symbol's beta to BTC over the day's minute returns (1m and 5m read the same minute; none on 1h); " +
    "score = tanh(z(x)); confidence = min(1, beta minutes / betaFullConfidenceMinutes); value = x",
  units: "log return (implied by BTC)",
  differs:
    "BTC's newest minute passed through the symbol's beta, a lead the symbol has yet to follow: mkt.btc-trend reads BTC's whole window unscaled, mkt.decoupling what the symbol did apart from BTC.",
  scale: { center: 0, prior: 0.001 },
  feeds: ["trade"],
  compute({ market, timeframe, params }, self) {
    if (!market.available) return unavailable(market.reason);
    if (timeframe === "1h") return unavailable("a one-minute lead plays out within minutes: read on 1m and 5m (mkt.btc-trend reads BTC's hour)");
    const c = market.context;
    const missing = btcMissing(c, "its lead is its own last minute (momentum cards)") ?? betaMissing(c, c.own.beta);
    if (missing !== null) return unavailable(missing);
    const r = c.btc?.lastMinute ?? null;
    if (r === null) return unavailable("no BTC return for the last minute yet (two minute closes needed)");
    return directional(self, (c.own.beta as number) * r, support(c.own.betaMinutes, params.betaFullConfidenceMinutes));
  },
};
