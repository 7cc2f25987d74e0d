/**
 * Zone pipeline tunables, zod-checked; `parseZoneConfig(partial)` merges over the defaults and
 * names the field and its bound on error. Rationale for each default: docs/zones.md.
 */
import { z } from "zod";

const num = (min: number, max: number) => z.number().finite().gte(min).lte(max);
const int = (min: number, max: number) => z.number().int().gte(min).lte(max);

export const ZoneConfigSchema = z.strictObject({
  /** Volume profile: log-price bin width, bps. */
  profileBinBps: num(0.1, 1_000),
  /** Volume profile: time bucket and how many (the profile covers bucketMs × buckets). */
  profileBucketMs: int(1_000, 86_400_000),
  profileBuckets: int(1, 288),
  /** Profile bins kept per time bucket; a trade into a new bin of a full bucket is counted and left out. */
  maxBinsPerBucket: int(8, 4_096),
  /** A profile peak is a volume node at this multiple of the mean non-empty bin volume. */
  nodeMinRatio: num(1, 100),
  maxNodes: int(0, 32),
  /** 1-minute bars kept; swing pivots need `pivotBars` bars on each side. */
  maxBars: int(16, 10_080),
  pivotBars: int(1, 30),
  maxPivotsPerSide: int(0, 64),
  /** A swing's weight halves every this much event time. */
  pivotHalfLifeMs: int(60_000, 604_800_000),
  /** A book level is a wall at this multiple of its side's median visible quantity. */
  wallMinRatio: num(1, 1_000),
  maxWallsPerSide: int(0, 32),
  /** Estimated level map: bin width (bps) and the share of a side's in-range notional for a peak. */
  levelBinBps: num(0.1, 1_000),
  levelMinShare: num(0, 1),
  maxLevelPeaksPerSide: int(0, 16),
  /** Candidates farther than this from price are ignored, percent. */
  rangePct: num(0.01, 50),
  /** Merge tolerance: clamp(mergeSigmaMult · σ₁ₘ, minMergeBps, maxMergeBps); a zone is at most maxZoneBps wide. */
  mergeSigmaMult: num(0, 100),
  minMergeBps: num(0.1, 1_000),
  maxMergeBps: num(0.1, 1_000),
  maxZoneBps: num(0.1, 5_000),
  /** Source kind weights in the confluence score, and the bonus reached at `fullHolds` holds. */
  kindWeights: z.strictObject({
    "volume-node": num(0, 10),
    swing: num(0, 10),
    wall: num(0, 10),
    "liq-cluster": num(0, 10),
    "liq-levels": num(0, 10),
  }),
  holdBonus: num(0, 10),
  fullHolds: int(1, 1_000),
  /** A zone no candidate backs decays with this half-life and is dropped under `minStrength`. */
  unseenHalfLifeMs: int(1_000, 604_800_000),
  minStrength: num(0, 1),
  /** Zones tracked in total, and shown per side. */
  maxZones: int(2, 1_000),
  maxPerSide: int(1, 100),
  /** A zone is removed on its (maxFlips + 1)-th break. */
  maxFlips: int(0, 100),
  /** Trap band beyond the zone, bps, and the liquidation/depth ratio that flags a trap. */
  trapBandBps: num(0.1, 5_000),
  trapLiqDepthRatio: num(0, 1_000),
  /** A cross of the zone reversed within this is a sweep-and-reclaim. */
  sweepWindowMs: int(1_000, 86_400_000),
  /** A wall is pulled when its quantity falls by this share with no trade at its price. */
  wallPullShare: num(0.01, 1),
  /** A wall whose size reappears on the same side within this many bps was moved (requoted), not pulled. */
  wallMoveBps: num(0, 100),
  /** Only a wall seen at this many consecutive cycles can be pulled (a one-cycle flicker is a requote). */
  wallMinCycles: int(1, 1_000),
  /** How long a sweep or a pulled wall keeps flagging the zone (and points its direction, step 8). */
  trapMemoryMs: int(1_000, 86_400_000),
  /** Step 8: weights of the direction components (direction.ts); at least one above 0. */
  directionWeights: z.strictObject({
    liquidity: num(0, 10),
    draw: num(0, 10),
    sweep: num(0, 10),
  }),
});

export type ZoneConfig = z.infer<typeof ZoneConfigSchema>;
export type ZoneConfigInput = Partial<Omit<ZoneConfig, "kindWeights" | "directionWeights">> & {
  kindWeights?: Partial<ZoneConfig["kindWeights"]>;
  directionWeights?: Partial<ZoneConfig["directionWeights"]>;
};

export const DEFAULT_ZONE_CONFIG: ZoneConfig = {
  profileBinBps: 5,
  profileBucketMs: 300_000,
  profileBuckets: 12,
  maxBinsPerBucket: 256,
  nodeMinRatio: 1.5,
  maxNodes: 4,
  maxBars: 240,
  pivotBars: 3,
  maxPivotsPerSide: 6,
  pivotHalfLifeMs: 7_200_000,
  wallMinRatio: 5,
  maxWallsPerSide: 4,
  levelBinBps: 10,
  levelMinShare: 0.1,
  maxLevelPeaksPerSide: 3,
  rangePct: 3,
  mergeSigmaMult: 1,
  minMergeBps: 5,
  maxMergeBps: 50,
  maxZoneBps: 100,
  kindWeights: { "volume-node": 1, swing: 1, wall: 0.8, "liq-cluster": 0.8, "liq-levels": 0.6 },
  holdBonus: 0.5,
  fullHolds: 5,
  unseenHalfLifeMs: 1_800_000,
  minStrength: 0.05,
  maxZones: 40,
  maxPerSide: 5,
  maxFlips: 1,
  trapBandBps: 30,
  trapLiqDepthRatio: 1,
  sweepWindowMs: 300_000,
  wallPullShare: 0.7,
  wallMoveBps: 5,
  wallMinCycles: 3,
  trapMemoryMs: 1_800_000,
  directionWeights: { liquidity: 1, draw: 1, sweep: 1 },
};

/** Defaults overlaid with `input`, validated; throws `invalid zone config: <field> <problem>`. */
export function parseZoneConfig(input: ZoneConfigInput = {}): ZoneConfig {
  const merged = {
    ...DEFAULT_ZONE_CONFIG,
    ...input,
    kindWeights: { ...DEFAULT_ZONE_CONFIG.kindWeights, ...input.kindWeights },
    directionWeights: { ...DEFAULT_ZONE_CONFIG.directionWeights, ...input.directionWeights },
  };
  const r = ZoneConfigSchema.safeParse(merged);
  if (!r.success) {
    const i = r.error.issues[0];
    throw new Error(`invalid zone config: ${i.path.join(".")} ${i.message}`);
  }
  const dw = r.data.directionWeights;
  if (dw.liquidity + dw.draw + dw.sweep <= 0) throw new Error("invalid zone config: directionWeights must have at least one weight above 0");
  if (r.data.minMergeBps > r.data.maxMergeBps) throw new Error(`invalid zone config: minMergeBps must be <= maxMergeBps (${r.data.maxMergeBps}) (got ${r.data.minMergeBps})`);
  return r.data;
}
