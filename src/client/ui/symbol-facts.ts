/**
 * The facts line under a symbol page's price: mark, index, funding, next funding, best bid and
 * ask, and the book's state, from a snapshot. A carried-forward input older than its staleness
 * limit in event time (`carried.mark`, `carried.book`) is said stale with its own time beside the
 * value, never shown as if current (a replay loop can leave one venue's mark or book half an hour
 * behind another venue's trades). Pure, so the wording is unit-tested without a browser.
 */
import type { CarriedInput, SymbolSnapshot } from "../types.js";
import { formatDateTimeUtc, formatPrice, formatTimeUtc } from "./format.js";

export interface Fact {
  key: string;
  value: string;
  /** True when the value is older than its staleness limit. */
  stale: boolean;
}

/** ` · stale since …` for a stale input, else "". */
function staleSuffix(c: CarriedInput | null): string {
  return c !== null && c.stale ? ` · stale, as of ${formatDateTimeUtc(c.ts)} UTC` : "";
}

export function symbolFacts(s: SymbolSnapshot): Fact[] {
  const facts: Fact[] = [];
  const markStale = s.carried.mark?.stale ?? false;
  if (s.mark) {
    const suffix = staleSuffix(s.carried.mark);
    facts.push({ key: "mark", value: formatPrice(s.mark.markPrice) + suffix, stale: markStale });
    if (s.mark.indexPrice !== null) facts.push({ key: "index", value: formatPrice(s.mark.indexPrice), stale: markStale });
    if (s.mark.fundingRate !== null) facts.push({ key: "funding", value: `${(s.mark.fundingRate * 100).toFixed(4)}%`, stale: markStale });
    if (s.mark.nextFundingTs !== null) facts.push({ key: "next funding", value: `${formatTimeUtc(s.mark.nextFundingTs)} UTC`, stale: markStale });
  }
  const bookStale = s.carried.book?.stale ?? false;
  if (s.book.bestBid !== null && s.book.bestAsk !== null) {
    facts.push({ key: "bid / ask", value: `${formatPrice(s.book.bestBid)} / ${formatPrice(s.book.bestAsk)}${staleSuffix(s.carried.book)}`, stale: bookStale });
  }
  facts.push({ key: "book", value: s.book.synced ? `synced · ${s.book.bidLevels + s.book.askLevels} levels${bookStale ? " · stale" : ""}` : "not synced", stale: bookStale });
  return facts;
}
