/**
 * Interleaved rounds: every contestant runs once per round, in an order that rotates from
 * round to round, so that a slow stretch of this shared, noisy machine falls on all of them
 * alike. Figures are medians over the rounds, in ns per item, and ratios are taken against a
 * contestant measured in the same rounds.
 *
 * Time is the process's CPU time (`process.cpuUsage`, user + system), not the wall clock: on two
 * cores shared with other jobs a run can wait for a core for longer than it computes, and that
 * wait is the machine's, not the code's. The wall time is kept beside it (`wallNs`).
 */

/** One timed loop: `run` does the whole input once and returns a count (events emitted), so the work cannot be optimised away. */
export interface Contestant {
  name: string;
  /** Items (lines, messages, events) one `run` handles: the divisor of ns per item. */
  items: number;
  run(): number;
}

/** What the rounds measured for one contestant. */
export interface Measured {
  name: string;
  /** Median CPU ns per item over the rounds. */
  medianNs: number;
  /** CPU ns per item of every round, in round order. */
  samples: number[];
  /** Median wall-clock ns per item over the rounds. */
  wallNs: number;
  /** What `run` returned (the same every round, or the first differing value is kept apart in `counts`). */
  count: number;
  counts: number[];
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/**
 * Runs `warmup` untimed rounds, then `rounds` timed ones, each contestant once per round,
 * the order rotated by one each round. Returns the contestants in their given order.
 */
export function interleave(contestants: readonly Contestant[], rounds: number, warmup = 1): Measured[] {
  const samples = contestants.map(() => [] as number[]);
  const walls = contestants.map(() => [] as number[]);
  const counts = contestants.map(() => [] as number[]);
  for (let round = -warmup; round < rounds; round++) {
    for (let k = 0; k < contestants.length; k++) {
      const i = (k + Math.max(round, 0)) % contestants.length;
      const c = contestants[i];
      const cpu = process.cpuUsage();
      const started = process.hrtime.bigint();
      const count = c.run();
      const wall = Number(process.hrtime.bigint() - started);
      const used = process.cpuUsage(cpu);
      if (round >= 0) {
        samples[i].push(((used.user + used.system) * 1000) / c.items);
        walls[i].push(wall / c.items);
        counts[i].push(count);
      }
    }
  }
  return contestants.map((c, i) => ({
    name: c.name,
    medianNs: median(samples[i]),
    samples: samples[i],
    wallNs: median(walls[i]),
    count: counts[i][0],
    counts: counts[i],
  }));
}

/** A duration in ns as the tables print it: ns, µs or ms with 3 significant digits. */
export function formatNs(ns: number): string {
  if (!Number.isFinite(ns)) return "—";
  if (ns >= 1e6) return `${(ns / 1e6).toPrecision(3)} ms`;
  if (ns >= 1e3) return `${(ns / 1e3).toPrecision(3)} µs`;
  return `${ns.toPrecision(3)} ns`;
}

/**
 * The median of a's time over b's, round by round: each pair ran back to back in the same
 * round, so a slow stretch of the machine that spans a round cancels out of its ratio. Steadier
 * than the ratio of the two medians when the load from other jobs drifts.
 */
export function pairedRatio(a: Measured, b: Measured): number {
  return median(a.samples.map((ns, i) => ns / b.samples[i]));
}
