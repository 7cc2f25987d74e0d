/**
 * `liq.streak`: for how many minutes in a row one side has been the one liquidated.
 *
 * - lookback M = liqStreakMinutes[timeframe] complete minutes (10, 30, 120) of the bar series
 *   (`bars.longLiqUsd`, `bars.shortLiqUsd` per minute), newest first
 * - a minute with liquidations is led by shorts when shortUsd > longUsd, by longs when
 *   longUsd > shortUsd; minutes without liquidations are skipped; a tie or a minute led by the
 *   other side ends the streak
 * - x = ±(minutes in the streak that the newest liquidation minute starts): + led by shorts (forced
 *   buys), − led by longs; 0 without liquidations in the lookback
 * - score = tanh(z(x)), center 0, prior σ 2 (1m), 4 (5m), 8 (1h) minutes; value = x (minutes)
 * - confidence = min(1, minutes of the lookback watched since the first liquidation / M); 0 when
 *   the lookback holds no liquidation (a measured zero on a live feed); a newest liquidation minute
 *   with equal long and short notional gives x = 0 at that confidence (no side leads)
 *
 * Why: a one-sided run of forced orders minute after minute is a squeeze or flush that keeps
 * finding positions to close, which one burst (liq.intensity) or a window share (liq.imbalance)
 * does not distinguish from a single spike. A judgment, not calibrated. The per-minute sums come
 * from the venues' liquidation feeds: on Binance and OKX (one per second) they are samples.
 * Cost: O(M) per timeframe.
 */
import { directional, liquidationSampling, support, type CardDefinition } from "../card.js";

export const liqStreak: CardDefinition = {
  id: "liq.streak",
  category: "liquidation",
  formula:
    "x = ± consecutive liquidation minutes led by one side (skipping quiet minutes) within the last liqStreakMinutes[tf] complete minutes, + for shorts (forced buys); score = tanh(z(x)); " +
    "confidence = min(1, lookback minutes watched since the first liquidation / liqStreakMinutes[tf]); value = x",
  units: "minutes (signed: + shorts liquidated)",
  differs:
    "Persistence of one-sided forced flow across minutes; liq.imbalance and liq.acceleration read notional inside one window, liq.intensity its size against the usual rate.",
  scale: { center: 0, prior: { "1m": 2, "5m": 4, "1h": 8 } },
  feeds: ["liquidation"],
  compute({ bars, liq, venues, params, timeframe }, self) {
    const lookback = params.liqStreakMinutes[timeframe];
    const from = Math.max(0, bars.length - lookback);
    let side: number | null = null;
    let minutes = 0;
    for (let i = bars.length - 1; i >= from; i--) {
      const long = bars.longLiqUsd[i];
      const short = bars.shortLiqUsd[i];
      if (long + short <= 0) continue;
      const lead = short > long ? 1 : short < long ? -1 : 0;
      side ??= lead;
      if (lead === 0 || lead !== side) break;
      minutes++;
    }
    const x = (side ?? 0) * minutes;
    const confidence = side === null ? 0 : support(liq.minuteStats().minutes, lookback);
    return directional(self, x, confidence, x, liquidationSampling(venues));
  },
};
