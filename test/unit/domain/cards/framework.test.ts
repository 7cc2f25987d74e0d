import { readdirSync, existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SymbolEngine } from "../../../../src/domain/engine.js";
import { CATEGORIES, CATEGORY_IDS, cardPrefix, uniformWeights } from "../../../../src/domain/cards/categories.js";
import { cardState, cardTransition, CardRegistry, DEFAULT_CARDS, DEFAULT_REGISTRY, type CardDefinition } from "../../../../src/domain/cards/registry.js";
import { available, directional, stress, unavailable, type CardSelf } from "../../../../src/domain/cards/card.js";
import { addSample, centerAndSpread, zScore } from "../../../../src/domain/cards/scale.js";
import type { CardValue, Timeframe } from "../../../../src/protocol/snapshot.js";
import { cardOf, engineFor, snapshotAt, trade } from "./helpers.js";

const CARDS_DIR = join(process.cwd(), "src/domain/cards");

/** The 14 categories of "Signals I" and their floor of 5 cards each, 90 in all. */
const SIGNALS_I = ["liquidation", "cascade", "levels", "order-flow", "smart-money", "derivatives", "funding", "open-interest", "positioning", "orderbook", "liquidity", "spread", "absorption", "microstructure"];

describe("categories", () => {
  it("lists 25 distinct categories, each described, with the reference's four ids and market context", () => {
    expect(CATEGORIES).toHaveLength(25);
    expect(new Set(CATEGORY_IDS).size).toBe(25);
    for (const c of CATEGORIES) expect(c.description.length).toBeGreaterThan(20);
    for (const id of ["liquidation", "order-flow", "smart-money", "derivatives", "market-context", "cascade", "levels"]) expect(CATEGORY_IDS).toContain(id);
    for (const gone of ["flow", "whale", "basis", "sentiment"]) expect(CATEGORY_IDS).not.toContain(gone);
  });

  it("gives uniform weights of 1 for every category in every mode", () => {
    const w = uniformWeights();
    expect(Object.keys(w)).toEqual(["scalp", "day", "swing"]);
    expect(Object.values(w.day ?? {})).toEqual(new Array(25).fill(1));
  });
});

describe("shipped cards", () => {
  it("live one per file at src/domain/cards/<category>/<name>.ts with id <prefix>.<name>", () => {
    for (const card of DEFAULT_CARDS) {
      const cat = CATEGORIES.find((c) => c.id === card.category);
      expect(cat, card.id).toBeDefined();
      const [prefix, name] = card.id.split(".");
      expect(prefix, card.id).toBe(cardPrefix(cat!));
      expect(existsSync(join(CARDS_DIR, card.category, `${name}.ts`)), `${card.category}/${name}.ts`).toBe(true);
    }
  });

  it("are all registered: every card file in a category folder is in the registry", async () => {
    const ids = new Set(DEFAULT_CARDS.map((c) => c.id));
    for (const category of CATEGORY_IDS) {
      for (const file of readdirSync(join(CARDS_DIR, category))) {
        if (file === "index.ts") continue;
        const mod = (await import(join(CARDS_DIR, category, file))) as Record<string, unknown>;
        for (const value of Object.values(mod)) {
          if (typeof value === "object" && value !== null && "compute" in value && "id" in value) expect(ids.has((value as CardDefinition).id), `${category}/${file}`).toBe(true);
        }
      }
    }
  });

  it("number at least 90 in the 14 categories of Signals I, at least 5 in each", () => {
    const counts = Object.fromEntries(SIGNALS_I.map((c) => [c, DEFAULT_CARDS.filter((d) => d.category === c).length]));
    for (const c of SIGNALS_I) expect(counts[c], c).toBeGreaterThanOrEqual(5);
    expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(90);
  });

  it("each state a one-line formula, units and what sets it apart", () => {
    for (const card of DEFAULT_CARDS) {
      expect(card.formula.includes("\n"), card.id).toBe(false);
      expect(card.formula.length, card.id).toBeGreaterThan(20);
      expect(card.units.length, card.id).toBeGreaterThan(2);
      expect(card.differs.length, card.id).toBeGreaterThan(20);
    }
  });

  it("on a trade-only stream are each computed or unavailable with a reason, never an invented value", () => {
    const engine = new SymbolEngine("BTCUSDT");
    const s = snapshotAt(engine, [trade(1_000, "buy", 1), trade(2_000, "sell", 2)], 10_000);
    for (const c of s.cards) {
      for (const tf of ["1m", "5m", "1h"] as Timeframe[]) {
        const v = c.timeframes[tf];
        if (v.available) expect(v.reason, `${c.id} ${tf}`).toBeUndefined();
        else expect({ id: c.id, reason: v.reason, value: v.value, score: v.score, confidence: v.confidence }).toEqual({ id: c.id, reason: expect.any(String), value: null, score: 0, confidence: 0 });
      }
    }
    const reasons = (id: string) => cardOf(s, id).timeframes["1m"].reason;
    expect(reasons("liq.imbalance")).toBe("no liquidation feed");
    expect(reasons("orderbook.imbalance")).toBe("no book feed");
    expect(reasons("funding.rate")).toBe("no mark feed");
    expect(cardOf(s, "liq.imbalance")).toMatchObject({ state: "neutral", transition: "none" });
  });
});

describe("CardRegistry", () => {
  const base: CardDefinition = {
    id: "flow.test",
    category: "order-flow",
    formula: "x = a test statistic in units; score = tanh(z(x))",
    units: "units",
    differs: "a card made for the registry's tests only",
    scale: { center: 0, prior: 1 },
    feeds: ["trade"],
    compute: () => available(0, 0, 0, 0),
  };

  it("holds the shipped cards with categories in CATEGORIES order", () => {
    const order = DEFAULT_REGISTRY.cards.map((c) => CATEGORY_IDS.indexOf(c.category));
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(DEFAULT_REGISTRY.get("liq.imbalance")?.category).toBe("liquidation");
    expect(DEFAULT_REGISTRY.get("cascade.risk-up")?.category).toBe("cascade");
    expect(DEFAULT_REGISTRY.get("levels.magnet")?.category).toBe("levels");
    expect(DEFAULT_REGISTRY.get("liq.magnet")).toBeUndefined();
  });

  it("rejects a duplicate card id", () => {
    expect(() => new CardRegistry([...DEFAULT_CARDS, { ...base, id: "flow.cvd" }])).toThrow('duplicate card id "flow.cvd"');
  });

  it("rejects an unknown category", () => {
    expect(() => new CardRegistry([{ ...base, id: "astro.moon", category: "astrology" as never }])).toThrow('unknown category "astrology"');
  });

  it("rejects an id whose prefix is not its category's (the alias where there is one)", () => {
    expect(() => new CardRegistry([{ ...base, id: "funding.cvd" }])).toThrow('must start with "flow"');
    expect(() => new CardRegistry([{ ...base, id: "order-flow.cvd" }])).toThrow('must start with "flow"');
    expect(() => new CardRegistry([{ ...base, id: "Flow_CVD" }])).toThrow('"prefix.name"');
    expect(new CardRegistry([{ ...base, id: "liq.x", category: "liquidation" }]).cards).toHaveLength(1);
  });

  it("rejects an unknown or missing feed", () => {
    expect(() => new CardRegistry([{ ...base, feeds: ["candles" as never] }])).toThrow('unknown feed "candles"');
    expect(() => new CardRegistry([{ ...base, feeds: [] }])).toThrow("at least one feed");
  });

  it("rejects a card without formula, units or what sets it apart, and a scale prior that is not > 0", () => {
    expect(() => new CardRegistry([{ ...base, formula: " " }])).toThrow('card "flow.test" needs a formula');
    expect(() => new CardRegistry([{ ...base, units: "" }])).toThrow("needs a units");
    expect(() => new CardRegistry([{ ...base, differs: "" }])).toThrow("what sets it apart");
    expect(() => new CardRegistry([{ ...base, scale: { center: 0, prior: 0 } }])).toThrow("scale.prior must be a finite number > 0 (got 0)");
    expect(() => new CardRegistry([{ ...base, scale: { center: 0, prior: { "1m": 1, "5m": -1, "1h": 1 } } }])).toThrow("(got -1)");
  });
});

describe("scaling (src/domain/cards/scale.ts)", () => {
  const fixed = { center: 0, prior: 0.5 } as const;
  const rolling = { center: "rolling", priorCenter: 2, prior: 1 } as const;

  it("is the prior alone on a fresh symbol: z = (x − center) / prior", () => {
    expect(zScore(fixed, [0, 0, 0], 180, "1m", 0.25)).toBeCloseTo(0.5, 15);
    expect(zScore(rolling, [0, 0, 0], 180, "1m", 3)).toBeCloseTo(1, 15);
  });

  it("moves the dispersion toward the symbol's own: two samples of ±1 with α = 0.5 and n₀ = 2", () => {
    const stats: [number, number, number] = [0, 0, 0];
    addSample(fixed, stats, 0.5, 1); // W = 1, Q = 1
    addSample(fixed, stats, 0.5, -1); // W = 1.5, Q = 0.5 + 1 = 1.5
    expect(stats[0]).toBeCloseTo(1.5, 15);
    expect(stats[2]).toBeCloseTo(1.5, 15);
    // σ² = (1.5 + 2 · 0.25) / (1.5 + 2) = 2 / 3.5
    expect(centerAndSpread(fixed, stats, 2, "1m").sigma).toBeCloseTo(Math.sqrt(2 / 3.5), 15);
  });

  it("shrinks a rolling center from its prior toward the weighted mean", () => {
    const stats: [number, number, number] = [0, 0, 0];
    addSample(rolling, stats, 1, 4);
    addSample(rolling, stats, 1, 6); // W = 2, m = 5, Q = (4 − 5)² + (6 − 5)² = 2
    expect(stats).toEqual([2, 5, 2]);
    // center = (2·5 + 2·2) / 4 = 3.5; σ² = (2 + 2·1) / 4 = 1
    expect(centerAndSpread(rolling, stats, 2, "5m")).toEqual({ center: 3.5, sigma: 1 });
  });
});

describe("the framework around compute", () => {
  /** A card whose x is the window's trade count and that is unavailable on an empty 1m window. */
  const counting: CardDefinition = {
    id: "micro.test-count",
    category: "microstructure",
    formula: "x = trades in the window; score = tanh(z(x))",
    units: "trades",
    differs: "test only",
    scale: { center: 0, prior: 2 },
    feeds: ["trade"],
    compute({ window: w }, self: CardSelf) {
      const n = w.buyCount + w.sellCount;
      if (n === 0) return unavailable("no trades in the window");
      return directional(self, n, n >= 2 ? 1 : 0);
    },
  };

  it("hands a card its own previous values, newest first, null where it was unavailable", () => {
    let seen: readonly (number | null)[] = [];
    const spy: CardDefinition = { ...counting, history: true, compute: (input, self) => ((seen = self.timeframe === "1m" ? [...self.previous] : seen), counting.compute(input, self)) };
    const e2 = engineFor(spy);
    snapshotAt(e2, [trade(1_000, "buy", 1)], 10_000);
    snapshotAt(e2, [trade(11_000, "buy", 1)], 20_000);
    snapshotAt(e2, [], 80_000);
    snapshotAt(e2, [], 90_000);
    // previous at 90 000, 1m windows: 80 000 [20 000, 80 000) empty: unavailable; 70 000 holds the
    // trade at 11 000 only; 60 000, 50 000, 40 000 and 30 000 hold both
    expect(seen).toEqual([null, 1, 2, 2, 2, 2]);
    // a card that does not ask for its history keeps none (it is part of every checkpoint)
    let none: readonly (number | null)[] = [0];
    const blind: CardDefinition = { ...counting, compute: (input, self) => ((none = [...self.previous]), counting.compute(input, self)) };
    const e3 = engineFor(blind);
    snapshotAt(e3, [trade(1_000, "buy", 1)], 10_000);
    snapshotAt(e3, [], 30_000);
    expect(none).toEqual([]);
  });

  it("adds a sample to the card's distribution only when available with confidence above 0", () => {
    const engine = engineFor(counting, { config: { cards: { scaleAdapt: true } } });
    // cycle 1: one trade, confidence 0: score from the prior, no sample kept
    const a = cardOf(snapshotAt(engine, [trade(1_000, "buy", 1)], 10_000), "micro.test-count").timeframes["1m"];
    expect(a.score).toBeCloseTo(Math.tanh(1 / 2), 15);
    // cycle 2: two trades: still the prior alone (nothing was kept), then x = 2 joins
    const b = cardOf(snapshotAt(engine, [trade(11_000, "buy", 1)], 20_000), "micro.test-count").timeframes["1m"];
    expect(b.score).toBeCloseTo(Math.tanh(2 / 2), 15);
    // cycle 3: x = 2 again against σ² = (4 + 180·4) / (1 + 180) = 4
    const c = cardOf(snapshotAt(engine, [], 30_000), "micro.test-count").timeframes["1m"];
    expect(c.score).toBeCloseTo(Math.tanh(1), 15);
  });

  it("keeps no sample with scaleAdapt off: the score stays at the prior", () => {
    const engine = engineFor(counting);
    snapshotAt(engine, [trade(1_000, "buy", 1), trade(2_000, "buy", 1)], 10_000);
    const b = cardOf(snapshotAt(engine, [], 20_000), "micro.test-count").timeframes["1m"];
    expect(b.score).toBeCloseTo(Math.tanh(2 / 2), 15);
  });

  it("marks stress cards, whose score stays 0 and whose strength carries the reading", () => {
    const spread: CardDefinition = { ...counting, id: "micro.test-stress", kind: "stress", compute: ({ window: w }, self) => stress(self, w.buyCount + w.sellCount, 1) };
    const card = cardOf(snapshotAt(engineFor(spread), [trade(1_000, "buy", 1), trade(2_000, "buy", 1)], 10_000), "micro.test-stress");
    expect(card.kind).toBe("stress");
    expect(card.timeframes["1m"]).toEqual({ available: true, score: 0, strength: Math.tanh(1), confidence: 1, value: 2 });
    expect(card.state).toBe("neutral");
  });
});

describe("card state and transition", () => {
  const values = (a: CardValue, b: CardValue, c: CardValue): Record<Timeframe, CardValue> => ({ "1m": a, "5m": b, "1h": c });
  const v = (score: number) => available(score, Math.abs(score), 1, score);
  const off = unavailable("no trade feed");

  it("is conflicted when available timeframes point opposite ways beyond the band", () => {
    expect(cardState(values(v(0.5), v(0), v(-0.2)), 0.1)).toEqual({ state: "conflicted", score: (0.5 + 0 - 0.2) / 3 });
  });

  it("ignores unavailable timeframes and treats scores inside the band as neutral", () => {
    expect(cardState(values(v(0.1), off, v(-0.1)), 0.1)).toEqual({ state: "neutral", score: 0 });
    expect(cardState(values(off, v(-0.4), off), 0.1)).toEqual({ state: "bearish", score: -0.4 });
    expect(cardState(values(off, off, off), 0.1)).toEqual({ state: "neutral", score: 0 });
  });

  it("names emerging, flipped, decelerating and none", () => {
    const m = (state: "bullish" | "bearish" | "neutral" | "conflicted", score: number) => ({ state, score });
    expect(cardTransition(undefined, m("bullish", 0.5))).toBe("emerging");
    expect(cardTransition(m("neutral", 0), m("bearish", -0.5))).toBe("emerging");
    expect(cardTransition(m("conflicted", 0.1), m("bullish", 0.5))).toBe("emerging");
    expect(cardTransition(m("bullish", 0.5), m("bearish", -0.2))).toBe("flipped");
    expect(cardTransition(m("bearish", -0.6), m("bearish", -0.3))).toBe("decelerating");
    expect(cardTransition(m("bearish", -0.3), m("bearish", -0.6))).toBe("none");
    expect(cardTransition(m("bullish", 0.5), m("neutral", 0))).toBe("none");
    expect(cardTransition(m("bullish", 0.5), m("conflicted", 0))).toBe("none");
  });

  it("steps through emerging, decelerating, none, flipped and emerging again across real cycles", () => {
    // a card whose score is the window's last trade price − 100, as a direct reading
    const echo: CardDefinition = {
      id: "flow.test-echo",
      category: "order-flow",
      formula: "x = close − 100; score = x (test only)",
      units: "price",
      differs: "test only",
      scale: { center: 0, prior: 1 },
      feeds: ["trade"],
      compute: ({ window: w }) => (w.close === null ? unavailable("no trades") : available(w.close - 100, Math.abs(w.close - 100), 1, w.close - 100)),
    };
    const engine = engineFor(echo);
    const closes = [100.5, 100.3, 100.6, 99.6, 100, 99.8];
    const seen = closes.map((p, i) => {
      const c = cardOf(snapshotAt(engine, [trade(i * 10_000 + 1_000, "buy", 1, p)], (i + 1) * 10_000), "flow.test-echo");
      return [c.state, c.transition];
    });
    expect(seen).toEqual([
      ["bullish", "emerging"],
      ["bullish", "decelerating"],
      ["bullish", "none"],
      ["bearish", "flipped"],
      ["neutral", "none"],
      ["bearish", "emerging"],
    ]);
  });
});
