import { describe, expect, it } from "vitest";
import { SYMBOLS } from "../../src/domain/symbols.js";
describe("symbols", () => {
  it("tracks 21 symbols", () => { expect(SYMBOLS.symbols.length).toBe(21); });
});
