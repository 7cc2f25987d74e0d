/**
 * The symbol page's chart in a real Chromium against the real stack (wrangler dev, replay at
 * 50x): candles from `/candles` are drawn, the realized heatmap's cells are drawn over them at the
 * price rows they stand for (checked through the chart library's own pixel → price mapping, not
 * ours), the window / time bin / price bin controls change the requests the page makes, the
 * venue filter asks the heatmap of one venue, the leverage-tier filter asks the levels of one tier
 * of the level model, open interest and funding over the candles' span are drawn or said missing,
 * and the symbol switcher opens another symbol's page.
 *
 * The replay runs at 50x: BTCUSDT's liquidations and its trades share a day only for a few seconds
 * of each pass over the recordings (about 45 s per pass at 50x, several minutes at 10x: the trade
 * recordings play at the replay speed while the sparse liquidation recordings are mostly skipped
 * silence), so a higher speed gives more chances per minute. The page draws no cell outside the
 * candles' span (`data-span`), so the checks wait for a paint that holds cells, not for luck.
 */
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findChromium } from "./chromium.js";
import { eventually, startStack, type Stack } from "./stack.js";

/** The page functions below run in the browser (this project's tsconfig has no DOM lib). */
declare const window: { devicePixelRatio: number };
declare const document: { createElement(tag: "canvas"): any };

const CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

let stack: Stack;
let browser: Browser;

beforeAll(async () => {
  [stack, browser] = await Promise.all([
    startStack({ speed: 50 }),
    findChromium().then((found) => chromium.launch({ executablePath: found.executablePath, args: CHROMIUM_ARGS, env: { ...process.env, ...found.env } as Record<string, string> })),
  ]);
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

/** Every canvas of the chart composited into one image; counts the pixels `match` accepts inside `box` (page px, default all). */
async function countPixels(page: Page, match: string, box?: { x: number; y: number; w: number; h: number }): Promise<number> {
  return page.locator("#chart").evaluate(
    (root, [matchSrc, clip]) => {
      const rect = root.getBoundingClientRect();
      const dpr = window.devicePixelRatio || 1;
      const out = document.createElement("canvas");
      out.width = Math.round(rect.width * dpr);
      out.height = Math.round(rect.height * dpr);
      const ctx = out.getContext("2d")!;
      for (const c of root.querySelectorAll("canvas")) {
        const r = c.getBoundingClientRect();
        ctx.drawImage(c, (r.left - rect.left) * dpr, (r.top - rect.top) * dpr, r.width * dpr, r.height * dpr);
      }
      const area = (clip as { x: number; y: number; w: number; h: number } | null) ?? { x: rect.left, y: rect.top, w: rect.width, h: rect.height };
      const x0 = Math.max(0, Math.floor((area.x - rect.left) * dpr));
      const y0 = Math.max(0, Math.floor((area.y - rect.top) * dpr));
      const w = Math.max(1, Math.min(out.width - x0, Math.floor(area.w * dpr)));
      const h = Math.max(1, Math.min(out.height - y0, Math.floor(area.h * dpr)));
      const { data } = ctx.getImageData(x0, y0, w, h);
      const accept = new Function("r", "g", "b", `return ${matchSrc};`) as (r: number, g: number, b: number) => boolean;
      let n = 0;
      for (let i = 0; i < data.length; i += 4) if (accept(data[i], data[i + 1], data[i + 2])) n++;
      return n;
    },
    [match, box ?? null] as const,
  );
}

/** The page box of the price pane's drawing area (its largest canvas). */
async function pricePane(page: Page): Promise<{ x: number; y: number; w: number; h: number }> {
  return page.locator("#chart").evaluate((root) => {
    let best = { x: 0, y: 0, w: 0, h: 0 };
    for (const c of root.querySelectorAll("canvas")) {
      const r = c.getBoundingClientRect();
      if (r.width * r.height > best.w * best.h) best = { x: r.left, y: r.top, w: r.width, h: r.height };
    }
    return best;
  });
}

describe("the symbol page's chart in Chromium", () => {
  it("draws candles, the heatmap cells over them at their price rows, and its controls change the heatmap and candle requests", async () => {
    const served = await eventually(async () => {
      const [c, h] = await Promise.all([fetch(`${stack.base}/v1/symbols/BTCUSDT/candles`), fetch(`${stack.base}/v1/symbols/BTCUSDT/heatmap`)]);
      if (!c.ok || !h.ok) return undefined;
      const candles = (await c.json()) as { candles: { close: number | null }[] };
      const heatmap = (await h.json()) as { cells: unknown[] };
      return candles.candles.filter((x) => x.close !== null).length >= 2 && heatmap.cells.length > 0 ? { candles, heatmap } : undefined;
    }, 150_000, "BTCUSDT candles and heatmap cells");

    const page = await browser.newPage({ viewport: { width: 1360, height: 1100 } });
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(`pageerror: ${e.message}`));
    page.on("console", (m) => m.type() === "error" && !m.text().startsWith("Failed to load resource") && errors.push(`console: ${m.text()}`));
    const requests: string[] = [];
    page.on("request", (r) => {
      const u = new URL(r.url());
      if (/\/(candles|heatmap|levels)$/.test(u.pathname)) requests.push(`${u.pathname.split("/").pop()}?${u.searchParams.toString()}`);
    });
    await page.goto(`${stack.base}/s/BTCUSDT`);
    const chart = page.locator("#chart");

    // Candles: the page asked for a day of 1m candles and drew them in the candle greys.
    // (One state per read: the replay moves through a day of event time in seconds, and a day of candles may hold only liquidations for a while.)
    await expect
      .poll(() => chart.evaluate((e) => Number(e.getAttribute("data-points")) >= 2 && Number(e.getAttribute("data-last-price")) > 1_000), { timeout: 60_000, interval: 250 })
      .toBe(true);
    expect(requests).toContain("candles?tf=1m&limit=1440");
    const pane = await pricePane(page);
    const CANDLE = "(Math.abs(r - 214) < 6 && Math.abs(g - 219) < 6 && Math.abs(b - 229) < 6) || (Math.abs(r - 96) < 6 && Math.abs(g - 104) < 6 && Math.abs(b - 122) < 6)";
    if (process.env.LIQFLOW_SCREENSHOTS) await page.waitForTimeout(1500).then(() => page.locator("#chart").screenshot({ path: `${process.env.LIQFLOW_SCREENSHOTS}/liqflow-chart.png` }));
    await expect.poll(() => countPixels(page, CANDLE, pane), { timeout: 30_000 }).toBeGreaterThan(30);

    // The current price line: drawn at a price, or not drawn with the reason (a stale price names its date).
    await expect.poll(async () => (await chart.getAttribute("data-price-line")) ?? "", { timeout: 20_000 }).not.toBe("");
    const line = (await chart.getAttribute("data-price-line"))!;
    if (line === "none") expect(await chart.getAttribute("data-price-line-reason")).toMatch(/^(price stale: last trade .* at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC|no trade yet|no current price)/);
    else expect(Number(line)).toBeGreaterThan(1_000);

    // Heatmap cells over the candles. Only cells inside the candles' span are drawn (`data-span`: "same",
    // or "candles-behind" while a newer heatmap waits for the next candle read); each check reads one
    // paint: the drawn cell and its pixels in one round trip, retried until a paint holds cells.
    type Drawn = { cells: number; span: string; cell: { x: number; y: number; w: number; h: number; p0: number; p1: number; centrePrice: number | null } | null; palette: boolean };
    const PALETTE = "(r - g > 60 && r - b > 60) || (g - r > 60 && g - b > 30)";
    const drawnCell = () =>
      page.locator("#chart").evaluate((root, matchSrc): Drawn => {
        const raw = root.getAttribute("data-largest-cell") ?? "";
        const cell = raw === "" ? null : (JSON.parse(raw) as Drawn["cell"]);
        const cells = Number(root.getAttribute("data-cells") ?? 0);
        const span = root.getAttribute("data-span") ?? "";
        if (cell === null) return { cells, span, cell, palette: false };
        // The price pane's canvases are the largest (its drawing and its crosshair layer); the cell's box is in their CSS px.
        const canvases = [...root.querySelectorAll("canvas")].map((c: any) => ({ c, r: c.getBoundingClientRect() }));
        const area = Math.max(...canvases.map(({ r }) => r.width * r.height));
        const accept = new Function("r", "g", "b", `return ${matchSrc};`) as (r: number, g: number, b: number) => boolean;
        const palette = canvases
          .filter(({ r }) => r.width * r.height === area)
          .some(({ c, r }) => {
            const scale = c.width / r.width;
            const px = c.getContext("2d").getImageData(Math.floor((cell.x + cell.w / 2) * scale), Math.floor((cell.y + cell.h / 2) * scale), 1, 1).data;
            return accept(px[0], px[1], px[2]);
          });
        return { cells, span, cell, palette };
      }, PALETTE);
    // The crosshair over that cell reads its row back through the library's pixel → price mapping. Both
    // in one round of the poll: BTCUSDT's liquidations and trades share a day for a few seconds of each
    // pass over the recordings, so the two checks read the same paint (a pass takes about 45 s at 50x).
    const readout = page.locator("#chart-readout");
    let seen: Drawn | null = null;
    let hovered: { price: number; text: string } | null = null;
    const states: string[] = [];
    const painted = (d: Drawn) =>
      // Painted in the liquidation palette, and at its row: the chart's own scale maps the cell's centre to a price inside its bin.
      (d.span === "same" || d.span === "candles-behind") && d.cells >= 1 && d.cell !== null && d.palette && d.cell.centrePrice !== null && d.cell.centrePrice >= d.cell.p0 && d.cell.centrePrice <= d.cell.p1;
    await expect
      .poll(
        async () => {
          seen = await drawnCell();
          const c = seen.cell;
          // What each read saw (span/cells/points, and for a drawn cell: palette at its centre, centre in its bin), for the failure message.
          const state = `${seen.span}/${seen.cells}/${await chart.getAttribute("data-points")}${c ? `:palette=${seen.palette},inBin=${c.centrePrice !== null && c.centrePrice >= c.p0 && c.centrePrice <= c.p1}` : ""}`;
          if (states.at(-1) !== state) states.push(state);
          hovered = null;
          const cell = seen.cell;
          if (!painted(seen) || cell === null) return false;
          // The mouse moves in viewport coordinates: the chart must be in view (at 1360×1100 its lower
          // part is below the fold, and a move there reached no canvas: the crosshair stayed off).
          await chart.scrollIntoViewIfNeeded();
          const pane = await pricePane(page);
          await page.mouse.move(pane.x + cell.x + cell.w / 2, pane.y + cell.y + cell.h / 2);
          await page.waitForTimeout(100);
          hovered = { price: Number(await readout.getAttribute("data-price")), text: (await readout.textContent()) ?? "" };
          states.push(`hover ${hovered.price} "${hovered.text}" over ${cell.p0}..${cell.p1}`);
          const slack = (cell.p1 - cell.p0) * 0.05;
          return hovered.price >= cell.p0 - slack && hovered.price <= cell.p1 + slack && /realized: longs \$?[\d.,]+[kKmMbB]?, shorts/.test(hovered.text);
        },
        { timeout: 150_000, interval: 250 },
      )
      .toBe(true)
      .catch((err: Error) => {
        throw new Error(`${err.message}\nlast paint read: ${JSON.stringify(seen)}; hovered: ${JSON.stringify(hovered)}; span/cells/points seen: ${states.join(" ")}`);
      });
    expect(seen!.cells).toBeLessThanOrEqual(served.heatmap.cells.length + 500);

    // Open interest and funding over the candles' span: drawn from the candles' own fields, or said missing.
    await expect.poll(async () => (await page.locator("#oi-funding").getAttribute("data-state")) ?? "", { timeout: 10_000 }).toMatch(/^(drawn|no-data)$/);
    expect(await page.locator("#oi-funding").textContent()).toMatch(/^Open interest and funding/);

    // Controls: the window and the time bin change both requests; the price bin the heatmap's.
    await page.selectOption('#chart-controls select[name="window"]', "4h");
    await expect.poll(() => requests, { timeout: 10_000 }).toEqual(expect.arrayContaining(["candles?tf=1m&limit=240", "heatmap?window=4h&timeBin=1m&priceBin=10bps"]));
    await page.selectOption('#chart-controls select[name="timeBin"]', "5m");
    await expect.poll(() => requests, { timeout: 10_000 }).toEqual(expect.arrayContaining(["candles?tf=5m&limit=48", "heatmap?window=4h&timeBin=5m&priceBin=10bps"]));
    await expect.poll(() => chart.getAttribute("data-tf"), { timeout: 10_000 }).toBe("5m");
    await page.selectOption('#chart-controls select[name="priceBin"]', "25bps");
    await expect.poll(() => requests, { timeout: 10_000 }).toContain("heatmap?window=4h&timeBin=5m&priceBin=25bps");
    // The venue filter: the heatmap of that venue alone, and the page says which.
    await page.selectOption('#chart-controls select[name="venue"]', "binance");
    await expect.poll(() => requests, { timeout: 10_000 }).toContain("heatmap?window=4h&timeBin=5m&priceBin=25bps&venue=binance");
    await expect.poll(async () => (await page.locator("#chart-filters").textContent()) ?? "", { timeout: 10_000 }).toMatch(/heatmap: binance only/);

    // The leverage-tier filter: its options are the level model's tiers (once a levels map was served);
    // choosing one asks /levels for that tier alone, and the page says which tier the levels hold.
    const tier = page.locator('#chart-controls select[name="tier"]');
    expect(await tier.isDisabled()).toBe(false);
    await expect.poll(() => tier.locator("option").count(), { timeout: 120_000 }).toBeGreaterThan(2);
    const leverage = (await tier.locator("option").nth(2).getAttribute("value"))!;
    expect(leverage).toMatch(/^\d+(\.\d+)?$/);
    await page.selectOption('#chart-controls select[name="tier"]', leverage);
    await expect.poll(() => requests, { timeout: 10_000 }).toContain(`levels?leverage=${leverage}`);
    const tierText = async () => `${await page.locator("#chart-filters").textContent()} | ${await page.locator("#chart-status").textContent()}`;
    await expect.poll(tierText, { timeout: 10_000 }).toMatch(new RegExp(`levels: ${leverage}x tier only|Estimated levels \\(${leverage}x tier\\): unavailable|${leverage}x tier only\\)`));

    // The symbol switcher lists the tracked symbols and opens another's page.
    await expect.poll(() => page.locator("#symbol-switch option").count(), { timeout: 10_000 }).toBe(21);
    await Promise.all([page.waitForURL(`${stack.base}/s/ETHUSDT`), page.selectOption("#symbol-switch", "ETHUSDT")]);
    expect(await page.locator("#symbol").textContent()).toBe("ETHUSDT");
    expect(errors).toEqual([]);
    await page.close();
  }, 300_000);
});
