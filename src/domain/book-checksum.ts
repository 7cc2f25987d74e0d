/**
 * Venue order-book checksums, recomputed from a local book to verify it against the venue's.
 *
 * OKX (`books` channel, https://www.okx.com/docs-v5/en/#order-book-trading-market-data-ws-order-book-channel,
 * "Checksum"): take the best 25 bids and the best 25 asks as the venue writes them, interleave
 * them `bid1px:bid1sz:ask1px:ask1sz:bid2px:…` (a side with fewer levels simply stops
 * contributing), join with `:` and take the CRC-32 (IEEE 802.3) of the text as a signed 32-bit
 * integer. Prices and sizes are the venue's own text (sizes in contracts for swaps).
 *
 * OKX deprecated the field on 2026-06-23 (production): `checksum` stays in the push but is always
 * 0 and must not be used; `seqId`/`prevSeqId` carry continuity. The OKX mapper therefore passes a
 * checksum on only when it is non-zero (the 2022 recording in data/recorded/okx has real ones).
 */

/** The CRC-32 lookup table (reflected polynomial 0xEDB88320), built once. */
const CRC_TABLE: Uint32Array = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32 of an ASCII string (the checksum strings are digits, `.`, `:` and `-`), unsigned. */
export function crc32(text: string): number {
  let crc = 0xffffffff;
  for (let i = 0; i < text.length; i++) crc = CRC_TABLE[(crc ^ text.charCodeAt(i)) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** Levels counted by the OKX checksum, per side. */
export const OKX_CHECKSUM_LEVELS = 25;

/**
 * The OKX book checksum of `bids` (best first, descending) and `asks` (best first, ascending),
 * each level `[price, size]` as the venue's text. Only the first 25 per side are read.
 * Returns a signed 32-bit integer, comparable with the `checksum` OKX sends.
 */
export function okxBookChecksum(bids: ReadonlyArray<readonly [string, string]>, asks: ReadonlyArray<readonly [string, string]>): number {
  const parts: string[] = [];
  const n = Math.max(Math.min(bids.length, OKX_CHECKSUM_LEVELS), Math.min(asks.length, OKX_CHECKSUM_LEVELS));
  for (let i = 0; i < n; i++) {
    if (i < bids.length) parts.push(bids[i][0], bids[i][1]);
    if (i < asks.length) parts.push(asks[i][0], asks[i][1]);
  }
  return crc32(parts.join(":")) | 0;
}
