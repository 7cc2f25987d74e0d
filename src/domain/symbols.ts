/**
 * The tracked USDT-margined perpetuals and their instrument names on each venue.
 *
 * The unified symbol is Binance's spelling (`BTCUSDT`, `1000PEPEUSDT`). Events for any
 * other instrument are counted as `untracked-symbol` and ignored, never treated as errors.
 */
import type { Venue } from "./events.js";

export interface SymbolInfo {
  /** Unified symbol, e.g. `BTCUSDT`. */
  symbol: string;
  /** Instrument name per venue; absent where the venue lists no such perpetual. */
  instruments: Partial<Record<Venue, string>>;
}

/** Base asset as each venue spells it in the instrument name, when it differs. */
function info(symbol: string, okxBase?: string, hyperliquidCoin?: string): SymbolInfo {
  const base = symbol.replace(/USDT$/, "");
  return {
    symbol,
    instruments: {
      binance: symbol,
      bybit: symbol,
      okx: `${okxBase ?? base}-USDT-SWAP`,
      hyperliquid: hyperliquidCoin ?? base,
    },
  };
}

export const DEFAULT_SYMBOLS: readonly SymbolInfo[] = [
  info("BTCUSDT"),
  info("ETHUSDT"),
  info("SOLUSDT"),
  info("XRPUSDT"),
  info("BNBUSDT"),
  info("DOGEUSDT"),
  info("ADAUSDT"),
  info("AVAXUSDT"),
  info("LINKUSDT"),
  info("LTCUSDT"),
  info("DOTUSDT"),
  info("TRXUSDT"),
  info("BCHUSDT"),
  info("SUIUSDT"),
  info("NEARUSDT"),
  info("APTUSDT"),
  info("ARBUSDT"),
  info("OPUSDT"),
  info("TONUSDT"),
  // 1000PEPEUSDT counts in units of 1000 PEPE; OKX lists PEPE itself, Hyperliquid `kPEPE`.
  info("1000PEPEUSDT", "PEPE", "kPEPE"),
  info("WIFUSDT"),
];

/** A lookup between unified symbols and venue instruments, built once from a symbol list. */
export class SymbolRegistry {
  readonly symbols: readonly string[];
  private readonly byInstrument = new Map<string, string>();
  private readonly tracked: Set<string>;

  constructor(readonly list: readonly SymbolInfo[] = DEFAULT_SYMBOLS) {
    if (list.length === 0) throw new Error("SymbolRegistry: the symbol list is empty");
    this.symbols = list.map((s) => s.symbol);
    this.tracked = new Set(this.symbols);
    if (this.tracked.size !== list.length) throw new Error("SymbolRegistry: duplicate symbol in the list");
    for (const s of list) {
      for (const [venue, instrument] of Object.entries(s.instruments)) {
        this.byInstrument.set(`${venue}:${instrument}`, s.symbol);
      }
    }
  }

  /** The unified symbol of a venue instrument, or undefined when it is not tracked. */
  unify(venue: Venue, instrument: string): string | undefined {
    return this.byInstrument.get(`${venue}:${instrument}`);
  }

  isTracked(symbol: string): boolean {
    return this.tracked.has(symbol);
  }

  /** The venue's instrument name for a unified symbol. */
  instrument(venue: Venue, symbol: string): string | undefined {
    return this.list.find((s) => s.symbol === symbol)?.instruments[venue];
  }
}

export const SYMBOLS = new SymbolRegistry();
