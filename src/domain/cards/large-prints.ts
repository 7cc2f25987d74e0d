/**
 * The warm-up rule of every card that reads large prints (`input.sizes.large`; smart-money,
 * absorption): a print
 * is large against the symbol's adaptive 99th-percentile threshold, classified on arrival, so a
 * window is only read once the threshold held over all of it (src/domain/inputs/trade-sizes.ts).
 */
import { unavailable, type CardInput } from "./card.js";
import type { CardValue } from "../vocabulary.js";

/** `unavailable("warming up: large-print threshold …")` while the window's large prints are not all classified, else null. */
export function largeWarmingUp({ sizes, ts, windowMs }: CardInput): CardValue | null {
  const { large } = sizes;
  if (large.complete) return null;
  if (large.thresholdUsd === null || large.since === null) {
    return unavailable(`warming up: large-print threshold needs ${large.minTrades} trades in the last hour (${large.historyTrades} so far)`);
  }
  return unavailable(`warming up: large-print threshold held for ${(ts - large.since) / 1000} of ${windowMs / 1000} s of the window`);
}
