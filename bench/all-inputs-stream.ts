/**
 * A stream that feeds every card input: the real Binance BTCUSDT recording (trades, depth and
 * book tickers, about 6 minutes, 2024-08-08) with, woven in by event time, a second venue's trades
 * (every 7th Binance trade repeated on Bybit, 1 bp higher), marks with funding and index on Binance
 * and Hyperliquid (hourly) and open interest on two venues once a second. Synthetic beside real:
 * there is no public recording of all of these on one clock. Used by the card bench and by the
 * engine determinism test; deterministic.
 */
import type { CanonicalEvent } from "../src/domain/events.js";

export function withAllInputs(base: readonly CanonicalEvent[], symbol = "BTCUSDT"): CanonicalEvent[] {
  const events: CanonicalEvent[] = [];
  let next = -1;
  let k = 0;
  for (const ev of base) {
    if (next < 0) next = ev.ts;
    while (ev.ts >= next) {
      k++;
      events.push({ venue: "binance", symbol, ts: next, kind: "mark", markPrice: 61_000 + (k % 13), indexPrice: 61_000, fundingRate: 0.0001 + (k % 5) * 0.00001, nextFundingTs: 1723190400000 });
      events.push({ venue: "hyperliquid", symbol, ts: next, kind: "mark", markPrice: 61_002, indexPrice: 61_000, fundingRate: 0.0000125 * (1 + (k % 3)) });
      events.push({ venue: "bybit", symbol, ts: next, kind: "oi", oiBase: 50_000 + k * 3 });
      events.push({ venue: "binance", symbol, ts: next, kind: "oi", oiBase: 80_000 + (k % 11) });
      next += 1_000;
    }
    events.push(ev);
    if (ev.kind === "trade" && ++k % 7 === 0) events.push({ ...ev, venue: "bybit", price: ev.price * 1.0001, tradeId: `b${ev.tradeId}` });
  }
  return events;
}
