import { describe, expect, it } from "vitest";
import { decodeLiquidationCursor, encodeLiquidationCursor } from "../../../src/protocol/liquidation-cursor.js";

/** base64url (RFC 4648 §5, no padding) of an ASCII string, written out here so the format is pinned. */
const b64url = (s: string) => Buffer.from(s, "ascii").toString("base64url");

describe("liquidation list cursor", () => {
  it("is base64url of 'version.ts.rowKey', version 1, without padding", () => {
    const cursor = encodeLiquidationCursor({ ts: 1766953699489, id: 1042 });
    expect(cursor).toBe(b64url("1.1766953699489.1042"));
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it("decodes what it encodes, for the extremes of ts and row key", () => {
    for (const key of [
      { ts: 0, id: 0 },
      { ts: 1766953699489, id: 1 },
      { ts: Number.MAX_SAFE_INTEGER, id: Number.MAX_SAFE_INTEGER },
    ]) {
      expect(decodeLiquidationCursor(encodeLiquidationCursor(key))).toEqual(key);
    }
  });

  it("refuses what it did not issue, with a reason", () => {
    const bad: Array<[string, RegExp]> = [
      ["", /empty/],
      ["not*base64", /base64url/],
      ["MS4xLjE=", /base64url/], // padded base64 of "1.1.1": only the unpadded base64url form is issued
      ["x".repeat(65), /at most 64/],
      [b64url("2.1766953699489.5"), /version 2 is not supported/],
      [b64url("v1.1766953699489.5"), /version v1 is not supported/],
      [b64url("1.1766953699489"), /version\.ts\.rowKey/],
      [b64url("1.1766953699489.5.6"), /version\.ts\.rowKey/],
      [b64url("1.abc.5"), /ts must be a whole number/],
      [b64url("1.-5.5"), /ts must be a whole number/],
      [b64url("1.1.5e3"), /row key must be a whole number/],
      [b64url("1.99999999999999999.5"), /ts must be a whole number/],
      [b64url("1.1766953699489.01"), /row key must be a whole number/],
    ];
    for (const [cursor, reason] of bad) {
      const decoded = decodeLiquidationCursor(cursor);
      expect(decoded, cursor).toHaveProperty("error");
      expect((decoded as { error: string }).error, cursor).toMatch(reason);
    }
  });
});
