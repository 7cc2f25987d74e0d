/**
 * `micro.trade-size` (stress): the window's mean trade notional against the symbol's mean over
 * the day. Informed and institutional traders trade larger (Easley & O'Hara 1987, "Price, trade
 * size, and information in securities markets"): a mean size well above usual says the large
 * participants are active, a mean well below says the crowd of small traders is. It has no side.
 *
 * - s_w = (buyUsd + sellUsd) / trades of the window, all venues; s_d = the same over the day of
 *   bars (every complete minute since the first trade, ≤ 24 h)
 * - x = ln(s_w / s_d)
 * - strength = tanh(max(z(x), 0)), center 0, prior σ 0.5 (1m), 0.4 (5m), 0.3 (1h); score 0
 * - confidence = min(1, trades / tradeFullConfidenceCount); value = s_w (USD per trade)
 * - unavailable while fewer than 60 minutes of bars exist, and for a window without trades (a
 *   mean of nothing)
 */
import { stress, support, unavailable, type CardDefinition, prints } from "../card.js";
import { dayBaseline, MIN_BASELINE_MINUTES, warmingUp } from "../bar-window.js";

export const microTradeSize: CardDefinition = {
  id: "micro.trade-size",
  kind: "stress",
  category: "microstructure",
  formula:
    "x = ln(s_window / s_day), s = taker notional / trades over the window and over the day's minute bars; strength = tanh(max(z(x), 0)); " +
    "confidence = min(1, trades / tradeFullConfidenceCount); value = s_window",
  units: "USD per trade",
  differs:
    "The side-less mean print size against the day: smart-money cards read which side the largest prints (above the 99th percentile) take, micro.arrival-rate counts prints without their size.",
  scale: { center: 0, prior: { "1m": 0.5, "5m": 0.4, "1h": 0.3 } },
  feeds: ["trade"],
  compute({ window: w, bars, params }, self) {
    const cold = warmingUp(bars, MIN_BASELINE_MINUTES);
    if (cold !== null) return unavailable(cold);
    const trades = prints(w);
    if (trades === 0) return unavailable("no trades in the window");
    const day = dayBaseline(bars);
    const size = (w.buyNotionalUsd + w.sellNotionalUsd + w.unsidedNotionalUsd) / trades;
    return stress(self, Math.log(size / (day.usd / day.trades)), support(trades, params.tradeFullConfidenceCount), size);
  },
};
