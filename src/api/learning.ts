/**
 * The learning record in public: `/v1/weights` (the Coordinator's learned category weights per mode,
 * with outcomes seen, data-floor status and learned versus uniform so far) and `/v1/scorecard`
 * (per category and card: hit rate, rank IC and slope with 95 % intervals, or "not enough data";
 * the aggregate of every symbol from the Coordinator, or one symbol's own record from its object).
 */
import { Hono } from "hono";
import { modeScorecard } from "../domain/learning/coordinator-learning.js";
import { OutcomeStats } from "../domain/learning/outcome-stats.js";
import { ScorecardQuerySchema, type ScorecardResponse } from "../protocol/http.js";
import { MODES } from "../protocol/snapshot.js";
import { parseQuery } from "./errors.js";
import { symbolObject, trackedSymbol } from "./symbols.js";

type App = { Bindings: Env };

/** What `intervals` says in every scorecard. */
export const SCORECARD_INTERVALS_NOTE =
  "95 % intervals use n_eff = n / overlap, overlap = the mode's predictions in flight at once (horizon / cadence: scalp 10, day 60, swing 48), " +
  "since consecutive outcomes share most of a horizon; a statistic is published only when n_eff reaches the floor, else 'not enough data' with the outcomes needed. " +
  "The aggregate treats symbols as independent of each other; symbols that move together make its true intervals somewhat wider. " +
  "IC is Spearman's rank correlation on a 20 × 20 binned histogram (ties within a bin pull it slightly towards 0).";

function coordinator(env: Env) {
  return env.COORDINATOR.get(env.COORDINATOR.idFromName("coordinator"));
}

export const weightsRoutes = new Hono<App>().get("/", async (c) => c.json(await coordinator(c.env).learnedWeights()));

export const scorecardRoutes = new Hono<App>().get("/", async (c) => {
  const query = parseQuery(ScorecardQuerySchema, c.req.query());
  const modes = query.mode === undefined ? [...MODES] : [query.mode];
  const category = query.category ?? null;
  if (query.symbol === undefined) {
    const body: ScorecardResponse = {
      scope: "aggregate",
      symbol: null,
      category,
      intervals: SCORECARD_INTERVALS_NOTE,
      modes: await coordinator(c.env).scorecard(modes, query.category),
    };
    return c.json(body);
  }
  const symbol = trackedSymbol(query.symbol);
  const state = await symbolObject(c.env, symbol).scorecardStats();
  // A symbol that has seen no event yet has no record: every row says "not enough data" with n = 0.
  const stats = state === null ? new OutcomeStats() : OutcomeStats.fromJSON(state);
  const body: ScorecardResponse = {
    scope: "symbol",
    symbol,
    category,
    intervals: SCORECARD_INTERVALS_NOTE,
    modes: modes.map((mode) => modeScorecard(stats, mode, query.category)),
  };
  return c.json(body);
});
