/**
 * Memory over the soak: samples of the runtime's RSS (and the engine isolate's heap when the
 * inspector answers), a per-minute table, and the "flat after warm-up" verdict.
 *
 * Flat means: the least-squares slope of the runtime's RSS over the last half of the soak is
 * below a threshold in MB/min. The first half is warm-up: sockets, relay indexes, the 24 h
 * liquidation maps and the engine windows fill while the replay advances, and V8 grows its heap
 * to its working size. A slope fitted over many samples (one every few seconds) is far less
 * sensitive to a GC's sawtooth than a first-to-last difference.
 *
 * The threshold, 5 MB/min by default, is set from both ends:
 *   - noise: the fitted slope's standard error over a 5-minute half was 1.5 MB/min with 1,000
 *     subscribers (GC sawtooth, allocator), so 5 is over 3 standard errors: a flat process does
 *     not fail by chance;
 *   - what it catches: 1,000 subscribers receive ~135,000 frames a minute (7.7 KB on average),
 *     so 5 MB/min is ~40 bytes kept per delivered frame, or 5 KB per socket per minute; keeping
 *     any part of each frame, of each socket's traffic, or of each cycle's value (21 symbols,
 *     up to 120 cycles a minute each at 20x: 2 KB per symbol-cycle) is caught, and a leak
 *     below it would take over 3 hours to double the runtime's ~900 MB. Longer soaks tighten
 *     the error.
 */

/** One sample of the stack's resources. */
export interface ResourceSample {
  /** Milliseconds since the soak began (subscribers connected). */
  tMs: number;
  engineRssMb: number | null;
  proxyRssMb: number | null;
  heapUsedMb: number | null;
  /** The runtime's pid (wrangler starts a new one when it reloads the Workers). */
  enginePid: number;
  /** CPU time used so far (s) by the runtime, the dev proxy and the soak's own process (its clients). */
  engineCpuS: number | null;
  proxyCpuS: number | null;
  soakCpuS: number;
}

/** Mean CPU use over the samples, % of one core, per process (a runtime restart's interval is left out). */
export function cpuPercent(samples: readonly ResourceSample[]): { engine: number | null; proxy: number | null; soak: number | null } {
  const used = { engine: 0, proxy: 0, soak: 0 };
  const wall = { engine: 0, proxy: 0, soak: 0 };
  for (let i = 1; i < samples.length; i++) {
    const a = samples[i - 1];
    const b = samples[i];
    const dt = (b.tMs - a.tMs) / 1000;
    if (a.enginePid === b.enginePid && a.engineCpuS !== null && b.engineCpuS !== null) {
      used.engine += b.engineCpuS - a.engineCpuS;
      wall.engine += dt;
    }
    if (a.proxyCpuS !== null && b.proxyCpuS !== null && b.proxyCpuS >= a.proxyCpuS) {
      used.proxy += b.proxyCpuS - a.proxyCpuS;
      wall.proxy += dt;
    }
    used.soak += b.soakCpuS - a.soakCpuS;
    wall.soak += dt;
  }
  const pct = (k: keyof typeof used) => (wall[k] > 0 ? (used[k] / wall[k]) * 100 : null);
  return { engine: pct("engine"), proxy: pct("proxy"), soak: pct("soak") };
}

/** One row of the per-minute table: means over the samples of that minute. */
export interface MinuteRow {
  minute: number;
  engineRssMb: number | null;
  proxyRssMb: number | null;
  heapUsedMb: number | null;
}

/** The flat-memory verdict over the last half. */
export interface FlatVerdict {
  /** RSS slope of the last half, MB/min (null with fewer than 3 samples), and its standard error. */
  rssSlopeMbPerMin: number | null;
  rssSlopeSeMbPerMin: number | null;
  /** Heap slope of the last half, MB/min (null when the heap was not read). */
  heapSlopeMbPerMin: number | null;
  thresholdMbPerMin: number;
  flat: boolean | null;
  /** Samples the slope was fitted on, and the span they cover (s). */
  samples: number;
  fromS: number;
  toS: number;
}

/** Least-squares slope of y over t, per minute, with its standard error; null with fewer than 3 points. */
export function fitSlope(points: readonly { tMs: number; y: number }[]): { perMin: number; sePerMin: number } | null {
  if (points.length < 3) return null;
  const n = points.length;
  const mt = points.reduce((a, p) => a + p.tMs, 0) / n;
  const my = points.reduce((a, p) => a + p.y, 0) / n;
  let num = 0;
  let den = 0;
  for (const p of points) {
    num += (p.tMs - mt) * (p.y - my);
    den += (p.tMs - mt) ** 2;
  }
  if (den === 0) return null;
  const slope = num / den;
  const residuals = points.reduce((a, p) => a + (p.y - my - slope * (p.tMs - mt)) ** 2, 0);
  const se = Math.sqrt(residuals / (n - 2) / den);
  return { perMin: slope * 60_000, sePerMin: se * 60_000 };
}

/** The verdict over samples with `tMs >= durationMs / 2`. */
export function flatVerdict(samples: readonly ResourceSample[], durationMs: number, thresholdMbPerMin: number): FlatVerdict {
  const half = samples.filter((s) => s.tMs >= durationMs / 2);
  const rss = half.filter((s) => s.engineRssMb !== null).map((s) => ({ tMs: s.tMs, y: s.engineRssMb! }));
  const heap = half.filter((s) => s.heapUsedMb !== null).map((s) => ({ tMs: s.tMs, y: s.heapUsedMb! }));
  const rssFit = fitSlope(rss);
  return {
    rssSlopeMbPerMin: rssFit?.perMin ?? null,
    rssSlopeSeMbPerMin: rssFit?.sePerMin ?? null,
    heapSlopeMbPerMin: fitSlope(heap)?.perMin ?? null,
    thresholdMbPerMin,
    flat: rssFit === null ? null : rssFit.perMin < thresholdMbPerMin,
    samples: rss.length,
    fromS: rss.length > 0 ? rss[0].tMs / 1000 : 0,
    toS: rss.length > 0 ? rss[rss.length - 1].tMs / 1000 : 0,
  };
}

/** Means per whole minute of the soak (minute 1 = the first 60 s). */
export function perMinute(samples: readonly ResourceSample[]): MinuteRow[] {
  const rows = new Map<number, ResourceSample[]>();
  for (const s of samples) {
    const minute = Math.floor(s.tMs / 60_000) + 1;
    rows.set(minute, [...(rows.get(minute) ?? []), s]);
  }
  return [...rows.entries()]
    .sort(([a], [b]) => a - b)
    .map(([minute, list]) => ({
      minute,
      engineRssMb: mean(list.map((s) => s.engineRssMb)),
      proxyRssMb: mean(list.map((s) => s.proxyRssMb)),
      heapUsedMb: mean(list.map((s) => s.heapUsedMb)),
    }));
}

function mean(xs: (number | null)[]): number | null {
  const known = xs.filter((x): x is number => x !== null);
  return known.length === 0 ? null : known.reduce((a, b) => a + b, 0) / known.length;
}
