/**
 * `vwap.volume-above`: the share of the span's volume that traded in minutes priced above the span's
 * VWAP, minus the share below: where the market accepted trade.
 *
 * By construction the volume-weighted deviations from the VWAP cancel, so when most volume sits
 * above it the minority below lies farther away: prices below were visited briefly on little
 * volume and refused, and value is building above (the volume-at-price reading of Steidlmayer's
 * Market Profile; a judgment, not calibrated). Read as direction: acceptance above is bullish.
 * Unlike the cards that place price against a VWAP it is not a stretch, so it is not faded; on
 * the shared month of AVAX, DOT, LINK, LTC and NEAR minute bars its 5-minute rank IC was −0.01 on
 * each timeframe (in sample: not distinguishable from noise).
 *
 * - n = meanMinutes[tf] (5, 15, 60) complete minutes; VWAP over them (`vwapOf`); each traded minute
 *   is above or below by its own VWAP p = notional / quantity (equal: neither)
 * - x = (Q_above − Q_below) / Q, Q = the span's volume (base units); score = tanh(z(x)), center 0,
 *   prior σ 0.33 (1m), 0.22 (5m), 0.16 (1h): the RMS of x on the shared month, rounded
 * - confidence = traded minutes / n; value = x
 * - unavailable "warming up: k of n minutes of bars"; a span without volume is a measured 0 with
 *   confidence 0
 */
import { directional, unavailable, type CardDefinition } from "../card.js";
import { warmingUp } from "../bar-window.js";
import { vwapOf } from "../price-series.js";
import { tradedMinutes } from "../mean-reversion/span.js";

export const vwapVolumeAbove: CardDefinition = {
  id: "vwap.volume-above",
  category: "vwap",
  formula:
    "x = (Q_above − Q_below) / Q, Q_above/below = volume of the last meanMinutes[tf] minute bars whose own VWAP is above/below the span's VWAP; score = tanh(z(x)); " +
    "confidence = traded minutes / n; value = x",
  units: "share of the span's volume (above − below its VWAP)",
  differs:
    "Where the volume sat around the VWAP, not where the price ended: vwap.distance reads the last close against the VWAP, mr.zscore the last close against the plain mean, " +
    "volume cards read how much traded, not at what price.",
  scale: { center: 0, prior: { "1m": 0.33, "5m": 0.22, "1h": 0.16 } },
  feeds: ["trade"],
  compute({ bars, timeframe, params }, self) {
    const n = params.meanMinutes[timeframe];
    const cold = warmingUp(bars, n);
    if (cold !== null) return unavailable(cold);
    const from = bars.length - n;
    const { vwap, qty } = vwapOf(bars, from, bars.length);
    if (!(qty > 0)) return directional(self, 0, 0, 0);
    let net = 0;
    for (let i = from; i < bars.length; i++) {
      const q = bars.buyQty[i] + bars.sellQty[i] + bars.unsidedQty[i];
      if (!(q > 0)) continue;
      const p = (bars.buyUsd[i] + bars.sellUsd[i] + bars.unsidedUsd[i]) / q;
      if (p > vwap) net += q;
      else if (p < vwap) net -= q;
    }
    const x = net / qty;
    return directional(self, x, tradedMinutes(bars, from, bars.length) / n, x);
  },
};
