/**
 * The realized liquidation heatmap and its sampling correction: functions over the records a
 * `RealizedStore` holds (its `forEachHeld`), binned on query. Why raw records and not pre-binned
 * ones, and how the correction is built: realized.ts and docs/liquidation-model.md.
 *
 * Heatmap: time bins of `timeBinMs` ending with the bin that holds the newest event (or the
 * clock), `windowMs` long; price bins of a fixed tick, or of `bps` of the reference price (the
 * last price, else the newest liquidation's). A cell is `[time bin, price bin, long USD, short
 * USD, count]`, only where a liquidation fell, ordered by time then price. A venue filter keeps
 * only those venues' records for everything the heatmap says (cells, totals, correction). O(held)
 * per query.
 */
import { VENUES, type Venue } from "../events.js";
import type { HeatmapCell, LiquidationHeatmap, SamplingCorrection, SideSums, VenueSums } from "../../protocol/liquidation.js";
import { LiquidationQueryError } from "./query.js";
import type { HeatmapRequest, RealizedStore } from "./realized.js";
import { combineSampling, emptySums } from "./sampling.js";

/** At most this many price bins per heatmap (a smaller bin over a wide range is refused). */
const MAX_PRICE_BINS = 10_000;

/** The heatmap of `store`'s records for `req` (see the module comment). */
export function realizedHeatmap(store: RealizedStore, symbol: string, req: HeatmapRequest, referencePrice: number | null, clockTs: number): LiquidationHeatmap {
  const held = heldOf(store, req.venues);
  const nowTs = Math.max(store.newestTs, clockTs, 0);
  const toTs = (Math.floor(nowTs / req.timeBinMs) + 1) * req.timeBinMs;
  const fromTs = toTs - req.windowMs;
  const nTime = req.windowMs / req.timeBinMs;
  const starts: number[] = new Array(nTime);
  for (let i = 0; i < nTime; i++) starts[i] = fromTs + i * req.timeBinMs;

  let minPx = Infinity;
  let maxPx = -Infinity;
  let newestPx: number | null = null;
  let newestTs = -Infinity;
  held(fromTs, toTs, (ts, p) => {
    if (p < minPx) minPx = p;
    if (p > maxPx) maxPx = p;
    if (ts >= newestTs) {
      newestTs = ts;
      newestPx = p;
    }
  });
  const ref: number | null = referencePrice ?? newestPx;
  const mode = req.priceBin.mode;
  const width = mode === "tick" ? req.priceBin.tick : ref === null ? 0 : (ref * req.priceBin.bps) / 10_000;
  const binField = mode === "tick" ? "priceBinTick" : "priceBinBps";

  const venueSums: { long: SideSums; short: SideSums; sampling: number }[] = VENUES.map(() => ({ long: emptySums(), short: emptySums(), sampling: 0 }));
  const totals = { long: emptySums(), short: emptySums() };
  const cells: HeatmapCell[] = [];
  const edges: number[] = [];
  const centers: number[] = [];
  if (minPx <= maxPx && width > 0) {
    const k0 = Math.floor(minPx / width);
    const nPrice = Math.floor(maxPx / width) - k0 + 1;
    if (nPrice > MAX_PRICE_BINS) {
      throw new LiquidationQueryError(binField, `heatmap query: ${binField} gives ${nPrice} price bins for ${minPx}..${maxPx}; at most ${MAX_PRICE_BINS} (use a larger bin)`);
    }
    for (let i = 0; i <= nPrice; i++) edges.push((k0 + i) * width);
    for (let i = 0; i < nPrice; i++) centers.push((k0 + i + 0.5) * width);
    const byKey = new Map<number, HeatmapCell>();
    held(fromTs, toTs, (ts, price, qty, usd, isLong, venue, sampled) => {
      const ti = Math.floor((ts - fromTs) / req.timeBinMs);
      const pi = Math.floor(price / width) - k0;
      const key = ti * nPrice + pi;
      let cell = byKey.get(key);
      if (cell === undefined) {
        cell = [ti, pi, 0, 0, 0];
        byKey.set(key, cell);
      }
      if (isLong) cell[2] += usd;
      else cell[3] += usd;
      cell[4] += 1;
      const side = isLong ? totals.long : totals.short;
      side.count++;
      side.qty += qty;
      side.notionalUsd += usd;
      const vs = venueSums[venue];
      const vside = isLong ? vs.long : vs.short;
      vside.count++;
      vside.qty += qty;
      vside.notionalUsd += usd;
      vs.sampling = sampled ? 2 : 1;
    });
    const keys = [...byKey.keys()].sort((a, b) => a - b);
    for (const key of keys) cells.push(byKey.get(key) as HeatmapCell);
  }
  const venues: VenueSums[] = [];
  venueSums.forEach((v, vi) => {
    if (v.sampling !== 0) venues.push({ venue: VENUES[vi], sampling: v.sampling === 2 ? "sampled-1s" : "complete", long: v.long, short: v.short });
  });
  const heatmap: LiquidationHeatmap = {
    symbol,
    kind: "realized-heatmap",
    measured: true,
    ts: nowTs,
    fromTs,
    toTs,
    time: { binMs: req.timeBinMs, starts },
    price: {
      mode,
      bin: mode === "tick" ? req.priceBin.tick : req.priceBin.bps,
      binWidth: width,
      referencePrice: mode === "bps" ? ref : referencePrice,
      edges,
      centers,
    },
    cells,
    totals,
    venues,
    sampling: combineSampling(venueSums.map((v) => v.sampling)),
    correction: samplingCorrection(store, fromTs, toTs, venues, req.venues),
    retention: store.retention(),
  };
  if (req.venues !== null) heatmap.venueFilter = [...req.venues];
  return heatmap;
}

/** `store.forEachHeld`, keeping only the records of `venues` (all when null). */
function heldOf(store: RealizedStore, venues: readonly Venue[] | null): RealizedStore["forEachHeld"] {
  if (venues === null) return (fromTs, toTs, visit) => store.forEachHeld(fromTs, toTs, visit);
  const keep = VENUES.map((v) => venues.includes(v));
  return (fromTs, toTs, visit) =>
    store.forEachHeld(fromTs, toTs, (ts, price, qty, usd, isLong, venue, sampled) => {
      if (keep[venue]) visit(ts, price, qty, usd, isLong, venue, sampled);
    });
}

/**
 * The sampling correction over `[fromTs, toTs)` (see `SamplingCorrectionSchema` and
 * docs/liquidation-model.md): the complete venues' liquidations inside the overlap with the
 * sampled venues are reduced to the last one of each second (the sampled venues' rule), and
 * the factors measure what that reduction hides. `venues` are the measured sums the
 * estimate scales. O(held).
 */
export function samplingCorrection(store: RealizedStore, fromTs: number, toTs: number, venues: readonly VenueSums[], only: readonly Venue[] | null = null): SamplingCorrection {
  const held = heldOf(store, only);
  let cFirst = Infinity;
  let cLast = -Infinity;
  let sFirst = Infinity;
  let sLast = -Infinity;
  const completeVenues = new Set<number>();
  const sampledVenues = new Set<number>();
  held(fromTs, toTs, (ts, _price, _qty, _usd, _isLong, venue, sampled) => {
    if (sampled) {
      sampledVenues.add(venue);
      if (ts < sFirst) sFirst = ts;
      if (ts > sLast) sLast = ts;
    } else {
      completeVenues.add(venue);
      if (ts < cFirst) cFirst = ts;
      if (ts > cLast) cLast = ts;
    }
  });
  if (completeVenues.size === 0 || sampledVenues.size === 0) {
    return { available: false, reason: "no complete venue and sampled venue both delivered liquidations in the window" };
  }
  const oFrom = Math.max(cFirst, sFirst);
  const oTo = Math.min(cLast, sLast);
  if (oFrom > oTo) return { available: false, reason: "the complete and sampled venues' liquidations do not overlap in time" };
  // Last complete-venue liquidation of each second inside the overlap (by ts, then arrival).
  const lastOfSecond = new Map<number, { ts: number; usd: number; side: number }>();
  let events = 0;
  let usd = 0;
  const sideTotals = [
    [0, 0],
    [0, 0],
  ];
  // The overlap includes its last liquidation: [oFrom, oTo].
  held(oFrom, Infinity, (ts, _price, _qty, recordUsd, isLong, _venue, sampled) => {
    if (ts > oTo || sampled) return;
    events++;
    usd += recordUsd;
    const s = isLong ? 0 : 1;
    sideTotals[s][0]++;
    sideTotals[s][1] += recordUsd;
    const sec = Math.floor(ts / 1000);
    const prev = lastOfSecond.get(sec);
    if (prev === undefined || ts >= prev.ts) lastOfSecond.set(sec, { ts, usd: recordUsd, side: s });
  });
  const min = store.options.correctionMinEvents;
  if (events < min) {
    return { available: false, reason: `only ${events} complete-venue liquidations overlap the sampled venues (need at least ${min})` };
  }
  let keptUsd = 0;
  const sideKept = [
    [0, 0],
    [0, 0],
  ];
  for (const kept of [...lastOfSecond.keys()].sort((a, b) => a - b).map((sec) => lastOfSecond.get(sec) as { usd: number; side: number })) {
    keptUsd += kept.usd;
    sideKept[kept.side][0]++;
    sideKept[kept.side][1] += kept.usd;
  }
  const kept = lastOfSecond.size;
  const countFactor = events / kept;
  const notionalFactor = keptUsd > 0 ? usd / keptUsd : countFactor;
  const sideFactor = (s: number) => ({
    countFactor: sideKept[s][0] > 0 ? sideTotals[s][0] / sideKept[s][0] : null,
    notionalFactor: sideKept[s][1] > 0 ? sideTotals[s][1] / sideKept[s][1] : null,
  });
  const perSide = { long: sideFactor(0), short: sideFactor(1) };
  const estimatedSampled = venues
    .filter((v) => v.sampling === "sampled-1s")
    .map((v) => ({
      venue: v.venue,
      long: { count: v.long.count * (perSide.long.countFactor ?? countFactor), notionalUsd: v.long.notionalUsd * (perSide.long.notionalFactor ?? notionalFactor) },
      short: { count: v.short.count * (perSide.short.countFactor ?? countFactor), notionalUsd: v.short.notionalUsd * (perSide.short.notionalFactor ?? notionalFactor) },
    }));
  return {
    available: true,
    estimated: true,
    method: "complete-venue-resampled-1s",
    completeVenues: [...completeVenues].sort((a, b) => a - b).map((i) => VENUES[i]),
    sampledVenues: [...sampledVenues].sort((a, b) => a - b).map((i) => VENUES[i]),
    overlapFromTs: oFrom,
    overlapToTs: oTo,
    completeEvents: events,
    keptEvents: kept,
    countFactor,
    notionalFactor,
    perSide,
    estimatedSampled,
  };
}
