/**
 * `oi.turnover`: traded volume against the open interest it trades around, per hour. A stress
 * card: a market that turns its open interest over fast is churning speculative positions
 * (day-trading leverage), one that turns it slowly is holding them. The level differs by symbol
 * (majors turn over about 2–3× a day, small alts far more), so the center is the symbol's own
 * rolling mean.
 *
 * - venues counted: those with current open interest that also deliver trades (volume of a venue
 *   whose open interest is not known says nothing about that open interest, and the reverse)
 * - x = (buyQty + sellQty) / OI_base · (1 h / window), both summed over those venues (base units)
 * - strength = tanh(max(z(x), 0)), center rolling from 0.1 per hour, prior σ 0.1 (1m), 0.07 (5m),
 *   0.05 (1h) per hour (a judgment, not calibrated)
 * - confidence = min(1, trades / tradeFullConfidenceCount) · their share of current open
 *   interest; a window without trades is a measured 0 with confidence 0; value = x
 * - unavailable when no open interest is current or no venue with open interest delivers trades
 */
import { stress, support, unavailable, type CardDefinition } from "../card.js";
import type { Venue } from "../../events.js";
import { tradesOn } from "./oi-measures.js";

export const oiTurnover: CardDefinition = {
  id: "oi.turnover",
  category: "open-interest",
  kind: "stress",
  formula:
    "x = taker volume / open interest (base units, venues with both) · 1 h / window; strength = tanh(max(z(x), 0)), center rolling, score 0; " +
    "confidence = min(1, trades / tradeFullConfidenceCount) · their share of current OI; value = x",
  units: "open interest turned over per hour",
  differs: "Volume measured against the positions outstanding rather than against its own baseline (volume cards): speculative churn, not activity; oi.opening-flow asks how much of the volume opened positions.",
  scale: { center: "rolling", priorCenter: 0.1, prior: { "1m": 0.1, "5m": 0.07, "1h": 0.05 } },
  feeds: ["oi", "trade"],
  compute(input, self) {
    const { oi } = input;
    if (oi.base === null) return unavailable("open interest stale: no venue updated within inputs.oiStaleMs");
    if (!(oi.base > 0)) return unavailable("open interest is zero now");
    const traded = new Set(input.venues.filter((w) => w.last !== null).map((w) => w.venue));
    const both: Venue[] = [];
    let base = 0;
    for (const v of oi.venues) {
      if (v.base === null || !traded.has(v.venue)) continue;
      both.push(v.venue);
      base += v.base;
    }
    if (both.length === 0) return unavailable("no venue with current open interest delivers trades");
    if (!(base > 0)) return unavailable("open interest of the venues with trades is zero now");
    const t = tradesOn(input.venues, both);
    const x = ((t.buyQty + t.sellQty) / base) * (3_600_000 / input.windowMs);
    return stress(self, x, support(t.trades, input.params.tradeFullConfidenceCount) * (base / oi.base));
  },
};
