/**
 * Composite bias per trading mode: the entry point. The model and its formulas are in
 * src/domain/bias/compute.ts; the evidence it reads in bias/evidence.ts, the split of the score
 * over categories and cards in bias/explain.ts, category weights in bias/weights.ts.
 */
export { computeBias, type BiasInput, type PreviousBias } from "./bias/compute.js";
export { BIAS_TOP_N } from "./bias/explain.js";
export { categoryWeight, parseCategoryWeights, type CategoryWeights } from "./bias/weights.js";
