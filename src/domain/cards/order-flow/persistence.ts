/**
 * `flow.persistence`: how consistently the aggressors leaned one way minute after minute.
 *
 * Trade `side` is the aggressor. Each of the last n complete minutes votes by the sign of its
 * taker delta; informed or institutional flow is worked over time and leaves a run of same-signed
 * minutes even when each minute's imbalance is small (order splitting: Kyle 1985; the order-flow
 * autocorrelation of Lillo & Farmer 2004, "The long memory of the efficient market"). A single
 * heavy minute moves `flow.cvd` but only one vote here.
 *
 * - n = flowMinutes[tf] (5, 15, 60): a one-minute window has no shape, so 1m reads five minutes
 * - up / down = minutes with buyQty > sellQty / sellQty > buyQty; traded = minutes with a trade
 * - x = (up − down) / traded, 0 when no minute traded
 * - score = tanh(z(x)), center 0, prior σ 1/√n of the default n (0.45, 0.26, 0.13): the spread of
 *   a fair coin's net share over n minutes
 * - confidence = traded / n; value = up − down (minutes)
 * - unavailable "warming up: k of n minutes of bars" until the bars reach back n minutes since
 *   the first traded minute; quiet minutes after it are measured (no vote, lower confidence)
 */
import { directional, support, unavailable, type CardDefinition } from "../card.js";
import { warmingUp, barSideUnknown } from "../bar-window.js";

export const flowPersistence: CardDefinition = {
  id: "flow.persistence",
  category: "order-flow",
  formula:
    "x = (minutes net buying − minutes net selling) / traded minutes over the last flowMinutes[tf] complete minutes; score = tanh(z(x)); " +
    "confidence = traded minutes / flowMinutes[tf]; value = up − down minutes",
  units: "minutes (net buying minus net selling)",
  differs:
    "Counts minutes by the sign of their taker delta, so it reads how steadily the aggressors lean, not how much: flow.cvd and flow.pressure are dominated by the heaviest minutes, flow.acceleration compares two spans.",
  scale: { center: 0, prior: { "1m": 0.45, "5m": 0.26, "1h": 0.13 } },
  feeds: ["trade"],
  compute({ bars, timeframe, params }, self) {
    const n = params.flowMinutes[timeframe];
    const cold = warmingUp(bars, n);
    if (cold !== null) return unavailable(cold);
    const blind = barSideUnknown(bars, bars.length - n, bars.length);
    if (blind !== null) return unavailable(blind);
    let up = 0;
    let down = 0;
    let traded = 0;
    for (let i = bars.length - n; i < bars.length; i++) {
      if (bars.trades[i] === 0) continue;
      traded++;
      if (bars.buyQty[i] > bars.sellQty[i]) up++;
      else if (bars.sellQty[i] > bars.buyQty[i]) down++;
    }
    return directional(self, traded > 0 ? (up - down) / traded : 0, support(traded, n), up - down);
  },
};
