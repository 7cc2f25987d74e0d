/**
 * `mr.trend-residual`: how far the last close sits off the straight line fitted through the span's
 * log closes, in units of the other closes' scatter around it, faded: a close that jumped above its
 * own trend leans back to it.
 *
 * Detrended reversion: the residual of a linear fit is the part of the move that the span's own
 * trend does not explain, so a steady trend reads 0 here while mr.zscore reads it as stretched
 * (the regression-channel reading of technical analysis; reversion of the residual is a judgment,
 * not calibrated).
 *
 * - n = 15, 30, 60 complete minutes (1m, 5m, 1h: `REGRESSION_SPAN_MINUTES`); y_t = ln(close_t / C),
 *   t = 0 … n − 1, C = the last close; OLS y = a + b·t
 * - e = y_{n−1} − (a + b·(n − 1)), the last close's residual; σ_e = √(Σ residual² / (n − 2))
 * - x = −e / σ_e; score = tanh(z(x)), center 0, prior σ 1.1 (1m), 1.25 (5m), 1.3 (1h) (the RMS of x
 *   on the shared month of AVAX, DOT, LINK, LTC and NEAR minute bars, rounded)
 * - confidence = traded minutes / n; value = e in bps (above the line > 0)
 * - unavailable "warming up: k of n minutes of bars"; closes that lie on a line (σ_e below
 *   `LOG_NOISE`, flat closes included) are a measured 0 with confidence 0
 */
import { directional, unavailable, type CardDefinition } from "../card.js";
import { warmingUp } from "../bar-window.js";
import { lastClose, LOG_NOISE, REGRESSION_SPAN_MINUTES, tradedMinutes } from "./span.js";

export const mrTrendResidual: CardDefinition = {
  id: "mr.trend-residual",
  category: "mean-reversion",
  formula:
    "x = −e / σ_e, e = residual of the last log close from the OLS line through the last 15, 30, 60 minutes' log closes, σ_e = residual standard error; " +
    "score = tanh(z(x)) (contrarian); confidence = traded minutes / n; value = e in bps",
  units: "bps (last close above its fitted trend line > 0)",
  differs:
    "Stretch from the span's own trend line, so a steady trend is not stretched: mr.zscore measures from a flat mean, trend cards read the line's slope, " +
    "mr.ou-pull fits a reverting equilibrium rather than a line.",
  scale: { center: 0, prior: { "1m": 1.1, "5m": 1.25, "1h": 1.3 } },
  feeds: ["trade"],
  compute({ bars, timeframe }, self) {
    const n = REGRESSION_SPAN_MINUTES[timeframe];
    const cold = warmingUp(bars, n);
    if (cold !== null) return unavailable(cold);
    const from = bars.length - n;
    const c = lastClose(bars);
    const mt = (n - 1) / 2;
    let sy = 0;
    for (let i = from; i < bars.length; i++) sy += Math.log(bars.close[i] / c);
    const my = sy / n;
    let stt = 0;
    let sty = 0;
    for (let i = from; i < bars.length; i++) {
      const t = i - from - mt;
      stt += t * t;
      sty += t * (Math.log(bars.close[i] / c) - my);
    }
    const b = sty / stt;
    let sse = 0;
    for (let i = from; i < bars.length; i++) {
      const e = Math.log(bars.close[i] / c) - my - b * (i - from - mt);
      sse += e * e;
    }
    const sigma = Math.sqrt(sse / (n - 2));
    const last = -my - b * (n - 1 - mt);
    if (!(sigma > LOG_NOISE)) return directional(self, 0, 0, 0);
    return directional(self, -last / sigma, tradedMinutes(bars, from, bars.length) / n, last * 10_000);
  },
};
