/**
 * `mr.streak`: the run of consecutive k-minute bars that closed in one direction, ending at the
 * last complete minute, faded: a long run of higher closes leans back down.
 *
 * DeMark's TD Sequential counts consecutive closes beyond an earlier close and reads a long count
 * as exhaustion; for a random walk a run of r same-signed bars has probability 2^−r, so long runs
 * are rare, and short-horizon returns on these perpetuals tend to revert. A judgment, not
 * calibrated (its 5-minute rank IC on the shared month was +0.02 to +0.03, in sample).
 *
 * - bars of k = 1, 5, 15 minutes (1m, 5m, 1h: `OSCILLATOR_BAR_MINUTES`); s = sign of the last
 *   k-minute close change; r = number of consecutive changes of sign s ending at the last close,
 *   at most 14 (`STREAK_CAP`); r = 0 when the last change is 0
 * - x = −s · r; score = tanh(z(x)), center 0, prior σ 1.8 (1m), 2 (5m), 2.2 (1h): the RMS of x on
 *   the shared month of AVAX, DOT, LINK, LTC and NEAR minute bars (for a coin the RMS of a signed
 *   run is √6 ≈ 2.4; unchanged bars shorten runs)
 * - confidence = changes that moved among the last 14 / 14; value = s · r (up-runs > 0)
 * - unavailable "warming up: k of 14k + 1 minutes of bars" until the bars reach back 14 bars
 *   (15, 71, 211 minutes)
 */
import { directional, unavailable, type CardDefinition } from "../card.js";
import { warmingUp } from "../bar-window.js";
import { OSCILLATOR_BAR_MINUTES } from "./span.js";

/** Longest run counted, bars. */
export const STREAK_CAP = 14;

export const mrStreak: CardDefinition = {
  id: "mr.streak",
  category: "mean-reversion",
  formula:
    "x = −s·r, r = consecutive k-minute closes (k = 1, 5, 15) changing with sign s up to the last close, at most 14; score = tanh(z(x)) (contrarian); " +
    "confidence = changes that moved among the last 14 / 14; value = s·r",
  units: "bars (signed run: rising closes > 0)",
  differs:
    "Counts how many bars in a row closed the same way, however small each move: mr.rsi weighs how much the path rose against fell, micro.tick-direction counts up- against down-minutes " +
    "without requiring them to be consecutive, momentum cards follow the net move.",
  scale: { center: 0, prior: { "1m": 1.8, "5m": 2, "1h": 2.2 } },
  feeds: ["trade"],
  compute({ bars, timeframe }, self) {
    const k = OSCILLATOR_BAR_MINUTES[timeframe];
    const cold = warmingUp(bars, STREAK_CAP * k + 1);
    if (cold !== null) return unavailable(cold);
    const last = bars.length - 1;
    const change = (j: number) => Math.sign(bars.close[last - j * k] - bars.close[last - (j + 1) * k]);
    const s = change(0);
    let run = 0;
    let moved = 0;
    let going = s !== 0;
    for (let j = 0; j < STREAK_CAP; j++) {
      const c = change(j);
      if (c !== 0) moved++;
      if (going && c === s) run++;
      else going = false;
    }
    return directional(self, -s * run, moved / STREAK_CAP, s * run);
  },
};
