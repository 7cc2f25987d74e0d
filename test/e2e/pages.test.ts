/**
 * The pages read honestly on any screen, in a real Chromium against the real stack (replay at
 * 50x): the header's clock badge says REPLAY with the recording's real date; a 390-px-wide
 * dashboard and symbol page never pan sideways; `/docs` loads without a console error (its
 * favicon) and renders parameter descriptions and defaults as text, with `code` as code; a
 * score below the weak-confidence threshold is dimmed.
 */
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WEAK_CONFIDENCE } from "../../src/client/ui/format.js";
import { findChromium } from "./chromium.js";
import { eventually, startStack, type Stack } from "./stack.js";

const CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];
const PHONE = { width: 390, height: 844 };

let stack: Stack;
let browser: Browser;

/** Console errors and failed loads of a page (a 503 `no_data` read before a symbol's first event is an answer, not a failure). */
function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(`pageerror: ${e.message}`));
  page.on("console", (m) => m.type() === "error" && errors.push(`console: ${m.text()}`));
  page.on("response", (r) => r.status() >= 400 && r.status() !== 503 && errors.push(`HTTP ${r.status()} ${r.url()}`));
  return errors;
}

async function open(path: string, viewport = { width: 1360, height: 900 }): Promise<Page> {
  const page = await browser.newPage({ viewport });
  await page.goto(`${stack.base}${path}`);
  return page;
}

beforeAll(async () => {
  [stack, browser] = await Promise.all([
    startStack({ speed: 50 }),
    findChromium().then((found) => chromium.launch({ executablePath: found.executablePath, args: CHROMIUM_ARGS, env: { ...process.env, ...found.env } as Record<string, string> })),
  ]);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

describe("pages in Chromium", () => {
  it("says REPLAY in the dashboard header, with the event time's date and the recording's real date", async () => {
    const page = await open("/");
    const badge = page.locator(".clock");
    const text = await eventually(async () => {
      const t = (await badge.count()) ? await badge.textContent() : null;
      return t && /recorded \d{4}-\d\d-\d\d/.test(t) ? t : undefined;
    }, 60_000, "the clock badge to show the recording date");
    expect(await badge.getAttribute("data-mode")).toBe("replay");
    expect(text).toMatch(/^REPLAY\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTCrecorded \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC · loop \d+/);
    expect(await page.locator("#conn").textContent()).not.toBe("live");
    await page.close();
  }, 90_000);

  it("never pans sideways on a 390-px-wide phone: dashboard and symbol page", async () => {
    for (const path of ["/", "/s/BTCUSDT"]) {
      const page = await open(path, PHONE);
      // Wait for the content that made the pages wide: the table rows, the market strip, the cards.
      await page.waitForSelector(path === "/" ? "#symbols tbody tr[data-symbol]" : "#symbol:not(:empty)", { timeout: 30_000 });
      await page.waitForTimeout(3_000);
      const widths = (await page.evaluate("({ scroll: document.documentElement.scrollWidth, body: document.body.scrollWidth })")) as { scroll: number; body: number };
      expect({ path, ...widths }).toEqual({ path, scroll: 390, body: 390 });
      const chart = await page.locator(".chart-wrap, #chart, .chart").first();
      if (path !== "/" && (await chart.count())) expect((await chart.boundingBox())!.width).toBeLessThanOrEqual(390);
      await page.close();
    }
  }, 90_000);

  it("serves /docs with no console error and parameters described in text, code as code", async () => {
    const page = await browser.newPage({ viewport: PHONE });
    const errors = watchErrors(page);
    await page.goto(`${stack.base}/docs`);
    await page.waitForSelector("section tr.param");
    await page.waitForTimeout(500);
    expect(errors).toEqual([]);
    const heatmap = page.locator("section", { hasText: "/v1/symbols/{symbol}/heatmap" }).first();
    const window = heatmap.locator("tr.param", { hasText: "window" }).first();
    expect(await window.locator("td").nth(2).textContent()).toMatch(/^how far back from the newest event/);
    expect(await window.locator("td code.default").textContent()).toBe("24h");
    expect(await heatmap.locator("tr.param", { hasText: "priceBin" }).locator("code.default").textContent()).toBe("10bps");
    const body = (await page.locator("#ops").textContent()) ?? "";
    expect(body).not.toContain("`");
    expect(body).not.toContain('{"type"');
    expect(await heatmap.locator("p code", { hasText: "timeBin" }).count()).toBeGreaterThan(0);
    expect(await page.evaluate("document.documentElement.scrollWidth")).toBe(390);
    await page.close();
  }, 60_000);

  it("dims a score below the weak-confidence threshold and writes its confidence beside it", async () => {
    const page = await open("/");
    const cells = await eventually(async () => {
      const all = (await page.evaluate(`[...document.querySelectorAll("#symbols td.bias[data-confidence]")].map((td) => ({
        confidence: Number(td.dataset.confidence), className: td.className, conf: td.querySelector(".conf").textContent, opacity: getComputedStyle(td.querySelector(".score")).opacity,
      }))`)) as { confidence: number; className: string; conf: string; opacity: string }[];
      return all.some((c) => c.confidence < WEAK_CONFIDENCE) ? all : undefined;
    }, 60_000, "a bias with low confidence");
    for (const c of cells) {
      if (c.confidence < WEAK_CONFIDENCE) {
        expect(c.className).toMatch(/\bweak\b/);
        expect(c.conf).toMatch(/^weak \d+%$/);
        expect(Number(c.opacity)).toBeLessThan(0.5);
      } else {
        expect(c.className).toMatch(/\bfirm\b/);
        expect(Number(c.opacity)).toBe(1);
      }
    }
    await page.close();
  }, 90_000);
});
