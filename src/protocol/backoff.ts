/**
 * Reconnect backoff, once, for everything in liqflow that reconnects: the stream client in the
 * browser and Node (src/client/stream-connection.ts) and the collector's venue sockets and book
 * snapshot fetches (workers/collector/src/backoff.ts). Each caller keeps its own defaults.
 *
 * The rule: the delay ceiling of attempt n (0 = the first retry) is
 * `cap(n) = min(maxMs, initialMs · factorⁿ)`, and the delay is drawn below it:
 *   - `equal` jitter: uniform in [cap/2, cap], rounded. Half is fixed, so a fleet of clients never
 *     retries in a tight loop; half is random, so clients that lost the same server do not come
 *     back in lockstep (the stream client's choice).
 *   - `full` jitter: uniform in [0, cap), floored (AWS's "Exponential Backoff And Jitter"): the
 *     widest spread, for a few sockets per venue that must not hammer it (the collector's).
 * `Backoff` counts the attempts and starts over once a connection has stayed up `healthyAfterMs`,
 * so one drop after hours of health reconnects quickly while a flapping peer backs off to the cap.
 *
 * Pure: no runtime imports, no wall clock; time (`nowMs`) and randomness (`random`) are parameters.
 */

/** How a delay is drawn below the attempt's ceiling (see the header). */
export type BackoffJitter = "equal" | "full";

/** The delay curve of a backoff. Unset fields take the caller's defaults. */
export interface BackoffOptions {
  /** Delay ceiling of the first retry, ms (> 0). */
  initialMs?: number;
  /** Largest ceiling, ms (≥ initialMs). */
  maxMs?: number;
  /** Growth of the ceiling per attempt (≥ 1). */
  factor?: number;
  /** `equal`: uniform in [cap/2, cap]; `full`: uniform in [0, cap). */
  jitter?: BackoffJitter;
}

/** A delay curve with every field set. */
export type BackoffCurve = Required<BackoffOptions>;

/** A random source uniform in [0, 1). */
export type RandomSource = () => number;

/** Throws a RangeError naming the bounds when the curve would retry in a tight loop or never grow. */
export function checkBackoff(curve: BackoffCurve): BackoffCurve {
  const { initialMs, maxMs, factor, jitter } = curve;
  if (!(initialMs > 0) || !(maxMs >= initialMs) || !(factor >= 1)) {
    throw new RangeError(`backoff: need initialMs > 0, maxMs >= initialMs and factor >= 1, got ${initialMs}, ${maxMs}, ${factor}`);
  }
  if (jitter !== "equal" && jitter !== "full") throw new RangeError(`backoff: jitter must be "equal" or "full", got ${String(jitter)}`);
  return curve;
}

/** The delay ceiling of attempt `attempt` (0 = the first retry), ms: `min(maxMs, initialMs · factor^attempt)`. */
export function backoffCeilingMs(attempt: number, curve: BackoffCurve): number {
  // factor^attempt may reach Infinity for a long outage: the min() still gives maxMs.
  return Math.min(curve.maxMs, curve.initialMs * curve.factor ** Math.max(0, attempt));
}

/** The delay before attempt `attempt`, ms, drawn below its ceiling by the curve's jitter rule. */
export function jitteredDelayMs(attempt: number, curve: BackoffCurve, random: RandomSource): number {
  const cap = backoffCeilingMs(attempt, curve);
  return curve.jitter === "full" ? Math.floor(random() * cap) : Math.round(cap / 2 + random() * (cap / 2));
}

/** A backoff's curve plus when it starts over. */
export interface BackoffPolicy extends BackoffCurve {
  /** A connection up at least this long (ms) counts as healthy: the next failure starts over (≥ 0). */
  healthyAfterMs: number;
}

/** One retry: its attempt number (0 = the first retry since the last healthy period) and its delay. */
export interface BackoffStep {
  attempt: number;
  delayMs: number;
}

/**
 * The attempt counter of one reconnecting thing: `connected(nowMs)` when a connection comes up,
 * `next(nowMs)` when an attempt failed or a connection went down (the delay to wait), `reset()`
 * to start over at once (a fresh `connect()`, the network coming back).
 */
export class Backoff {
  private attempt = 0;
  private upSinceMs: number | null = null;
  readonly policy: Readonly<BackoffPolicy>;

  constructor(
    policy: BackoffPolicy,
    private readonly random: RandomSource = Math.random,
  ) {
    checkBackoff(policy);
    if (!(policy.healthyAfterMs >= 0)) throw new RangeError(`backoff: healthyAfterMs must be >= 0, got ${policy.healthyAfterMs}`);
    this.policy = { ...policy };
  }

  /** Failures since the last healthy period (or reset). */
  get attempts(): number {
    return this.attempt;
  }

  /** The ceiling of the next delay, ms. */
  ceilingMs(): number {
    return backoffCeilingMs(this.attempt, this.policy);
  }

  /** A connection came up at `nowMs`. */
  connected(nowMs: number): void {
    this.upSinceMs = nowMs;
  }

  /** Starts over: the next failure is attempt 0. */
  reset(): void {
    this.attempt = 0;
    this.upSinceMs = null;
  }

  /**
   * An attempt failed or a connection went down at `nowMs`: the next attempt and its delay. A
   * connection that had been up `healthyAfterMs` resets the count first.
   */
  next(nowMs: number): BackoffStep {
    if (this.upSinceMs !== null && nowMs - this.upSinceMs >= this.policy.healthyAfterMs) this.attempt = 0;
    this.upSinceMs = null;
    const attempt = this.attempt++;
    return { attempt, delayMs: jitteredDelayMs(attempt, this.policy, this.random) };
  }

  /** `next(nowMs).delayMs`. */
  nextDelayMs(nowMs: number): number {
    return this.next(nowMs).delayMs;
  }
}
