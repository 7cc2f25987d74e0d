/**
 * `derivatives.premium-acceleration`: the shape of the premium's path over the window — did it
 * move late (accelerating) or early (fading)?
 *
 * With the premium at the window start `s`, now `n` and its time-weighted mean `m`, the gap
 * `n − m` ("now against the window's mean") is half the change plus half this card's statistic:
 * `n − m = (n − s)/2 + ((n + s)/2 − m)`. The first half is `derivatives.premium-change`; this card
 * keeps the rest, `(n + s)/2 − m`: the straight line between the ends against the path actually
 * taken. It is positive when the premium spent the window below that line and rose late (demand
 * arriving now, or a dip bought back), negative when it rose early and stalled or spiked and faded.
 * For a random-walk premium it is uncorrelated with the change (E[(n − s)(n + s − 2m)] = 0), so it
 * says something the change does not. Read as follow, like the change: late widening leans bullish,
 * a faded spike bearish. A judgment, not calibrated.
 *
 * - a_v = (premium now + premium at the window start) / 2 − time-weighted premium over the window,
 *   bps, per venue known now, at the start and within the window
 * - x = mean_v a_v; score = tanh(z(x)), center 0, prior σ 0.5 bps (1m), 1 bps (5m), 2 bps (1h)
 *   (about 0.3 of the change's σ for a random walk, rounded)
 * - confidence = venues used / venues that send an index; value = x (bps)
 * - unavailable until a mark carried an index price, and when no venue knows its premium both now
 *   and at the window start
 */
import { directional, unavailable, type CardDefinition } from "../card.js";
import { NO_INDEX_REASON, NO_PATH_REASON } from "./premium-path.js";

export const derivativesPremiumAcceleration: CardDefinition = {
  id: "derivatives.premium-acceleration",
  category: "derivatives",
  formula:
    "x = mean over venues of ((premium now + premium at the window start) / 2 − time-weighted premium over the window), bps; score = tanh(z(x)) (late widening bullish); " +
    "confidence = venues used / venues with an index; value = x",
  units: "bps of index",
  differs:
    "The path's convexity within the window, orthogonal to its net change (derivatives.premium-change) for a random walk; together they make the now-against-mean gap, so no separate gap card.",
  scale: { center: 0, prior: { "1m": 0.5, "5m": 1, "1h": 2 } },
  feeds: ["mark"],
  compute({ premium }, self) {
    if (premium.length === 0) return unavailable(NO_INDEX_REASON);
    let sum = 0;
    let venues = 0;
    for (const p of premium) {
      if (p.bps === null || p.startBps === null || p.window.mean === null) continue;
      sum += (p.bps + p.startBps) / 2 - p.window.mean;
      venues++;
    }
    if (venues === 0) return unavailable(NO_PATH_REASON);
    return directional(self, sum / venues, venues / premium.length);
  },
};
