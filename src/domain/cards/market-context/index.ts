/** The `market-context` cards, in output order. */
import type { CardDefinition } from "../card.js";
import { mktBiasBreadth } from "./bias-breadth.js";
import { mktBreadth } from "./breadth.js";
import { mktBtcLead } from "./btc-lead.js";
import { mktBtcTrend } from "./btc-trend.js";
import { mktCorrelation } from "./correlation.js";
import { mktDecoupling } from "./decoupling.js";
import { mktDispersion } from "./dispersion.js";
import { mktFlow } from "./flow.js";
import { mktFundingRelative } from "./funding-relative.js";
import { mktLiqSkew } from "./liq-skew.js";
import { mktOiChange } from "./oi-change.js";
import { mktRelativeBasket } from "./relative-basket.js";
import { mktRelativeBtc } from "./relative-btc.js";
import { mktRiskTone } from "./risk-tone.js";
import { mktVolumeShare } from "./volume-share.js";

export const CARDS: readonly CardDefinition[] = [
  mktBreadth,
  mktBtcTrend,
  mktBtcLead,
  mktRiskTone,
  mktRelativeBtc,
  mktRelativeBasket,
  mktDecoupling,
  mktFlow,
  mktLiqSkew,
  mktFundingRelative,
  mktBiasBreadth,
  mktDispersion,
  mktOiChange,
  mktVolumeShare,
  mktCorrelation,
];
