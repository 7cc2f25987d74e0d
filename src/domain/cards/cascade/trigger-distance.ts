/**
 * `cascade.trigger-distance`: how close to the price the estimated liquidation notional first
 * outweighs the resting depth that would absorb it, up against down. Past that point a move no
 * longer meets enough resting orders to stop it.
 *
 * - band b = cascadeBandPct[timeframe] in 10 steps: s_j = b · j / 10, j = 1..10; P = last trade
 * - up trigger: the first j with estimated short levels in (P, P·(1 + s_j/100)] > 0 and ≥ the ask
 *   notional within +s_j % of mid (all synced venues); down: long levels in [P·(1 − s_j/100), P)
 *   against the bids within −s_j %
 * - proximity p = (11 − j) / 10 (1 at the first step, 0.1 at the band edge), 0 without a trigger
 * - x = p_up − p_down; score = tanh(z(x)), center 0, prior σ 0.5; value = x
 * - a side is searched only up to the primary book's reach (see book-reach.ts): beyond it depth is
 *   not held; confidence = min(1, OI cohorts / levelFullConfidenceCohorts) · min(1, reach / b) with
 *   the smaller reach of the two sides
 * - unavailable before the first trade, while no book is synced, when the book has an empty side,
 *   and when the book reaches less than the first step
 *
 * Why: the cascade ratio of cascade.risk-up/down at one band says how much fuel there is; where
 * it first exceeds the cushion says how small a move sets it off. A judgment, not calibrated; the
 * levels are estimated (docs/liquidation-model.md). Cost: at most 10 depth bands per timeframe
 * (each computed once per cycle) and 20 binary searches.
 */
import { directional, support, unavailable, type CardDefinition } from "../card.js";
import { nextDown, nextUp } from "../../liquidation/cascade.js";
import { levelMap } from "../levels/level-map.js";
import { bookReachPct, pct } from "./book-reach.js";

/** Steps the band is searched in. */
export const TRIGGER_STEPS = 10;

export const cascadeTriggerDistance: CardDefinition = {
  id: "cascade.trigger-distance",
  category: "cascade",
  formula:
    "x = p_up − p_down, p = (11 − j)/10 for the first of 10 steps s_j = cascadeBandPct[tf]·j/10 where estimated levels within s_j % beyond price ≥ the resting depth within s_j % (0 if none); " +
    "score = tanh(z(x)); confidence = min(1, cohorts / levelFullConfidenceCohorts) · min(1, book reach / band); value = x",
  units: "proximity difference (1 = trigger at the first step)",
  differs:
    "Where the estimated fuel first outweighs the resting depth, not how much there is at one band (cascade.risk-up/down) nor how that ratio grows outward (cascade.convexity).",
  scale: { center: 0, prior: 0.5 },
  feeds: ["oi", "book", "trade"],
  compute({ liq, book, params, timeframe }, self) {
    const map = levelMap(liq);
    if (typeof map === "string") return unavailable(map);
    if (!book.synced) return unavailable("book not synced");
    const reach = bookReachPct(book);
    if (reach === null) return unavailable("book side empty");
    const band = params.cascadeBandPct[timeframe];
    const first = band / TRIGGER_STEPS;
    if (Math.min(reach.ask, reach.bid) < first) {
      return unavailable(`book reaches only +${pct(reach.ask)} % / −${pct(reach.bid)} % of mid, less than the first step of ${pct(first)} %`);
    }
    const { view, price: p } = map;
    let up = 0;
    let down = 0;
    for (let j = 1; j <= TRIGGER_STEPS && (up === 0 || down === 0); j++) {
      const s = (band * j) / TRIGGER_STEPS;
      const searchUp = up === 0 && s <= reach.ask;
      const searchDown = down === 0 && s <= reach.bid;
      if (!searchUp && !searchDown) break;
      const depth = book.depthWithin(s);
      if (depth === null) return unavailable("book side empty");
      const proximity = (TRIGGER_STEPS + 1 - j) / TRIGGER_STEPS;
      if (searchUp) {
        const levels = view.sumUsd("short", nextUp(p), p * (1 + s / 100));
        if (levels > 0 && levels >= depth.askNotionalUsd) up = proximity;
      }
      if (searchDown) {
        const levels = view.sumUsd("long", p * (1 - s / 100), nextDown(p));
        if (levels > 0 && levels >= depth.bidNotionalUsd) down = proximity;
      }
    }
    const confidence = support(liq.cohorts, params.levelFullConfidenceCohorts) * Math.min(1, Math.min(reach.ask, reach.bid) / band);
    return directional(self, up - down, confidence);
  },
};
