/**
 * How far from mid the primary book's held levels reach. A venue book holds at most
 * `maxBookLevels` levels per side (best first): on a deep symbol that can end well inside a
 * cascade band, and `depthWithin` beyond it is then a lower bound, so a levels/depth ratio there
 * would be inflated. Cards that read depth far from mid check the band against this reach.
 * Only the primary venue's levels are visible to cards (`BookView.levels`): the others' reach
 * is assumed similar.
 */
import type { BookView } from "../../book.js";

/** Distance (percent of mid) from the primary book's mid to its deepest held bid and ask; null without both sides. */
export function bookReachPct(book: BookView): { bid: number; ask: number } | null {
  const l = book.levels();
  if (l === null || l.bids.length === 0 || l.asks.length === 0) return null;
  const mid = (l.bids[0][0] + l.asks[0][0]) / 2;
  return { bid: ((mid - l.bids[l.bids.length - 1][0]) / mid) * 100, ask: ((l.asks[l.asks.length - 1][0] - mid) / mid) * 100 };
}

/** A percentage for a reason string, up to 4 decimals without trailing zeros. */
export function pct(x: number): string {
  return String(Number(x.toFixed(4)));
}
