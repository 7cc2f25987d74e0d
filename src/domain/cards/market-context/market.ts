/**
 * What the `market-context` cards share: the reasons they give when the market context cannot
 * answer their question, and how they tell that the symbol is BTC.
 *
 * Every card of the family reads `input.market` (the Coordinator's context of the symbol's
 * previous reported boundary, src/domain/market/memory.ts) and starts with
 * `if (!market.available) return unavailable(market.reason)`: no answer yet, or one older than two
 * cycles. The context is one cycle behind the symbol's own inputs; cards that read both say so.
 */
import { MIN_BETA_MINUTES, type MarketContext } from "../../market/memory.js";

/**
 * Fewest symbols a market-wide figure is read over: with two, a breadth is one of three values and a
 * dispersion is half a difference; the market memory states no dispersion below three either.
 */
export const MIN_MARKET_SYMBOLS = 3;

/**
 * Whether the context is BTC's own. The context carries no symbol: the market memory gives BTC a
 * beta of 1 read over 0 minutes, while any other symbol has no beta before `MIN_BETA_MINUTES`
 * minute returns, so a stated beta over 0 minutes is BTC's and no other symbol's.
 */
export function isBtc(c: MarketContext): boolean {
  return c.own.beta !== null && c.own.betaMinutes === 0;
}

/** The reason a market-wide figure over `n` symbols cannot be read (`what`: which symbols), else null. */
export function fewSymbols(n: number, what = "symbols in the market"): string | null {
  return n >= MIN_MARKET_SYMBOLS ? null : `fewer than ${MIN_MARKET_SYMBOLS} ${what} (${n})`;
}

/**
 * The reason a card reading BTC against the symbol cannot: the symbol is BTC (`selfReason` says what
 * the reading would be), or BTC has no fresh summary in the market. Null when BTC is there.
 */
export function btcMissing(c: MarketContext, selfReason: string): string | null {
  if (isBtc(c)) return `the symbol is BTC: ${selfReason}`;
  if (c.btc === null) return "no BTC in the market context";
  return null;
}

/** The reason no beta (or correlation) to BTC is known yet, else null; call after `btcMissing`. */
export function betaMissing(c: MarketContext, stat: number | null, what = "beta"): string | null {
  if (stat !== null) return null;
  if (c.own.betaMinutes < MIN_BETA_MINUTES) return `no ${what} to BTC yet (${c.own.betaMinutes} of ${MIN_BETA_MINUTES} minutes)`;
  return `no ${what} to BTC: minute returns over the day did not vary`;
}
