/**
 * In a real browser: Chromium (the build shipped in the npm package @sparticuz/chromium, or
 * CHROMIUM_PATH; see chromium.ts) driven by playwright-core, against the real stack
 * (wrangler dev, replay at 50x). The dashboard's BTCUSDT row shows a price and a bias that
 * updates; the symbol page renders its cards and draws the price it streams; a page on another
 * origin embeds `<liqflow-score>` with the script tag and the widget renders and updates; the
 * iframe page carries its CSP. Assertions read the DOM text and the drawn canvas, not just
 * that a page loaded. Set LIQFLOW_SCREENSHOTS=/some/dir to keep screenshots.
 */
import { createServer, type Server } from "node:http";
import { join } from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findChromium } from "./chromium.js";
import { eventually, startStack, type Stack } from "./stack.js";

/** The page functions below run in the browser (this project's tsconfig has no DOM lib). */
declare const window: { devicePixelRatio: number };
declare const document: { createElement(tag: "canvas"): any };

const CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];
const SCORE = /^(\+|\u2212)?\d\.\d\d$/;

let stack: Stack;
let browser: Browser;
let thirdParty: Server;
let thirdPartyOrigin = "";

/** Liquidation-map endpoints the pages probe; until the engine serves them they answer 404 and the pages say so. */
const PROBED = /\/v1\/symbols\/[0-9A-Z]+\/(heatmap|levels|clusters|cascade)(\?|$)/;

/**
 * Everything a page reports as broken: uncaught errors, console errors (CSP violations land
 * there) and failed requests, except the probes above.
 */
function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(`pageerror: ${e.message}`));
  page.on("console", (m) => {
    // A failed load is reported below with its URL.
    if (m.type() === "error" && !m.text().startsWith("Failed to load resource")) errors.push(`console: ${m.text()}`);
  });
  page.on("response", (r) => {
    if (r.status() >= 400 && !(r.status() === 404 && PROBED.test(r.url()))) errors.push(`HTTP ${r.status()} ${r.url()}`);
  });
  // ERR_ABORTED is a load the page itself cancelled (a preview iframe replaced by the next one).
  page.on("requestfailed", (r) => r.failure()?.errorText !== "net::ERR_ABORTED" && errors.push(`failed: ${r.url()} ${r.failure()?.errorText ?? ""}`));
  return errors;
}

/** Pixels of the symbol chart (`#chart`: lightweight-charts' canvases, composited) whose r, g, b `match` accepts. */
async function chartPixels(page: Page, match: string): Promise<number> {
  return page.locator("#chart").evaluate((root, matchSrc) => {
    const rect = root.getBoundingClientRect();
    const dpr = window.devicePixelRatio || 1;
    const out = document.createElement("canvas");
    out.width = Math.max(1, Math.round(rect.width * dpr));
    out.height = Math.max(1, Math.round(rect.height * dpr));
    const ctx = out.getContext("2d")!;
    for (const c of root.querySelectorAll("canvas")) {
      const r = c.getBoundingClientRect();
      if (r.width > 0 && r.height > 0) ctx.drawImage(c, (r.left - rect.left) * dpr, (r.top - rect.top) * dpr, r.width * dpr, r.height * dpr);
    }
    const { data } = ctx.getImageData(0, 0, out.width, out.height);
    const accept = new Function("r", "g", "b", "a", `return ${matchSrc};`) as (r: number, g: number, b: number, a: number) => boolean;
    let n = 0;
    for (let i = 0; i < data.length; i += 4) if (accept(data[i], data[i + 1], data[i + 2], data[i + 3])) n++;
    return n;
  }, match);
}

async function screenshot(page: Page, name: string): Promise<void> {
  const dir = process.env.LIQFLOW_SCREENSHOTS;
  if (dir) await page.screenshot({ path: join(dir, name), fullPage: true });
}

function thirdPartyPage(engine: string): string {
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>A trading blog</title>
<style>
  body { font-family: Georgia, serif; color: rgb(255, 0, 0); background: #fff; }
  div, span { background-color: rgb(0, 0, 255) !important; }
  .score { font-size: 40px; }
</style></head>
<body>
<h1>A trading blog on another origin</h1>
<p class="score" id="host-score">the host page's own .score</p>
<liqflow-score id="w1" symbol="BTCUSDT" mode="scalp" theme="dark" size="full"></liqflow-score>
<liqflow-score id="w2" symbol="BTCUSDT" mode="day" size="compact"></liqflow-score>
<liqflow-score id="bad" symbol="&lt;img src=x onerror=alert(1)&gt;"></liqflow-score>
<iframe id="frame" src="${engine}/embed/BTCUSDT?mode=day&amp;theme=light&amp;size=full" width="320" height="110" style="border:0"></iframe>
<script src="${engine}/embed.js" async></script>
</body></html>`;
}

beforeAll(async () => {
  const started = Promise.all([
    startStack({ speed: 50 }),
    findChromium().then((found) => chromium.launch({ executablePath: found.executablePath, args: CHROMIUM_ARGS, env: { ...process.env, ...found.env } as Record<string, string> })),
    new Promise<Server>((resolve) => {
      const server = createServer((req, res) => {
        if (req.url !== "/") {
          res.writeHead(req.url === "/favicon.ico" ? 204 : 404).end();
          return;
        }
        res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
        res.end(thirdPartyPage(stack.base));
      });
      server.listen(0, "127.0.0.1", () => resolve(server));
    }),
  ]);
  [stack, browser, thirdParty] = await started;
  const address = thirdParty.address();
  // "localhost" and another port: a different origin from the engine's 127.0.0.1.
  thirdPartyOrigin = `http://localhost:${typeof address === "object" && address ? address.port : 0}`;
});

afterAll(async () => {
  await browser?.close();
  await new Promise((r) => (thirdParty ? thirdParty.close(r) : r(undefined)));
  await stack?.stop();
});

describe("in Chromium", () => {
  it("the dashboard's BTCUSDT row shows a price and a bias that updates live", async () => {
    const page = await browser.newPage({ viewport: { width: 1360, height: 1000 } });
    const errors = watchErrors(page);
    await page.goto(`${stack.base}/`);
    const row = page.locator('tr[data-symbol="BTCUSDT"]');
    await expect.poll(async () => page.locator("#symbols tbody tr").count(), { timeout: 20_000 }).toBe(21);
    await expect.poll(() => row.locator("td.price").textContent(), { timeout: 30_000 }).toMatch(/^\d{1,3}(,\d{3})*\.\d$/);
    const scalp = row.locator('td.bias[data-mode="scalp"]');
    await expect.poll(() => scalp.locator(".score").textContent(), { timeout: 30_000 }).toMatch(SCORE);
    expect(await scalp.locator(".arrow").textContent()).toMatch(/^[▲▼▶]$/);
    // A score below 30 % confidence reads as weak: dimmed, with "weak" beside its confidence.
    const conf = (await scalp.locator(".conf").textContent()) ?? "";
    expect(conf).toMatch(/^(weak )?\d{1,3}%$/);
    expect(await scalp.getAttribute("class")).toMatch(conf.startsWith("weak") ? /^bias (long|short|neutral) weak$/ : /^bias (long|short|neutral) firm s[0-3]$/);

    const before = { ts: await row.getAttribute("data-ts"), text: await row.innerText() };
    await expect.poll(async () => ({ ts: await row.getAttribute("data-ts"), text: await row.innerText() }), { timeout: 30_000 }).not.toEqual(before);
    expect(Number(await row.getAttribute("data-ts"))).toBeGreaterThan(Number(before.ts));
    expect(await page.locator("#conn").getAttribute("data-state")).toBe("open");
    expect(await row.locator("td.updated").textContent()).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);

    // The snippet generator writes an iframe snippet for the chosen options.
    await page.selectOption("#sn-kind", "iframe");
    await page.selectOption("#sn-mode", "swing");
    expect(await page.locator("#sn-code").textContent()).toBe(
      `<iframe src="${stack.base}/embed/BTCUSDT?mode=swing&amp;theme=dark&amp;size=full" title="liqflow BTCUSDT swing bias" width="320" height="110" style="border:0;overflow:hidden" loading="lazy"></iframe>`,
    );
    // The scorecard: the day mode's bias row and one row per category, each with its record or
    // "not enough data" (a replay of minutes of trades scores few outcomes), never a blank.
    const scorecard = page.locator("#scorecard");
    await expect.poll(() => scorecard.locator('tr[data-id="bias"]').count(), { timeout: 20_000 }).toBeGreaterThan(0);
    const statuses = await scorecard.locator("tr[data-status]").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-status")));
    expect(statuses.length).toBeGreaterThan(1);
    for (const st of statuses) expect(st).toMatch(/^(ok|not enough data)$/);
    await scorecard.getByRole("button", { name: "swing" }).click();
    expect(await scorecard.locator("p.status").first().textContent()).toMatch(/^swing: outcome = return over 4 h in σ units/);
    await screenshot(page, "liqflow-dashboard.png");
    expect(errors).toEqual([]);
    await page.close();
  });

  it("the symbol page renders the cards by category with state, the bias explanation, and draws the streamed price", async () => {
    const page = await browser.newPage({ viewport: { width: 1360, height: 1000 } });
    const errors = watchErrors(page);
    await page.goto(`${stack.base}/s/BTCUSDT`);
    expect(await page.locator("#symbol").textContent()).toBe("BTCUSDT");
    await expect.poll(() => page.locator(".card").count(), { timeout: 30_000 }).toBeGreaterThanOrEqual(5);
    const categories = await page.locator(".category").evaluateAll((nodes) => nodes.map((n) => n.getAttribute("data-category")));
    expect(categories).toEqual(expect.arrayContaining(["liquidation", "order-flow", "orderbook", "funding", "momentum", "smart-money", "derivatives"]));
    const cvd = page.locator('.card[data-card="flow.cvd"]');
    expect(await cvd.locator(".state").textContent()).toMatch(/^(bullish|bearish|neutral|conflicted)$/);
    expect(await cvd.locator(".tf").count()).toBe(3);

    await expect.poll(() => page.locator(".mode-tile").count(), { timeout: 10_000 }).toBe(3);
    await expect.poll(() => page.locator(".components tbody tr").count(), { timeout: 10_000 }).toBeGreaterThan(0);
    expect(await page.locator(".formula").textContent()).toMatch(/score = raw × √coverage = .* raw = Σ w·c·s \/ Σ w over \d+ of \d+ categories/);

    // #chart is the lightweight-charts box (test/e2e/chart.test.ts covers it in depth): its candles come from /candles.
    const canvas = page.locator("#chart");
    await expect.poll(async () => Number(await canvas.getAttribute("data-points")), { timeout: 30_000 }).toBeGreaterThanOrEqual(2);
    const drawnPrice = Number(await canvas.getAttribute("data-last-price"));
    expect(drawnPrice).toBeGreaterThan(10_000);
    // The price is drawn: the light candles (and the current price line while the price is current).
    await expect.poll(() => chartPixels(page, "r > 200 && g > 200 && b > 200 && a > 200"), { timeout: 10_000 }).toBeGreaterThan(500);
    // The liquidation maps: drawn where the engine serves them, a clear "not available yet" where not.
    const status = page.locator("#chart-status");
    await expect.poll(() => status.getAttribute("data-heatmap"), { timeout: 15_000 }).toMatch(/^(available|unavailable)$/);
    if ((await status.getAttribute("data-heatmap")) === "unavailable") expect(await status.textContent()).toMatch(/Liquidation heatmap: not available yet/);
    // Zones arrive over the stream and are listed, one table row per zone, each with its kind and range.
    const zones = page.locator("#zones");
    await expect.poll(() => zones.getAttribute("data-state"), { timeout: 20_000 }).toBe("available");
    // One state: the count and the rows read in one round trip (zones update every cycle at 50x).
    const { zoneCount, rows } = await zones.evaluate((box) => ({ zoneCount: Number(box.getAttribute("data-zones")), rows: box.querySelectorAll("tbody tr").length }));
    expect(rows).toBe(zoneCount);
    if (zoneCount > 0) {
      expect(await zones.locator("tbody tr td.zone-kind").first().textContent()).toMatch(/^(support|resistance)$/);
      // step 8: a signed score with its confidence, or a dash when no component was available
      expect(await zones.locator("tbody tr td.zone-direction").first().textContent()).toMatch(/^(–|(\+|\u2212)?\d\.\d\d \(\d+%\))$/);
    }
    expect(await canvas.getAttribute("data-zones")).toMatch(/^\d+$/);
    await screenshot(page, "liqflow-symbol.png");
    expect(errors).toEqual([]);
    await page.close();
  });

  it("the symbol page draws the realized liquidation heatmap cells the engine serves", async () => {
    // Replayed BTCUSDT liquidations (the 2025 forceOrder recording) reach the engine first.
    const served = await eventually(async () => {
      const res = await fetch(`${stack.base}/v1/symbols/BTCUSDT/heatmap`);
      const h = res.ok ? ((await res.json()) as { cells: unknown[] }) : null;
      return h && h.cells.length > 0 ? h : undefined;
    }, 120_000, "BTCUSDT heatmap cells");
    const page = await browser.newPage({ viewport: { width: 1360, height: 1000 } });
    await page.goto(`${stack.base}/s/BTCUSDT`);
    const canvas = page.locator("#chart");
    await expect.poll(() => page.locator("#chart-status").getAttribute("data-heatmap"), { timeout: 20_000 }).toBe("available");
    // Cells are drawn only inside the candles' span, and BTCUSDT's liquidations share a day with its
    // candles for a few seconds of each pass over the recordings (about 45 s at 50x): wait for such a
    // paint, and read its cell count and its pixels together. Cells are drawn in the liquidation
    // palette: longs liquidated (green, 47/209/122) to shorts (red, 255/90/79).
    const PALETTE = "(r - g > 60 && r - b > 60) || (g - r > 60 && g - b > 30)";
    const paint = async () => {
      const cells = Number(await canvas.getAttribute("data-cells"));
      return { cells, pixels: cells >= 1 ? await chartPixels(page, PALETTE) : 0 };
    };
    let drawn = { cells: 0, pixels: 0 };
    await expect.poll(async () => (drawn = await paint()).pixels > 20, { timeout: 120_000, interval: 250 }).toBe(true);
    expect(drawn.cells).toBeLessThanOrEqual(served.cells.length + 200);
    await screenshot(page, "liqflow-heatmap.png");
    // The maps stay live: the stream's merge patches keep arriving and are applied.
    await expect.poll(async () => Number(await page.locator("#chart-status").getAttribute("data-patches")), { timeout: 60_000 }).toBeGreaterThanOrEqual(2);
    await expect.poll(async () => (await paint()).pixels > 20, { timeout: 120_000, interval: 250 }).toBe(true);
    await page.close();
  }, 360_000);

  it("a page on another origin embeds <liqflow-score> with the script tag: it renders, updates, and keeps styles apart", async () => {
    const page = await browser.newPage({ viewport: { width: 900, height: 600 } });
    const errors = watchErrors(page);
    const sockets: string[] = [];
    page.on("websocket", (ws) => sockets.push(ws.url()));
    await page.goto(`${thirdPartyOrigin}/`);
    expect(new URL(page.url()).origin).not.toBe(new URL(stack.base).origin);
    const w1 = page.locator("#w1");
    await expect.poll(() => w1.locator(".score").textContent(), { timeout: 30_000 }).toMatch(SCORE);
    expect(await w1.locator(".sym").textContent()).toBe("BTCUSDT");
    expect(await w1.locator(".ts").textContent()).toMatch(/^(\d{4}-\d\d-\d\d \d\d:\d\d|\d\d:\d\d:\d\d)$/);
    expect(await w1.getAttribute("data-status")).toBe("live");
    const before = await w1.locator(".ts").textContent();
    await expect.poll(() => w1.locator(".ts").textContent(), { timeout: 30_000 }).not.toBe(before);
    await expect.poll(() => page.locator("#w2 .score").textContent(), { timeout: 10_000 }).toMatch(SCORE);

    // Nothing leaks in: the host's `div, span { background: blue !important }` and red text stop at the shadow root.
    const inside = await w1.evaluate((el) => {
      const root = el.shadowRoot!;
      const style = (q: string) => el.ownerDocument.defaultView!.getComputedStyle(root.querySelector(q)!);
      return { bg: style(".w").backgroundColor, sym: style(".sym").color };
    });
    expect(inside).toEqual({ bg: "rgb(21, 26, 35)", sym: "rgb(230, 233, 239)" });
    // Nothing leaks out: the widget's .score rule does not restyle the host's .score.
    expect(await page.locator("#host-score").evaluate((el) => el.ownerDocument.defaultView!.getComputedStyle(el).fontSize)).toBe("40px");
    // A hostile attribute is refused and shown as text, never as markup.
    expect(await page.locator("#bad").getAttribute("data-status")).toBe("error");
    expect(await page.locator("#bad .msg").textContent()).toBe("liqflow: symbol must be 2-30 letters or digits, e.g. BTCUSDT");
    expect(await page.locator("#bad").evaluate((el) => el.shadowRoot!.querySelector("img"))).toBeNull();

    // The iframe version renders too (it is framed by another origin: CSP allows it by default).
    const frame = page.frameLocator("#frame");
    await expect.poll(() => frame.locator("liqflow-score .score").textContent(), { timeout: 30_000 }).toMatch(SCORE);
    // Two widgets on the page share one connection; the iframe has its own.
    expect(sockets.filter((u) => u === `${stack.base.replace("http", "ws")}/v1/stream`)).toHaveLength(2);
    await screenshot(page, "liqflow-embed.png");
    expect(errors).toEqual([]);
    await page.close();
  });

  it("the iframe page sends its CSP, frame-ancestors included, and refuses bad parameters", async () => {
    const res = await fetch(`${stack.base}/embed/BTCUSDT?mode=day&theme=dark&size=compact`);
    expect(res.status).toBe(200);
    const csp = res.headers.get("Content-Security-Policy") ?? "";
    expect(csp).toContain("frame-ancestors *");
    expect(csp).toContain("script-src 'self'");
    expect(await res.text()).toContain('<script src="/embed.js"></script>');
    const bad = await fetch(`${stack.base}/embed/BTCUSDT?theme=neon`);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe("bad_parameter");
    const dashboard = await fetch(`${stack.base}/`);
    expect(dashboard.headers.get("Content-Security-Policy")).toContain("frame-ancestors 'self'");
    const script = await fetch(`${stack.base}/embed.js`);
    expect(script.headers.get("Access-Control-Allow-Origin")).toBe("*");
    await eventually(async () => ((await fetch(`${stack.base}/s/NOPEUSDT`)).status === 404 ? true : undefined), 5_000, "a 404 for an unknown symbol page");
  });
});
