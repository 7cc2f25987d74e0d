/**
 * Carried-forward inputs: what the engine keeps as "latest" between updates (the last trade
 * price, the mark with its index and funding, the books, open interest) and how old it is in
 * event time.
 *
 * Why: a replay that moves from one recording to the next, or a feed that stops, leaves the last
 * value in place. Read as current, a trade from 2025-01-26 priced the levels, the cascade and the
 * zones of 2025-12-27. Each input therefore carries its own event time; past its limit
 * (`staleAfterMs`, `inputs.oiStaleMs` in src/domain/config.ts) it is `stale`: the snapshot still
 * shows the value with its time, and nothing that assumes a current value reads it. Ages are
 * measured against the cycle boundary (event time, after every event applied) or, for reads
 * between cycles, against the newest event: never the wall clock.
 */
import type { CarriedInput } from "../../protocol/snapshot.js";

/**
 * A carried-forward value at `nowTs`. Not stale at exactly `limitMs`; stale beyond.
 * `value`: the number the input stands for where it has one (price, mark price), else null.
 */
export function carried(value: number | null, ts: number, nowTs: number, limitMs: number): CarriedInput {
  const ageMs = Math.max(0, nowTs - ts);
  return { value, ts, ageMs, limitMs, stale: ageMs > limitMs };
}

/** A duration for a reason text: `45 s`, `12 min`, `5 h`, `334 days` (whole units, rounded down). */
export function formatAge(ms: number): string {
  const s = Math.floor(ms / 1000);
  if (s < 120) return `${s} s`;
  const min = Math.floor(s / 60);
  if (min < 120) return `${min} min`;
  const h = Math.floor(min / 60);
  if (h < 48) return `${h} h`;
  return `${Math.floor(h / 24)} days`;
}

/**
 * Why a stale input is not read, with its event time and age:
 * `price is stale: last trade 2025-01-26T23:01:59.000Z, 334 days before 2025-12-27T10:00:10.000Z (limit 120 s)`.
 * `what`: the input (`price`), `last`: what its time is (`last trade`).
 */
export function staleReason(what: string, last: string, c: CarriedInput, nowTs: number): string {
  return `${what} is stale: ${last} ${new Date(c.ts).toISOString()}, ${formatAge(c.ageMs)} before ${new Date(nowTs).toISOString()} (limit ${c.limitMs / 1000} s)`;
}

/** The price a reader may treat as current, or why there is none. */
export type CurrentPrice = { price: number; reason: null } | { price: null; reason: string };

/** Reason when no trade (or closed bar) was ever seen. */
export const NO_PRICE_YET = "no trade price yet";

/** The current price from the last trade carried: null with the reason before any trade and when stale. */
export function currentPrice(last: CarriedInput | null, nowTs: number): CurrentPrice {
  if (last === null || last.value === null) return { price: null, reason: NO_PRICE_YET };
  if (last.stale) return { price: null, reason: staleReason("price", "last trade", last, nowTs) };
  return { price: last.value, reason: null };
}
