/**
 * `vwap.reclaim`: whether price crossed the session VWAP during the span: closed below it just
 * before the span and above it at the end (a reclaim) or the reverse (a loss), faded: a cross that
 * just happened tends to be given back.
 *
 * Intraday traders read a reclaim of the session VWAP as the session's buyers taking back control
 * and a loss as the sellers' (the session VWAP is the day's benchmark price: Berkowitz, Logue &
 * Noser 1988); the event is the cross itself, not how far price then went. Follow or fade: on the
 * shared month of AVAX, DOT, LINK, LTC and NEAR minute bars, followed, its 5-minute rank IC was
 * 0.00 (1m), −0.013 (5m), −0.028 (1h) and its 1-hour IC −0.05 on 1h (in sample): crosses were
 * given back, as the other price-against-VWAP cards revert. So it fades (a judgment that
 * out-of-sample evaluation must confirm).
 *
 * - session = the block of vwapSessionMinutes[tf] minutes (60, 240, 1 440: hour, four hours, UTC
 *   day) aligned to 00:00 UTC that holds the last complete minute; s_i = sign(close_i − session
 *   VWAP through minute i), 0 on the VWAP or before the session's first volume
 * - span = the last n = meanMinutes[tf] (5, 15, 60) complete minutes, cut at the session's start
 *   (a VWAP that reset is a new line: nothing before it was a cross of it)
 * - c = (s_last − s_before) / 2, s_last at the last complete minute, s_before at the minute before
 *   the span, or 0 when the span starts the session (price opens on its own VWAP): +1 a reclaim,
 *   −1 a loss, ±½ from or to the line, 0 no cross; x = −c
 * - score = tanh(z(x)), center 0, prior σ 0.5 (1m), 0.5 (5m), 0.45 (1h): the RMS of x on the shared
 *   month, rounded
 * - confidence = min(1, trades in the span / tradeFullConfidenceCount); value = c
 * - unavailable "warming up: k of m minutes of bars" until the bars reach back to the session's
 *   start and at least n + 1 minutes
 */
import { directional, support, unavailable, type CardDefinition } from "../card.js";
import { warmingUp } from "../bar-window.js";
import { barSums, sessionSide, sessionStart, spanTrades } from "./session.js";

export const vwapReclaim: CardDefinition = {
  id: "vwap.reclaim",
  category: "vwap",
  formula:
    "x = −(s_last − s_before) / 2, s = sign(close − session VWAP through that minute) at the last complete minute and at the minute before the last meanMinutes[tf] " +
    "(0 when they start the session); score = tanh(z(x)) (contrarian); confidence = min(1, trades / tradeFullConfidenceCount); value = (s_last − s_before) / 2",
  units: "cross (+1 reclaimed the session VWAP, −1 lost it)",
  differs:
    "The cross of the session VWAP as an event: vwap.session-band reads how far the last close is from it, vwap.acceptance how long price stayed on one side, " +
    "vwap.distance reads a rolling span's VWAP.",
  scale: { center: 0, prior: { "1m": 0.5, "5m": 0.5, "1h": 0.45 } },
  feeds: ["trade"],
  compute({ bars, timeframe, params }, self) {
    const n = params.meanMinutes[timeframe];
    const sessionMinutes = params.vwapSessionMinutes[timeframe];
    const end = bars.length;
    const start = sessionStart(bars, end - 1, sessionMinutes);
    const cold = warmingUp(bars, Math.max(n + 1, end - start));
    if (cold !== null) return unavailable(cold);
    const from = Math.max(end - n, start);
    const sums = barSums(bars);
    const before = from > start ? sessionSide(bars, sums, from - 1, sessionMinutes) : 0;
    const cross = (sessionSide(bars, sums, end - 1, sessionMinutes) - before) / 2;
    return directional(self, -cross, support(spanTrades(sums, from, end), params.tradeFullConfidenceCount), cross);
  },
};
