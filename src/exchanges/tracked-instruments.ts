/**
 * Which of a venue's instruments a mapper maps: its unified symbol, and for venues whose units
 * need converting, its instrument facts. One lookup rule for every venue (after tardis-node,
 * where a mapper filters by the symbols it was asked for): an instrument liqflow does not track
 * is `untracked-symbol`; a tracked one with no facts, or with facts still unverified, is named
 * in the reason (`no-instrument-facts:…`, `unverified-instrument-facts:…`). A mapper ignores a
 * frame with that reason before validating it.
 *
 * Answers for tracked instruments are kept (the registries are immutable), so a frame costs one
 * map lookup; at most one entry per tracked instrument, whatever a feed sends. Pure.
 */
import type { Venue } from "../domain/events.js";
import type { InstrumentFacts, InstrumentTable } from "../domain/instruments.js";
import type { SymbolRegistry } from "../domain/symbols.js";

/** A tracked instrument: its unified symbol (`BTCUSDT`). */
export interface TrackedSymbol {
  readonly symbol: string;
}

/** A tracked instrument with the facts that convert its prices and sizes to unified units. */
export interface KnownInstrument extends TrackedSymbol {
  readonly f: InstrumentFacts;
}

/** Finds a venue instrument (as the venue spells it): what the mapper knows of it, or the reason it is not mapped. */
export interface InstrumentLookup<K extends TrackedSymbol> {
  find(instrument: string): K | string;
}

/** Tracked instruments by symbol only: for a venue whose units are already unified (Binance USDⓈ-M). */
export class TrackedSymbols implements InstrumentLookup<TrackedSymbol> {
  private readonly known = new Map<string, TrackedSymbol>();

  constructor(
    private readonly venue: Venue,
    private readonly symbols: SymbolRegistry,
  ) {}

  find(instrument: string): TrackedSymbol | string {
    const cached = this.known.get(instrument);
    if (cached !== undefined) return cached;
    const symbol = this.symbols.unify(this.venue, instrument);
    if (symbol === undefined) return "untracked-symbol";
    const found = { symbol };
    this.known.set(instrument, found);
    return found;
  }
}

/** Tracked instruments with verified unit facts: for venues that quote in contracts or scaled units (Bybit, OKX, Hyperliquid). */
export class TrackedInstruments implements InstrumentLookup<KnownInstrument> {
  private readonly known = new Map<string, KnownInstrument>();

  constructor(
    private readonly venue: Venue,
    private readonly symbols: SymbolRegistry,
    private readonly instruments: InstrumentTable,
  ) {}

  find(instrument: string): KnownInstrument | string {
    const cached = this.known.get(instrument);
    if (cached !== undefined) return cached;
    const symbol = this.symbols.unify(this.venue, instrument);
    if (symbol === undefined) return "untracked-symbol";
    const f = this.instruments.instrument(this.venue, instrument);
    if (f === undefined) return `no-instrument-facts:${instrument}`;
    if (f.status === "unverified") return `unverified-instrument-facts:${instrument}`;
    const found = { symbol, f };
    this.known.set(instrument, found);
    return found;
  }
}
