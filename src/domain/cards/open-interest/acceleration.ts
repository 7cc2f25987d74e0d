/**
 * `oi.acceleration`: is open interest building faster in this window than in the time before it?
 * A stress card, like `oi.change`: leverage arriving faster than before, with no direction.
 *
 * Base open interest is only known at the window starts of the three timeframes (1, 5 and 60
 * minutes back, oi-measures.ts), so "the time before" is the rest of the next longer
 * timeframe's window: 1m compares the last minute with the 4 minutes before it, 5m the last 5
 * minutes with the 55 before. The 1h timeframe has no longer window (the open-interest history
 * reaches about an hour plus the hold limit) and is unavailable.
 *
 * - B₀, B₁, B₂ = Σ base open interest now, at this window's start (ts − W) and at the longer
 *   window's start (ts − L), over the venues current now and known at both starts
 * - pace = 100 · (B₀ − B₁) / B₁ per W minutes; before = 100 · (B₁ − B₂) / B₂ per (L − W) minutes
 * - x = pace − before (% of open interest per minute); strength = tanh(max(z(x), 0)), center 0,
 *   prior σ 0.1 %/min (1m), 0.05 %/min (5m) (1h: 0.02, never used); a judgment, not calibrated
 * - confidence = share of current open interest on those venues that updated within this window; value = x
 * - unavailable on 1h, when open interest is stale, or unknown at either start
 */
import { stress, unavailable, type CardDefinition } from "../card.js";
import { oiBaseAtStartOf, oiChange, timeframesByLength } from "./oi-measures.js";

export const oiAcceleration: CardDefinition = {
  id: "oi.acceleration",
  category: "open-interest",
  kind: "stress",
  formula:
    "x = 100·(B₀ − B₁)/B₁ per minute of this window − 100·(B₁ − B₂)/B₂ per minute of the rest of the next longer window (base OI now, at this and at the longer window's start); " +
    "strength = tanh(max(z(x), 0)), score 0; confidence = share of current OI updated within the window; value = x",
  units: "% of open interest per minute",
  differs: "The change of pace of open interest, not its amount: oi.change reads the window's build-up, this card whether it is speeding up against the minutes before.",
  scale: { center: 0, prior: { "1m": 0.1, "5m": 0.05, "1h": 0.02 } },
  feeds: ["oi"],
  compute(input, self) {
    const order = timeframesByLength(input);
    const longer = order[order.indexOf(input.timeframe) + 1];
    if (longer === undefined) return unavailable(`no window longer than ${input.timeframe} to compare with`);
    const c = oiChange(input);
    if (typeof c === "string") return unavailable(c);
    const before = oiBaseAtStartOf(input, longer);
    let b0 = 0;
    let b1 = 0;
    let b2 = 0;
    let refreshed = 0;
    let matched = 0;
    for (const v of input.oi.venues) {
      const earlier = before[v.venue];
      if (v.base === null || v.startBase === null || earlier === null || earlier === undefined) continue;
      b0 += v.base;
      b1 += v.startBase;
      b2 += earlier;
      matched++;
      if (v.ts >= input.ts - input.windowMs) refreshed += v.base;
    }
    if (matched === 0) return unavailable(`no open interest known at the start of the ${longer} window`);
    if (!(b1 > 0 && b2 > 0)) return unavailable("open interest was zero at a window start");
    const minutes = input.windowMs / 60_000;
    const beforeMinutes = (input.timeframes[longer].windowMs - input.windowMs) / 60_000;
    const x = (100 * (b0 - b1)) / b1 / minutes - (100 * (b1 - b2)) / b2 / beforeMinutes;
    return stress(self, x, refreshed / (input.oi.base as number));
  },
};
