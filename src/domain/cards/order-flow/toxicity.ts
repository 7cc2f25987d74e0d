/**
 * `flow.toxicity` (stress): how one-sided each minute's taker flow was, whichever side: the
 * volume-synchronized probability of informed trading (VPIN) of Easley, López de Prado & O'Hara
 * (2012, "Flow toxicity and liquidity in a high-frequency world", Review of Financial Studies
 * 25(5)), on minute bars.
 *
 * Market makers lose to one-sided (informed, "toxic") flow; when it persists they widen or pull
 * their quotes (the authors report VPIN rising ahead of the 2010 flash crash; Andersen & Bondarenko
 * 2014 dispute how well it forecasts). It has no direction: a stress reading.
 * Differences from the paper: buckets are complete minutes, not equal-volume buckets, and the
 * aggressor side is known from the tape instead of bulk-classified.
 *
 * - n = flowMinutes[tf] (5, 15, 60) complete minute bars
 * - x = Σ_m |buyQty_m − sellQty_m| / Σ_m (buyQty_m + sellQty_m), in [0, 1], 0 without volume
 * - kind stress: score 0, strength = tanh(max(z(x), 0)); center rolling (the symbol's own usual
 *   toxicity), prior center 0.3, prior σ 0.1 (1m), 0.07 (5m), 0.05 (1h): a judgment, not calibrated
 * - confidence = traded minutes / n; value = x
 * - unavailable "warming up: k of n minutes of bars" until the bars reach back n minutes since
 *   the first traded minute
 */
import { stress, support, unavailable, type CardDefinition } from "../card.js";
import { warmingUp, barSideUnknown } from "../bar-window.js";

export const flowToxicity: CardDefinition = {
  id: "flow.toxicity",
  category: "order-flow",
  kind: "stress",
  formula:
    "x = Σ_m |buyQty_m − sellQty_m| / Σ_m (buyQty_m + sellQty_m) over the last flowMinutes[tf] complete minutes (VPIN on minute bars); strength = tanh(max(z(x), 0)), rolling center; " +
    "confidence = traded minutes / flowMinutes[tf]; value = x",
  units: "share of volume (one-sided per minute)",
  differs:
    "One-sidedness of each minute without its sign, a stress on liquidity providers: flow.cvd and flow.persistence net the minutes into a direction, where minutes that cancel out still read toxic here.",
  scale: { center: "rolling", priorCenter: 0.3, prior: { "1m": 0.1, "5m": 0.07, "1h": 0.05 } },
  feeds: ["trade"],
  compute({ bars, timeframe, params }, self) {
    const n = params.flowMinutes[timeframe];
    const cold = warmingUp(bars, n);
    if (cold !== null) return unavailable(cold);
    const blind = barSideUnknown(bars, bars.length - n, bars.length);
    if (blind !== null) return unavailable(blind);
    let gross = 0;
    let oneSided = 0;
    let traded = 0;
    for (let i = bars.length - n; i < bars.length; i++) {
      if (bars.trades[i] > 0) traded++;
      gross += bars.buyQty[i] + bars.sellQty[i];
      oneSided += Math.abs(bars.buyQty[i] - bars.sellQty[i]);
    }
    return stress(self, gross > 0 ? oneSided / gross : 0, support(traded, n));
  },
};
