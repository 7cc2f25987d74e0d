import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decimalText, facts, INSTRUMENT_FACTS, INSTRUMENTS, scaleDecimal } from "../../../src/domain/instruments.js";
import { SYMBOLS } from "../../../src/domain/symbols.js";

describe("instrument facts table", () => {
  it("gives OKX contract conversions: BTC-USDT-SWAP 1 contract = 0.01 BTC", () => {
    expect(INSTRUMENTS.instrument("okx", "BTC-USDT-SWAP")).toMatchObject({ symbol: "BTCUSDT", sizeUnitBase: "0.01", qtyExp: -2, priceExp: 0, baseExp: 0, status: "verified" });
  });

  it("turns PEPE-USDT-SWAP (10,000,000 PEPE per contract, price per PEPE) into 1000PEPEUSDT units", () => {
    // 1 contract = 10^7 PEPE = 10^4 × (1000 PEPE); the price of 1000 PEPE is 1000 × the price of 1.
    expect(INSTRUMENTS.instrument("okx", "PEPE-USDT-SWAP")).toMatchObject({ symbol: "1000PEPEUSDT", sizeUnitBase: "10000000", qtyExp: 4, priceExp: 3, baseExp: -3 });
  });

  it("keeps Bybit 1000PEPEUSDT and Hyperliquid kPEPE as they are: both already count 1000 PEPE", () => {
    expect(INSTRUMENTS.instrument("bybit", "1000PEPEUSDT")).toMatchObject({ qtyExp: 0, priceExp: 0, baseExp: -3 });
    expect(INSTRUMENTS.instrument("hyperliquid", "kPEPE")).toMatchObject({ symbol: "1000PEPEUSDT", qtyExp: 0, priceExp: 0, status: "corroborated" });
  });

  it("has a fact with a source for every tracked symbol on OKX and Hyperliquid, and on Bybit all but TONUSDT (not listed there)", () => {
    for (const venue of ["okx", "hyperliquid", "bybit"] as const) {
      const missing = SYMBOLS.symbols.filter((s) => INSTRUMENTS.symbol(venue, s) === undefined);
      expect(missing, venue).toStrictEqual(venue === "bybit" ? ["TONUSDT"] : []);
    }
    for (const f of INSTRUMENT_FACTS) {
      expect(f.source.length, `${f.venue}:${f.instrument}`).toBeGreaterThan(20);
      expect(SYMBOLS.unify(f.venue, f.instrument), `${f.venue}:${f.instrument}`).toBe(f.symbol);
    }
  });

  it("marks the one OKX contract value it could not verify (WIF-USDT-SWAP)", () => {
    expect(INSTRUMENT_FACTS.filter((f) => f.status === "unverified").map((f) => f.instrument)).toStrictEqual(["WIF-USDT-SWAP"]);
  });

  it("refuses a unit that is not a power of ten, naming the field", () => {
    expect(() => facts("okx", "X-USDT-SWAP", "XUSDT", "0.05", "1", "verified", "test")).toThrow(
      'instrument facts: okx:X-USDT-SWAP sizeUnitBase must be a power of ten (1, 10, 0.01, …), got "0.05"',
    );
  });
});

describe("decimal scaling", () => {
  it("moves the decimal point in the text, exactly", () => {
    expect(scaleDecimal("415", -2)).toBe(4.15);
    expect(scaleDecimal("0.00001234", 3)).toBe(0.01234);
    expect(scaleDecimal("25", 4)).toBe(250000);
    expect(scaleDecimal("-0.0001", 2)).toBe(-0.01);
    expect(scaleDecimal("3.03622", 0)).toBe(3.03622);
  });

  it("writes numbers back as OKX writes them: no exponent, no superfluous zeros", () => {
    expect(decimalText(4.15, 2)).toBe("415");
    expect(decimalText(0.01234, -3)).toBe("0.00001234");
    expect(decimalText(1e-7, 0)).toBe("0.0000001");
    expect(decimalText(250000, -4)).toBe("25");
    expect(decimalText(30243.4, 0)).toBe("30243.4");
    expect(decimalText(0, 0)).toBe("0");
  });

  it("round-trips any canonical decimal of up to 15 significant digits through any power of ten", () => {
    const canonicalDecimal = fc
      .tuple(fc.bigInt({ min: 0n, max: 999_999_999_999_999n }), fc.integer({ min: 0, max: 12 }))
      .map(([digits, decimals]) => decimalText(Number(digits), -decimals))
      .filter((t) => t.replace(/^0\.0*|\./g, "").length <= 15);
    fc.assert(
      fc.property(canonicalDecimal, fc.integer({ min: -8, max: 8 }), (text, exp) => {
        expect(decimalText(scaleDecimal(text, exp), -exp)).toBe(text);
      }),
      { numRuns: 2000 },
    );
  });
});
