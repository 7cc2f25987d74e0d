/**
 * `mkt.risk-tone`: risk-on or risk-off, when the leader and the crowd agree: BTC's window return
 * and the market's breadth, each in units of its typical size, read only when both point the same
 * way, and then as the weaker of the two.
 *
 * A market-wide risk move has BTC and most symbols going the same way. BTC moving while most coins
 * go the other way is rotation (money moving between coins), and breadth without BTC is an alt
 * move: neither is the market's risk appetite changing. Taking the weaker of two agreeing readings
 * makes the card strong only when both are. A judgment, not calibrated.
 *
 * - a = r_BTC / s_BTC, r_BTC = BTC's window log return, s_BTC = mkt.btc-trend's prior (0.08 %, 0.18 %,
 *   0.6 % on 1m, 5m, 1h); b = (up − down) / 0.5, up − down = mkt.breadth's net breadth and prior
 * - x = min(a, b) when both > 0, max(a, b) when both < 0, else 0 (risk-on > 0)
 * - score = tanh(z(x)), center 0, prior σ 0.75 (of those units)
 * - confidence = min(1, n / marketFullConfidenceSymbols), n symbols priced in the window; value = x
 * - unavailable without BTC in the market, when BTC had no trade in the window, and with fewer than 3
 *   symbols priced in it; BTC itself reads it too (its own return against the crowd's)
 */
import { directional, support, unavailable, type CardDefinition } from "../card.js";
import { BREADTH_PRIOR } from "./breadth.js";
import { BTC_RETURN_PRIOR } from "./btc-trend.js";
import { fewSymbols } from "./market.js";

export const mktRiskTone: CardDefinition = {
  id: "mkt.risk-tone",
  category: "market-context",
  formula:
    "a = r_BTC / s_BTC[tf], b = (up − down) / 0.5; x = min(a, b) if both > 0, max(a, b) if both < 0, else 0; score = tanh(z(x)); " +
    "confidence = min(1, n / marketFullConfidenceSymbols); value = x",
  units: "typical moves (the weaker of BTC's and breadth's, when they agree)",
  differs:
    "Agreement of the leader and the crowd, zero when they split: mkt.btc-trend reads BTC alone and mkt.breadth the count alone, each whatever the other does (a BTC rally that most coins sell into is risk-on to one, risk-off to the other, neither here).",
  scale: { center: 0, prior: 0.75 },
  feeds: ["trade"],
  compute({ market, timeframe, params }, self) {
    if (!market.available) return unavailable(market.reason);
    const c = market.context;
    if (c.btc === null) return unavailable("no BTC in the market context");
    const r = c.btc.returns[timeframe];
    if (r === null) return unavailable("no BTC trade in the window");
    const br = c.breadth[timeframe];
    const few = fewSymbols(br.n, "symbols priced in the window");
    if (few !== null) return unavailable(few);
    const a = r / BTC_RETURN_PRIOR[timeframe];
    const b = (br.up - br.down) / BREADTH_PRIOR;
    const x = a > 0 && b > 0 ? Math.min(a, b) : a < 0 && b < 0 ? Math.max(a, b) : 0;
    return directional(self, x, support(br.n, params.marketFullConfidenceSymbols));
  },
};
