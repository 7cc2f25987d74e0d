/**
 * Category weights of the composite bias: one non-negative weight per category per mode, 1 where
 * none is set (uniform until the Coordinator learns them). Validated at the boundary
 * (`parseCategoryWeights`), trusted inside the domain.
 */
import { z } from "zod";
import type { Mode } from "../vocabulary.js";
import { CATEGORY_IDS, type CategoryId, type CategoryWeights } from "../cards/categories.js";

export type { CategoryWeights } from "../cards/categories.js";

const weight = z
  .number({ error: (iss) => `must be a finite number (got ${typeof iss.input === "number" ? String(iss.input) : typeof iss.input})` })
  .gte(0, { error: (iss) => `must be >= 0 (got ${String(iss.input)})` });
const modeWeights = z.strictObject(Object.fromEntries(CATEGORY_IDS.map((id) => [id, weight.optional()])) as Record<CategoryId, z.ZodOptional<typeof weight>>);
const CategoryWeightsSchema = z.strictObject({ scalp: modeWeights.optional(), day: modeWeights.optional(), swing: modeWeights.optional() });

/** Validates weights; throws naming each bad field (`weights.scalp.flow must be >= 0 (got -1)`). */
export function parseCategoryWeights(weights: unknown): CategoryWeights {
  const result = CategoryWeightsSchema.safeParse(weights ?? {}, { reportInput: true });
  if (result.success) return stripUndefined(result.data as CategoryWeights);
  const issues = result.error.issues.map((iss) => {
    const path = ["weights", ...iss.path.map(String)].join(".");
    if (iss.code === "unrecognized_keys") {
      const what = iss.path.length === 0 ? "mode" : "category";
      return iss.keys.map((k) => `${path}.${k} is not a known ${what}`).join("; ");
    }
    return `${path} ${iss.message}`;
  });
  throw new Error(`invalid category weights: ${issues.join("; ")}`);
}

/** Weight of `category` in `mode`: the configured one, else 1. */
export function categoryWeight(weights: CategoryWeights, mode: Mode, category: string): number {
  return weights[mode]?.[category as CategoryId] ?? 1;
}

function stripUndefined(w: CategoryWeights): CategoryWeights {
  const out: CategoryWeights = {};
  for (const mode of ["scalp", "day", "swing"] as const) {
    const m = w[mode];
    if (m === undefined) continue;
    const clean: Partial<Record<CategoryId, number>> = {};
    for (const id of CATEGORY_IDS) if (m[id] !== undefined) clean[id] = m[id];
    out[mode] = clean;
  }
  return out;
}
