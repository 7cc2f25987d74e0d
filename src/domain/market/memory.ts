/**
 * The market's memory (the Coordinator's half of the engine, pure): every symbol's latest cycle
 * summary and a day of its minute closes, and the context each symbol gets back once per cycle.
 *
 * Context of symbol S at boundary t, over the symbols whose summary is fresh (at most two cycles
 * older than t: a symbol that stopped reporting leaves the market, it is not carried):
 * - breadth per timeframe: shares of symbols whose window return is up / down;
 * - bias breadth (day mode): shares leaning long / short beyond the neutral band;
 * - BTC: its window returns and its last complete minute's return;
 * - beta and correlation of S to BTC over the minute returns both hold in the last day (at least
 *   `MIN_BETA_MINUTES` of them): β = cov(r_S, r_BTC) / var(r_BTC), ρ = cov / (σ_S·σ_BTC);
 * - relative strength per timeframe: S's return minus BTC's, and minus the basket's (the mean of
 *   the fresh symbols' returns);
 * - dispersion per timeframe: the cross-sectional standard deviation of the fresh symbols' returns;
 * - the market's liquidations of the last hour by liquidated side, summed over fresh symbols, with
 *   `sampled` as soon as one of them is a sample;
 * - the market's taker flow per timeframe (Σ taker delta / Σ traded notional over fresh symbols),
 *   mean funding (8-hour equivalent) and mean open-interest change; the symbol's share of the
 *   market's traded notional.
 *
 * Cost: O(symbols) per report; O(symbols) once per boundary for the market-wide part and O(1,440)
 * per symbol for its beta. Memory: 1,441 closes per symbol (21 symbols: 240 KB) and the summaries.
 */
import { TIMEFRAMES, type Timeframe } from "../vocabulary.js";
import type { CycleSummary } from "./summary.js";

export const BTC = "BTCUSDT";
/** Minute returns both BTC and the symbol must hold before a beta is stated. */
export const MIN_BETA_MINUTES = 60;
const MINUTE_MS = 60_000;
const RING = 1_441;

export interface MarketContext {
  /** The boundary the context describes (event time, ms). */
  ts: number;
  /** Symbols with a fresh summary (the market it was computed over). */
  symbols: number;
  breadth: Record<Timeframe, { up: number; down: number; n: number }>;
  biasBreadth: { long: number; short: number; n: number };
  btc: { returns: Record<Timeframe, number | null>; lastMinute: number | null } | null;
  basketReturn: Record<Timeframe, number | null>;
  dispersion: Record<Timeframe, number | null>;
  /** skew = (long − short) / (long + short), null without any; `sampled` when a symbol in it counts a sampled venue. */
  liquidations: { longUsd: number; shortUsd: number; skew: number | null; sampling: "sampled" | "complete" | "none"; symbols: number };
  /** Σ taker delta / Σ traded notional over fresh symbols with volume, per window; null without volume. */
  flow: Record<Timeframe, number | null>;
  /** Mean funding (8-hour equivalent) over fresh symbols with a rate, and how many. */
  funding8h: { mean: number | null; n: number };
  /** Mean open-interest change (%) over fresh symbols with one, per window. */
  oiChangePct: Record<Timeframe, number | null>;
  /** The symbol's own place in it. */
  own: {
    beta: number | null;
    correlation: number | null;
    betaMinutes: number;
    relativeToBtc: Record<Timeframe, number | null>;
    relativeToBasket: Record<Timeframe, number | null>;
    /** Own traded notional / the market's (fresh symbols), per window; null without market volume. */
    volumeShare: Record<Timeframe, number | null>;
  };
}

/** The market at one boundary with every fresh symbol's place in it (`/v1/market`). */
export interface MarketOverview extends Omit<MarketContext, "own"> {
  perSymbol: Array<{ symbol: string } & MarketContext["own"]>;
}

/** The market-wide half of a context, with the traded notional the symbols' shares are read against. */
type MarketPart = Omit<MarketContext, "own" | "ts"> & { volumeUsd: Record<Timeframe, number> };

export interface MarketMemoryState {
  summaries: CycleSummary[];
  /** Per symbol, `[minute, close]` pairs held, ascending. */
  closes: Record<string, [number, number][]>;
}

class Closes {
  readonly ids = new Float64Array(RING).fill(-1);
  readonly values = new Float64Array(RING);
  set(minute: number, close: number): void {
    const slot = minute % RING;
    if (this.ids[slot] > minute) return;
    this.ids[slot] = minute;
    this.values[slot] = close;
  }
  get(minute: number): number {
    const slot = minute % RING;
    return this.ids[slot] === minute ? this.values[slot] : Number.NaN;
  }
}

function perTf<T>(f: (tf: Timeframe) => T): Record<Timeframe, T> {
  return { "1m": f("1m"), "5m": f("5m"), "1h": f("1h") };
}

export class MarketMemory {
  private summaries = new Map<string, CycleSummary>();
  private closes = new Map<string, Closes>();
  private market: { ts: number; part: MarketPart } | null = null;

  /**
   * @param cycleMs the symbols' cycle (a summary older than two of them is stale)
   * @param neutralBand |bias score| at or below which a symbol counts as neither long nor short
   */
  constructor(
    readonly cycleMs: number,
    readonly neutralBand: number,
  ) {}

  /** Takes a symbol's summary (a newer one replaces it; an older one is ignored). */
  report(s: CycleSummary): void {
    const prev = this.summaries.get(s.symbol);
    if (prev !== undefined && prev.ts > s.ts) return;
    this.summaries.set(s.symbol, s);
    if (s.price !== null) {
      let c = this.closes.get(s.symbol);
      if (c === undefined) this.closes.set(s.symbol, (c = new Closes()));
      // The price at a boundary closes the minute before it.
      c.set(Math.floor((s.ts - 1) / MINUTE_MS), s.price);
    }
    if (this.market !== null && this.market.ts <= s.ts) this.market = null;
  }

  /** The newest boundary any symbol reported, null before any. */
  newestTs(): number | null {
    let t: number | null = null;
    for (const s of this.summaries.values()) if (t === null || s.ts > t) t = s.ts;
    return t;
  }

  /** The context of `symbol` at boundary `ts`; null when the symbol has no fresh summary then. */
  context(symbol: string, ts: number): MarketContext | null {
    const own = this.summaries.get(symbol);
    if (own === undefined || !this.fresh(own, ts)) return null;
    const market = this.marketPart(ts);
    const { volumeUsd: _volume, ...marketView } = market;
    const btcSummary = this.summaries.get(BTC);
    const btc = btcSummary !== undefined && this.fresh(btcSummary, ts) ? btcSummary : null;
    const { beta, correlation, n } = symbol === BTC ? { beta: 1, correlation: 1, n: 0 } : this.betaToBtc(symbol, ts);
    return {
      ts,
      ...marketView,
      own: {
        beta,
        correlation,
        betaMinutes: n,
        relativeToBtc: perTf((tf) => (own.returns[tf] === null || btc?.returns[tf] == null ? null : own.returns[tf] - btc.returns[tf])),
        relativeToBasket: perTf((tf) => (own.returns[tf] === null || market.basketReturn[tf] === null ? null : own.returns[tf] - market.basketReturn[tf])),
        volumeShare: perTf((tf) => (market.volumeUsd[tf] > 0 ? own.volumeUsd[tf] / market.volumeUsd[tf] : null)),
      },
    };
  }

  /** The market at the newest reported boundary, with each fresh symbol's beta and relative strength; null before any report. */
  overview(): MarketOverview | null {
    const ts = this.newestTs();
    if (ts === null) return null;
    const perSymbol: MarketOverview["perSymbol"] = [];
    for (const symbol of [...this.summaries.keys()].sort()) {
      const c = this.context(symbol, ts);
      if (c !== null) perSymbol.push({ symbol, ...c.own });
    }
    const { volumeUsd: _volume, ...market } = this.marketPart(ts);
    return { ts, ...market, perSymbol };
  }

  toJSON(): MarketMemoryState {
    const closes: MarketMemoryState["closes"] = {};
    for (const [symbol, c] of this.closes) {
      const held: [number, number][] = [];
      for (let i = 0; i < RING; i++) if (c.ids[i] >= 0) held.push([c.ids[i], c.values[i]]);
      closes[symbol] = held.sort((a, b) => a[0] - b[0]);
    }
    return { summaries: [...this.summaries.values()].sort((a, b) => (a.symbol < b.symbol ? -1 : 1)), closes };
  }

  static fromJSON(state: MarketMemoryState, cycleMs: number, neutralBand: number): MarketMemory {
    const m = new MarketMemory(cycleMs, neutralBand);
    for (const s of state.summaries) m.summaries.set(s.symbol, s);
    for (const [symbol, held] of Object.entries(state.closes)) {
      const c = new Closes();
      for (const [minute, close] of held) c.set(minute, close);
      m.closes.set(symbol, c);
    }
    return m;
  }

  private fresh(s: CycleSummary, ts: number): boolean {
    return s.ts <= ts && ts - s.ts <= 2 * this.cycleMs;
  }

  private marketPart(ts: number): MarketPart {
    if (this.market !== null && this.market.ts === ts) return this.market.part;
    const fresh = [...this.summaries.values()].filter((s) => this.fresh(s, ts)).sort((a, b) => (a.symbol < b.symbol ? -1 : 1));
    const breadth = perTf((tf) => {
      let up = 0;
      let down = 0;
      let n = 0;
      for (const s of fresh) {
        const r = s.returns[tf];
        if (r === null) continue;
        n++;
        if (r > 0) up++;
        else if (r < 0) down++;
      }
      return { up: n > 0 ? up / n : 0, down: n > 0 ? down / n : 0, n };
    });
    let long = 0;
    let short = 0;
    let nBias = 0;
    for (const s of fresh) {
      const b = s.bias.day;
      if (b === null) continue;
      nBias++;
      if (b > this.neutralBand) long++;
      else if (b < -this.neutralBand) short++;
    }
    const basketReturn = perTf((tf) => {
      const rs = fresh.map((s) => s.returns[tf]).filter((r): r is number => r !== null);
      return rs.length > 0 ? rs.reduce((a, b) => a + b, 0) / rs.length : null;
    });
    const dispersion = perTf((tf) => {
      const rs = fresh.map((s) => s.returns[tf]).filter((r): r is number => r !== null);
      if (rs.length < 3) return null;
      const m = rs.reduce((a, b) => a + b, 0) / rs.length;
      return Math.sqrt(rs.reduce((a, r) => a + (r - m) ** 2, 0) / (rs.length - 1));
    });
    let longUsd = 0;
    let shortUsd = 0;
    let sampling: "sampled" | "complete" | "none" = "none";
    let liqSymbols = 0;
    for (const s of fresh) {
      const l = s.liquidations;
      if (l.longUsd + l.shortUsd === 0) continue;
      liqSymbols++;
      longUsd += l.longUsd;
      shortUsd += l.shortUsd;
      if (l.sampling === "sampled") sampling = "sampled";
      else if (sampling === "none") sampling = "complete";
    }
    const volumeUsd = perTf((tf) => fresh.reduce((a, s) => a + s.volumeUsd[tf], 0));
    const flow = perTf((tf) => (volumeUsd[tf] > 0 ? fresh.reduce((a, s) => a + s.takerDeltaUsd[tf], 0) / volumeUsd[tf] : null));
    const rates = fresh.map((s) => s.funding8h).filter((r): r is number => r !== null);
    const oiChangePct = perTf((tf) => {
      const xs = fresh.map((s) => s.oiChangePct[tf]).filter((x): x is number => x !== null);
      return xs.length > 0 ? xs.reduce((a, b) => a + b, 0) / xs.length : null;
    });
    const btcSummary = this.summaries.get(BTC);
    const btcFresh = btcSummary !== undefined && this.fresh(btcSummary, ts);
    const part: MarketPart = {
      symbols: fresh.length,
      breadth,
      biasBreadth: { long: nBias > 0 ? long / nBias : 0, short: nBias > 0 ? short / nBias : 0, n: nBias },
      btc: btcFresh ? { returns: { ...(btcSummary as CycleSummary).returns }, lastMinute: this.lastMinuteReturn(BTC, ts) } : null,
      basketReturn,
      dispersion,
      liquidations: { longUsd, shortUsd, skew: longUsd + shortUsd > 0 ? (longUsd - shortUsd) / (longUsd + shortUsd) : null, sampling, symbols: liqSymbols },
      flow,
      funding8h: { mean: rates.length > 0 ? rates.reduce((a, b) => a + b, 0) / rates.length : null, n: rates.length },
      oiChangePct,
      volumeUsd,
    };
    this.market = { ts, part };
    return part;
  }

  /** ln(close / close a minute before) of the last complete minute before `ts`; null without both. */
  private lastMinuteReturn(symbol: string, ts: number): number | null {
    const c = this.closes.get(symbol);
    if (c === undefined) return null;
    const m = Math.floor((ts - 1) / MINUTE_MS);
    const a = c.get(m - 1);
    const b = c.get(m);
    return a > 0 && b > 0 ? Math.log(b / a) : null;
  }

  private betaToBtc(symbol: string, ts: number): { beta: number | null; correlation: number | null; n: number } {
    const s = this.closes.get(symbol);
    const b = this.closes.get(BTC);
    if (s === undefined || b === undefined) return { beta: null, correlation: null, n: 0 };
    const last = Math.floor((ts - 1) / MINUTE_MS);
    let n = 0;
    let sx = 0;
    let sy = 0;
    let sxx = 0;
    let syy = 0;
    let sxy = 0;
    for (let m = last - RING + 2; m <= last; m++) {
      const x0 = b.get(m - 1);
      const x1 = b.get(m);
      const y0 = s.get(m - 1);
      const y1 = s.get(m);
      if (!(x0 > 0 && x1 > 0 && y0 > 0 && y1 > 0)) continue;
      const x = Math.log(x1 / x0);
      const y = Math.log(y1 / y0);
      n++;
      sx += x;
      sy += y;
      sxx += x * x;
      syy += y * y;
      sxy += x * y;
    }
    if (n < MIN_BETA_MINUTES) return { beta: null, correlation: null, n };
    const cov = sxy / n - (sx / n) * (sy / n);
    const vx = sxx / n - (sx / n) ** 2;
    const vy = syy / n - (sy / n) ** 2;
    return { beta: vx > 0 ? cov / vx : null, correlation: vx > 0 && vy > 0 ? cov / Math.sqrt(vx * vy) : null, n };
  }
}
