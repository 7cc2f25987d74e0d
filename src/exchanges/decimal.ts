/**
 * Venue decimal strings (`"61496.50"`) read in one pass: checked against the plain unsigned
 * decimal shape and converted to the double `Number(text)` gives, bit for bit.
 *
 * Why: on the normalize hot path a book level costs two regex tests and two `Number()` calls,
 * and `Number()` of a decimal string is V8's general string-to-double (~55 ns). Prices and
 * sizes have few significant digits, where the exact answer is one division: the digits as an
 * integer M < 2^53 (exact) over 10^k (exact for k ≤ 22), and IEEE division rounds correctly, so
 * M / 10^k is the double nearest the decimal, which is what `Number()` returns (Clinger's fast
 * path). Longer strings fall back to `Number()`. Pure.
 */

/** 10^k for k = 0…22: every one exact as a double. */
const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];
/** Integers below this are exact doubles; digits accumulated below it were accumulated exactly. */
const EXACT_BELOW = 2 ** 53;

/**
 * `Number(text)` when `text` is an unsigned plain decimal of the shape
 * `^\d{1,max}(?:\.\d{1,max})?$` (ASCII digits, one optional point with digits after it), else
 * NaN. `maxDigits` bounds each side, as the venue's regex does (Infinity for no bound).
 */
export function unsignedDecimal(text: string, maxDigits = Number.POSITIVE_INFINITY): number {
  const n = text.length;
  let i = 0;
  let m = 0;
  while (i < n) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) break;
    m = m * 10 + d;
    i++;
  }
  const intDigits = i;
  if (intDigits === 0 || intDigits > maxDigits) return Number.NaN;
  if (i === n) return m < EXACT_BELOW ? m : Number(text);
  if (text.charCodeAt(i) !== 46) return Number.NaN;
  const fracStart = ++i;
  while (i < n) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return Number.NaN;
    m = m * 10 + d;
    i++;
  }
  const fracDigits = n - fracStart;
  if (fracDigits === 0 || fracDigits > maxDigits) return Number.NaN;
  return m < EXACT_BELOW && fracDigits <= 22 ? m / POW10[fracDigits] : Number(text);
}

/**
 * `Number()` of `text`, a plain unsigned decimal with more than `shift` fraction digits, with its
 * point moved `shift` places to the right (`"1786310900.123456"`, 3 → 1786310900123.456), computed
 * as the digits' integer over 10^(fraction digits − shift) when that is exact (see above); NaN
 * when the text is not of that shape or its digits reach 2^53, for the caller to take the long way.
 */
export function shiftedDecimal(text: string, shift: number): number {
  const n = text.length;
  const dot = text.indexOf(".");
  if (dot <= 0 || n - dot - 1 <= shift) return Number.NaN;
  let m = 0;
  for (let i = 0; i < n; i++) {
    if (i === dot) continue;
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return Number.NaN;
    m = m * 10 + d;
  }
  const k = n - dot - 1 - shift;
  return m < EXACT_BELOW && k <= 22 ? m / POW10[k] : Number.NaN;
}
