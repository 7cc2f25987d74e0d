/**
 * `npm run screenshots`: regenerates docs/screenshots/*.png, the dashboard and a symbol page at
 * desktop (1360×900) and phone (390×844) size, from the real local stack in a real Chromium.
 *
 * Starts the stack (test/e2e/stack.ts: its own free port and a temp state dir, never :8787 or
 * .wrangler/state) with the replay at REPLAY_SPEED (default 50x, so the pages have data within
 * seconds), waits until the dashboard's rows and the symbol page's header are drawn and the
 * clock badge reads the engine's mode, then writes one full-page PNG per page and size. The
 * browser is the one the e2e tests use (test/e2e/chromium.ts). Options by environment:
 * `SCREENSHOT_SYMBOL` (default BTCUSDT), `SCREENSHOT_SETTLE_MS` (extra wait for live updates,
 * default 20000), `REPLAY_SPEED`.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { chromium, type Browser } from "playwright-core";
import { findChromium } from "../test/e2e/chromium.js";
import { startStack, type Stack } from "../test/e2e/stack.js";

const OUT_DIR = join(process.cwd(), "docs", "screenshots");
const SIZES = { desktop: { width: 1360, height: 900 }, phone: { width: 390, height: 844 } } as const;
const SYMBOL = (process.env.SCREENSHOT_SYMBOL ?? "BTCUSDT").toUpperCase();
const SETTLE_MS = Number(process.env.SCREENSHOT_SETTLE_MS ?? 20_000);
const SPEED = Number(process.env.REPLAY_SPEED ?? 50);

/**
 * The pages to shoot: file stem, path, a selector that means "drawn", and optionally one that
 * means "the chart holds candles" (waited for up to 60 s; the shot is taken anyway, with a warning).
 */
const PAGES: { name: string; path: string; ready: string; chart?: string }[] = [
  { name: "dashboard", path: "/", ready: "#symbols tbody tr[data-symbol]" },
  { name: `symbol-${SYMBOL.toLowerCase()}`, path: `/s/${SYMBOL}`, ready: "#symbol:not(:empty)", chart: '#chart[data-points]:not([data-points="0"])' },
];

async function shoot(browser: Browser, base: string): Promise<string[]> {
  const written: string[] = [];
  for (const [size, viewport] of Object.entries(SIZES)) {
    for (const p of PAGES) {
      const page = await browser.newPage({ viewport });
      await page.goto(`${base}${p.path}`);
      await page.waitForSelector(p.ready, { timeout: 60_000 });
      if (p.chart !== undefined) await page.waitForSelector(p.chart, { timeout: 60_000 }).catch(() => console.warn(`warning: ${p.path}: the chart drew no candle within 60 s`));
      await page.waitForTimeout(3_000);
      // A full-page shot resizes the viewport, and a canvas chart redraws on the next frame after a
      // resize: grow the viewport to the page's height first and let it redraw, so the shot has it.
      const height = (await page.evaluate("document.documentElement.scrollHeight")) as number;
      await page.setViewportSize({ width: viewport.width, height });
      await page.waitForTimeout(1_500);
      const file = join(OUT_DIR, `${p.name}-${size}.png`);
      await page.screenshot({ path: file, fullPage: true });
      const width = (await page.evaluate("document.documentElement.scrollWidth")) as number;
      if (width > viewport.width) console.warn(`warning: ${p.path} is ${width} px wide at ${viewport.width} px (it pans sideways)`);
      written.push(file);
      await page.close();
    }
  }
  return written;
}

async function main(): Promise<void> {
  mkdirSync(OUT_DIR, { recursive: true });
  console.log(`starting the stack (replay at ${SPEED}x)…`);
  let stack: Stack | undefined;
  let browser: Browser | undefined;
  try {
    const found = await findChromium();
    [stack, browser] = await Promise.all([
      startStack({ speed: SPEED }),
      chromium.launch({ executablePath: found.executablePath, args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"], env: { ...process.env, ...found.env } as Record<string, string> }),
    ]);
    console.log(`stack at ${stack.base}; letting the replay fill the pages for ${SETTLE_MS} ms…`);
    await new Promise((r) => setTimeout(r, SETTLE_MS));
    for (const file of await shoot(browser, stack.base)) console.log(`wrote ${file}`);
  } finally {
    await browser?.close();
    await stack?.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
