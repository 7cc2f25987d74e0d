/**
 * Coordinator: the singleton that owns the category weights per mode. For now the weights
 * are uniform (every category 1); learning them from measured predictive accuracy is a
 * later issue. Glue only: the weight table itself comes from the domain.
 */
import { DurableObject } from "cloudflare:workers";
import { uniformWeights, type CategoryWeights } from "../domain/cards/categories.js";

export class Coordinator extends DurableObject<Env> {
  async weights(): Promise<CategoryWeights> {
    return uniformWeights();
  }
}
