/**
 * The HTTP limits through the engine's real entry point (issue 14, items 2 and 6): methods and
 * bodies (405/413 before a body is read), query allow-lists (400) and the edge-cache key, the
 * per-client read limit (429 + Retry-After), the /docs Content-Security-Policy and nosniff.
 * Variables are changed per request by calling the app with a copy of the env.
 */
import { createExecutionContext, env, SELF, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import docsHtml from "../../public/docs/index.html?raw";
import app from "../../src/index.js";
import { openApiDocument } from "../../src/api/openapi.js";
import { MAX_INGEST_BODY_BYTES } from "../../src/api/limits.js";
import { allowedParameters, QUERY_RULES, queryRuleFor } from "../../src/api/query-params.js";
import { clientKey, ipv6Prefix64, TokenBuckets } from "../../src/api/rate-limit.js";
import { ErrorBodySchema } from "../../src/protocol/errors.js";
import { liquidation, symbolStub, trade } from "./helpers.js";

const BASE = 1_699_999_800_000;
const url = (path: string) => `https://liqflow.test${path}`;

/** The app with some variables changed, as one request sees them. */
async function withEnv(vars: Record<string, unknown>, request: Request): Promise<Response> {
  const ctx = createExecutionContext();
  const res = await app.fetch(request, { ...env, ...vars } as Env, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

async function errorOf(res: Response): Promise<{ code: string; message: string }> {
  expect(res.headers.get("Content-Type")).toMatch(/^application\/json/);
  return ErrorBodySchema.parse(await res.json()).error;
}

describe("methods and bodies", () => {
  it("answers a write to a read or asset route with 405, an Allow header and a JSON error", async () => {
    const cases: Array<[string, string, string]> = [
      ["POST", "/", "GET, HEAD"],
      ["PUT", "/assets/app.css", "GET, HEAD"],
      ["DELETE", "/docs/", "GET, HEAD"],
      ["PATCH", "/s/BTCUSDT", "GET, HEAD"],
      ["POST", "/v1/symbols", "GET, HEAD, OPTIONS"],
      ["POST", "/v1/stream", "GET, HEAD, OPTIONS"],
      ["DELETE", "/openapi.json", "GET, HEAD"],
      ["OPTIONS", "/", "GET, HEAD"],
    ];
    for (const [method, path, allow] of cases) {
      const res = await SELF.fetch(url(path), { method, body: method === "DELETE" || method === "OPTIONS" ? undefined : "x".repeat(64 * 1024) });
      expect(res.status, `${method} ${path}`).toBe(405);
      expect(res.headers.get("Allow"), `${method} ${path}`).toBe(allow);
      expect(await errorOf(res)).toEqual({ code: "method_not_allowed", message: `"${method}" is not allowed here; this path answers ${allow}` });
    }
  });

  it("keeps CORS preflights and HEAD on the API", async () => {
    const preflight = await SELF.fetch(url("/v1/symbols"), { method: "OPTIONS", headers: { Origin: "https://a.example", "Access-Control-Request-Method": "GET" } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("Access-Control-Allow-Origin")).toBe("*");
    const head = await SELF.fetch(url("/v1/symbols"), { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe("");
    const page = await SELF.fetch(url("/"), { method: "HEAD" });
    expect(page.status).toBe(200);
  });

  it("has no /internal route unless the development routes are on and the request is to a loopback host", async () => {
    for (const method of ["GET", "POST", "PUT"]) {
      const res = await SELF.fetch(url("/internal/ingest/BTCUSDT"), { method, body: method === "GET" ? undefined : "{}" });
      expect(res.status, method).toBe(404);
      expect((await errorOf(res)).code).toBe("not_found");
    }
    // On, but deployed (a public hostname): still nothing there.
    const deployed = await withEnv({ LIQFLOW_DEV_ROUTES: "1" }, new Request(url("/internal/ingest/BTCUSDT"), { method: "POST", body: "{}" }));
    expect(deployed.status).toBe(404);
  });

  it("caps the ingest body: a declared length over the cap and a streamed body that passes it are 413, a real batch is applied", async () => {
    const ingest = "http://127.0.0.1/internal/ingest/DOGEUSDT";
    const on = { LIQFLOW_DEV_ROUTES: "1" };
    const declared = await withEnv(on, new Request(ingest, { method: "POST", headers: { "Content-Length": String(MAX_INGEST_BODY_BYTES + 1) }, body: new Uint8Array(MAX_INGEST_BODY_BYTES + 1) }));
    expect(declared.status).toBe(413);
    expect(await errorOf(declared)).toEqual({ code: "body_too_large", message: `the request body is larger than ${MAX_INGEST_BODY_BYTES} bytes` });
    // No Content-Length: counted as it streams in, refused once it passes the cap.
    let pulled = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += 1;
        if (pulled > 64) controller.close();
        else controller.enqueue(new Uint8Array(64 * 1024));
      },
    });
    const streamed = await withEnv(on, new Request(ingest, { method: "POST", body: stream }));
    expect(streamed.status).toBe(413);
    expect(pulled).toBeLessThan(64);
    const wrongMethod = await withEnv(on, new Request(ingest));
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get("Allow")).toBe("POST");
    const batch = { source: "t", events: [trade("DOGEUSDT", BASE + 1_000, 0.1, 5, "buy")], seqs: [1] };
    const ok = await withEnv(on, new Request(ingest, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(batch) }));
    expect(ok.status).toBe(200);
    const garbage = await withEnv(on, new Request(ingest, { method: "POST", body: "{not json" }));
    expect(garbage.status).toBe(400);
  });
});

describe("query parameters", () => {
  const concrete = (path: string) => path.replace("{symbol}", "BTCUSDT");

  it("refuses a parameter the route does not take with 400 naming it and the allowed ones, on every public read", async () => {
    for (const rule of QUERY_RULES) {
      const res = await SELF.fetch(url(`${concrete(rule.path)}?cachebust=123`));
      expect(res.status, rule.path).toBe(400);
      const allowed = allowedParameters(rule);
      expect(await errorOf(res), rule.path).toEqual({
        code: "bad_parameter",
        message: `"cachebust": unknown parameter; ${allowed.length === 0 ? "this route takes no query parameters" : `this route takes ${allowed.join(", ")}`}`,
      });
    }
  });

  it("refuses a parameter given twice, and takes the liquidation list's cursor", async () => {
    const twice = await SELF.fetch(url("/v1/symbols/BTCUSDT/bias?mode=day&mode=day"));
    expect(twice.status).toBe(400);
    expect(await errorOf(twice)).toEqual({ code: "bad_parameter", message: '"mode": given 2 times; give it once' });
    expect(allowedParameters(queryRuleFor("/v1/symbols/{symbol}/liquidations")!)).toEqual(["since", "limit", "cursor"]);
    // A cursor the API did not issue reaches the route, which names what is wrong with it.
    const cursor = await SELF.fetch(url("/v1/symbols/BTCUSDT/liquidations?cursor=abc"));
    expect(cursor.status).toBe(400);
    expect((await errorOf(cursor)).message).toMatch(/^cursor: /);
  });

  it("allows exactly what /openapi.json documents, for every documented read", async () => {
    const doc = openApiDocument("https://liqflow.test") as { paths: Record<string, { get: { parameters: Array<{ name: string; in: string }> } }> };
    const documented = Object.keys(doc.paths).filter((p) => p !== "/v1/stream");
    expect(documented.every((p) => queryRuleFor(p) !== null)).toBe(true);
    expect(QUERY_RULES.map((r) => r.path).filter((p) => !documented.includes(p))).toEqual(["/v1", "/openapi.json"]);
    for (const path of documented) {
      const rule = queryRuleFor(path)!;
      const names = doc.paths[path].get.parameters.filter((p) => p.in === "query").map((p) => p.name);
      expect(allowedParameters(rule), path).toEqual(names);
    }
  });

  it("shares one cache entry for spellings of the same read: value forms, defaults, symbol case, HEAD", async () => {
    const stub = symbolStub("ADAUSDT");
    await stub.ingest("ADAUSDT", { source: "s", events: [liquidation("ADAUSDT", BASE + 1_000, "long", 0.5, 100)], seqs: [1] });
    const first = await SELF.fetch(url("/v1/symbols/ADAUSDT/liquidations?since=0&limit=5"));
    expect(first.status).toBe(200);
    expect(first.headers.get("X-Liqflow-Cache")).toBe("miss");
    const body = await first.text();
    for (const spelling of ["/v1/symbols/adausdt/liquidations?limit=05&since=0", "/v1/symbols/AdaUsdt/liquidations?limit=5.0&since=00", "/v1/symbols/ADAUSDT/liquidations?since=0&lim%69t=5"]) {
      const res = await SELF.fetch(url(spelling));
      expect(res.headers.get("X-Liqflow-Cache"), spelling).toBe("hit");
      expect(await res.text(), spelling).toBe(body);
    }
    const head = await SELF.fetch(url("/v1/symbols/ADAUSDT/liquidations?since=0&limit=5"), { method: "HEAD" });
    expect(head.headers.get("X-Liqflow-Cache")).toBe("hit");
    // A default counts as given.
    const a = await SELF.fetch(url("/v1/symbols/ADAUSDT/liquidations"));
    expect(a.headers.get("X-Liqflow-Cache")).toBe("miss");
    const b = await SELF.fetch(url("/v1/symbols/ADAUSDT/liquidations?limit=100"));
    expect(b.headers.get("X-Liqflow-Cache")).toBe("hit");
    // Different reads stay apart.
    const other = await SELF.fetch(url("/v1/symbols/ADAUSDT/liquidations?since=0&limit=6"));
    expect(other.headers.get("X-Liqflow-Cache")).toBe("miss");
  });

  it("creates no cache entry for a read with a parameter its route ignores", async () => {
    for (let i = 0; i < 3; i++) {
      const res = await SELF.fetch(url(`/v1/symbols?bust=${i}`));
      expect(res.status).toBe(400);
      expect(res.headers.get("ETag")).toBeNull();
      expect(res.headers.get("X-Liqflow-Cache")).toBeNull();
    }
  });
});

describe("read rate limit", () => {
  it("counts tokens per key and says when the next one comes (token bucket arithmetic)", () => {
    const buckets = new TokenBuckets(3, 10_000, 2);
    expect([0, 0, 0].map((t) => buckets.take("a", t).ok)).toEqual([true, true, true]);
    // Three per 10 s: one more token after 3,334 ms.
    expect(buckets.take("a", 0)).toEqual({ ok: false, retryAfterMs: 3334 });
    expect(buckets.take("a", 3_333).ok).toBe(false);
    expect(buckets.take("a", 3_334).ok).toBe(true);
    expect(buckets.take("b", 0).ok).toBe(true);
    // A third key drops the least recently seen ("a"), which then starts full.
    expect(buckets.take("c", 0).ok).toBe(true);
    expect(buckets.size).toBe(2);
    expect([1, 2, 3].map(() => buckets.take("a", 3_334).ok)).toEqual([true, true, true]);
    expect(() => new TokenBuckets(0, 10_000)).toThrow(/capacity/);
  });

  it("keys a client on CF-Connecting-IP, an IPv6 client on its /64", () => {
    expect(clientKey(new Headers({ "CF-Connecting-IP": "203.0.113.7" }))).toBe("203.0.113.7");
    expect(clientKey(new Headers())).toBe("unknown");
    expect(clientKey(new Headers({ "CF-Connecting-IP": "9".repeat(5_000) }))).toHaveLength(64);
    expect(ipv6Prefix64("2001:db8:0:12::1")).toBe("2001:db8:0:12::/64");
    expect(ipv6Prefix64("2001:0DB8::")).toBe("2001:db8:0:0::/64");
    expect(clientKey(new Headers({ "CF-Connecting-IP": "2001:db8:0:12:aaaa::1" }))).toBe(clientKey(new Headers({ "CF-Connecting-IP": "2001:db8:0:12:bbbb::2" })));
  });

  it("answers a client over READ_RATE_LIMIT with 429 JSON and Retry-After, other clients and pages unaffected", async () => {
    const limited = { READ_RATE_LIMIT: "3" };
    const from = (ip: string, path = "/v1/symbols") => new Request(url(path), { headers: { "CF-Connecting-IP": ip } });
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await withEnv(limited, from("198.51.100.1"))).status);
    expect(statuses).toEqual([200, 200, 200]);
    const refused = await withEnv(limited, from("198.51.100.1"));
    expect(refused.status).toBe(429);
    const retryAfterS = Number(refused.headers.get("Retry-After"));
    expect(retryAfterS).toBeGreaterThanOrEqual(3);
    expect(retryAfterS).toBeLessThanOrEqual(4);
    expect(refused.headers.get("Cache-Control")).toBe("no-store");
    expect(refused.headers.get("Access-Control-Allow-Origin")).toBe("*");
    expect(refused.headers.get("X-Content-Type-Options")).toBe("nosniff");
    expect(await errorOf(refused)).toEqual({ code: "rate_limited", message: `too many reads from this address; retry after the number of seconds in Retry-After (${retryAfterS})` });
    expect((await withEnv(limited, from("198.51.100.1", "/openapi.json"))).status).toBe(429);
    expect((await withEnv(limited, from("198.51.100.2"))).status).toBe(200);
    // Pages and static files are not on the read path.
    expect((await withEnv(limited, from("198.51.100.1", "/"))).status).toBe(200);
    // 0 turns it off.
    expect((await withEnv({ READ_RATE_LIMIT: "0" }, from("198.51.100.1"))).status).toBe(200);
  });

  it("asks Cloudflare's rate-limiting binding too, and a refusal there is a 429 for its 10 s window", async () => {
    expect(env.READ_RATE_LIMITER).toBeDefined();
    const keys: string[] = [];
    const refusing = { limit: async ({ key }: { key: string }) => (keys.push(key), { success: false }) };
    const res = await withEnv({ READ_RATE_LIMITER: refusing }, new Request(url("/v1/market"), { headers: { "CF-Connecting-IP": "198.51.100.9" } }));
    expect(res.status).toBe(429);
    expect(res.headers.get("Retry-After")).toBe("10");
    expect(keys).toEqual(["198.51.100.9"]);
    // A binding that cannot answer does not fail the read.
    const broken = { limit: async () => Promise.reject(new Error("unavailable")) };
    expect((await withEnv({ READ_RATE_LIMITER: broken }, new Request(url("/v1/symbols"), { headers: { "CF-Connecting-IP": "198.51.100.10" } }))).status).toBe(200);
  });

  it("says bad_config for a READ_RATE_LIMIT that is not a count", async () => {
    const res = await withEnv({ READ_RATE_LIMIT: "lots" }, new Request(url("/v1/symbols")));
    expect(res.status).toBe(500);
    expect((await errorOf(res)).message).toMatch(/^READ_RATE_LIMIT must be an integer/);
  });
});

describe("page policies and response headers", () => {
  async function sha256(text: string): Promise<string> {
    const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
    return `'sha256-${btoa(String.fromCharCode(...digest))}'`;
  }

  it("serves /docs/ with a strict CSP that allows exactly its own inline script and style", async () => {
    const script = /<script type="module">([\s\S]*?)<\/script>/.exec(docsHtml)![1];
    const style = /<style>([\s\S]*?)<\/style>/.exec(docsHtml)![1];
    const csp =
      `default-src 'none'; script-src ${await sha256(script)}; style-src ${await sha256(style)}; connect-src 'self'; img-src 'self' data:; ` +
      "base-uri 'none'; form-action 'none'; frame-ancestors 'none'; object-src 'none'";
    for (const path of ["/docs/", "/docs"]) {
      const res = await SELF.fetch(url(path));
      expect(res.status, path).toBe(200);
      expect(await res.text(), path).toBe(docsHtml);
      expect(res.headers.get("Content-Security-Policy"), path).toBe(csp);
      expect(res.headers.get("X-Content-Type-Options"), path).toBe("nosniff");
    }
    for (const [file, page] of [["/docs/index.html", "/docs/"], ["/index.html", "/"]]) {
      const res = await SELF.fetch(url(file), { redirect: "manual" });
      expect(res.status, file).toBe(301);
      expect(new URL(res.headers.get("Location")!, url("/")).pathname, file).toBe(page);
    }
  });

  it("keeps a CSP on every page and sends nosniff on JSON, errors and static files", async () => {
    for (const path of ["/", "/s/BTCUSDT", "/embed/BTCUSDT"]) {
      expect((await SELF.fetch(url(path))).headers.get("Content-Security-Policy"), path).toMatch(/script-src 'self'/);
    }
    for (const path of ["/v1/symbols", "/v1/nope", "/v1/symbols?x=1", "/openapi.json", "/assets/app.css", "/embed.js"]) {
      expect((await SELF.fetch(url(path))).headers.get("X-Content-Type-Options"), path).toBe("nosniff");
    }
  });

  it("answers a missing static file with a JSON 404", async () => {
    const res = await SELF.fetch(url("/no/such/file.txt"));
    expect(res.status).toBe(404);
    expect((await errorOf(res)).code).toBe("not_found");
  });
});
