/**
 * `funding.settlement`: the funding payment coming due, weighted by how close the settlement is.
 *
 * Funding changes hands only at settlement: whoever holds the paying side at that instant pays.
 * Traders on the paying side who can avoid the payment close before it and reopen after, and
 * funding arbitrageurs open the receiving side just before: both press price against the paying
 * side in the run-up to settlement. So a long side about to pay above the baseline leans bearish,
 * a short side about to pay leans bullish, more so the nearer the settlement. A judgment, not
 * calibrated.
 *
 * The payment is the primary venue's (the first in `VENUES` order with a fresh mark, the engine's
 * `input.mark`), which alone says when its next settlement is (`nextFundingTs`: Binance `T`, Bybit
 * `nextFundingTime`, OKX `fundingTime`; Hyperliquid sends none). Its settlement interval comes from
 * its funding entry: funding holds exactly as long as a mark stays fresh (both `staleAfterMs.mark`),
 * so when the primary mark carries a rate, the first venue with a current rate is that venue.
 *
 * - excess = r − fundingBaselineRate · interval / 8 h: the rate due at the next settlement (fraction
 *   per the venue's interval, what is actually paid) above the neutral interest for that interval
 * - τ = nextFundingTs − boundary; proximity w = 1 − τ / window (the timeframe's window is the
 *   horizon ahead: the 1m card looks at the last minute before settlement, the 1h card the last hour)
 * - value = excess · w when 0 < τ ≤ window (positive: longs pay); x = −value; score = tanh(z(x)),
 *   center 0, prior σ 0.02 % of notional; confidence 1
 * - no settlement within the window ahead: a measured zero, value 0 and confidence 0
 * - unavailable without a fresh mark, when the primary mark carries no funding rate or no next
 *   funding time, and when that time has already passed (the venue has not sent the next one yet)
 */
import { directional, unavailable, type CardDefinition } from "../card.js";
import { EIGHT_HOURS_MS } from "../../inputs/funding.js";

export const fundingSettlement: CardDefinition = {
  id: "funding.settlement",
  category: "funding",
  formula:
    "x = −(r − fundingBaselineRate · interval / 8 h) · (1 − τ / window), r = primary venue's rate due at the next settlement, τ = time to it (≤ window); score = tanh(z(x)) (the paying side exits before paying); " +
    "confidence 1 (0 with no settlement within the window ahead); value = −x",
  units: "fraction of notional due above the baseline, weighted by proximity",
  differs:
    "The next payment as an event in time, zero away from settlement; funding.rate reads the rate's level whenever it is, in 8-hour equivalents rather than the amount actually due.",
  scale: { center: 0, prior: 0.0002 },
  feeds: ["mark"],
  compute({ mark, funding, ts, windowMs, params }, self) {
    if (mark === null) return unavailable("no fresh mark");
    if (mark.fundingRate === null) return unavailable("the primary venue's mark carries no funding rate");
    if (mark.nextFundingTs === null) return unavailable("the primary venue's mark carries no next funding time");
    const tau = mark.nextFundingTs - ts;
    if (tau <= 0) return unavailable("the next funding time has passed: waiting for the venue's next one");
    let primary: (typeof funding)[number] | undefined;
    for (const f of funding) {
      if (f.rate8h === null) continue;
      primary = f;
      break;
    }
    if (primary === undefined) return unavailable("no current funding rate on the primary venue");
    if (tau > windowMs) return directional(self, 0, 0, 0);
    const excess = primary.rate - (params.fundingBaselineRate * primary.intervalMs) / EIGHT_HOURS_MS;
    const pressure = excess * (1 - tau / windowMs);
    return directional(self, -pressure, 1, pressure);
  },
};
