/**
 * Every category's cards, in `CATEGORIES` order (the registry flattens this list).
 */
import type { CardDefinition } from "./card.js";
import type { CategoryId } from "./categories.js";
import { CARDS as liquidation } from "./liquidation/index.js";
import { CARDS as cascade } from "./cascade/index.js";
import { CARDS as levels } from "./levels/index.js";
import { CARDS as orderFlow } from "./order-flow/index.js";
import { CARDS as smartMoney } from "./smart-money/index.js";
import { CARDS as absorption } from "./absorption/index.js";
import { CARDS as orderbook } from "./orderbook/index.js";
import { CARDS as liquidity } from "./liquidity/index.js";
import { CARDS as spread } from "./spread/index.js";
import { CARDS as funding } from "./funding/index.js";
import { CARDS as openInterest } from "./open-interest/index.js";
import { CARDS as derivatives } from "./derivatives/index.js";
import { CARDS as positioning } from "./positioning/index.js";
import { CARDS as marketContext } from "./market-context/index.js";
import { CARDS as momentum } from "./momentum/index.js";
import { CARDS as trend } from "./trend/index.js";
import { CARDS as meanReversion } from "./mean-reversion/index.js";
import { CARDS as vwap } from "./vwap/index.js";
import { CARDS as volatility } from "./volatility/index.js";
import { CARDS as volume } from "./volume/index.js";
import { CARDS as regime } from "./regime/index.js";
import { CARDS as exhaustion } from "./exhaustion/index.js";
import { CARDS as divergence } from "./divergence/index.js";
import { CARDS as crossVenue } from "./cross-venue/index.js";
import { CARDS as microstructure } from "./microstructure/index.js";

export const CARDS_BY_CATEGORY: Readonly<Record<CategoryId, readonly CardDefinition[]>> = {
  liquidation: liquidation,
  cascade: cascade,
  levels: levels,
  "order-flow": orderFlow,
  "smart-money": smartMoney,
  absorption: absorption,
  orderbook: orderbook,
  liquidity: liquidity,
  spread: spread,
  funding: funding,
  "open-interest": openInterest,
  derivatives: derivatives,
  positioning: positioning,
  "market-context": marketContext,
  momentum: momentum,
  trend: trend,
  "mean-reversion": meanReversion,
  vwap: vwap,
  volatility: volatility,
  volume: volume,
  regime: regime,
  exhaustion: exhaustion,
  divergence: divergence,
  "cross-venue": crossVenue,
  microstructure: microstructure,
};

