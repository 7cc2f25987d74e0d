/**
 * The cursor of the liquidation list (`GET /v1/symbols/:symbol/liquidations?cursor=`): where
 * the previous page ended, as the sort key of its last row.
 *
 * The list is ordered newest first by (ts, row key): `ts` is the event time and the row key
 * the SymbolObject's own row id, which grows with arrival, so rows with equal timestamps still
 * have one total order and a page boundary can fall between them. The next page holds the
 * rows strictly after that key (`(ts, id) < (cursor.ts, cursor.id)`), which makes a walk exact
 * under inserts: each row stored before the walk began is returned once, a row arriving
 * mid-walk is returned only if it sorts after the position already reached.
 *
 * Wire form: base64url (RFC 4648 §5, no padding) of `"1.<ts>.<id>"`, the leading `1` being the
 * format version, so a later format can be told apart and refused with a reason. Clients treat
 * it as opaque: pass back `nextCursor` as it came.
 */

/** The sort key of one listed row: event time (ms) and the object's row id. */
export interface LiquidationCursor {
  ts: number;
  id: number;
}

/** The format this API issues. */
export const LIQUIDATION_CURSOR_VERSION = 1;
/** Longest cursor accepted (a version-1 cursor of two 16-digit numbers is 47 characters). */
export const MAX_LIQUIDATION_CURSOR_LENGTH = 64;

const BASE64URL = /^[A-Za-z0-9_-]+$/;
/** A whole number without sign, exponent or leading zero. */
const WHOLE = /^(0|[1-9][0-9]{0,15})$/;

/** The cursor naming the position just after `key`. */
export function encodeLiquidationCursor(key: LiquidationCursor): string {
  return btoa(`${LIQUIDATION_CURSOR_VERSION}.${key.ts}.${key.id}`).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

/** Reads a cursor this API issued, or says why `raw` is not one. */
export function decodeLiquidationCursor(raw: string): LiquidationCursor | { error: string } {
  if (raw === "") return { error: "is empty; pass the nextCursor of the previous page, or leave cursor out for the first page" };
  if (raw.length > MAX_LIQUIDATION_CURSOR_LENGTH) return { error: `must be at most ${MAX_LIQUIDATION_CURSOR_LENGTH} characters (got ${raw.length}); pass the nextCursor of the previous page` };
  if (!BASE64URL.test(raw) || raw.length % 4 === 1) return { error: "is not a cursor this API issued (expected unpadded base64url, as in nextCursor)" };
  let text: string;
  try {
    text = atob(raw.replaceAll("-", "+").replaceAll("_", "/"));
  } catch {
    return { error: "is not a cursor this API issued (expected unpadded base64url, as in nextCursor)" };
  }
  const parts = text.split(".");
  if (parts[0] !== String(LIQUIDATION_CURSOR_VERSION)) {
    return { error: `version ${printable(parts[0])} is not supported (this API issues version ${LIQUIDATION_CURSOR_VERSION}); start again without a cursor` };
  }
  if (parts.length !== 3) return { error: "is not a cursor this API issued (expected version.ts.rowKey)" };
  const ts = whole(parts[1]);
  if (ts === null) return { error: "ts must be a whole number of epoch ms" };
  const id = whole(parts[2]);
  if (id === null) return { error: "row key must be a whole number" };
  return { ts, id };
}

function whole(s: string): number | null {
  if (!WHOLE.test(s)) return null;
  const n = Number(s);
  return Number.isSafeInteger(n) ? n : null;
}

/** A decoded fragment quoted into an error message: printable ASCII only, short. */
function printable(s: string): string {
  return s.replace(/[^\x20-\x7e]/g, "?").slice(0, 16);
}
