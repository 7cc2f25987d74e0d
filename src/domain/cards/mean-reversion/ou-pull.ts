/**
 * `mr.ou-pull`: the next minute's move that a mean-reverting (Ornstein–Uhlenbeck) model fitted to
 * the span's closes expects, in units of the model's own residual noise. Zero when the span does not
 * revert.
 *
 * The discrete OU process is an AR(1) in log price: Δy_t = α + β·y_{t−1} + ε with β < 0 pulling y
 * back toward its equilibrium −α/β (Uhlenbeck & Ornstein 1930; its use for pairs and intraday
 * reversion: Avellaneda & Lee 2010, "Statistical arbitrage in the US equities market"). The fitted
 * pull is the stretch from equilibrium times the measured speed of reversion: it is large only when
 * the span both stretched and has been reverting, where mr.zscore reads the stretch alone.
 * With a short span β is biased below 0 even on a random walk (Dickey–Fuller), so most spans show
 * some pull; the prior is scaled to the usual one (a judgment, not calibrated).
 *
 * - n = 15, 30, 60 complete minutes (1m, 5m, 1h: `REGRESSION_SPAN_MINUTES`); y = ln(close / C),
 *   C = the last close; OLS of Δy_t on y_{t−1} over the n − 1 pairs
 * - E = α + β·y_last = α (y_last = 0): the expected next-minute log change when β < 0, else 0
 * - x = E / σ_ε, σ_ε = √(Σ residual² / (n − 3)); score = tanh(z(x)), center 0 (the model gives
 *   the direction: price above its equilibrium expects a fall), prior σ 0.55 (1m), 0.35 (5m),
 *   0.25 (1h): the RMS of x on the shared month of AVAX, DOT, LINK, LTC and NEAR minute bars
 * - confidence = traded minutes / n; value = E in bps
 * - unavailable "warming up: k of n minutes of bars"; a span whose closes never moved is a measured
 *   0 with confidence 0; a fit exact up to rounding (σ_ε below `LOG_NOISE`) is 0
 */
import { directional, unavailable, type CardDefinition } from "../card.js";
import { warmingUp } from "../bar-window.js";
import { lastClose, LOG_NOISE, REGRESSION_SPAN_MINUTES, tradedMinutes } from "./span.js";

export const mrOuPull: CardDefinition = {
  id: "mr.ou-pull",
  category: "mean-reversion",
  formula:
    "x = E / σ_ε, E = α + β·y_last when β < 0 else 0, from the OLS fit Δy_t = α + β·y_{t−1} + ε of log closes over the last 15, 30, 60 minutes; score = tanh(z(x)); " +
    "confidence = traded minutes / n; value = E in bps",
  units: "bps (expected next-minute move toward the fitted equilibrium)",
  differs:
    "The pull a fitted reversion model expects, zero when the span is not reverting: mr.zscore and vwap.distance fade any stretch from a mean whatever the dynamics, " +
    "mr.trend-residual measures the last close against a fitted trend line instead of an equilibrium.",
  scale: { center: 0, prior: { "1m": 0.55, "5m": 0.35, "1h": 0.25 } },
  feeds: ["trade"],
  compute({ bars, timeframe }, self) {
    const n = REGRESSION_SPAN_MINUTES[timeframe];
    const cold = warmingUp(bars, n);
    if (cold !== null) return unavailable(cold);
    const from = bars.length - n;
    const c = lastClose(bars);
    const m = n - 1;
    let sx = 0;
    let sy = 0;
    for (let i = from + 1; i < bars.length; i++) {
      const prev = Math.log(bars.close[i - 1] / c);
      sx += prev;
      sy += Math.log(bars.close[i] / c) - prev;
    }
    const mx = sx / m;
    const my = sy / m;
    let sxx = 0;
    let sxy = 0;
    for (let i = from + 1; i < bars.length; i++) {
      const prev = Math.log(bars.close[i - 1] / c);
      const dy = Math.log(bars.close[i] / c) - prev;
      sxx += (prev - mx) ** 2;
      sxy += (prev - mx) * (dy - my);
    }
    if (!(sxx > 0)) return directional(self, 0, 0, 0);
    const beta = sxy / sxx;
    const alpha = my - beta * mx;
    let sse = 0;
    for (let i = from + 1; i < bars.length; i++) {
      const prev = Math.log(bars.close[i - 1] / c);
      const e = Math.log(bars.close[i] / c) - prev - alpha - beta * prev;
      sse += e * e;
    }
    const sigma = Math.sqrt(sse / (m - 2));
    const confidence = tradedMinutes(bars, from, bars.length) / n;
    if (!(beta < 0) || !(sigma > LOG_NOISE)) return directional(self, 0, confidence, 0);
    return directional(self, alpha / sigma, confidence, alpha * 10_000);
  },
};
