/**
 * `derivatives.mark-gap`: the last trade against the venue's mark price — are traders paying above
 * the mark right now?
 *
 * A venue's mark is its smoothed fair price (Binance: the median of index · (1 + funding · time to
 * funding / 8 h), index + the 5-minute average basis, and the last price; Bybit and Hyperliquid
 * likewise anchor it on the index and a moving basis). A last trade above the mark is takers
 * lifting the perpetual faster than its fair price follows: short-horizon demand that the mark, and
 * the liquidations it triggers, have not caught up with yet. Followed: trades above mark lean
 * bullish. A judgment, not calibrated.
 *
 * - g_v = (last trade − mark) / mark · 10⁴ per venue with a fresh mark (the premium input's, so a
 *   venue that sends an index) and a last trade within `SAME_MOMENT_MS` (10 s) of that mark
 * - x = mean_v g_v (bps); score = tanh(z(x)), center 0, prior σ 3 bps on every timeframe
 * - confidence = venues used / venues with a fresh mark; value = x
 * - a reading of the moment: every timeframe sees the same x, and differs only by the history it
 *   learns its dispersion from
 * - unavailable until a mark carried an index price (OKX marks carry none, so OKX is never read),
 *   when no venue's mark is fresh, and when no venue has a trade within 10 s of its mark
 */
import { directional, unavailable, type CardDefinition } from "../card.js";
import type { Venue } from "../../events.js";
import type { VenueWindow } from "../../inputs/venue-windows.js";
import { gapBps, NO_INDEX_REASON, SAME_MOMENT_MS } from "./premium-path.js";

function lastTradeOf(venues: readonly VenueWindow[], venue: Venue): VenueWindow["last"] {
  for (const v of venues) if (v.venue === venue) return v.last;
  return null;
}

export const derivativesMarkGap: CardDefinition = {
  id: "derivatives.mark-gap",
  category: "derivatives",
  formula:
    "x = mean over venues of (last trade − mark) / mark, bps, for venues with a fresh mark and a trade within 10 s of it; score = tanh(z(x)) (follow: paying above mark is demand); " +
    "confidence = venues used / venues with a fresh mark; value = x",
  units: "bps of mark",
  differs:
    "Traded price against the smoothed mark on the same venue, a reading of the last seconds; derivatives.premium and premium-change read mark against index, cross-venue reads prices between venues.",
  scale: { center: 0, prior: 3 },
  feeds: ["mark", "trade"],
  missingFeedReason: { trade: "no trade feed (no last trade to compare with the mark)" },
  compute({ premium, venues }, self) {
    if (premium.length === 0) return unavailable(NO_INDEX_REASON);
    let sum = 0;
    let used = 0;
    let fresh = 0;
    for (const p of premium) {
      if (p.bps === null) continue;
      fresh++;
      const last = lastTradeOf(venues, p.venue);
      if (last === null || Math.abs(last.ts - p.ts) > SAME_MOMENT_MS) continue;
      sum += gapBps(last.price, p.markPrice);
      used++;
    }
    if (fresh === 0) return unavailable("no fresh mark with an index on any venue");
    if (used === 0) return unavailable("no venue has a trade within 10 s of its mark");
    return directional(self, sum / used, used / fresh);
  },
};
