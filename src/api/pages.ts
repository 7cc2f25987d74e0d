/**
 * The engine's pages: the dashboard (`/`), a symbol's page (`/s/:symbol`), the score widget as
 * an iframe page (`/embed/:symbol?mode=&theme=&size=&key=`), the widget script (`/embed.js`)
 * and the API docs (`/docs`, `/docs/`). The HTML and scripts are static assets (public/, built from
 * src/client by `npm run build:client`); these routes validate the path and query, pick the
 * asset and add the headers: a Content-Security-Policy on every page, and on the iframe page
 * `frame-ancestors` from the embed policy. The docs page keeps its script and style inline, so
 * its policy allows exactly those by SHA-256 hash (computed from the served file, so an edit
 * to the page cannot leave a stale hash) and nothing else.
 *
 * Every other path is a static file ({@link serveStatic}): fetched from the assets binding as
 * a body-less GET/HEAD, a missing one a JSON 404, an HTML one given the strictest page policy.
 *
 * Embed policy: `EMBED_SITE_KEYS` is a JSON object of site key → allowed origins,
 * e.g. `{"k3y-example":["https://example.com","https://*.example.org"]}`.
 * - Unset or `{}`: open embedding, the iframe page may be framed anywhere (`frame-ancestors *`).
 * - Set: `/embed/X?key=K` may be framed by K's origins and by the engine's own pages; without a
 *   key only by the engine's own pages (`'self'`, the dashboard's preview); an unknown key → 403.
 * A malformed `EMBED_SITE_KEYS` is a 500 `bad_config` naming the field, never a silent default.
 *
 * Nothing from the request is written into HTML: the pages read their parameters in the
 * browser and render with textContent.
 */
import { Hono, type Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { z } from "zod";
import { EMBED_MODES, EMBED_SIZES, EMBED_THEMES, SITE_KEY_PATTERN } from "../protocol/embed.js";
import { SYMBOLS } from "../domain/symbols.js";
import { errorBody } from "../protocol/errors.js";

/** What the routes need from the Worker's env (the engine's `Env` has it). */
export interface PageBindings {
  ASSETS: { fetch(request: Request): Promise<Response> };
  /** JSON: site key → allowed origins (see the module comment). */
  EMBED_SITE_KEYS?: string;
}

type PageContext = Context<{ Bindings: PageBindings }>;

/** An origin as CSP and browsers spell it: scheme, host (optionally `*.` wildcard), port; no path. */
const ORIGIN_PATTERN = /^https?:\/\/(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:\d{1,5})?$/;

export const SiteKeysSchema = z.record(
  z.string().regex(SITE_KEY_PATTERN, "a site key is 4-64 letters, digits, _ or -"),
  z
    .array(z.string().transform((o) => o.toLowerCase()).pipe(z.string().regex(ORIGIN_PATTERN, "an origin such as https://example.com (no path, no trailing slash)")))
    .min(1)
    .max(32),
);
export type SiteKeys = z.infer<typeof SiteKeysSchema>;

export class EmbedConfigError extends Error {}

/** Parses `EMBED_SITE_KEYS`; unset or blank is `{}` (open embedding). */
export function parseSiteKeys(raw: string | undefined): SiteKeys {
  if (raw === undefined || raw.trim() === "") return {};
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new EmbedConfigError("EMBED_SITE_KEYS: not valid JSON; expected {\"key\":[\"https://example.com\"]}");
  }
  const parsed = SiteKeysSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    // A bad record key reports its reason one level down.
    const message = issue.code === "invalid_key" ? (issue.issues[0]?.message ?? issue.message) : issue.message;
    throw new EmbedConfigError(`EMBED_SITE_KEYS${issue.path.map((p) => `[${JSON.stringify(p)}]`).join("")}: ${message}`);
  }
  return parsed.data;
}

export type FramePolicy = { ok: true; frameAncestors: string } | { ok: false; status: 403; code: "unknown_site_key"; message: string };

/** The iframe page's `frame-ancestors` for a request with site key `key` (or none). */
export function framePolicy(keys: SiteKeys, key: string | undefined): FramePolicy {
  if (Object.keys(keys).length === 0) return { ok: true, frameAncestors: "*" };
  if (key === undefined) return { ok: true, frameAncestors: "'self'" };
  const origins = Object.hasOwn(keys, key) ? keys[key] : undefined;
  if (!origins) return { ok: false, status: 403, code: "unknown_site_key", message: "this site key is not configured; ask the operator for one" };
  return { ok: true, frameAncestors: ["'self'", ...origins].join(" ") };
}

/**
 * Whether a page at `origin` may use site key `key` (for checks outside CSP, e.g. a stream
 * upgrade's `Origin` header). Open embedding (no keys) allows every origin.
 */
export function siteKeyAllowsOrigin(keys: SiteKeys, key: string | undefined, origin: string): boolean {
  if (Object.keys(keys).length === 0) return true;
  if (key === undefined || !Object.hasOwn(keys, key)) return false;
  const o = origin.toLowerCase();
  return keys[key].some((allowed) => {
    if (!allowed.includes("*.")) return allowed === o;
    const [scheme, rest] = allowed.split("://*.");
    const u = /^(https?):\/\/([^/:]+)(:\d+)?$/.exec(o);
    if (!u || `${u[1]}` !== scheme) return false;
    const [host, port = ""] = rest.split(":");
    return u[2].endsWith(`.${host}`) && (u[3] ?? "") === (port ? `:${port}` : "");
  });
}

const EmbedQuerySchema = z.object({
  mode: z.enum(EMBED_MODES).optional(),
  theme: z.enum(EMBED_THEMES).optional(),
  size: z.enum(EMBED_SIZES).optional(),
  key: z.string().regex(SITE_KEY_PATTERN, "a site key is 4-64 letters, digits, _ or -").optional(),
});

/** Where each page's HTML lives in public/ (html_handling serves `app/x.html` at `/app/x`). */
const ASSET = { dashboard: "/", symbol: "/app/symbol", embed: "/app/embed", script: "/embed.js", docs: "/docs/" } as const;

export const pageRoutes = new Hono<{ Bindings: PageBindings }>()
  .get("/", (c) => serveAsset(c, ASSET.dashboard, pageHeaders(c, { frameAncestors: "'self'", frames: true })))
  .get("/s/:symbol", (c) => {
    const raw = c.req.param("symbol");
    const symbol = raw.toUpperCase();
    if (!SYMBOLS.isTracked(symbol)) return c.json(errorBody("unknown_symbol", "not a tracked symbol; GET /v1/symbols lists them"), 404);
    if (symbol !== raw) return c.redirect(`/s/${symbol}`, 301);
    return serveAsset(c, ASSET.symbol, pageHeaders(c, { frameAncestors: "'self'", frames: false }));
  })
  .get("/embed/:symbol", (c) => {
    const symbol = c.req.param("symbol").toUpperCase();
    if (!SYMBOLS.isTracked(symbol)) return c.json(errorBody("unknown_symbol", "not a tracked symbol; GET /v1/symbols lists them"), 404);
    const query = EmbedQuerySchema.safeParse(c.req.query());
    if (!query.success) {
      const issue = query.error.issues[0];
      return c.json(errorBody("bad_parameter", `${issue.path.join(".")}: ${issue.message}`), 400);
    }
    let keys: SiteKeys;
    try {
      keys = parseSiteKeys(c.env.EMBED_SITE_KEYS);
    } catch (err) {
      return c.json(errorBody("bad_config", (err as Error).message), 500);
    }
    const policy = framePolicy(keys, query.data.key);
    if (!policy.ok) return c.json(errorBody(policy.code, policy.message), policy.status);
    const headers = pageHeaders(c, { frameAncestors: policy.frameAncestors, frames: false });
    headers["Referrer-Policy"] = "no-referrer";
    return serveAsset(c, ASSET.embed, headers);
  })
  .get("/embed.js", (c) =>
    serveAsset(c, ASSET.script, {
      "Cache-Control": "public, max-age=300",
      "Access-Control-Allow-Origin": "*",
      "Cross-Origin-Resource-Policy": "cross-origin",
      "X-Content-Type-Options": "nosniff",
    }),
  )
  .get("/docs", (c) => serveDocs(c))
  .get("/docs/", (c) => serveDocs(c))
  // The files behind `/` and `/docs/` have their page's headers only at those addresses.
  .get("/index.html", (c) => c.redirect("/", 301))
  .get("/docs/index.html", (c) => c.redirect("/docs/", 301))
  // The page templates are only served through the routes above, with their headers.
  .get("/app/*", (c) => c.json(errorBody("not_found", "no such page"), 404));

/** Content-Security-Policy and friends for a page of this origin. */
export function pageHeaders(c: PageContext, options: { frameAncestors: string; frames: boolean }): Record<string, string> {
  const url = new URL(c.req.url);
  const ws = `${url.protocol === "https:" ? "wss" : "ws"}://${url.host}`;
  const csp = [
    "default-src 'self'",
    "script-src 'self'",
    // Widgets and charts set styles from script; the pages keep a few inline style blocks.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    `connect-src 'self' ${ws}`,
    options.frames ? "frame-src 'self'" : "frame-src 'none'",
    `frame-ancestors ${options.frameAncestors}`,
    "base-uri 'none'",
    "form-action 'none'",
    "object-src 'none'",
  ].join("; ");
  return {
    "Content-Security-Policy": csp,
    "Cache-Control": "no-cache",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
  };
}

/** The policy of an HTML file no route above serves: nothing inline, nothing from elsewhere. */
export const STATIC_HTML_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'self'";

/** CSP hash sources (`'sha256-…'`) of the inline `<script>` (without `src`) and `<style>` blocks of our own static HTML. */
export async function inlineHashes(html: string): Promise<{ scripts: string[]; styles: string[] }> {
  const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script\s*>/gi)].filter((m) => !/\bsrc\s*=/i.test(m[1])).map((m) => m[2]);
  const styles = [...html.matchAll(/<style\b[^>]*>([\s\S]*?)<\/style\s*>/gi)].map((m) => m[1]);
  return { scripts: await Promise.all(scripts.map(sha256Source)), styles: await Promise.all(styles.map(sha256Source)) };
}

async function sha256Source(text: string): Promise<string> {
  // Browsers hash the text after HTML's newline normalization (CRLF and CR become LF).
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text.replace(/\r\n?/g, "\n"))));
  return `'sha256-${btoa(String.fromCharCode(...digest))}'`;
}

/** The docs page's policy: its own inline script and style by hash, reads of this origin (/openapi.json), nothing else. */
export function docsCsp(hashes: { scripts: string[]; styles: string[] }): string {
  const list = (sources: string[]) => (sources.length === 0 ? "'none'" : sources.join(" "));
  return [
    "default-src 'none'",
    `script-src ${list(hashes.scripts)}`,
    `style-src ${list(hashes.styles)}`,
    "connect-src 'self'",
    "img-src 'self' data:",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "object-src 'none'",
  ].join("; ");
}

/** `/docs` and `/docs/`: the page with a policy built from its own inline blocks (always a full 200: the hashes need the body). */
async function serveDocs(c: PageContext): Promise<Response> {
  const res = await c.env.ASSETS.fetch(new Request(new URL(ASSET.docs, c.req.url)));
  if (res.status !== 200) return c.json(errorBody("asset_missing", `the page asset ${ASSET.docs} is missing (status ${res.status})`), 500);
  const html = await res.text();
  const headers = new Headers(res.headers);
  headers.delete("Content-Length");
  headers.delete("Content-Encoding");
  headers.set("Content-Security-Policy", docsCsp(await inlineHashes(html)));
  headers.set("Cache-Control", "no-cache");
  headers.set("X-Content-Type-Options", "nosniff");
  headers.set("Referrer-Policy", "strict-origin-when-cross-origin");
  return new Response(c.req.method === "HEAD" ? null : html, { status: 200, headers });
}

/** Request headers a static file may depend on (conditional and range reads). */
const STATIC_FORWARDED = ["If-None-Match", "If-Modified-Since", "Range", "If-Range", "Accept-Encoding"];

/**
 * Any other path: the static file from public/. The method guard (src/api/limits.ts) let only
 * GET and HEAD through; the request is re-made without a body either way, so a body sent with
 * them is never handed on. A missing file is a JSON 404, another refusal a JSON error with its
 * status; an HTML file gets {@link STATIC_HTML_CSP}.
 */
export async function serveStatic(c: PageContext): Promise<Response> {
  const forward = new Headers();
  for (const name of STATIC_FORWARDED) {
    const v = c.req.header(name);
    if (v !== undefined) forward.set(name, v);
  }
  const res = await c.env.ASSETS.fetch(new Request(c.req.url, { method: c.req.method === "HEAD" ? "HEAD" : "GET", headers: forward }));
  if (res.status === 404) return c.json(errorBody("not_found", "no such page or file; the API is under /v1 (see /docs/)"), 404);
  if (res.status >= 400) return c.json(errorBody("static_file", `the static file answered ${res.status}`), res.status as ContentfulStatusCode);
  const out = new Response(res.body, res);
  if (out.headers.get("Content-Type")?.startsWith("text/html")) {
    out.headers.set("Content-Security-Policy", STATIC_HTML_CSP);
    out.headers.set("Cache-Control", "no-cache");
  }
  out.headers.set("X-Content-Type-Options", "nosniff");
  return out;
}

/** Fetches a static asset (forwarding If-None-Match, so a 304 stays a 304) and sets headers on it. */
async function serveAsset(c: PageContext, path: string, headers: Record<string, string>): Promise<Response> {
  const forward = new Headers();
  const inm = c.req.header("If-None-Match");
  if (inm) forward.set("If-None-Match", inm);
  const res = await c.env.ASSETS.fetch(new Request(new URL(path, c.req.url), { headers: forward }));
  if (res.status !== 200 && res.status !== 304) {
    return c.json(errorBody("asset_missing", `the page asset ${path} is missing (status ${res.status})`), 500);
  }
  const out = new Headers(res.headers);
  for (const [k, v] of Object.entries(headers)) out.set(k, v);
  return new Response(res.status === 304 ? null : res.body, { status: res.status, headers: out });
}
