/**
 * Which query parameters each public read takes, and the edge-cache key built from them.
 *
 * One table, {@link QUERY_RULES}: per route (spelled as in /openapi.json), the zod schema the
 * route parses its query with (the same object the OpenAPI document is generated from), or
 * null for a route that takes none. A request whose query names a parameter its route does not
 * take, or names one twice, is a `400` naming the parameter and the allowed ones, before the
 * edge cache is consulted. So a query string a route ignores can no longer create a cache entry
 * (600 cache-busting reads made 600 entries).
 *
 * The cache key ({@link canonicalCacheKey}) is the route's path, with the symbol upper-cased,
 * plus the query as the route's schema parses it, keys sorted: `?limit=05`, `?limit=5.0` and
 * `?limit=5` are one entry, as are `?window=60m` and `?window=1h`, and a default counts as given
 * (`?limit=100` = no limit); the liquidation list's `cursor` is keyed by the position it decodes to. That is sound because every route reads its query only through
 * its schema (`parseQuery`), so equal parsed queries give equal responses. A query the schema
 * refuses keeps its raw values in a separate key space (its response is an error, never cached).
 * Values a route accepts are still open-ended (`since` is any time): the read rate limit
 * (src/api/rate-limit.ts) bounds how fast one client can add entries.
 *
 * `/v1/stream` is not in the table: its upgrade and protocol have their own rules
 * (src/api/stream.ts).
 */
import type { Context, MiddlewareHandler } from "hono";
import type { z } from "zod";
import { BatchBiasQuerySchema, BiasQuerySchema, LiquidationsQuerySchema, ScorecardQuerySchema } from "../protocol/http.js";
import { ApiError, quoted } from "./errors.js";
import { CandlesParamsSchema } from "./candles.js";
import { ClustersParamsSchema, HeatmapParamsSchema, LevelsParamsSchema, ZonesParamsSchema } from "./liquidation-maps.js";

export interface QueryRule {
  /** The route as /openapi.json spells it; `{name}` is a path parameter. */
  path: string;
  /** The schema the route parses its query with; null when it takes no query parameters. */
  schema: z.ZodObject | null;
}

/** Every public read and the query it takes. */
export const QUERY_RULES: readonly QueryRule[] = [
  { path: "/v1", schema: null },
  { path: "/openapi.json", schema: null },
  { path: "/v1/symbols", schema: null },
  { path: "/v1/symbols/{symbol}", schema: null },
  { path: "/v1/symbols/{symbol}/cards", schema: null },
  { path: "/v1/symbols/{symbol}/bias", schema: BiasQuerySchema },
  // since, limit and the paging cursor.
  { path: "/v1/symbols/{symbol}/liquidations", schema: LiquidationsQuerySchema },
  { path: "/v1/symbols/{symbol}/heatmap", schema: HeatmapParamsSchema },
  { path: "/v1/symbols/{symbol}/clusters", schema: ClustersParamsSchema },
  { path: "/v1/symbols/{symbol}/levels", schema: LevelsParamsSchema },
  { path: "/v1/symbols/{symbol}/cascade", schema: null },
  { path: "/v1/symbols/{symbol}/zones", schema: ZonesParamsSchema },
  { path: "/v1/symbols/{symbol}/candles", schema: CandlesParamsSchema },
  { path: "/v1/bias", schema: BatchBiasQuerySchema },
  { path: "/v1/market", schema: null },
  { path: "/v1/weights", schema: null },
  { path: "/v1/scorecard", schema: ScorecardQuerySchema },
  { path: "/v1/health", schema: null },
];

/** The parameter names a rule allows, in the schema's order. */
export function allowedParameters(rule: QueryRule): readonly string[] {
  return rule.schema === null ? [] : Object.keys(rule.schema.shape);
}

interface CompiledRule {
  rule: QueryRule;
  segments: readonly string[];
  allowed: ReadonlySet<string>;
  allowedText: string;
}

const COMPILED: readonly CompiledRule[] = QUERY_RULES.map((rule) => {
  const allowed = allowedParameters(rule);
  return {
    rule,
    segments: rule.path.split("/"),
    allowed: new Set(allowed),
    allowedText: allowed.length === 0 ? "this route takes no query parameters" : `this route takes ${allowed.join(", ")}`,
  };
});

const isParam = (segment: string) => segment.startsWith("{") && segment.endsWith("}");

function match(path: string): { compiled: CompiledRule; segments: string[] } | null {
  const segments = path.split("/");
  for (const compiled of COMPILED) {
    if (compiled.segments.length !== segments.length) continue;
    if (compiled.segments.every((s, i) => isParam(s) || s === segments[i])) return { compiled, segments };
  }
  return null;
}

/** The rule for a request path (as Hono routes it), or null for a path no public read serves. */
export function queryRuleFor(path: string): QueryRule | null {
  return match(path)?.compiled.rule ?? null;
}

/**
 * Throws a `400 bad_parameter` (the code every query problem has) for the first parameter the
 * route does not take or that appears more than once; `queries` is every value per name.
 */
export function checkQuery(path: string, queries: Record<string, string[]>): void {
  const found = match(path);
  if (found === null) return;
  const { allowed, allowedText } = found.compiled;
  for (const [name, values] of Object.entries(queries)) {
    if (!allowed.has(name)) throw new ApiError(400, "bad_parameter", `${quoted(name)}: unknown parameter; ${allowedText}`);
    if (values.length > 1) throw new ApiError(400, "bad_parameter", `${quoted(name)}: given ${values.length} times; give it once`);
  }
}

/** Middleware: {@link checkQuery} on the request, before the cache and the route. */
export function queryAllowList(): MiddlewareHandler {
  return async (c, next) => {
    checkQuery(c.req.path, c.req.queries());
    await next();
  };
}

/**
 * The edge-cache key of a request (see the module comment). For a path outside the table, the
 * URL with its parameters sorted.
 */
export function canonicalCacheKey(c: Context): string {
  const url = new URL(c.req.url);
  const found = match(c.req.path);
  if (found === null) {
    url.searchParams.sort();
    url.hash = "";
    return url.toString();
  }
  const path = found.compiled.segments.map((s, i) => (s === "{symbol}" ? found.segments[i].toUpperCase() : found.segments[i])).join("/");
  const raw = Object.fromEntries(Object.entries(c.req.queries()).map(([name, values]) => [name, values[0]]));
  const parsed = found.compiled.rule.schema?.safeParse(raw);
  const query = parsed === undefined ? (Object.keys(raw).length === 0 ? "" : `r:${stableJson(raw)}`) : parsed.success ? `p:${stableJson(parsed.data)}` : `r:${stableJson(raw)}`;
  const key = new URL(url.origin);
  key.pathname = path;
  if (query !== "") key.searchParams.set("q", query);
  return key.toString();
}

/** JSON with object keys sorted at every level, so equal values give equal text. */
export function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}
