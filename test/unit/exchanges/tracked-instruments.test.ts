/**
 * The one instrument lookup every mapper starts with (src/exchanges/tracked-instruments.ts):
 * which instruments are mapped, the reason an instrument is not, and that a tracked one is
 * looked up once.
 */
import { describe, expect, it } from "vitest";
import { type InstrumentFacts, InstrumentTable } from "../../../src/domain/instruments.js";
import { SymbolRegistry } from "../../../src/domain/symbols.js";
import { TrackedInstruments, TrackedSymbols } from "../../../src/exchanges/tracked-instruments.js";

const SYMBOLS = new SymbolRegistry([
  { symbol: "BTCUSDT", instruments: { okx: "BTC-USDT-SWAP", binance: "BTCUSDT" } },
  { symbol: "ETHUSDT", instruments: { okx: "ETH-USDT-SWAP" } },
  { symbol: "WIFUSDT", instruments: { okx: "WIF-USDT-SWAP" } },
]);

function facts(instrument: string, symbol: string, status: InstrumentFacts["status"]): InstrumentFacts {
  return { venue: "okx", instrument, symbol, sizeUnitBase: "0.01", priceUnitBase: "1", qtyExp: -2, priceExp: 0, baseExp: 0, status, source: "test" };
}
const BTC = facts("BTC-USDT-SWAP", "BTCUSDT", "verified");
const INSTRUMENTS = new InstrumentTable([BTC, facts("WIF-USDT-SWAP", "WIFUSDT", "unverified")]);

describe("TrackedInstruments", () => {
  const tracked = new TrackedInstruments("okx", SYMBOLS, INSTRUMENTS);

  it("gives a tracked instrument's symbol and facts, the same answer each time", () => {
    const first = tracked.find("BTC-USDT-SWAP");
    expect(first).toStrictEqual({ symbol: "BTCUSDT", f: BTC });
    expect(tracked.find("BTC-USDT-SWAP")).toBe(first);
  });

  it("names why an instrument is not mapped: untracked, tracked without facts, facts unverified", () => {
    expect(tracked.find("SOL-USDT-SWAP")).toBe("untracked-symbol");
    expect(tracked.find("BTCUSDT")).toBe("untracked-symbol");
    expect(tracked.find("ETH-USDT-SWAP")).toBe("no-instrument-facts:ETH-USDT-SWAP");
    expect(tracked.find("WIF-USDT-SWAP")).toBe("unverified-instrument-facts:WIF-USDT-SWAP");
  });
});

describe("TrackedSymbols", () => {
  it("maps a tracked instrument to its symbol without unit facts, and any other to untracked-symbol", () => {
    const tracked = new TrackedSymbols("binance", SYMBOLS);
    expect(tracked.find("BTCUSDT")).toStrictEqual({ symbol: "BTCUSDT" });
    expect(tracked.find("BTCUSDT")).toBe(tracked.find("BTCUSDT"));
    expect(tracked.find("ETHUSDT")).toBe("untracked-symbol");
    expect(tracked.find("")).toBe("untracked-symbol");
  });
});
