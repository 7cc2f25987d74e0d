/**
 * Minute-bar helpers shared by the order-flow cards that read the shape of the flow minute by
 * minute (`flow.persistence`, `flow.toxicity`, `flow.acceleration`, `flow.pressure`).
 *
 * A bar exists for every complete minute of the ring, traded or not, so "the last n bars" always
 * exist; what a card must not do is read minutes from before the engine saw this symbol trade as
 * quiet ones. `minutesHeld` counts the complete minutes since the first traded one (quiet minutes
 * after it are measured zeros); a span reaching further back is "warming up".
 */
import { MINUTE_MS, type BarSeries } from "../../inputs/bar-ring.js";

/** Complete minutes from the first traded minute of the series to its end (0 without a trade). */
export function minutesHeld(bars: BarSeries): number {
  if (bars.firstDataTs === null) return 0;
  return (bars.t0 + bars.length * MINUTE_MS - bars.firstDataTs) / MINUTE_MS;
}

/** The reason a card reading `needed` minutes of bars gives while only `held` exist. */
export function warmingUp(held: number, needed: number): string {
  return `warming up: ${held} of ${needed} minutes of bars`;
}
