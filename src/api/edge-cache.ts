/**
 * Edge caching for public GETs: most reads never reach a Durable Object.
 *
 * - A response is cached in the Cache API (the colo's cache in production, workerd's locally)
 *   for `maxAgeS` seconds, matched to how often the data changes (a cycle is 10 s of event
 *   time), and served from there on a hit.
 * - Every cacheable response carries a strong `ETag` (SHA-256 of the body); a request whose
 *   `If-None-Match` matches gets `304 Not Modified` with no body, from the cache or not.
 * - Public data: `Access-Control-Allow-Origin: *`, `Vary: Accept-Encoding`.
 * - The key is the request's URL with its parameters sorted, or what `cacheKeyFor` makes of the
 *   request (index.ts: the route's parsed query, src/api/query-params.ts), so spelling the same
 *   read differently does not make a new entry. `HEAD` shares `GET`'s entry.
 * Only 200 responses are cached; errors pass through untouched.
 */
import type { Context, MiddlewareHandler } from "hono";

export interface EdgeCacheOptions {
  /** Seconds a response may be served from cache (browser and edge), or null for `no-store`. */
  maxAgeFor: (path: string) => number | null;
  /** Cache instance; defaults to `caches.default`. */
  cache?: () => Cache;
  /** The cache key (a URL) of a request; defaults to its URL with the parameters sorted. */
  cacheKeyFor?: (c: Context) => string;
}

export const CACHE_STATUS_HEADER = "X-Liqflow-Cache";

export function edgeCache(options: EdgeCacheOptions): MiddlewareHandler {
  return async (c, next) => {
    if (c.req.method !== "GET" && c.req.method !== "HEAD") return next();
    const maxAgeS = options.maxAgeFor(c.req.path);
    if (maxAgeS === null) {
      await next();
      c.res.headers.set("Cache-Control", "no-store");
      return;
    }
    const cache = options.cache?.() ?? (caches as unknown as { default: Cache }).default;
    const key = new Request(options.cacheKeyFor?.(c) ?? sortedUrl(c.req.url), { method: "GET" });
    const hit = await cache.match(key);
    if (hit) return conditional(c, hit, "hit");

    await next();
    if (c.res.status !== 200) return;
    const body = await c.res.arrayBuffer();
    const headers = new Headers(c.res.headers);
    headers.set("ETag", await strongEtag(body));
    headers.set("Cache-Control", `public, max-age=${maxAgeS}`);
    headers.set("Vary", "Accept-Encoding");
    const fresh = new Response(body, { status: 200, headers });
    c.executionCtx.waitUntil(cache.put(key, fresh.clone()));
    return conditional(c, fresh, "miss");
  };
}

/** The default key: query parameters sorted, so `?a=1&b=2` and `?b=2&a=1` share an entry. */
function sortedUrl(url: string): string {
  const u = new URL(url);
  u.searchParams.sort();
  u.hash = "";
  return u.toString();
}

function conditional(c: Context, res: Response, status: "hit" | "miss"): Response {
  const etag = res.headers.get("ETag");
  const headers = new Headers(res.headers);
  headers.set(CACHE_STATUS_HEADER, status);
  if (etag !== null && matches(c.req.header("If-None-Match"), etag)) {
    const notModified = new Headers();
    for (const name of ["ETag", "Cache-Control", "Vary", "Access-Control-Allow-Origin", CACHE_STATUS_HEADER]) {
      const v = headers.get(name);
      if (v !== null) notModified.set(name, v);
    }
    return replaceResponse(c, new Response(null, { status: 304, headers: notModified }));
  }
  return replaceResponse(c, new Response(res.body, { status: res.status, headers }));
}

/** Replaces the context's response wholesale (assigning over a set response would merge the old headers in). */
function replaceResponse(c: Context, res: Response): Response {
  c.res = undefined as unknown as Response;
  c.res = res;
  return res;
}

/** RFC 9110 If-None-Match: a list of entity tags or `*`, compared strongly here. */
function matches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  if (ifNoneMatch.trim() === "*") return true;
  return ifNoneMatch.split(",").some((t) => t.trim() === etag);
}

async function strongEtag(body: ArrayBuffer): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", body));
  let hex = "";
  for (let i = 0; i < 16; i++) hex += digest[i].toString(16).padStart(2, "0");
  return `"${hex}"`;
}
