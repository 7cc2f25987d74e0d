/**
 * End to end: the HTTP limits on `npm start`'s real stack (wrangler dev, engine + collector).
 * An 8 MB POST to the dashboard's path once stopped the whole stack (the catch-all handed the
 * unread body to the assets binding and wrangler dev exited); a flood from one address had no
 * limit. Here the stack runs with a low read limit (READ_RATE_LIMIT) so a short flood meets it.
 */
import { request } from "node:http";
import { chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findChromium } from "./chromium.js";
import { getJson, startStack, type Stack } from "./stack.js";

/** Reads per 10 s per address for this stack: low enough for a short flood, high enough for the start-up probes. */
const READ_RATE_LIMIT = 40;
const EIGHT_MB = new Uint8Array(8 * 1024 * 1024).fill(0x61);

let stack: Stack;

beforeAll(async () => {
  stack = await startStack({
    // npm start passes READ_RATE_LIMIT from its environment to the engine (wrangler dev --var).
    env: { READ_RATE_LIMIT: String(READ_RATE_LIMIT) },
  });
});

afterAll(async () => {
  await stack?.stop();
});

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/**
 * POSTs `body` with a Content-Length as curl does (node:http; `fetch` streams its body in a way
 * that did not stop the stack). Resolves with the response, or rejects if the connection failed.
 */
function post(url: string, body: Uint8Array, contentType = "application/octet-stream", method = "POST"): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers: { "Content-Length": String(body.byteLength), "Content-Type": contentType } });
    req.on("response", (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (d: string) => (text += d));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

/** Waits out the limiter so each test starts with a full bucket. */
async function fullBucket(): Promise<void> {
  await new Promise((r) => setTimeout(r, 10_500));
}

describe("HTTP limits on the local stack", () => {
  it("answers an 8 MB POST to / with 405 before reading it, and keeps serving", async () => {
    for (const path of ["/", "/v1/symbols", "/assets/app.css", "/docs/"]) {
      // Today's code: `/` hands the body to the assets binding; wrangler dev answers 500 and exits.
      const res = await post(`${stack.base}${path}`, EIGHT_MB);
      expect(res.status, path).toBe(405);
      expect(res.headers.allow, path).toMatch(/^GET, HEAD/);
      expect(res.headers["content-type"], path).toMatch(/application\/json/);
      expect(JSON.parse(res.text).error.code, path).toBe("method_not_allowed");
    }
    // A GET may carry a body too: a static file is fetched without it.
    const css = await post(`${stack.base}/assets/app.css`, EIGHT_MB, "text/plain", "GET");
    expect(css.status).toBe(200);
    expect(css.headers["content-type"]).toMatch(/text\/css/);
    const dashboard = await fetch(`${stack.base}/`);
    expect(dashboard.status).toBe(200);
    expect(await dashboard.text()).toContain("<html");
    const { status, body } = await getJson(`${stack.base}/v1/symbols`);
    expect(status).toBe(200);
    expect(body.symbols).toHaveLength(21);
    expect(stack.log()).not.toMatch(/wrangler dev exited/);
  });

  it("has no write path under npm start: the development ingest route is off and refuses before reading the body", async () => {
    const res = await post(`${stack.base}/internal/ingest/BTCUSDT`, EIGHT_MB, "application/json");
    expect(res.status).toBe(404);
    expect(JSON.parse(res.text).error.code).toBe("not_found");
    expect((await fetch(`${stack.base}/v1`)).status).toBe(200);
  });

  it("renders /docs in a real browser under its strict CSP, with no violation", async () => {
    const found = await findChromium();
    const browser = await chromium.launch({
      executablePath: found.executablePath,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"],
      env: { ...process.env, ...found.env } as Record<string, string>,
    });
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on("pageerror", (e) => errors.push(`pageerror: ${e.message}`));
      page.on("console", (m) => m.type() === "error" && errors.push(`console: ${m.text()}`));
      const res = await page.goto(`${stack.base}/docs/`);
      expect(res?.headers()["content-security-policy"]).toMatch(/^default-src 'none'; script-src 'sha256-[A-Za-z0-9+/]+=*'; style-src 'sha256-/);
      // The inline module script ran (it fetched /openapi.json and drew one section per path) and the inline style applied.
      const sections = page.locator("#ops section");
      await page.locator("#ops section >> nth=9").waitFor({ timeout: 30_000 });
      expect(await sections.count()).toBeGreaterThanOrEqual(10);
      expect(await page.locator("#ops section .path").first().textContent()).toBe("/v1/symbols");
      expect(await page.locator("#ops section .get").first().evaluate((el) => el.ownerDocument.defaultView!.getComputedStyle(el).fontWeight)).toBe("600");
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  });

  it("answers a flood from one address with 429 and Retry-After, then serves it again", async () => {
    await fullBucket();
    const responses = await Promise.all(Array.from({ length: READ_RATE_LIMIT * 3 }, () => fetch(`${stack.base}/v1/symbols`)));
    const statuses = responses.map((r) => r.status);
    const ok = statuses.filter((s) => s === 200).length;
    const limited = responses.filter((r) => r.status === 429);
    // The bucket holds READ_RATE_LIMIT tokens and refills READ_RATE_LIMIT per 10 s while the flood runs.
    expect(ok).toBeGreaterThanOrEqual(READ_RATE_LIMIT);
    expect(limited.length).toBeGreaterThan(0);
    expect(ok + limited.length).toBe(statuses.length);
    const first = limited[0];
    const retryAfterS = Number(first.headers.get("Retry-After"));
    expect(Number.isInteger(retryAfterS)).toBe(true);
    expect(retryAfterS).toBeGreaterThanOrEqual(1);
    expect(retryAfterS).toBeLessThanOrEqual(10);
    expect(first.headers.get("Content-Type")).toMatch(/application\/json/);
    expect(((await first.json()) as { error: unknown }).error).toMatchObject({ code: "rate_limited", message: expect.stringMatching(/Retry-After/) });
    await Promise.all(responses.filter((r) => !r.bodyUsed).map((r) => r.body?.cancel()));
    // Pages, assets and the stream are not on the read limiter.
    expect((await fetch(`${stack.base}/`)).status).toBe(200);
    await new Promise((r) => setTimeout(r, retryAfterS * 1000 + 100));
    expect((await fetch(`${stack.base}/v1/symbols`)).status).toBe(200);
  });
});
