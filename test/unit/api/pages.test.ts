import { describe, expect, it } from "vitest";
import { framePolicy, pageRoutes, parseSiteKeys, siteKeyAllowsOrigin, type PageBindings } from "../../../src/api/pages.js";

const ASSETS_SERVED: Record<string, string> = {
  "/": "<html>dashboard</html>",
  "/app/symbol": "<html>symbol</html>",
  "/app/embed": "<html>embed</html>",
  "/embed.js": "/* widget */",
};

/** Stands in for the Workers assets binding: serves a few paths with an ETag. */
function env(extra: Partial<PageBindings> = {}): PageBindings & { fetched: string[] } {
  const fetched: string[] = [];
  return {
    fetched,
    ASSETS: {
      fetch: async (req: Request) => {
        const path = new URL(req.url).pathname;
        fetched.push(path);
        const body = ASSETS_SERVED[path];
        if (body === undefined) return new Response("not found", { status: 404 });
        const etag = `"${path.length}"`;
        if (req.headers.get("If-None-Match") === etag) return new Response(null, { status: 304, headers: { ETag: etag } });
        return new Response(body, { headers: { "Content-Type": path.endsWith(".js") ? "text/javascript" : "text/html", ETag: etag } });
      },
    },
    ...extra,
  };
}

const get = (path: string, e = env(), headers: Record<string, string> = {}) => pageRoutes.request(`http://127.0.0.1:8787${path}`, { headers }, e);

async function errorOf(res: Response): Promise<{ code: string; message: string }> {
  return ((await res.json()) as { error: { code: string; message: string } }).error;
}

function csp(res: Response): Record<string, string> {
  return Object.fromEntries(
    (res.headers.get("Content-Security-Policy") ?? "").split("; ").map((d) => {
      const [name, ...values] = d.split(" ");
      return [name, values.join(" ")];
    }),
  );
}

describe("page routes", () => {
  it("serves the dashboard with a CSP that allows only this origin's scripts and stream", async () => {
    const res = await get("/");
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("<html>dashboard</html>");
    expect(csp(res)).toMatchObject({
      "script-src": "'self'",
      "connect-src": "'self' ws://127.0.0.1:8787",
      "frame-src": "'self'",
      "frame-ancestors": "'self'",
      "object-src": "'none'",
    });
    expect(res.headers.get("X-Content-Type-Options")).toBe("nosniff");
  });

  it("serves a tracked symbol's page, redirects a lower-case one, and 404s an unknown one as JSON", async () => {
    const e = env();
    const ok = await get("/s/BTCUSDT", e);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe("<html>symbol</html>");
    expect(e.fetched).toEqual(["/app/symbol"]);
    const lower = await get("/s/ethusdt");
    expect(lower.status).toBe(301);
    expect(lower.headers.get("Location")).toBe("/s/ETHUSDT");
    const unknown = await get("/s/NOPEUSDT");
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ error: { code: "unknown_symbol", message: "not a tracked symbol; GET /v1/symbols lists them" } });
  });

  it("keeps a 304 a 304 when the page has not changed", async () => {
    const res = await get("/s/BTCUSDT", env(), { "If-None-Match": `"${"/app/symbol".length}"` });
    expect(res.status).toBe(304);
    expect(res.headers.get("Content-Security-Policy")).toContain("frame-ancestors 'self'");
  });

  it("lets anyone frame the widget page when no site keys are configured", async () => {
    const res = await get("/embed/BTCUSDT?mode=scalp&theme=dark&size=compact");
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("<html>embed</html>");
    expect(csp(res)["frame-ancestors"]).toBe("*");
    expect(csp(res)["frame-src"]).toBe("'none'");
    expect(res.headers.get("Referrer-Policy")).toBe("no-referrer");
  });

  it("takes frame-ancestors from the site key's origins once keys are configured", async () => {
    const e = () => env({ EMBED_SITE_KEYS: '{"acme-site":["https://acme.example","https://*.acme.example"],"other":["http://localhost:3000"]}' });
    const keyed = await get("/embed/ETHUSDT?key=acme-site", e());
    expect(keyed.status).toBe(200);
    expect(csp(keyed)["frame-ancestors"]).toBe("'self' https://acme.example https://*.acme.example");
    const keyless = await get("/embed/ETHUSDT", e());
    expect(csp(keyless)["frame-ancestors"]).toBe("'self'");
    const unknown = await get("/embed/ETHUSDT?key=stolen-key", e());
    expect(unknown.status).toBe(403);
    expect((await errorOf(unknown)).code).toBe("unknown_site_key");
  });

  it("rejects bad widget parameters naming the field, without echoing them", async () => {
    for (const [query, field] of [["theme=neon", "theme"], ["mode=yolo", "mode"], ["size=%3Cb%3E", "size"], ["key=%3Cscript%3E", "key"]]) {
      const res = await get(`/embed/BTCUSDT?${query}`);
      expect(res.status).toBe(400);
      const error = await errorOf(res);
      expect(error.code).toBe("bad_parameter");
      expect(error.message.startsWith(`${field}:`)).toBe(true);
      expect(error.message).not.toMatch(/neon|yolo|<b>|<script>/);
    }
    expect((await get("/embed/NOPEUSDT")).status).toBe(404);
  });

  it("answers a malformed EMBED_SITE_KEYS with 500 bad_config naming the field", async () => {
    const res = await get("/embed/BTCUSDT", env({ EMBED_SITE_KEYS: '{"acme-site":["https://acme.example/path"]}' }));
    expect(res.status).toBe(500);
    const error = await errorOf(res);
    expect(error.code).toBe("bad_config");
    expect(error.message).toMatch(/^EMBED_SITE_KEYS\["acme-site"\]\[0\]: an origin/);
  });

  it("serves embed.js to any site with CORS and a short cache, and hides the page templates", async () => {
    const res = await get("/embed.js");
    expect(res.status).toBe(200);
    expect(res.headers.get("Access-Control-Allow-Origin")).toBe("*");
    expect(res.headers.get("Cross-Origin-Resource-Policy")).toBe("cross-origin");
    expect(res.headers.get("Cache-Control")).toBe("public, max-age=300");
    expect((await get("/app/embed")).status).toBe(404);
  });
});

describe("embed policy", () => {
  it("parses site keys, lower-casing origins, and treats unset or blank as open", () => {
    expect(parseSiteKeys(undefined)).toEqual({});
    expect(parseSiteKeys("  ")).toEqual({});
    expect(parseSiteKeys('{"k3y1":["HTTPS://Example.COM"]}')).toEqual({ k3y1: ["https://example.com"] });
    expect(() => parseSiteKeys("{nope")).toThrow(/EMBED_SITE_KEYS: not valid JSON/);
    expect(() => parseSiteKeys('{"a b":["https://x.example"]}')).toThrow(/EMBED_SITE_KEYS\["a b"\]: a site key/);
    expect(() => parseSiteKeys('{"k3y1":[]}')).toThrow(/EMBED_SITE_KEYS\["k3y1"\]/);
    expect(() => parseSiteKeys('{"k3y1":["https://x.example; script-src *"]}')).toThrow(/an origin/);
  });

  it("decides frame-ancestors per key", () => {
    const keys = { k3y1: ["https://a.example"] };
    expect(framePolicy({}, "whatever")).toEqual({ ok: true, frameAncestors: "*" });
    expect(framePolicy(keys, undefined)).toEqual({ ok: true, frameAncestors: "'self'" });
    expect(framePolicy(keys, "k3y1")).toEqual({ ok: true, frameAncestors: "'self' https://a.example" });
    expect(framePolicy(keys, "__proto__")).toMatchObject({ ok: false, status: 403 });
  });

  it("matches page origins against a key's origins, wildcards included", () => {
    const keys = { k3y1: ["https://a.example", "https://*.b.example", "http://localhost:3000"] };
    expect(siteKeyAllowsOrigin({}, undefined, "https://anyone.example")).toBe(true);
    expect(siteKeyAllowsOrigin(keys, "k3y1", "https://a.example")).toBe(true);
    expect(siteKeyAllowsOrigin(keys, "k3y1", "https://shop.b.example")).toBe(true);
    expect(siteKeyAllowsOrigin(keys, "k3y1", "https://b.example")).toBe(false);
    expect(siteKeyAllowsOrigin(keys, "k3y1", "https://evilb.example")).toBe(false);
    expect(siteKeyAllowsOrigin(keys, "k3y1", "http://localhost:3000")).toBe(true);
    expect(siteKeyAllowsOrigin(keys, "k3y1", "http://localhost:4000")).toBe(false);
    expect(siteKeyAllowsOrigin(keys, "nope", "https://a.example")).toBe(false);
    expect(siteKeyAllowsOrigin(keys, undefined, "https://a.example")).toBe(false);
  });
});
