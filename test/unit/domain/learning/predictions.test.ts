import { describe, expect, it } from "vitest";
import { PredictionBook, type Prediction, type ScoredOutcome } from "../../../../src/domain/learning/predictions.js";
import { PREDICTION_HORIZON_MS, pendingBound, sigmaOverHorizon } from "../../../../src/domain/learning/horizons.js";
import { MODES, type Mode } from "../../../../src/protocol/snapshot.js";
import { mulberry32 } from "../../../../src/domain/learning/prng.js";

const MIN = 60_000;

function prediction(mode: Mode, ts: number, price: number | null, score = 0.4): Prediction {
  return {
    mode,
    ts,
    price,
    bias: { score, confidence: 0.5 },
    categories: [
      { category: "order-flow", score, confidence: 0.6 },
      { category: "momentum", score: -score, confidence: 0.3 },
    ],
    cards: [{ id: "flow.cvd", score, confidence: 0.7 }],
    weightsVersion: 3,
  };
}

/** Trades at `price` every 30 s over [fromTs, toTs]. */
function feedFlat(book: PredictionBook, fromTs: number, toTs: number, price: number): void {
  for (let ts = fromTs; ts <= toTs; ts += 30_000) book.onPrice(ts, price);
}

/** Seeded draws in [0, 1) (mulberry32, the domain's one PRNG). */
const rng = mulberry32;

describe("horizons", () => {
  it("scales σ of 1-minute returns by √minutes and bounds pending by ⌈h / cadence⌉ + 2", () => {
    // 0.001 · √5 = 0.0022360680; 0.002 · √60 = 0.0154919334
    expect(sigmaOverHorizon(0.001, 5 * MIN)).toBeCloseTo(0.002236068, 9);
    expect(sigmaOverHorizon(0.002, 60 * MIN)).toBeCloseTo(0.0154919334, 9);
    expect(PREDICTION_HORIZON_MS).toEqual({ scalp: 300_000, day: 3_600_000, swing: 14_400_000 });
    expect(pendingBound(300_000, 30_000)).toBe(12);
    expect(pendingBound(3_600_000, 60_000)).toBe(62);
    expect(pendingBound(14_400_000, 300_000)).toBe(50);
  });
});

describe("PredictionBook scoring", () => {
  it("scores 100 → 101 over 5 minutes at σ1m = 0.001 as ln(1.01) / (0.001·√5) = 4.450 σ", () => {
    const book = new PredictionBook();
    expect(book.add(prediction("scalp", 0, 100), 0.001)).toBe(true);
    feedFlat(book, 0, 270_000, 100);
    book.onPrice(300_000, 101); // exactly at the due time: counts ("at or before")
    book.onPrice(300_001, 150); // after it: does not
    // A trade at the due millisecond may still arrive until a call with nowTs > dueTs.
    expect(book.due(300_000)).toEqual([]);
    const [o] = book.due(310_000);
    // ln(1.01) = 0.00995033; σ_5 = 0.0022360680; 0.00995033 / 0.0022360680 = 4.44992
    expect(o.outcome).toBeCloseTo(4.44992, 4);
    expect(o.ret).toBeCloseTo(Math.log(1.01), 12);
    expect(o.sigma).toBeCloseTo(0.002236068, 9);
    expect(o).toMatchObject({ mode: "scalp", ts: 0, dueTs: 300_000, horizonMs: 300_000, price: 100, exitPrice: 101, exitTs: 300_000, clipped: false, weightsVersion: 3 });
    expect(o.categories).toEqual(prediction("scalp", 0, 100).categories);
    expect(o.cards).toEqual([{ id: "flow.cvd", score: 0.4, confidence: 0.7 }]);
    expect(book.stats().modes.scalp).toMatchObject({ added: 1, scored: 1, clipped: 0 });
    expect(book.pendingCount("scalp")).toBe(0);
  });

  it("clips an outcome beyond ±5 σ and says so", () => {
    const book = new PredictionBook();
    book.add(prediction("scalp", 0, 100), 0.001);
    feedFlat(book, 0, 270_000, 100);
    book.onPrice(290_000, 98); // ln(0.98) / 0.0022360680 = −9.035 → −5
    const [o] = book.due(310_000);
    expect(o.outcome).toBe(-5);
    expect(o.clipped).toBe(true);
    expect(o.ret / o.sigma).toBeCloseTo(-9.0349, 3);
    expect(book.stats().modes.scalp.clipped).toBe(1);
  });

  it("keeps the σ given at prediction time and the horizon of each mode", () => {
    const book = new PredictionBook();
    book.add(prediction("day", 0, 200), 0.002);
    feedFlat(book, 0, 3_600_000, 200);
    book.onPrice(3_600_000, 202);
    const [o] = book.due(3_600_010);
    // σ_60 = 0.002·√60 = 0.0154919; ln(1.01) / 0.0154919 = 0.642289
    expect(o.dueTs).toBe(3_600_000);
    expect(o.outcome).toBeCloseTo(0.642289, 5);
  });

  it("applies a late trade exactly to a prediction already sealed by a newer one", () => {
    const book = new PredictionBook();
    book.add(prediction("scalp", 0, 100), 0.001);
    feedFlat(book, 0, 270_000, 100);
    book.onPrice(290_000, 100.5);
    book.onPrice(310_000, 103); // seals the exit at 100.5 (290 s)
    book.onPrice(295_000, 101); // late, inside the window and newer than the exit: replaces it
    book.onPrice(200_000, 99); // late but older than the exit: ignored
    const [o] = book.due(320_000);
    expect(o.exitPrice).toBe(101);
    expect(o.exitTs).toBe(295_000);
  });

  it("returns outcomes ordered by due time, then mode", () => {
    const book = new PredictionBook({ horizonMs: { scalp: 300_000, day: 300_000, swing: 600_000 } });
    book.add(prediction("day", 0, 100), 0.001);
    book.add(prediction("scalp", 0, 100), 0.001);
    book.add(prediction("swing", 0, 100), 0.001);
    book.add(prediction("scalp", 30_000, 100), 0.001);
    feedFlat(book, 0, 700_000, 100);
    const out = book.due(700_000);
    expect(out.map((o) => [o.mode, o.ts])).toEqual([
      ["scalp", 0],
      ["day", 0],
      ["scalp", 30_000],
      ["swing", 0],
    ]);
    expect(out.every((o) => o.outcome === 0 && o.ret === 0)).toBe(true);
  });
});

describe("PredictionBook voiding and skipping", () => {
  it("voids a prediction whose window overlaps a reported gap, never scoring it as zero", () => {
    const book = new PredictionBook();
    book.add(prediction("scalp", 0, 100), 0.001);
    book.add(prediction("scalp", 300_000, 100), 0.001);
    feedFlat(book, 0, 240_000, 100);
    book.onGap(250_000, 260_000); // inside [0, 300 000] only
    feedFlat(book, 270_000, 700_000, 100);
    const out = book.due(700_000);
    expect(out.map((o) => o.ts)).toEqual([300_000]);
    expect(book.stats().modes.scalp).toMatchObject({ added: 2, scored: 1, voided: { gap: 1, "no-price": 0, overflow: 0 } });
  });

  it("voids on a gap touching the window's ends (closed intervals)", () => {
    const book = new PredictionBook();
    book.add(prediction("scalp", 100_000, 100), 0.001);
    book.onGap(50_000, 100_000);
    expect(book.pendingCount("scalp")).toBe(0);
    book.add(prediction("scalp", 130_000, 100), 0.001);
    book.onGap(430_000, 500_000); // starts at its due time
    expect(book.pendingCount("scalp")).toBe(0);
    expect(book.stats().modes.scalp.voided.gap).toBe(2);
  });

  it("voids a prediction added after a gap its window overlaps (a replay's catch-up boundaries)", () => {
    const book = new PredictionBook();
    book.onGap(0, 1_000_000);
    book.add(prediction("day", 900_000, 100), 0.001);
    book.add(prediction("scalp", 1_000_010, 100), 0.001); // after the gap: kept
    expect(book.pendingCount("day")).toBe(0);
    expect(book.pendingCount("scalp")).toBe(1);
    expect(book.stats().modes.day).toMatchObject({ added: 1, voided: { gap: 1 } });
  });

  it("voids a window holding more than 2 minutes without a trade, and keeps exactly 2 minutes", () => {
    const book = new PredictionBook();
    book.add(prediction("scalp", 0, 100), 0.001);
    book.add(prediction("scalp", 300_000, 100), 0.001);
    book.onPrice(0, 100);
    book.onPrice(120_000, 100); // 120 s quiet: not more than maxQuietMs
    book.onPrice(240_000, 100);
    book.onPrice(300_000, 100);
    book.onPrice(420_001, 100); // 120.001 s quiet inside [300 000, 600 000]
    expect(book.pendingCount("scalp")).toBe(1); // the first survives; its window ends before
    expect(book.stats().modes.scalp.voided.gap).toBe(1);
    expect(book.due(600_000).map((o) => o.ts)).toEqual([0]);
  });

  it("voids at due time when the trades stopped more than 2 minutes before the due time", () => {
    const book = new PredictionBook();
    book.add(prediction("scalp", 0, 100), 0.001);
    feedFlat(book, 0, 150_000, 100); // last trade at 150 s, due at 300 s: 150 s quiet
    expect(book.due(900_000)).toEqual([]);
    expect(book.stats().modes.scalp.voided).toEqual({ gap: 1, "no-price": 0, overflow: 0 });
  });

  it("voids as no-price when no trade fell in [ts, dueTs]", () => {
    const book = new PredictionBook({ maxQuietMs: null });
    book.onPrice(-5_000, 100);
    book.add(prediction("scalp", 0, 100), 0.001);
    expect(book.due(400_000)).toEqual([]);
    expect(book.stats().modes.scalp.voided).toEqual({ gap: 0, "no-price": 1, overflow: 0 });
  });

  it("skips predictions without a price, a volatility, finite numbers or a later time, and counts why", () => {
    const book = new PredictionBook();
    expect(book.add(prediction("day", 0, null), 0.001)).toBe("no-price");
    expect(book.add(prediction("day", 0, 100), null)).toBe("no-volatility");
    expect(book.add(prediction("day", 0, 100), 0)).toBe("no-volatility");
    expect(book.add(prediction("day", 0, 100), Number.NaN)).toBe("no-volatility");
    expect(book.add(prediction("day", 0, 100, Number.NaN), 0.001)).toBe("invalid");
    expect(book.add(prediction("day", 0, Number.POSITIVE_INFINITY), 0.001)).toBe("invalid");
    expect(book.add(prediction("day", 0, 100), 0.001)).toBe(true);
    expect(book.add(prediction("day", 0, 100), 0.001)).toBe("out-of-order"); // replayed after a restart
    expect(book.add(prediction("day", -60_000, 100), 0.001)).toBe("out-of-order");
    book.onPrice(10 * 3_600_000, 100);
    expect(book.add(prediction("swing", 0, 100), 0.001)).toBe("out-of-order"); // trades past its due time already fed
    const s = book.stats().modes;
    expect(s.day).toMatchObject({ added: 1, skipped: { "no-price": 1, "no-volatility": 3, invalid: 2, "out-of-order": 2 } });
    expect(s.swing.skipped["out-of-order"]).toBe(1);
  });

  it("counts and ignores impossible prices and gaps", () => {
    const book = new PredictionBook();
    book.add(prediction("scalp", 0, 100), 0.001);
    feedFlat(book, 0, 240_000, 100);
    book.onPrice(250_000, Number.NaN);
    book.onPrice(260_000, -1);
    book.onPrice(Number.POSITIVE_INFINITY, 100);
    book.onGap(Number.NaN, 10);
    book.onGap(20, 10);
    book.onPrice(300_000, 100);
    expect(book.stats().rejectedInputs).toBe(5);
    expect(book.due(310_000)).toHaveLength(1);
  });

  it("rejects options out of range, naming the field", () => {
    expect(() => new PredictionBook({ horizonMs: { day: 0 } })).toThrow("horizonMs.day must be a positive integer (got 0)");
    expect(() => new PredictionBook({ maxPending: { swing: 0 } })).toThrow("maxPending.swing must be an integer in [1, 100000] (got 0)");
    expect(() => new PredictionBook({ maxQuietMs: Number.POSITIVE_INFINITY })).toThrow("maxQuietMs");
    expect(() => new PredictionBook({ outcomeClip: -1 })).toThrow("outcomeClip");
  });
});

describe("PredictionBook bounds", () => {
  /** An engine-like run over 8 h: scoring at each 10 s boundary, `lagMs` late. */
  function engineRun(lagMs: number) {
    const book = new PredictionBook();
    const cadence: Record<Mode, number> = { scalp: 30_000, day: 60_000, swing: 300_000 };
    const peak: Record<Mode, number> = { scalp: 0, day: 0, swing: 0 };
    let scored = 0;
    // The first cycle at 10 s predicts in every mode (off-cadence), then each mode on its cadence;
    // the caller adds before scoring (the order that holds the most).
    for (let b = 10_000; b <= 8 * 3_600_000; b += 10_000) {
      book.onPrice(b - 5_000, 100 + Math.sin(b / 1e6));
      for (const mode of MODES) if (b === 10_000 || b % cadence[mode] === 0) book.add(prediction(mode, b, 100), 0.001);
      for (const mode of MODES) peak[mode] = Math.max(peak[mode], book.pendingCount(mode));
      scored += book.due(b - lagMs).length;
    }
    return { book, peak, scored };
  }

  it("holds at most ⌈h / cadence⌉ + 1 pending when scored every cycle, within the bound a cycle late, and never overflows", () => {
    // Scalp at boundary b holds ts = b − 300 s … b (11): the one due exactly at b − 10 s waited a call.
    expect(engineRun(0).peak).toEqual({ scalp: 11, day: 61, swing: 49 });
    const { book, peak, scored } = engineRun(10_000);
    // A cycle late, scalp also keeps the first-cycle prediction (10 s) beside b − 300 s … b at b = 330 s.
    expect(peak).toEqual({ scalp: 12, day: 61, swing: 49 });
    for (const mode of MODES) expect(peak[mode]).toBeLessThanOrEqual(pendingBound(PREDICTION_HORIZON_MS[mode], { scalp: 30_000, day: 60_000, swing: 300_000 }[mode]));
    const s = book.stats().modes;
    for (const mode of MODES) {
      expect(s[mode].voided).toEqual({ gap: 0, "no-price": 0, overflow: 0 });
      expect(s[mode].added).toBe(s[mode].scored + book.pendingCount(mode));
    }
    expect(scored).toBe(s.scalp.scored + s.day.scored + s.swing.scored);
    // Swing: ts = 10 s and 300 s … 14 100 s (47) are due before the last call at 8 h − 10 s.
    expect(s.swing.scored).toBe(48);
  });

  it("drops the oldest beyond maxPending and counts it as overflow", () => {
    const book = new PredictionBook({ maxPending: { scalp: 3 } });
    for (let i = 0; i < 5; i++) book.add(prediction("scalp", i * 1_000, 100), 0.001);
    expect(book.pendingCount("scalp")).toBe(3);
    feedFlat(book, 0, 310_000, 100);
    expect(book.due(310_000).map((o) => o.ts)).toEqual([2_000, 3_000, 4_000]);
    expect(book.stats().modes.scalp).toMatchObject({ added: 5, scored: 3, voided: { overflow: 2 } });
  });
});

describe("PredictionBook restart", () => {
  type Step = { k: "price"; ts: number; price: number } | { k: "add"; p: Prediction; sigma: number | null } | { k: "gap"; from: number; to: number } | { k: "due"; ts: number };

  /** Six hours: trades every 0–20 s (sometimes a 3-minute silence, sometimes a late one), predictions on the mode cadences, a reported gap. */
  function script(seed: number): Step[] {
    const r = rng(seed);
    const steps: Step[] = [];
    let price = 100;
    let ts = 0;
    let boundary = 10_000;
    const end = 6 * 3_600_000;
    while (ts < end) {
      ts += Math.floor(r() * 20_000) + (r() < 0.004 ? 180_000 : 0);
      price *= Math.exp((r() - 0.5) * 0.002);
      if (r() < 0.02) steps.push({ k: "price", ts: ts - 15_000, price: price * 1.001 });
      while (boundary <= ts) {
        steps.push({ k: "due", ts: boundary });
        for (const mode of MODES) {
          const cadence = { scalp: 30_000, day: 60_000, swing: 300_000 }[mode];
          if (boundary % cadence === 0) steps.push({ k: "add", p: prediction(mode, boundary, price, r() * 2 - 1), sigma: r() < 0.05 ? null : 0.0005 + r() * 0.001 });
        }
        if (boundary === 2 * 3_600_000) steps.push({ k: "gap", from: boundary - 60_000, to: boundary + 60_000 });
        boundary += 10_000;
      }
      steps.push({ k: "price", ts, price });
    }
    steps.push({ k: "due", ts: end + 5 * 3_600_000 });
    return steps;
  }

  function run(steps: Step[], restartEvery: number | null): { out: ScoredOutcome[]; state: string } {
    let book = new PredictionBook();
    const out: ScoredOutcome[] = [];
    steps.forEach((s, i) => {
      if (restartEvery !== null && i % restartEvery === 0) book = PredictionBook.fromJSON(JSON.parse(JSON.stringify(book)));
      if (s.k === "price") book.onPrice(s.ts, s.price);
      else if (s.k === "add") book.add(s.p, s.sigma);
      else if (s.k === "gap") book.onGap(s.from, s.to);
      else out.push(...book.due(s.ts));
    });
    return { out, state: JSON.stringify(book) };
  }

  it("gives identical outcomes and state whether or not it was checkpointed and restored along the way", () => {
    const steps = script(7);
    const straight = run(steps, null);
    const restarted = run(steps, 97);
    expect(restarted.out).toEqual(straight.out);
    expect(restarted.state).toBe(straight.state);
    const s = (JSON.parse(straight.state) as ReturnType<PredictionBook["toJSON"]>).counters;
    // The script exercises every path it claims to.
    expect(straight.out.length).toBeGreaterThan(500);
    expect(s.scalp.voided.gap).toBeGreaterThan(0);
    expect(s.day.skipped["no-volatility"]).toBeGreaterThan(0);
    for (const mode of MODES) {
      const v = s[mode].voided;
      expect(s[mode].added).toBe(s[mode].scored + v.gap + v["no-price"] + v.overflow);
    }
    // Nothing scored twice.
    const keys = straight.out.map((o) => `${o.mode}@${o.ts}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it("refuses a malformed checkpoint", () => {
    expect(() => PredictionBook.fromJSON({ version: 2 })).toThrow("invalid prediction book state");
    const state = new PredictionBook().toJSON() as unknown as { pending: { day: unknown[] } };
    state.pending.day.push({ prediction: {} });
    expect(() => PredictionBook.fromJSON(state)).toThrow("pending.day.0");
  });
});
