/**
 * `liq.insurance-fund`: change of the venues' insurance funds, the buffer that absorbs
 * liquidations filled beyond bankruptcy (a falling fund means liquidations are being closed
 * at a loss: a stressed market).
 *
 * No venue adapter polls an insurance fund yet (some venues publish their fund balance
 * publicly; none is wired into the collector), so the card is always unavailable with that
 * reason. Nothing is estimated in its place.
 */
import { unavailable, type CardDefinition } from "./card.js";

export const liqInsuranceFund: CardDefinition = {
  id: "liq.insurance-fund",
  category: "liquidation",
  description:
    "Insurance-fund change over the window (USD): unavailable until a venue adapter polls an insurance-fund feed; no value is estimated in its place.",
  feeds: ["liquidation"],
  compute: () => unavailable("no insurance-fund feed: no venue adapter polls one yet"),
};
