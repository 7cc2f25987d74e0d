/**
 * Per-client rate limit on the read path (`/v1/*` except `/v1/stream`, and `/openapi.json`):
 * a client over its budget gets `429` JSON with `Retry-After` (seconds), before the edge cache
 * and before any Durable Object is asked.
 *
 * A client is its address: `CF-Connecting-IP` (set by Cloudflare's edge, and by wrangler dev
 * from the socket when the client did not send one), an IPv6 address counted as its /64 (one
 * host can hold a whole /64). Two layers, both keyed so:
 *
 * - **In the isolate** (everywhere, and the one that counts under `npm start`): a token bucket
 *   per address of `READ_RATE_LIMIT` reads (default {@link DEFAULT_READ_RATE_LIMIT}) refilled
 *   evenly over {@link RATE_PERIOD_MS}, so a client may burst the whole budget and then read
 *   `READ_RATE_LIMIT / 10` per second. At most {@link MAX_TRACKED_ADDRESSES} addresses are
 *   kept (least recently seen dropped first: a dropped address was idle longest, its bucket
 *   mostly full again), ≈ 100 bytes each.
 * - **Cloudflare's rate-limiting binding** `READ_RATE_LIMITER` (`[[ratelimits]]` in
 *   wrangler.toml) where deployed: one count per address per Cloudflare location across all
 *   isolates, with the limit set in wrangler.toml (`simple.limit`, same default). Wrangler dev
 *   emulates it in memory (a fixed 10 s window). The binding gives no reset time; its window is
 *   {@link RATE_PERIOD_MS}, so its 429 says `Retry-After: 10`.
 *
 * The lower of the two limits holds: `READ_RATE_LIMIT` can lower the limit anywhere; raising it
 * above the binding's takes raising `simple.limit` too. `READ_RATE_LIMIT=0` turns both off (a
 * benchmark that measures raw read throughput).
 */
import type { MiddlewareHandler } from "hono";
import { ApiError } from "./errors.js";

/** The window both layers count over (the binding accepts only 10 or 60 s). */
export const RATE_PERIOD_MS = 10_000;

/**
 * Reads per address per 10 s by default: 100 a second sustained, bursts of 1,000. The dashboard
 * reads a few a second, the fan-out benchmark's 800 timed reads take several seconds, a flood
 * from one address meets it within a second.
 */
export const DEFAULT_READ_RATE_LIMIT = 1000;

/** Addresses the isolate's buckets remember. */
export const MAX_TRACKED_ADDRESSES = 10_000;

/** The answer for one request: allowed, or refused with how long until a read is allowed again. */
export type RateDecision = { ok: true } | { ok: false; retryAfterMs: number };

/**
 * Token buckets per key, `capacity` tokens refilled evenly over `periodMs`; time is passed in
 * (`nowMs`), so the arithmetic is tested without a clock.
 */
export class TokenBuckets {
  private readonly buckets = new Map<string, { tokens: number; atMs: number }>();
  private readonly refillPerMs: number;

  constructor(
    readonly capacity: number,
    readonly periodMs: number,
    readonly maxKeys = MAX_TRACKED_ADDRESSES,
  ) {
    if (!(Number.isInteger(capacity) && capacity >= 1)) throw new RangeError(`capacity must be an integer ≥ 1, got ${capacity}`);
    if (!(periodMs > 0)) throw new RangeError(`periodMs must be > 0, got ${periodMs}`);
    this.refillPerMs = capacity / periodMs;
  }

  /** Takes one token from `key`'s bucket if it has one. */
  take(key: string, nowMs: number): RateDecision {
    const seen = this.buckets.get(key);
    const tokens = seen === undefined ? this.capacity : Math.min(this.capacity, seen.tokens + Math.max(0, nowMs - seen.atMs) * this.refillPerMs);
    // Re-inserted so the map's order is least recently seen first.
    this.buckets.delete(key);
    if (tokens >= 1) {
      this.remember(key, tokens - 1, nowMs);
      return { ok: true };
    }
    this.remember(key, tokens, nowMs);
    return { ok: false, retryAfterMs: Math.ceil((1 - tokens) / this.refillPerMs) };
  }

  /** How many keys are remembered. */
  get size(): number {
    return this.buckets.size;
  }

  private remember(key: string, tokens: number, atMs: number): void {
    this.buckets.set(key, { tokens, atMs });
    if (this.buckets.size > this.maxKeys) this.buckets.delete(this.buckets.keys().next().value as string);
  }
}

/** `READ_RATE_LIMIT`: reads per address per 10 s, 0 = off; unset or blank = the default. */
export function readRateLimit(raw: string | undefined): number {
  if (raw === undefined || raw.trim() === "") return DEFAULT_READ_RATE_LIMIT;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 1_000_000) {
    throw new ApiError(500, "bad_config", `READ_RATE_LIMIT must be an integer in 0..1000000 (reads per address per 10 s; 0 = off), got ${JSON.stringify(raw)}`);
  }
  return n;
}

/**
 * The key a request is counted under: its client address, an IPv6 address reduced to its /64.
 * At most 64 characters (an address is ≤ 45; locally a client may send any header value).
 */
export function clientKey(headers: Headers): string {
  const ip = headers.get("CF-Connecting-IP")?.trim().slice(0, 64);
  if (!ip) return "unknown";
  return ip.includes(":") ? ipv6Prefix64(ip) : ip;
}

/** The first four groups of an IPv6 address, `::` expanded (`2001:db8::1` → `2001:db8:0:0::/64`). */
export function ipv6Prefix64(ip: string): string {
  const [head, tail] = ip.toLowerCase().split("::", 2);
  const left = head === "" ? [] : head.split(":");
  const right = tail === undefined || tail === "" ? [] : tail.split(":");
  const groups = tail === undefined ? left : [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill("0"), ...right];
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ""))
    .join(":")}::/64`;
}

/** What the limiter needs from the Worker's env. */
export interface RateLimitBindings {
  READ_RATE_LIMIT?: string;
  READ_RATE_LIMITER?: { limit(options: { key: string }): Promise<{ success: boolean }> };
}

/** The isolate's buckets, rebuilt only if READ_RATE_LIMIT changes. */
let isolateBuckets: TokenBuckets | null = null;

function bucketsFor(limit: number): TokenBuckets {
  if (isolateBuckets?.capacity !== limit) isolateBuckets = new TokenBuckets(limit, RATE_PERIOD_MS);
  return isolateBuckets;
}

function tooMany(retryAfterMs: number): ApiError {
  const retryAfterS = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return new ApiError(429, "rate_limited", `too many reads from this address; retry after the number of seconds in Retry-After (${retryAfterS})`, {
    "Retry-After": String(retryAfterS),
    "Cache-Control": "no-store",
  });
}

/** Asks the binding; if it cannot answer, the read goes ahead (the isolate's bucket still holds) rather than failing. */
async function bindingAllows(binding: NonNullable<RateLimitBindings["READ_RATE_LIMITER"]>, key: string): Promise<boolean> {
  try {
    return (await binding.limit({ key })).success;
  } catch (err) {
    console.warn("READ_RATE_LIMITER did not answer:", String(err));
    return true;
  }
}

/** Middleware: the read limit (see the module comment) for the routes it is mounted on. */
export function readRateLimiter<E extends { Bindings: RateLimitBindings }>(): MiddlewareHandler<E> {
  return async (c, next) => {
    const limit = readRateLimit(c.env.READ_RATE_LIMIT);
    if (limit > 0) {
      const key = clientKey(c.req.raw.headers);
      const local = bucketsFor(limit).take(key, Date.now());
      if (!local.ok) throw tooMany(local.retryAfterMs);
      if (c.env.READ_RATE_LIMITER && !(await bindingAllows(c.env.READ_RATE_LIMITER, key))) throw tooMany(RATE_PERIOD_MS);
    }
    await next();
  };
}
