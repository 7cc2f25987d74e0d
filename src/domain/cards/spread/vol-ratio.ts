/**
 * `spread.vol-ratio`: the spread against the volatility per trade.
 *
 * In order-driven markets the spread and the volatility per trade move together: makers must
 * earn on the spread what the price moves between trades (Wyart, Bouchaud, Kockelkoren, Potters
 * & Vettorazzo 2008, "Relation between bid-ask spread, impact and volatility in order-driven
 * markets": S ∝ σ₁). A spread wide for the volatility is makers charging for something beyond
 * the price risk they see (fear of informed flow, withdrawal); a stress reading with no
 * direction. The ratio differs by symbol (tick size), hence the log and the rolling center.
 *
 * - S = the window's spread as in `spread.level` (bps, venues weighted by covered time)
 * - σ₁ = σ_min / √(N / 60): σ_min = root mean square of the last 60 one-minute log returns of
 *   the bars (bps), N = trades in those 60 minutes (the volatility of the last hour per trade,
 *   the same for every timeframe)
 * - x = ln(S / σ₁); strength = tanh(max(z(x), 0)), center rolling (the symbol's usual, from 0),
 *   prior σ 1 (a factor of e); a zero spread reads x = −∞: strength 0
 * - confidence = the spread's covered time / (venues · window); value = S / σ₁
 * - unavailable until 60 one-minute returns exist ("warming up: 12 of 60 minutes of bars"),
 *   without trades or without a price change in those 60 minutes, or when no venue's top was
 *   known during the window
 *
 * Cost: O(60) per timeframe.
 */
import { stress, unavailable, type CardDefinition } from "../card.js";
import { NO_TOP, windowSpread } from "./window-spread.js";

/** One-minute returns the volatility reads. */
const VOL_MINUTES = 60;

export const spreadVolRatio: CardDefinition = {
  id: "spread.vol-ratio",
  category: "spread",
  kind: "stress",
  formula:
    "x = ln(S / σ₁), S = time-weighted spread of the window (bps), σ₁ = RMS of the last 60 one-minute returns (bps) / √(trades per minute); " +
    "strength = tanh(max(z(x), 0)) against the symbol's usual; confidence = covered time / (venues · window); value = S / σ₁",
  units: "spread per unit of volatility per trade",
  differs:
    "The spread net of what volatility explains: spread.level rises with every volatile hour, this one only when makers charge more than the price risk they face.",
  scale: { center: "rolling", priorCenter: 0, prior: 1 },
  feeds: ["book", "trade"],
  compute({ top, windowMs, bars }, self) {
    const n = bars.length;
    let returns = 0;
    let sumSq = 0;
    let trades = 0;
    for (let i = Math.max(1, n - VOL_MINUTES); i < n; i++) {
      trades += bars.trades[i];
      const a = bars.close[i - 1];
      const b = bars.close[i];
      if (!(a > 0 && b > 0)) continue;
      const r = Math.log(b / a) * 1e4;
      sumSq += r * r;
      returns++;
    }
    if (returns < VOL_MINUTES) return unavailable(`warming up: ${returns} of ${VOL_MINUTES} minutes of bars`);
    if (trades === 0) return unavailable(`no trades in the last ${VOL_MINUTES} minutes`);
    if (sumSq === 0) return unavailable(`price did not move in the last ${VOL_MINUTES} minutes`);
    const s = windowSpread(top, windowMs);
    if (s === null) return unavailable(NO_TOP);
    const perTrade = Math.sqrt(sumSq / VOL_MINUTES) / Math.sqrt(trades / VOL_MINUTES);
    const ratio = s.meanBps / perTrade;
    return stress(self, ratio > 0 ? Math.log(ratio) : Number.NEGATIVE_INFINITY, s.coverage, ratio);
  },
};
