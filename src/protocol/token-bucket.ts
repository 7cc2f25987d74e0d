/**
 * The token bucket, once, for both ends of `/v1/stream`: the relay meters each socket's frames,
 * channel operations, deliveries and snapshot bytes with it (src/objects/socket-limits.ts), and
 * the client paces its own frames with it so it stays under the relay's limit
 * (src/client/stream-send-queue.ts).
 *
 * Model: a bucket holds up to `burst` tokens and refills continuously at `perS` tokens per
 * second; spending `cost` needs `cost` tokens now. The bucket is two numbers (`tokens` as of
 * `atMs`) refilled lazily when read, so an idle bucket costs nothing and needs no timer.
 *
 * Pure: no runtime imports, no wall clock; time comes in as `nowMs`. A clock that steps back
 * refills nothing (it never drains a bucket).
 */

/** A token bucket: `tokens` available as of `atMs` (ms, the caller's clock). */
export interface Bucket {
  tokens: number;
  atMs: number;
}

/** A full bucket (`burst` tokens) at `nowMs`. */
export function fullBucket(burst: number, nowMs: number): Bucket {
  return { tokens: burst, atMs: nowMs };
}

/**
 * Spends `cost` tokens when the bucket holds them at `nowMs`: true when spent, false (nothing
 * spent) when not. Either way the bucket is refilled up to `nowMs` first:
 * `tokens = min(burst, tokens + max(0, nowMs − atMs) / 1000 · perS)`.
 */
export function take(bucket: Bucket, burst: number, perS: number, nowMs: number, cost = 1): boolean {
  bucket.tokens = refilled(bucket, burst, perS, nowMs);
  bucket.atMs = nowMs;
  if (bucket.tokens < cost) return false;
  bucket.tokens -= cost;
  return true;
}

/** Milliseconds from `nowMs` until `cost` tokens are available (0 when they are now), rounded up. */
export function waitMs(bucket: Bucket, burst: number, perS: number, nowMs: number, cost = 1): number {
  const tokens = refilled(bucket, burst, perS, nowMs);
  return tokens >= cost ? 0 : Math.ceil(((cost - tokens) / perS) * 1000);
}

function refilled(bucket: Bucket, burst: number, perS: number, nowMs: number): number {
  return Math.min(burst, bucket.tokens + (Math.max(0, nowMs - bucket.atMs) / 1000) * perS);
}
