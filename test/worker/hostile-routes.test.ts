/**
 * Hostile input, HTTP half (issue 14): a bounded, seeded fuzz of every route through the
 * engine's real entry point: paths (traversal, percent-encoded, malformed escapes, unicode, very
 * long), queries (unknown, repeated, huge, malformed), methods, bodies and headers. Every answer
 * is a 2xx/3xx/304 or a 4xx with the JSON error body, never a 5xx from a liqflow handler (the
 * one 5xx allowed is `503 no_data`, a symbol whose feed has delivered nothing yet), and the
 * Worker serves normally afterwards. The one route that takes a body (the development ingest
 * route, switched on for that case) gets fuzzed batches, garbage and oversized bodies.
 */
import fc from "fast-check";
import { createExecutionContext, env, SELF, waitOnExecutionContext } from "cloudflare:test";
import app from "../../src/index.js";
import { MAX_INGEST_BODY_BYTES } from "../../src/api/limits.js";
import { beforeAll, describe, expect, it } from "vitest";
import { QUERY_RULES } from "../../src/api/query-params.js";
import { ErrorBodySchema } from "../../src/protocol/errors.js";
import { liquidation, symbolStub, trade } from "./helpers.js";

const SEED = 20_261_206;
const RUNS = 200;
const BASE = 1_699_999_800_000;

const SYMBOLS = ["BTCUSDT", "btcusdt", "NOPEUSDT", "", "..", "%2e%2e", "%2F", "BTC%00USDT", "%E0%A4%A", "ＢＴＣＵＳＤＴ", "€", "<script>", "A".repeat(5_000)];
const ROUTES = [
  ...QUERY_RULES.map((r) => r.path),
  "/",
  "/s/{symbol}",
  "/embed/{symbol}",
  "/embed.js",
  "/docs",
  "/docs/",
  "/docs/index.html",
  "/index.html",
  "/assets/app.css",
  "/app/embed",
  "/favicon.svg",
  "/internal/ingest/{symbol}",
  "/v1/stream",
  "/v1/nope",
];
const ODD_PATHS = [
  "/../../etc/passwd",
  "/%2e%2e/%2e%2e/wrangler.toml",
  "/assets/..%2f..%2fwrangler.toml",
  "/v1/../v1/symbols",
  "//v1//symbols",
  "/v1/symbols/",
  "/v1/symbols/BTCUSDT/",
  "/v1/symbols/BTCUSDT/cards/extra",
  "/.wrangler/state",
  "/%00",
  "/v1/%ff",
  "/v1/symbols/%",
  "/cdn-cgi/explorer/api",
  "/v1/stream/x",
  "/internal",
];
const PARAM_NAMES = ["mode", "limit", "since", "cursor", "window", "timeBin", "priceBin", "range", "bin", "symbols", "symbol", "category", "key", "theme", "size", "foo", "__proto__", "constructor", "a[]", "limit%20", "%", "%ZZ"];
const PARAM_VALUES = ["day", "scalp", "swing", "5", "05", "0", "-1", "1e309", "NaN", "15m", "1h", "10bps", "50", "BTCUSDT,ETHUSDT", ",,,", "x".repeat(6_000), "%", "%ZZ", "%00", "%F0%9F%98%80", "+", ""];

const segment = fc.oneof(fc.constantFrom("v1", "symbols", "BTCUSDT", "stream", "internal", "..", ".", ""), fc.string({ maxLength: 12, unit: "grapheme" }));
const pathArb = fc.oneof(
  { weight: 5, arbitrary: fc.tuple(fc.constantFrom(...ROUTES), fc.constantFrom(...SYMBOLS)).map(([route, symbol]) => route.replace("{symbol}", symbol)) },
  { weight: 2, arbitrary: fc.constantFrom(...ODD_PATHS) },
  { weight: 2, arbitrary: fc.array(segment, { maxLength: 6 }).map((segs) => `/${segs.map((s) => (s === ".." || s === "." ? s : encodeURIComponent(s))).join("/")}`) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 6 }).map((k) => `/v1/symbols/BTCUSDT/${"a".repeat(k * 1_000)}`) },
);
const paramArb = fc.tuple(
  fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...PARAM_NAMES) }, { weight: 1, arbitrary: fc.string({ maxLength: 8 }).map(encodeURIComponent) }),
  fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...PARAM_VALUES) }, { weight: 1, arbitrary: fc.string({ maxLength: 16, unit: "grapheme" }).map(encodeURIComponent) }),
);
/** Raw query text: names and values as given (malformed escapes included), sometimes a parameter repeated. */
const queryArb = fc
  .tuple(fc.array(paramArb, { maxLength: 5 }), fc.boolean())
  .map(([params, repeat]) => (repeat && params.length > 0 ? [...params, params[0]] : params))
  .map((params) => (params.length === 0 ? "" : `?${params.map(([k, v]) => `${k}=${v}`).join("&")}`));
const methodArb = fc.constantFrom("GET", "GET", "GET", "GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "PROPFIND", "TRACE");
const bodyArb = fc.oneof(
  fc.constant(undefined),
  fc.string({ maxLength: 200 }),
  fc.constant('{"source":"fuzz","events":[],"seqs":[]}'),
  fc.integer({ min: 1, max: 2 }).map((k) => new Uint8Array(k * 512 * 1024)),
);
const headersArb = fc.record(
  {
    "If-None-Match": fc.constantFrom("*", '"0000"', "garbage", 'W/"x", "y"'),
    Range: fc.constantFrom("bytes=0-10", "bytes=999999999-", "bytes=5-1", "garbage"),
    "Accept-Encoding": fc.constantFrom("gzip", "br", "identity", "*;q=0"),
    "Content-Type": fc.constantFrom("application/json", "text/plain", "multipart/form-data; boundary=x", "x/y; charset=\"\\"),
    Origin: fc.constantFrom("https://evil.example", "null", "file://"),
    "Access-Control-Request-Method": fc.constantFrom("GET", "DELETE"),
    Upgrade: fc.constantFrom("websocket", "h2c"),
    "X-Liqflow-Relay": fc.constantFrom("relay-0", "relay-999", "../"),
    "CF-Connecting-IP": fc.constantFrom("203.0.113.5", "2001:db8::1", "::", "not-an-ip", "1.2.3.4, 5.6.7.8"),
    Cookie: fc.constantFrom("a=b", "x".repeat(2_000)),
  },
  { requiredKeys: [] },
);

interface Outcome {
  status: number;
}

let fuzzClient = 0;

async function send(method: string, path: string, query: string, headers: Record<string, string>, body: string | Uint8Array | undefined): Promise<Outcome> {
  const h = new Headers(headers);
  // No WebSocket is opened here: the stream protocol has its own fuzz (hostile-stream.test.ts).
  if (path === "/v1/stream") h.delete("Upgrade");
  // Every case its own client unless it names one, so the fuzz never spends another test's budget.
  if (!h.has("CF-Connecting-IP")) h.set("CF-Connecting-IP", `10.77.${(fuzzClient >> 8) & 255}.${fuzzClient++ & 255}`);
  const withBody = method !== "GET" && method !== "HEAD" ? body : undefined;
  const res = await SELF.fetch(`https://liqflow.test${path}${query}`, { method, headers: h, body: withBody, redirect: "manual" });
  const where = `${method} ${path.slice(0, 120)}${query.slice(0, 120)} → ${res.status}`;
  if (res.status >= 500) {
    const error = ErrorBodySchema.safeParse(await res.json().catch(() => null));
    expect(res.status === 503 && error.success && error.data.error.code === "no_data", `${where}: ${JSON.stringify(error.data ?? null)}`).toBe(true);
  } else if (res.status >= 400) {
    expect(res.headers.get("Content-Type"), where).toMatch(/^application\/json/);
    if (method !== "HEAD") expect(ErrorBodySchema.safeParse(await res.json()).success, where).toBe(true);
  } else {
    expect(res.status === 101, where).toBe(false);
    await res.body?.cancel();
  }
  return { status: res.status };
}

beforeAll(async () => {
  // One symbol with data, so reads that succeed are exercised too.
  await symbolStub("BTCUSDT").ingest("BTCUSDT", {
    source: "fuzz",
    events: [trade("BTCUSDT", BASE + 1_000, 60_000, 1, "buy"), liquidation("BTCUSDT", BASE + 2_000, "long", 59_900, 0.5), trade("BTCUSDT", BASE + 11_000, 60_010, 1, "sell")],
    seqs: [1, 2, 3],
  });
});

describe("hostile HTTP input", () => {
  it("answers every fuzzed request with a success, a redirect or a 4xx JSON error, never a 5xx", async () => {
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(methodArb, pathArb, queryArb, headersArb, bodyArb, async (method, path, query, headers, body) => {
        const { status } = await send(method, path, query, headers, body);
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
      }),
      { seed: SEED, numRuns: RUNS },
    );
    // The generators reach successes, refusals of each kind and missing things.
    for (const status of [200, 400, 404, 405]) expect(statuses.get(status) ?? 0, `status ${status} in ${JSON.stringify([...statuses])}`).toBeGreaterThan(0);
    console.log("hostile-routes statuses", JSON.stringify([...statuses].sort((a, b) => a[0] - b[0])));
  }, 60_000);

  it("answers fuzzed bodies on the one route that takes a body (development ingest, on) with a success or a 4xx JSON error", async () => {
    const on = { ...env, LIQFLOW_DEV_ROUTES: "1" } as Env;
    const price = fc.oneof(fc.double({ min: 1e-9, max: 1e9, noNaN: true }), fc.constantFrom(0, -1, 1e308, 5e-324));
    const event = fc.oneof(
      fc.record({ venue: fc.constantFrom("binance", "bybit", "nope"), symbol: fc.constantFrom("NEARUSDT", "BTCUSDT", ""), ts: fc.integer({ min: -1, max: 4e12 }), kind: fc.constant("trade"), price, qty: price, side: fc.constantFrom("buy", "sell", "up"), tradeId: fc.string({ maxLength: 8 }) }),
      fc.record({ venue: fc.constantFrom("binance", "okx"), symbol: fc.constant("NEARUSDT"), ts: fc.integer({ min: 0, max: 4e12 }), kind: fc.constant("liquidation"), side: fc.constantFrom("long", "short"), price, qty: price, notionalUsd: price, sampling: fc.constantFrom("sampled-1s", "complete", "?") }),
      fc.jsonValue({ maxDepth: 2 }),
    );
    const batch = fc.record({ source: fc.string({ maxLength: 6 }), events: fc.array(event, { maxLength: 8 }), seqs: fc.array(fc.integer({ min: -5, max: 1e9 }), { maxLength: 9 }), watermarkTs: fc.option(fc.integer(), { nil: undefined }) }, { requiredKeys: [] });
    const body = fc.oneof(
      batch.map((b) => JSON.stringify(b)),
      fc.string({ maxLength: 64 }),
      fc.constant("[".repeat(10_000)),
      fc.constant(new Uint8Array(MAX_INGEST_BODY_BYTES + 1)),
    );
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(fc.constantFrom("NEARUSDT", "nearusdt", "NOPEUSDT"), fc.constantFrom("POST", "POST", "POST", "PUT", "GET"), body, async (symbol, method, payload) => {
        const ctx = createExecutionContext();
        const res = await app.fetch(new Request(`http://127.0.0.1/internal/ingest/${symbol}`, { method, body: method === "GET" ? undefined : payload }), on, ctx);
        await waitOnExecutionContext(ctx);
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        const where = `${method} ${symbol} ${String(typeof payload === "string" ? payload.slice(0, 300) : `${payload.byteLength} bytes`)} → ${res.status}`;
        expect(res.status < 500, where).toBe(true);
        if (res.status >= 400) expect(ErrorBodySchema.safeParse(await res.json()).success, where).toBe(true);
        else await res.body?.cancel();
      }),
      { seed: SEED, numRuns: 80 },
    );
    for (const status of [200, 400, 404, 405, 413]) expect(statuses.get(status) ?? 0, `status ${status} in ${JSON.stringify([...statuses])}`).toBeGreaterThan(0);
  }, 60_000);

  it("still serves normally afterwards", async () => {
    const symbols = await SELF.fetch("https://liqflow.test/v1/symbols", { headers: { "CF-Connecting-IP": "10.78.0.1" } });
    expect(symbols.status).toBe(200);
    expect(((await symbols.json()) as { symbols: unknown[] }).symbols).toHaveLength(21);
    const snapshot = await SELF.fetch("https://liqflow.test/v1/symbols/BTCUSDT", { headers: { "CF-Connecting-IP": "10.78.0.1" } });
    expect(snapshot.status).toBe(200);
    const page = await SELF.fetch("https://liqflow.test/");
    expect(page.status).toBe(200);
  });
});
