/**
 * `regime.trend-strength` (stress): Wilder's (1978, "New Concepts in Technical Trading Systems")
 * average directional index on minute highs and lows, without its direction. Each minute extends
 * the previous one's range up (+DM) or down (−DM); over a span of p minutes the directional index
 * DX = |ΣDM⁺ − ΣDM⁻| / (ΣDM⁺ + ΣDM⁻) says how one-sided those extensions were (the true ranges of
 * Wilder's +DI and −DI cancel in the ratio), and the ADX averages DX over the span. A trend that
 * turned inside the span still reads strong, since each p-minute stretch had a side.
 *
 * - span: the last n = regimeMinutes[tf] complete minutes (15, 30, 60); p = ⌈n/4⌉ (4, 8, 15: 15
 *   on the hour is Wilder's 14-period habit)
 * - for each minute i after the span's first: u = high_i − high_{i−1}, d = low_{i−1} − low_i;
 *   DM⁺ = u if u > d and u > 0, else 0; DM⁻ = d if d > u and d > 0, else 0 (quiet minutes: 0)
 * - DX_j = |ΣDM⁺ − ΣDM⁻| / (ΣDM⁺ + ΣDM⁻) over each run of p consecutive movements (0 when both
 *   are 0); ADX = mean of DX_j over the n − p runs (a plain mean instead of Wilder's smoothing)
 * - x = ADX · √p: for a random walk DX over p movements shrinks like 1/√p, so x keeps one center
 *   for every p. Center 1.25 (a simulated random walk of minute bars gives 1.21 to 1.26 at n = 15,
 *   30, 60), prior σ 0.3 (1m), 0.37 (5m), 0.4 (1h): the root mean square of x − 1.25 on the shared
 *   month of AVAX, LINK and DOT minute bars
 * - strength = tanh(max(z(x), 0)); score 0; confidence = min(1, traded minutes / 30); value = 100 · ADX
 *   (Wilder's 0–100 scale, where traders read 25 as trending at his 14 periods)
 * - unavailable while fewer than n minutes of bars exist; a span without directional movement is a
 *   measured zero (x = center, confidence 0)
 */
import { stress, unavailable, type CardDefinition } from "../card.js";
import { regimeSpan } from "./span.js";

/** Share of the span in one DX run: p = ⌈n · share⌉. */
export const TREND_STRENGTH_RUN_SHARE = 0.25;

/** The random walk's x (center). */
export const TREND_STRENGTH_CENTER = 1.25;

export const regimeTrendStrength: CardDefinition = {
  id: "regime.trend-strength",
  kind: "stress",
  category: "regime",
  formula:
    "x = √p · ADX, ADX = mean over runs of p = ⌈n/4⌉ minutes of |ΣDM⁺ − ΣDM⁻| / (ΣDM⁺ + ΣDM⁻) from minute highs and lows, over the last n = regimeMinutes[tf] minutes; " +
    "strength = tanh(max(z(x), 0)); score 0; confidence = min(1, traded minutes / 30); value = 100 · ADX",
  units: "ADX (0–100)",
  differs:
    "How one-sided the minutes' range extensions were over quarter-span runs, even if the side changed within the span: regime.efficiency reads the closes' net " +
    "displacement over the whole span (a rise then a fall nets out there, not here), regime.choppiness the path against the whole range.",
  scale: { center: TREND_STRENGTH_CENTER, prior: { "1m": 0.3, "5m": 0.37, "1h": 0.4 } },
  feeds: ["trade"],
  compute({ bars, params, timeframe }, self) {
    const span = regimeSpan(bars, params, timeframe);
    if (typeof span === "string") return unavailable(span);
    const p = Math.ceil(span.n * TREND_STRENGTH_RUN_SHARE);
    // Prefix sums of DM⁺ and DM⁻ over the movements of minutes from + 1 … length − 1 (a run of zeros
    // leaves a prefix sum unchanged, so a quiet run reads exactly 0).
    const moves = span.n - 1;
    const up = new Float64Array(moves + 1);
    const down = new Float64Array(moves + 1);
    for (let k = 0; k < moves; k++) {
      const i = span.from + 1 + k;
      const quiet = bars.trades[i] === 0;
      const u = bars.high[i] - bars.high[i - 1];
      const d = bars.low[i - 1] - bars.low[i];
      up[k + 1] = up[k] + (!quiet && u > d && u > 0 ? u : 0);
      down[k + 1] = down[k] + (!quiet && d > u && d > 0 ? d : 0);
    }
    if (up[moves] + down[moves] === 0) return stress(self, TREND_STRENGTH_CENTER, 0, 0);
    let dxSum = 0;
    for (let j = 0; j + p <= moves; j++) {
      const plus = up[j + p] - up[j];
      const minus = down[j + p] - down[j];
      dxSum += plus + minus > 0 ? Math.abs(plus - minus) / (plus + minus) : 0;
    }
    const adx = dxSum / (moves - p + 1);
    return stress(self, adx * Math.sqrt(p), span.confidence, 100 * adx);
  },
};
