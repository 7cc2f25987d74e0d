/**
 * Peaks of a smoothed price profile: the cluster finder behind the realized cluster map.
 *
 * Input: sparse profile bins (integer bin index, mass ≥ 0), ascending by index. The profile
 * is smoothed with a triangular kernel of half-width h bins,
 *
 *   s(i) = Σ_{|j| ≤ h} (h + 1 − |j|) · m(i + j) / (h + 1)²,
 *
 * evaluated at every index within h of a non-empty bin (elsewhere s = 0). The smoothed
 * profile is cut into clusters at zero stretches and at local minima (watershed: a minimum
 * bin goes to the cluster on its left); each cluster's peak is its highest smoothed bin (the
 * lowest index on ties). Deterministic; O(B·h) for B non-empty bins.
 */

export interface ProfileBin {
  index: number;
  mass: number;
}

export interface ProfileCluster {
  /** First and last non-empty profile bin index of the cluster (inclusive). */
  fromIndex: number;
  toIndex: number;
  /** Index with the highest smoothed mass. */
  peakIndex: number;
  /** Smoothed mass at the peak. */
  peakMass: number;
}

/** Clusters of `bins` (ascending by index, masses ≥ 0), left to right. */
export function findClusters(bins: readonly ProfileBin[], smoothingBins: number): ProfileCluster[] {
  const h = Math.max(0, Math.floor(smoothingBins));
  if (bins.length === 0) return [];
  const mass = new Map<number, number>();
  for (const b of bins) if (b.mass > 0) mass.set(b.index, (mass.get(b.index) ?? 0) + b.mass);
  if (mass.size === 0) return [];
  const present = [...mass.keys()].sort((a, b) => a - b);
  // Positions where the smoothed profile can be non-zero, ascending, without duplicates.
  const positions: number[] = [];
  for (const i of present) {
    const from = Math.max(i - h, positions.length > 0 ? positions[positions.length - 1] + 1 : -Infinity);
    for (let p = from; p <= i + h; p++) positions.push(p);
  }
  const norm = (h + 1) * (h + 1);
  const smooth = positions.map((p) => {
    let s = 0;
    for (let j = -h; j <= h; j++) {
      const m = mass.get(p + j);
      if (m !== undefined) s += (h + 1 - Math.abs(j)) * m;
    }
    return s / norm;
  });

  const out: ProfileCluster[] = [];
  let start = 0;
  const close = (from: number, to: number) => {
    let peak = from;
    let first = -1;
    let last = -1;
    for (let k = from; k <= to; k++) {
      if (smooth[k] > smooth[peak]) peak = k;
      if (mass.has(positions[k])) {
        if (first < 0) first = positions[k];
        last = positions[k];
      }
    }
    if (first >= 0) out.push({ fromIndex: first, toIndex: last, peakIndex: positions[peak], peakMass: smooth[peak] });
  };
  for (let k = 1; k <= positions.length; k++) {
    const gap = k === positions.length || positions[k] !== positions[k - 1] + 1;
    if (gap) {
      close(start, k - 1);
      start = k;
      continue;
    }
    // k − 1 is a local minimum inside a run: it ends the cluster on its left.
    if (k - 1 > start && smooth[k - 1] < smooth[k - 2] && smooth[k - 1] <= smooth[k]) {
      close(start, k - 1);
      start = k;
    }
  }
  return out;
}
