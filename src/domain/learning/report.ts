/**
 * What flows between a symbol and the Coordinator for learning, beside the market context: the
 * symbol's scored outcomes ride on its cycle report, the learned weights on the report's reply
 * (one RPC per symbol per cycle carries both ways).
 */
import type { CategoryWeights } from "../cards/categories.js";
import type { MarketContext } from "../market/memory.js";

/** Learned category weights per mode with the version the bias records (`weightsVersion`). */
export interface PublishedWeights {
  version: number;
  weights: CategoryWeights;
}

/** The Coordinator's reply to a cycle report. */
export interface ReportReply {
  /** The reporting symbol's market context at its boundary; null without a summary. */
  context: MarketContext | null;
  /** The weights in force; null while every mode still runs on defaults (uniform). */
  weights: PublishedWeights | null;
}
