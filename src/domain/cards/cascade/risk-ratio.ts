/**
 * The shared measure of `cascade.risk-up` and `cascade.risk-down`: estimated liquidation notional
 * just beyond the price on one side against the resting depth that would absorb it.
 */
import { directional, support, unavailable, type CardInput, type CardSelf } from "../card.js";
import type { CardValue } from "../../vocabulary.js";
import { nextDown, nextUp } from "../../liquidation/cascade.js";

/** `direction` +1: short levels above against ask depth (bullish fuel); −1: long levels below against bid depth. */
export function cascadeRiskValue(input: CardInput, self: CardSelf, direction: 1 | -1): CardValue {
  const { liq, book, params, timeframe } = input;
  const view = liq.levels();
  if (view === null || liq.price === null) return unavailable(liq.levelsReason ?? "no open-interest feed");
  if (!book.synced) return unavailable("book not synced");
  const band = params.cascadeBandPct[timeframe];
  const depth = book.depthWithin(band);
  if (depth === null) return unavailable("book side empty");
  const p = liq.price;
  const levels = direction > 0 ? view.sumUsd("short", nextUp(p), p * (1 + band / 100)) : view.sumUsd("long", p * (1 - band / 100), nextDown(p));
  const depthUsd = direction > 0 ? depth.askNotionalUsd : depth.bidNotionalUsd;
  if (depthUsd <= 0 && levels > 0) return unavailable("no resting depth in the band");
  const ratio = depthUsd > 0 ? levels / depthUsd : 0;
  return directional(self, direction * ratio, support(liq.cohorts, params.levelFullConfidenceCohorts), ratio);
}
