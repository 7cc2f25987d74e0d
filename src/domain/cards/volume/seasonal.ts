/**
 * `volume.seasonal` (stress): the window's volume against the same time of day yesterday. Crypto
 * volume has a strong intraday pattern (the US and European opens, funding settlements, the daily
 * candle close), so a window that is heavy against the day's average may be an ordinary hour;
 * against the same hour a day earlier it is not (Eross, McGroarty, Urquhart & Wolfe 2019, "The
 * intraday dynamics of bitcoin"). No side: a stress card.
 *
 * The bars hold the last 24 h: the span exactly a day before the window ends where the ring begins.
 * With the default ring the card reads the held span nearest to it, the N minutes starting 24 h
 * before the window's end (one window later in yesterday's day); a ring of at least 24 h + N reads
 * the span itself.
 *
 * - V = traded notional of the window's last N complete minute bars (N = 1, 5, 60), USD, all venues
 * - V₋ = traded notional of the N minutes a day earlier (as above)
 * - p = 0.1 · N · V̄, V̄ = the day's notional per minute: a tenth of a usual window on each side so
 *   that an empty span keeps x finite
 * - x = ln((V + p) / (V₋ + p))
 * - strength = tanh(max(z(x), 0)), center 0, prior σ 1.05 (1m), 0.85 (5m), 0.65 (1h): the RMS of x
 *   on the month of AVAX and LINK one-minute bars; score 0
 * - confidence = min(1, N / 30): one span against one span, so short windows are thin evidence;
 *   value = (V + p) / (V₋ + p)
 * - unavailable until a day of bars exists (`warming up: k of 1440 minutes of bars`; a ring shorter
 *   than a day never warms up), or when the day traded nothing
 */
import { stress, support, unavailable, type CardDefinition } from "../card.js";
import { dayBaseline, REGRESSION_FULL_MINUTES, warmingUp, windowMinutes } from "../bar-window.js";
import { PSEUDO_WINDOW_SHARE, spanUsd } from "./day-volume.js";

/** Minutes in a day. */
export const DAY_MINUTES = 1_440;

export const volumeSeasonal: CardDefinition = {
  id: "volume.seasonal",
  kind: "stress",
  category: "volume",
  formula:
    "x = ln((V + p) / (V₋ + p)), V = window notional, V₋ = notional of the same span a day earlier (the nearest held: the N minutes from 24 h before the window's end), " +
    "p = 0.1 · window minutes · the day's notional per minute; strength = tanh(max(z(x), 0)); confidence = min(1, window minutes / 30); value = (V + p) / (V₋ + p)",
  units: "multiple of the volume at the same time yesterday",
  differs:
    "Volume against the same time of day yesterday, net of the daily pattern: volume.relative compares with the day's average and so reads every busy session open as heavy.",
  scale: { center: 0, prior: { "1m": 1.05, "5m": 0.85, "1h": 0.65 } },
  feeds: ["trade"],
  compute({ bars, windowMs }, self) {
    const n = windowMinutes(windowMs);
    const exact = bars.length - DAY_MINUTES - n;
    const from = exact >= 0 ? exact : bars.length - DAY_MINUTES;
    const cold = warmingUp(bars, from >= 0 ? bars.length - from : DAY_MINUTES);
    if (cold !== null) return unavailable(cold);
    const day = dayBaseline(bars);
    if (!(day.usd > 0)) return unavailable("no traded volume in the held bars");
    const pseudo = (PSEUDO_WINDOW_SHARE * n * day.usd) / day.minutes;
    const ratio = (spanUsd(bars, bars.length - n, bars.length) + pseudo) / (spanUsd(bars, from, from + n) + pseudo);
    return stress(self, Math.log(ratio), support(n, REGRESSION_FULL_MINUTES), ratio);
  },
};
