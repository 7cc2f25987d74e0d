/**
 * Seeded pseudo-random numbers for the learning statistics (bootstrap resampling) and for the
 * synthetic markets of their tests. The domain never calls `Math.random`: every draw comes
 * from a generator built from an explicit seed, so a bootstrap interval is the same on every
 * run and on every machine.
 *
 *   mulberry32 (Tommy Ettinger, public domain): a 32-bit state advanced by 0x6d2b79f5, output
 *   mixed by two multiply-xorshift rounds; period 2^32, passes gjrand/PractRand well past the
 *   few million draws a bootstrap makes. Output u in [0, 1) = 32-bit word / 2^32.
 *   normal: Box–Muller, z = √(−2 ln u₁) · cos(2π u₂) with u₁ in (0, 1].
 *
 * Cost O(1) per draw, memory one 32-bit word.
 */

/** A generator of uniform numbers in [0, 1). */
export type Prng = () => number;

/** Mulberry32 seeded with the low 32 bits of `seed` (an integer; fractions are truncated). */
export function mulberry32(seed: number): Prng {
  if (!Number.isFinite(seed)) throw new Error(`mulberry32: seed must be a finite number (got ${String(seed)})`);
  let a = Math.trunc(seed) >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** A uniform integer in [0, n) for n ≥ 1. */
export function randomIndex(rng: Prng, n: number): number {
  return Math.floor(rng() * n);
}

/** A standard normal draw (Box–Muller; uses two uniforms, keeps no spare). */
export function normal(rng: Prng): number {
  const u1 = 1 - rng();
  const u2 = rng();
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}
