/**
 * `ZoneTracker`: support/resistance zones of one symbol and the liquidity traps among them, the
 * 8-step pipeline of docs/zones.md. Pure (no runtime imports, no wall clock; time is event
 * time) and deterministic: the same trades and inputs in the same order give the same JSON.
 *
 * 1. Ingest (`onTrade`): the volume profile and 1-minute bars (series.ts); the price path
 *    against the tracked zones (touches, holds, crosses, sweeps); 1-minute bar closes (breaks).
 * 2–3. Candidates and merge at each `compute` (candidates.ts).
 * 4. Strength = (1 − e^{−raw}) · 0.5^{unseen / unseenHalfLifeMs}, raw = Σ over source kinds of
 *    kindWeight · (largest weight of that kind in the zone) + holdBonus · min(holds, fullHolds)/fullHolds.
 * 5. Kind: `support` when price is above the zone, `resistance` below, its role when inside.
 * 6. Trap when any measured check fires: estimated liquidation notional in the `trapBandBps`
 *    band beyond the zone > trapLiqDepthRatio × the resting book notional in the zone and that
 *    band (the bids a move down must eat to reach those stops; asks for a resistance), read only
 *    when the level map is given and the book reaches the band's end; a cross reversed within
 *    `sweepWindowMs` (sweep-and-reclaim); a wall inside the zone pulled (a wall seen at
 *    `wallMinCycles` consecutive cycles whose quantity fell by `wallPullShare` by the next cycle
 *    while no trade reached its price, and did not reappear within `wallMoveBps`). The last two flag the zone for `trapMemoryMs`.
 * 7. Lifecycle: entering a zone is a touch, leaving on the side it came from a hold. A 1-minute
 *    bar closing beyond the zone against its role breaks it (role flips, `flipped`); a break
 *    reversed by a sweep is undone; the (maxFlips + 1)-th break removes the zone. A zone no
 *    candidate backs decays and goes under `minStrength`; at most `maxZones` are tracked.
 * 8. Direction (direction.ts): each shown zone's score from the liquidity it holds (depth vs
 *    liquidations beyond), the order-flow and magnet cards drawing price to it, and a reversed sweep.
 *
 * Cost: `onTrade` O(log zones + zones crossed) plus O(zones) once per minute (bar close);
 * `compute` O(profile bins + bars · pivotBars + book levels · log + levels in range + zones²).
 * Memory: profileBuckets × maxBinsPerBucket bins (3 numbers each), maxBars bars (6 numbers),
 * maxZones zones (about 20 numbers + their sources), 2·maxWallsPerSide walls, 16 pulled walls.
 */
import type { Level } from "../events.js";
import { lowerBound, type LevelView } from "../liquidation/level-view.js";
import { nextDown, nextUp } from "../liquidation/cascade.js";
import type { TrapReason, Zone, ZoneSource, Zones } from "../../protocol/zones.js";
import { parseZoneConfig, type ZoneConfig, type ZoneConfigInput } from "./config.js";
import { levelPeaks, liqClusters, mergeCandidates, swings, volumeNodes, walls, type Candidate, type Group, type Wall } from "./candidates.js";
import { MINUTE_MS, MinuteBars, VolumeProfile, type BarsState, type ProfileState } from "./series.js";
import { zoneDirection } from "./direction.js";

/** What one cycle reads besides the trades; `null` (or absent) = that feed is unavailable now. */
export interface ZoneInputs {
  /** Cycle time (event time, ms). */
  ts: number;
  /** Last trade price, null before any trade. */
  price: number | null;
  /** One synced, fresh book, best level first: [price, qty in base units]. */
  bids: readonly Level[] | null;
  asks: readonly Level[] | null;
  /** Realized liquidation clusters (`LiquidationCardView.realizedClusters()`). */
  clusters?: readonly { pricePeak: number; notionalUsd: number }[] | null;
  /** Estimated liquidation level map at `ts` (`LiquidationCardView.levels()`). */
  levels?: LevelView | null;
  /** Scores of the cards the direction step reads (direction.ts); absent or null = unavailable. */
  cards?: { flow: number | null; magnet: number | null } | null;
  symbol?: string;
}

type Rel = -1 | 0 | 1;

/** One tracked zone (plain JSON). `rel`: price above (1), inside (0), below (−1); `role` 1 support, −1 resistance. */
export interface TrackedZone {
  id: number;
  low: number;
  high: number;
  mid: number;
  firstSeenTs: number;
  lastSeenTs: number;
  sources: ZoneSource[];
  raw: number;
  role: 1 | -1;
  flips: number;
  rel: Rel;
  enteredFrom: Rel;
  touches: number;
  holds: number;
  lastTouchTs: number | null;
  /** Pending cross: when, from which side, and role/flips to restore if it is reclaimed. */
  cross: { ts: number; from: 1 | -1; role: 1 | -1; flips: number } | null;
  lastSweepTs: number | null;
  wallPulledTs: number | null;
}

export interface ZoneTrackerState {
  version: 1;
  config: ZoneConfig;
  profile: ProfileState;
  bars: BarsState;
  zones: TrackedZone[];
  nextId: number;
  lastPrice: number | null;
  lastTradeTs: number;
  /** Newest minute whose bar close was applied. */
  closedMinute: number;
  tradedLow: number | null;
  tradedHigh: number | null;
  walls: Wall[];
  pulls: { ts: number; price: number }[];
}

const STATE_VERSION = 1;
const MAX_PULLS = 16;
const MAX_SOURCES = 8;
const SIGMA_MINUTES = 60;

const kindKey = (k: ZoneSource["kind"]): keyof ZoneConfig["kindWeights"] =>
  k === "swing-low" || k === "swing-high" ? "swing" : k === "bid-wall" || k === "ask-wall" ? "wall" : k;

export class ZoneTracker {
  readonly config: ZoneConfig;
  private profile: VolumeProfile;
  private bars: MinuteBars;
  /** Sorted by `low`, never overlapping (so per trade only the zones between two prices move). */
  private zones: TrackedZone[] = [];
  private nextId = 1;
  private lastPrice: number | null = null;
  private lastTradeTs = -1;
  private closedMinute = -1;
  private tradedLow: number | null = null;
  private tradedHigh: number | null = null;
  private walls: Wall[] = [];
  private pulls: { ts: number; price: number }[] = [];

  constructor(config: ZoneConfigInput = {}) {
    this.config = parseZoneConfig(config);
    const c = this.config;
    this.profile = new VolumeProfile(c.profileBinBps, c.profileBucketMs, c.profileBuckets, c.maxBinsPerBucket);
    this.bars = new MinuteBars(c.maxBars);
  }

  /** One trade (`side` = aggressor). A trade older than the newest feeds the profile and bars only. */
  onTrade(ts: number, price: number, qty: number, side: "buy" | "sell"): void {
    this.closeBars(Math.floor(ts / MINUTE_MS));
    this.profile.add(ts, price, qty, side === "buy");
    this.bars.add(ts, price);
    if (ts < this.lastTradeTs) return;
    this.tradedLow = this.tradedLow === null ? price : Math.min(this.tradedLow, price);
    this.tradedHigh = this.tradedHigh === null ? price : Math.max(this.tradedHigh, price);
    if (this.lastPrice !== null && price !== this.lastPrice) this.move(ts, this.lastPrice, price);
    this.lastPrice = price;
    this.lastTradeTs = ts;
  }

  /** Runs steps 2–7 at cycle time `inputs.ts` and returns the zones (shape of `ZonesSchema`). */
  compute(inputs: ZoneInputs): Zones {
    const c = this.config;
    const ts = inputs.ts;
    this.closeBars(Math.floor(ts / MINUTE_MS));
    const hasBook = inputs.bids != null && inputs.asks != null && inputs.bids.length > 0 && inputs.asks.length > 0;
    const levels = inputs.levels ?? null;
    const clusters = inputs.clusters ?? null;
    const minute = Math.floor(ts / MINUTE_MS);
    const sigma = this.bars.sigmaBps(minute, SIGMA_MINUTES);
    const mergeBps = Math.min(c.maxMergeBps, Math.max(c.minMergeBps, sigma === null ? 0 : c.mergeSigmaMult * sigma));
    const price = inputs.price;
    const profileBins = this.profile.sum(ts);
    const out: Zones = {
      ...(inputs.symbol !== undefined ? { symbol: inputs.symbol } : {}),
      kind: "zones",
      label: "estimated",
      ts,
      price,
      zones: [],
      inputs: {
        trades: profileBins.length > 0 ? "available" : "unavailable",
        book: hasBook ? "available" : "unavailable",
        levels: levels !== null ? "available" : "unavailable",
        clusters: clusters !== null ? "available" : "unavailable",
      },
      model: { mergeBps, sigma1mBps: sigma, profileWindowMs: c.profileBucketMs * c.profileBuckets, zonesTracked: 0 },
    };
    if (price === null) return out;
    const ref = this.lastPrice ?? price;

    const cands: Candidate[] = [...volumeNodes(profileBins, (k) => this.profile.centre(k), price, c), ...swings(this.bars.closed(minute), ts, price, c)];
    let nowWalls: Wall[] = [];
    if (hasBook) {
      const w = walls(inputs.bids!, inputs.asks!, price, c);
      nowWalls = w.walls;
      for (const nw of nowWalls) nw.cycles += this.walls.find((o) => o.side === nw.side && o.price === nw.price)?.cycles ?? 0;
      cands.push(...w.candidates);
      this.detectPulls(ts, inputs.bids!, inputs.asks!);
    }
    if (clusters !== null) cands.push(...liqClusters(clusters, price, c));
    if (levels !== null) cands.push(...levelPeaks(levels, price, c));

    this.absorb(mergeCandidates(cands, mergeBps, c.maxZoneBps), ts, ref, mergeBps);
    this.walls = nowWalls;
    this.tradedLow = this.tradedHigh = null;

    const book = hasBook ? depthIndex(inputs.bids!, inputs.asks!) : null;
    const shown: Zone[] = [];
    for (const z of this.zones) {
      const strength = this.strength(z, ts);
      const kind = price > z.high ? "support" : price < z.low ? "resistance" : z.role === 1 ? "support" : "resistance";
      const b = c.trapBandBps / 10_000;
      let depthUsd: number | null = null;
      let liqBeyondUsd: number | null = null;
      if (kind === "support") {
        const lo = z.low * (1 - b);
        if (levels !== null) liqBeyondUsd = levels.sumUsd("long", lo, nextDown(z.low));
        if (book !== null && book.bidFloor <= lo) depthUsd = book.bidUsd(lo, z.high);
      } else {
        const hi = z.high * (1 + b);
        if (levels !== null) liqBeyondUsd = levels.sumUsd("short", nextUp(z.high), hi);
        if (book !== null && book.askCeil >= hi) depthUsd = book.askUsd(z.low, hi);
      }
      const recent = (t: number | null) => t !== null && ts - t <= c.trapMemoryMs;
      const reasons: TrapReason[] = [];
      const why: string[] = [];
      if (liqBeyondUsd !== null && depthUsd !== null && liqBeyondUsd > 0 && liqBeyondUsd > c.trapLiqDepthRatio * depthUsd) {
        reasons.push("liquidations-beyond");
        why.push(`estimated liquidations ${usd(liqBeyondUsd)} within ${c.trapBandBps} bps beyond vs ${usd(depthUsd)} resting depth`);
      }
      if (recent(z.lastSweepTs)) {
        reasons.push("sweep-reclaim");
        why.push(`swept and reclaimed at ${isoSeconds(z.lastSweepTs as number)}`);
      }
      if (recent(z.wallPulledTs)) {
        reasons.push("wall-pulled");
        why.push(`wall pulled without trades at ${isoSeconds(z.wallPulledTs as number)}`);
      }
      const evidence = { depthUsd, liqBeyondUsd, lastSweepTs: z.lastSweepTs, wallPulledTs: z.wallPulledTs };
      const direction = zoneDirection(
        { kind, low: z.low, high: z.high, mid: z.mid, evidence },
        { ts, price, flowScore: inputs.cards?.flow ?? null, magnetScore: inputs.cards?.magnet ?? null, rangeBps: c.rangePct * 100, memoryMs: c.trapMemoryMs, weights: c.directionWeights },
      );
      // Shown to 6 significant digits, the band rounded outwards (the state keeps full precision).
      const d = priceDecimals(z.mid);
      shown.push({
        id: `z${z.id}`,
        kind,
        low: roundTo(z.low, d, Math.floor),
        high: roundTo(z.high, d, Math.ceil),
        mid: roundTo(z.mid, d, Math.round),
        strength,
        sources: z.sources.map((s) => ({ ...s, price: roundTo(s.price, d, Math.round) })),
        touches: z.touches,
        holds: z.holds,
        lastTouchTs: z.lastTouchTs,
        trap: reasons.length > 0,
        trapReasons: reasons,
        ...(why.length > 0 ? { trapReason: why.join("; ") } : {}),
        flipped: z.flips > 0,
        ageMs: Math.max(0, ts - z.firstSeenTs),
        lastSeenTs: z.lastSeenTs,
        direction,
        evidence,
      });
    }
    const side = (k: Zone["kind"]) =>
      shown
        .filter((z) => z.kind === k)
        .sort((a, b) => b.strength - a.strength || a.id.localeCompare(b.id))
        .slice(0, c.maxPerSide)
        .sort((a, b) => (k === "support" ? b.mid - a.mid : a.mid - b.mid));
    out.zones = [...side("support"), ...side("resistance")];
    out.model.zonesTracked = this.zones.length;
    return out;
  }

  /** Held sizes (for memory checks): profile bins, bars, zones, walls, pulls. */
  sizes(): { profileBins: number; profileDropped: number; bars: number; zones: number; walls: number; pulls: number } {
    return { profileBins: this.profile.held, profileDropped: this.profile.dropped, bars: this.bars.held, zones: this.zones.length, walls: this.walls.length, pulls: this.pulls.length };
  }

  toJSON(): ZoneTrackerState {
    return {
      version: STATE_VERSION,
      config: this.config,
      profile: this.profile.toJSON(),
      bars: this.bars.toJSON(),
      zones: structuredClone(this.zones),
      nextId: this.nextId,
      lastPrice: this.lastPrice,
      lastTradeTs: this.lastTradeTs,
      closedMinute: this.closedMinute,
      tradedLow: this.tradedLow,
      tradedHigh: this.tradedHigh,
      walls: this.walls.map((w) => ({ ...w })),
      pulls: this.pulls.map((p) => ({ ...p })),
    };
  }

  static fromJSON(state: ZoneTrackerState): ZoneTracker {
    if (state.version !== STATE_VERSION) throw new Error(`ZoneTracker.fromJSON: state version must be ${STATE_VERSION} (got ${String(state.version)})`);
    const t = new ZoneTracker(state.config);
    const c = t.config;
    t.profile = VolumeProfile.fromJSON(state.profile, new VolumeProfile(c.profileBinBps, c.profileBucketMs, c.profileBuckets, c.maxBinsPerBucket));
    t.bars = MinuteBars.fromJSON(state.bars, c.maxBars);
    t.zones = structuredClone(state.zones);
    t.nextId = state.nextId;
    t.lastPrice = state.lastPrice;
    t.lastTradeTs = state.lastTradeTs;
    t.closedMinute = state.closedMinute;
    t.tradedLow = state.tradedLow;
    t.tradedHigh = state.tradedHigh;
    t.walls = state.walls.map((w) => ({ ...w }));
    t.pulls = state.pulls.map((p) => ({ ...p }));
    return t;
  }

  private strength(z: TrackedZone, ts: number): number {
    const c = this.config;
    const raw = z.raw + (c.holdBonus * Math.min(z.holds, c.fullHolds)) / c.fullHolds;
    return (1 - Math.exp(-raw)) * Math.pow(0.5, Math.max(0, ts - z.lastSeenTs) / c.unseenHalfLifeMs);
  }

  /** Price moved from p0 to p at ts: the zones between them change relation. */
  private move(ts: number, p0: number, p: number): void {
    const lo = Math.min(p0, p);
    const hi = Math.max(p0, p);
    const zs = this.zones;
    let a = 0;
    let b = zs.length;
    while (a < b) {
      const m = (a + b) >>> 1;
      if (zs[m].high < lo) a = m + 1;
      else b = m;
    }
    for (let i = a; i < zs.length && zs[i].low <= hi; i++) {
      const z = zs[i];
      const r = relOf(p, z);
      if (r !== z.rel) this.transition(z, r, ts);
    }
  }

  private transition(z: TrackedZone, r: Rel, ts: number): void {
    const prev = z.rel;
    z.rel = r;
    if (r === 0) {
      z.touches++;
      z.lastTouchTs = ts;
      z.enteredFrom = prev;
      return;
    }
    const from: Rel = prev === 0 ? z.enteredFrom : prev;
    if (prev !== 0) {
      z.touches++;
      z.lastTouchTs = ts;
    }
    z.enteredFrom = 0;
    if (z.cross !== null && r === z.cross.from && ts - z.cross.ts <= this.config.sweepWindowMs) {
      z.lastSweepTs = ts;
      z.role = z.cross.role;
      z.flips = z.cross.flips;
      z.cross = null;
    } else if (from === r) z.holds++;
    else if (from !== 0) z.cross = { ts, from, role: z.role, flips: z.flips };
  }

  /** Applies the closes of the bars before minute `m` not yet applied: breaks, flips, removals. */
  private closeBars(m: number): void {
    if (m - 1 <= this.closedMinute) return;
    for (let id = Math.max(this.closedMinute + 1, m - this.config.maxBars); id < m; id++) {
      const bar = this.bars.get(id);
      if (bar === null) continue;
      this.zones = this.zones.filter((z) => {
        const broken = (z.role === 1 && bar.close < z.low) || (z.role === -1 && bar.close > z.high);
        if (!broken) return true;
        z.role = z.role === 1 ? -1 : 1;
        z.flips++;
        return z.flips <= this.config.maxFlips;
      });
    }
    this.closedMinute = m - 1;
  }

  /** Step 3 → tracked zones: match groups to zones, create, decay, drop, de-overlap, cap. */
  private absorb(groups: Group[], ts: number, ref: number, mergeBps: number): void {
    const c = this.config;
    const matched = new Set<TrackedZone>();
    for (const g of groups) {
      const tol = (g.mid * mergeBps) / 10_000;
      let best: TrackedZone | null = null;
      for (const z of this.zones) {
        if (matched.has(z) || z.high < g.low - tol || z.low > g.high + tol) continue;
        if (best === null || Math.abs(z.mid - g.mid) < Math.abs(best.mid - g.mid)) best = z;
      }
      const sources = g.sources.slice().sort((a, b) => b.weight - a.weight || a.price - b.price).slice(0, MAX_SOURCES);
      const raw = confluence(sources, c);
      if (best === null) {
        const role: 1 | -1 = ref >= g.mid ? 1 : -1;
        const rel = relOf(ref, g);
        best = { id: this.nextId++, low: g.low, high: g.high, mid: g.mid, firstSeenTs: ts, lastSeenTs: ts, sources, raw, role, flips: 0, rel, enteredFrom: 0, touches: 0, holds: 0, lastTouchTs: null, cross: null, lastSweepTs: null, wallPulledTs: null };
        this.zones.push(best);
      } else Object.assign(best, { low: g.low, high: g.high, mid: g.mid, lastSeenTs: ts, sources, raw });
      matched.add(best);
    }
    let zs = this.zones.filter((z) => this.strength(z, ts) >= c.minStrength).sort((a, b) => a.low - b.low || a.id - b.id);
    const merged: TrackedZone[] = [];
    for (const z of zs) {
      const last = merged[merged.length - 1];
      if (last === undefined || z.low > last.high) {
        merged.push(z);
        continue;
      }
      const [keep, gone] = last.id < z.id ? [last, z] : [z, last];
      keep.high = Math.max(last.high, z.high);
      keep.low = Math.min(last.low, z.low);
      keep.mid = (keep.mid + gone.mid) / 2;
      keep.sources = [...keep.sources, ...gone.sources].sort((a, b) => b.weight - a.weight || a.price - b.price).slice(0, MAX_SOURCES);
      keep.raw = Math.max(keep.raw, gone.raw);
      keep.touches += gone.touches;
      keep.holds += gone.holds;
      keep.lastSeenTs = Math.max(keep.lastSeenTs, gone.lastSeenTs);
      keep.firstSeenTs = Math.min(keep.firstSeenTs, gone.firstSeenTs);
      keep.lastSweepTs = maxTs(keep.lastSweepTs, gone.lastSweepTs);
      keep.wallPulledTs = maxTs(keep.wallPulledTs, gone.wallPulledTs);
      merged[merged.length - 1] = keep;
    }
    zs = merged;
    if (zs.length > c.maxZones) {
      const keep = new Set(zs.slice().sort((a, b) => this.strength(b, ts) - this.strength(a, ts) || a.id - b.id).slice(0, c.maxZones));
      zs = zs.filter((z) => keep.has(z));
    }
    for (const z of zs) {
      // A zone that appears around price or moves onto it was not entered: no touch, and
      // leaving it counts neither a hold nor a cross.
      const r = relOf(ref, z);
      if (r !== z.rel) z.enteredFrom = 0;
      z.rel = r;
      for (const p of this.pulls) if (p.price >= z.low && p.price <= z.high) z.wallPulledTs = maxTs(z.wallPulledTs, p.ts);
    }
    this.zones = zs;
  }

  /** Walls of the previous cycle whose quantity fell by `wallPullShare` while no trade reached their price. */
  private detectPulls(ts: number, bids: readonly Level[], asks: readonly Level[]): void {
    for (const w of this.walls) {
      const levels = w.side === "bid" ? bids : asks;
      const worst = levels[levels.length - 1][0];
      const visible = w.side === "bid" ? w.price >= worst : w.price <= worst;
      const traded = w.side === "bid" ? this.tradedLow !== null && this.tradedLow <= w.price : this.tradedHigh !== null && this.tradedHigh >= w.price;
      if (!visible || traded || w.cycles < this.config.wallMinCycles) continue;
      const kept = (1 - this.config.wallPullShare) * w.qty;
      const now = levels.find((l) => l[0] === w.price)?.[1] ?? 0;
      if (now > kept) continue;
      // Requoted a few ticks away (a market maker following the touch) is a move, not a pull.
      const band = (w.price * this.config.wallMoveBps) / 10_000;
      if (levels.some((l) => Math.abs(l[0] - w.price) <= band && l[1] > kept)) continue;
      this.pulls.push({ ts, price: w.price });
      if (this.pulls.length > MAX_PULLS) this.pulls.shift();
    }
  }
}

/** Decimals that show `price` to 6 significant digits (0 for prices of a million and more). */
function priceDecimals(price: number): number {
  return price > 0 ? Math.max(0, Math.min(12, 5 - Math.floor(Math.log10(price)))) : 0;
}

/** `x` rounded to `decimals` with `mode` (floor, ceil, round), without binary-fraction tails. */
function roundTo(x: number, decimals: number, mode: (v: number) => number): number {
  const f = 10 ** decimals;
  return Number((mode(Number((x * f).toPrecision(15))) / f).toFixed(decimals));
}

/** Event time as ISO 8601 to the second, UTC (deterministic: no locale, no wall clock). */
function isoSeconds(ts: number): string {
  return `${new Date(ts).toISOString().slice(0, 19)}Z`;
}

function relOf(p: number, z: { low: number; high: number }): Rel {
  return p > z.high ? 1 : p < z.low ? -1 : 0;
}

function maxTs(a: number | null, b: number | null): number | null {
  return a === null ? b : b === null ? a : Math.max(a, b);
}

function confluence(sources: readonly ZoneSource[], c: ZoneConfig): number {
  const best = new Map<keyof ZoneConfig["kindWeights"], number>();
  for (const s of sources) {
    const k = kindKey(s.kind);
    best.set(k, Math.max(best.get(k) ?? 0, s.weight));
  }
  let raw = 0;
  for (const [k, w] of best) raw += c.kindWeights[k] * w;
  return raw;
}

function usd(x: number): string {
  return `${Math.round(x)} USD`;
}

/** Book notional between two prices per side: prefix sums over ascending prices, O(log n) per read. */
function depthIndex(bids: readonly Level[], asks: readonly Level[]) {
  const side = (levels: readonly Level[]) => {
    const sorted = levels.slice().sort((a, b) => a[0] - b[0]);
    const px = Float64Array.from(sorted, (l) => l[0]);
    const cum = new Float64Array(sorted.length + 1);
    for (let i = 0; i < sorted.length; i++) cum[i + 1] = cum[i] + sorted[i][0] * sorted[i][1];
    return { min: px[0], max: px[px.length - 1], usd: (lo: number, hi: number) => cum[lowerBound(px, nextUp(hi))] - cum[lowerBound(px, lo)] };
  };
  const b = side(bids);
  const a = side(asks);
  return { bidFloor: b.min, askCeil: a.max, bidUsd: b.usd, askUsd: a.usd };
}
