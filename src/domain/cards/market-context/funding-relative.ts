/**
 * `mkt.funding-relative`: the market's mean funding less the symbol's: how much more (or less)
 * the symbol's longs pay than the market's, read contrarian.
 *
 * Funding is what longs pay shorts to keep the perpetual near the index: longs paying more on this
 * symbol than across the market means its longs are more crowded than the market's, and a crowded
 * side is the one that gets squeezed, so funding above the market leans bearish and below it
 * bullish. A market-wide rise of funding (every long crowded) leaves this card at 0, where
 * funding.rate reads every symbol as crowded. A judgment, not calibrated.
 *
 * - f_S = the symbol's current funding as an 8-hour equivalent, averaged over its venues with a
 *   current rate (as the symbol reports it to the market); f̄ = the mean of the same figure over the
 *   market's fresh symbols with one (the symbol included), at the context's boundary, a cycle before
 * - x = f̄ − f_S (the same on every timeframe: both are rates now); score = tanh(z(x)), center 0,
 *   prior σ 0.03 % per 8 h
 * - confidence = min(1, symbols with a rate / marketFullConfidenceSymbols); value = f_S − f̄
 * - unavailable until a mark carried a funding rate, when no venue's rate is current, and with fewer
 *   than 3 symbols with a funding rate in the market
 */
import { directional, support, unavailable, type CardDefinition } from "../card.js";
import { NO_FUNDING_REASON } from "../funding/funding-terms.js";
import { fewSymbols } from "./market.js";

export const mktFundingRelative: CardDefinition = {
  id: "mkt.funding-relative",
  category: "market-context",
  formula:
    "x = f̄ − f_S, f_S = the symbol's current 8-hour-equivalent funding (mean over venues), f̄ = the market's mean of it; score = tanh(z(x)) (contrarian); " +
    "confidence = min(1, symbols with a rate / marketFullConfidenceSymbols); value = f_S − f̄",
  units: "fraction per 8 h (own funding above the market's)",
  differs:
    "Crowding relative to the market, not to the neutral rate: funding.rate reads the symbol's level against the 0.01 % baseline (a market-wide rise moves it, not this card), funding.spread the gap between venues of one symbol.",
  scale: { center: 0, prior: 0.0003 },
  feeds: ["mark"],
  compute({ market, funding, fundingSeen, params }, self) {
    if (!market.available) return unavailable(market.reason);
    if (!fundingSeen || funding.length === 0) return unavailable(NO_FUNDING_REASON);
    let sum = 0;
    let venues = 0;
    for (const f of funding) {
      if (f.rate8h === null) continue;
      sum += f.rate8h;
      venues++;
    }
    if (venues === 0) return unavailable("no current funding rate for the symbol");
    const m = market.context.funding8h;
    const few = fewSymbols(m.n, "symbols with a funding rate");
    if (few !== null) return unavailable(few);
    const own = sum / venues;
    const mean = m.mean as number;
    return directional(self, mean - own, support(m.n, params.marketFullConfidenceSymbols), own - mean);
  },
};
