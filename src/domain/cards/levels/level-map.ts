/**
 * Reads of the estimated level map shared by the `levels` and `cascade` cards: the map with its
 * reference price (or why there is none), the estimated notional just beyond the price on each
 * side, and the volatility of the timeframe from the cascade view's 10 s returns.
 */
import type { LiquidationCardView } from "../../liquidation/maps.js";
import type { LevelView } from "../../liquidation/level-view.js";
import { nextDown, nextUp } from "../../liquidation/cascade.js";

/** The level map and the current trade price, or the reason a card cannot read one (no price, stale price, no or stale open interest). */
export function levelMap(liq: LiquidationCardView): { view: LevelView; price: number } | string {
  const view = liq.levels();
  if (view === null || liq.price === null) return liq.levelsReason ?? "no open-interest feed";
  return { view, price: liq.price };
}

/**
 * Estimated notional within `bandPct` % beyond `price`: `up` = short levels in (P, P·(1 + b/100)]
 * (forced buys if price rises), `down` = long levels in [P·(1 − b/100), P) (forced sells).
 */
export function fuelNear(view: LevelView, price: number, bandPct: number): { up: number; down: number } {
  return {
    up: view.sumUsd("short", nextUp(price), price * (1 + bandPct / 100)),
    down: view.sumUsd("long", price * (1 - bandPct / 100), nextDown(price)),
  };
}

/**
 * σ of the log price over one window of `windowMs`: the cascade view's σ of 10 s log returns over
 * the last hour scaled by √(windowMs / 10 s) (σ_h · √(windowMs / horizon)), or the reason it is
 * unknown (fewer than two 10 s returns).
 */
export function windowSigma(liq: LiquidationCardView, windowMs: number): number | string {
  const c = liq.cascade();
  if (!c.available) return c.reason;
  const v = c.volatility;
  if (v.sigmaHorizon === null) return `warming up: ${v.returns} of 2 ten-second returns for volatility`;
  return v.sigmaHorizon * Math.sqrt(windowMs / v.horizonMs);
}
