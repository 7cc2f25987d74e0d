/**
 * `mkt.oi-change` (stress): the mean open-interest change across the tracked symbols over the
 * window: leverage building market-wide.
 *
 * New open interest is new leverage on both sides (every contract has a long and a short holder):
 * fuel for a larger move either way, and the condition for a market-wide liquidation cascade, but
 * no direction by itself; it is a stress card as oi.change is for one symbol. Only a build-up is
 * stress: a market-wide fall is deleveraging, read by the liquidation cards. A judgment, not
 * calibrated.
 *
 * - x = mean over the market's fresh symbols with one of 100 · (OI_end − OI_start) / OI_start of the
 *   window, base units over the venues known at both ends (market memory; the symbol included)
 * - strength = tanh(max(z(x), 0)), score 0, center 0, prior σ 0.06 % (1m), 0.15 % (5m), 0.6 % (1h):
 *   a mean over symbols is calmer than one symbol's
 * - confidence = min(1, symbols in the market / marketFullConfidenceSymbols): the context does not
 *   say how many symbols had an OI change, so this is an upper bound; value = x
 * - unavailable with fewer than 3 symbols in the market, and when no symbol's open interest is known
 *   at both ends of the window
 */
import { stress, support, unavailable, type CardDefinition } from "../card.js";
import { fewSymbols } from "./market.js";

export const mktOiChange: CardDefinition = {
  id: "mkt.oi-change",
  kind: "stress",
  category: "market-context",
  formula:
    "x = mean over the market's symbols of 100 · (OI_end − OI_start) / OI_start of the window; strength = tanh(max(z(x), 0)), score 0; " +
    "confidence = min(1, symbols / marketFullConfidenceSymbols); value = x",
  units: "% of open interest (mean over symbols)",
  differs:
    "Leverage added across the market, not on the symbol: oi.change reads the symbol's own build-up, which a market-wide build-up need not include.",
  scale: { center: 0, prior: { "1m": 0.06, "5m": 0.15, "1h": 0.6 } },
  feeds: ["trade"],
  compute({ market, timeframe, params }, self) {
    if (!market.available) return unavailable(market.reason);
    const c = market.context;
    const few = fewSymbols(c.symbols);
    if (few !== null) return unavailable(few);
    const x = c.oiChangePct[timeframe];
    if (x === null) return unavailable("no open-interest change known across the market in the window");
    return stress(self, x, support(c.symbols, params.marketFullConfidenceSymbols));
  },
};
