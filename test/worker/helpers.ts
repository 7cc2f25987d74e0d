import { env } from "cloudflare:test";
import type { CanonicalEvent } from "../../src/domain/events.js";
import { getMapper, normalizeLine } from "../../src/exchanges/registry.js";

export function symbolStub(symbol: string) {
  return env.SYMBOL_OBJECTS.get(env.SYMBOL_OBJECTS.idFromName(symbol));
}

export function trade(symbol: string, ts: number, price: number, qty: number, side: "buy" | "sell"): CanonicalEvent {
  return { venue: "binance", symbol, ts, kind: "trade", price, qty, side, tradeId: String(ts) };
}

export function liquidation(symbol: string, ts: number, side: "long" | "short", price: number, qty: number): CanonicalEvent {
  return { venue: "binance", symbol, ts, kind: "liquidation", side, price, qty, notionalUsd: price * qty, sampling: "sampled-1s" };
}

/** Events of real recorded lines, through the same normalizer the collector runs. */
export function normalized(lines: string): CanonicalEvent[] {
  const mapper = getMapper("binance");
  return lines
    .split("\n")
    .filter((l) => l.trim() !== "")
    .flatMap((l) => normalizeLine(mapper, l).events);
}

export async function json(res: Response): Promise<any> {
  return res.json();
}
