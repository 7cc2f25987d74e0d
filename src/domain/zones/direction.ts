/**
 * Step 8 of the zone pipeline (docs/zones.md): a directional score per zone from the liquidation
 * and order-flow evidence at its price, telling a level that should hold from one that should
 * be run. Pure: one zone and the cycle's readings in, one `ZoneDirection` out.
 *
 * Three components, each in [−1, 1] (+1 bullish, −1 bearish), null when its input is unavailable:
 *
 * - `liquidity` — which side's liquidity the zone holds: resting book depth defending it `D` versus
 *   the estimated liquidation notional just beyond it `L` (the zone's `evidence`, step 6).
 *   support: (D − L) / (D + L); resistance: (L − D) / (D + L). Bids that outweigh the stops under a
 *   support make it hold (up); stops that outweigh the bids are fuel for a run through it (down).
 *   Null without both figures or when both are 0.
 * - `draw` — whether price is being drawn to it: the order-flow and liquidation-magnet cards'
 *   scores now, `f` = their mean over the available ones, counted only when they point at the
 *   zone: t · max(0, t · f) · proximity, t = +1 for a zone above price, −1 below (0 when price sits
 *   at its mid), proximity = max(0, 1 − distance to its near edge / range) (bps). Null when neither
 *   card is available.
 * - `sweep` — whether a sweep into it reversed: a support swept and reclaimed points up, a
 *   resistance swept and reclaimed down, fading linearly to 0 over `memoryMs` since the sweep; 0
 *   when none was seen (the price path is always watched, so this is a measurement).
 *
 * score = Σ wᵢ · cᵢ / Σ wᵢ over the available components; confidence = Σ wᵢ(available) / Σ wᵢ.
 * A zone with no available component has score 0 and confidence 0.
 */
export interface ZoneDirectionWeights {
  readonly liquidity: number;
  readonly draw: number;
  readonly sweep: number;
}

/** The zone as step 6 leaves it (wire prices and evidence). */
export interface ZoneAtPrice {
  readonly kind: "support" | "resistance";
  readonly low: number;
  readonly high: number;
  readonly mid: number;
  readonly evidence: { readonly depthUsd: number | null; readonly liqBeyondUsd: number | null; readonly lastSweepTs: number | null };
}

/** What the cycle reads besides the zone. */
export interface ZoneDirectionInputs {
  readonly ts: number;
  readonly price: number;
  /** Score of the order-flow card the zones read (`flow.pressure`, 5m), null when unavailable. */
  readonly flowScore: number | null;
  /** Score of the liquidation-magnet card (`levels.magnet`, 5m), null when unavailable. */
  readonly magnetScore: number | null;
  /** Distance at which the draw fades to 0, bps (the zones' range). */
  readonly rangeBps: number;
  /** A sweep counts this long, ms. */
  readonly memoryMs: number;
  readonly weights: ZoneDirectionWeights;
}

export interface ZoneDirection {
  score: number;
  confidence: number;
  liquidity: number | null;
  draw: number | null;
  sweep: number | null;
}

export function zoneDirection(zone: ZoneAtPrice, inp: ZoneDirectionInputs): ZoneDirection {
  const liquidity = liquidityHeld(zone);
  const draw = drawTo(zone, inp);
  const sweep = sweepReversal(zone, inp.ts, inp.memoryMs);
  const w = inp.weights;
  let sum = 0;
  let weight = 0;
  for (const [c, wi] of [
    [liquidity, w.liquidity],
    [draw, w.draw],
    [sweep, w.sweep],
  ] as const) {
    if (c === null) continue;
    sum += wi * c;
    weight += wi;
  }
  const total = w.liquidity + w.draw + w.sweep;
  return {
    score: weight > 0 ? sum / weight + 0 : 0,
    confidence: total > 0 ? weight / total : 0,
    liquidity,
    draw,
    sweep,
  };
}

function liquidityHeld(zone: ZoneAtPrice): number | null {
  const d = zone.evidence.depthUsd;
  const l = zone.evidence.liqBeyondUsd;
  if (d === null || l === null || d + l <= 0) return null;
  const held = (d - l) / (d + l);
  return (zone.kind === "support" ? held : -held) + 0;
}

function drawTo(zone: ZoneAtPrice, inp: ZoneDirectionInputs): number | null {
  const scores = [inp.flowScore, inp.magnetScore].filter((s): s is number => s !== null);
  if (scores.length === 0) return null;
  const f = scores.reduce((a, b) => a + b, 0) / scores.length;
  const p = inp.price;
  const t = zone.mid > p ? 1 : zone.mid < p ? -1 : 0;
  const edge = p < zone.low ? zone.low : p > zone.high ? zone.high : p;
  const distBps = (Math.abs(edge - p) / p) * 10_000;
  const proximity = Math.max(0, 1 - distBps / inp.rangeBps);
  return t * Math.max(0, t * f) * proximity + 0;
}

function sweepReversal(zone: ZoneAtPrice, ts: number, memoryMs: number): number {
  const at = zone.evidence.lastSweepTs;
  if (at === null || ts - at > memoryMs || ts < at) return 0;
  const fade = 1 - (ts - at) / memoryMs;
  return (zone.kind === "support" ? fade : -fade) + 0;
}
