/**
 * `divergence.oi`: a break to a new extreme made while open interest fell. When the window's
 * minutes close above every close of the span before them while open interest fell over the
 * window, the break was made by positions closing (shorts covering), not by new longs: no fresh
 * commitment stands behind it (bearish). A break below the prior span's lows on falling open
 * interest was made by longs closing or liquidated, not by new shorts pressing (bullish: the
 * selling is forced or tired). A break on rising open interest is confirmed: 0.
 *
 * The futures desk's reading of open interest with price (rising prices on falling open interest
 * are short covering, a technically weak rally: Murphy, "Technical Analysis of the Financial
 * Markets", 1999, ch. 7), read only where price breaks the prior span's range. A judgment, not
 * calibrated.
 *
 * Open interest in base units over the venues known at both ends of the window (oi-measures.ts):
 * base open interest exists only at the timeframes' window starts, so the change is read over
 * the window itself, not between two swing extremes (a USD figure at any minute exists, but
 * deflating it by the minute's close mixes in the price move since each venue's last update, as
 * large as the open-interest changes read here).
 *
 * - window minutes: the last n complete minute bars (1, 5, 60); prior span: the N =
 *   divergenceMinutes[tf] minutes before them (10, 30, 60)
 * - up = 1 when the highest close of the window's minutes is above the highest close of the prior
 *   span, down = 1 when its lowest close is below the prior span's lowest, else 0
 * - d = 100 · (OI_now − OI_start) / OI_start, base units over the matched venues
 * - x = (down − up) · max(0, −d) (% of open interest); score = tanh(z(x)), center 0, prior σ
 *   0.05 % (1m), 0.1 % (5m), 0.3 % (1h) (a judgment: no recorded open interest to calibrate on)
 * - confidence = share of current open interest on matched venues updated within the window; value = x
 * - unavailable while fewer than n + N minutes of bars exist, when open interest is stale or
 *   unknown at the window start; a window without a break (or with rising open interest) is a
 *   measured zero
 */
import { directional, unavailable, type CardDefinition } from "../card.js";
import { warmingUp, windowMinutes } from "../bar-window.js";
import { oiChange } from "../open-interest/oi-measures.js";
import { breakOf, swingMinutes } from "./swing.js";

export const divergenceOi: CardDefinition = {
  id: "divergence.oi",
  category: "divergence",
  formula:
    "x = (down − up) · max(0, −d), up/down = 1 when the window's minute closes break above/below every close of the divergenceMinutes[tf] minutes before, d = ΔOI % over the window (base, matched venues); " +
    "score = tanh(z(x)); confidence = share of current OI updated within the window; value = x",
  units: "% of open interest (fall during the break: + = a break down on falling OI)",
  differs:
    "Open interest read only when price breaks the prior span's range, and the break faded when it fell: oi.quadrant reads every window's move with its OI change and counts short covering as weakly bullish, positioning.chase reads open interest arriving after the move, trend.breakout the break without open interest.",
  scale: { center: 0, prior: { "1m": 0.05, "5m": 0.1, "1h": 0.3 } },
  feeds: ["oi", "trade"],
  compute(input, self) {
    const { bars } = input;
    const n = windowMinutes(input.windowMs);
    const span = swingMinutes(input);
    const cold = warmingUp(bars, n + span);
    if (cold !== null) return unavailable(cold);
    const c = oiChange(input);
    if (typeof c === "string") return unavailable(c);
    const b = breakOf(bars, n, span);
    return directional(self, ((b.down ? 1 : 0) - (b.up ? 1 : 0)) * Math.max(0, -100 * c.change), c.confidence);
  },
};
