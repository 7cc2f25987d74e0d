/**
 * `<liqflow-score>` reads honestly, in a real Chromium against the real stack (issue 15):
 * a widget for a symbol without data reaches its `nodata` state within seconds ("no data for
 * SOLUSDT yet") instead of waiting on "connecting" for ever; a widget with data shows the
 * event date when it is not from today (the replay plays 2023–2025 recordings), with the ISO
 * time as its title; a score below the weak-confidence threshold (30 %) is dimmed and written
 * with "weak" and its confidence beside it.
 *
 * The stack replays at 5x and the page opens as soon as the engine answers, so most symbols
 * have no data yet; the first symbols with data then turn live, at low confidence at first.
 */
import { createServer, type Server } from "node:http";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SYMBOLS } from "../../src/domain/symbols.js";
import { findChromium } from "./chromium.js";
import { eventually, getJson, startStack, type Stack } from "./stack.js";

const CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

let stack: Stack;
let browser: Browser;
let host: Server;
let hostOrigin = "";

/** Every symbol in `day`, and BTCUSDT in the other two modes: a spread of confidences. */
const WIDGETS = [...SYMBOLS.symbols.map((s) => ({ id: `w-${s}-day`, symbol: s, mode: "day" })), { id: "w-BTCUSDT-scalp", symbol: "BTCUSDT", mode: "scalp" }, { id: "w-BTCUSDT-swing", symbol: "BTCUSDT", mode: "swing" }];

function page(engine: string): string {
  const widgets = WIDGETS.map((w) => `<liqflow-score id="${w.id}" symbol="${w.symbol}" mode="${w.mode}" theme="dark"></liqflow-score>`).join("\n");
  return `<!doctype html><html><head><meta charset="utf-8"><title>widgets</title></head><body>
${widgets}
<script src="${engine}/embed.js" async></script>
</body></html>`;
}

beforeAll(async () => {
  const started = Promise.all([
    startStack({ speed: 5 }),
    findChromium().then((found) => chromium.launch({ executablePath: found.executablePath, args: CHROMIUM_ARGS, env: { ...process.env, ...found.env } as Record<string, string> })),
    new Promise<Server>((resolve) => {
      const server = createServer((req, res) => {
        if (req.url !== "/") {
          res.writeHead(req.url === "/favicon.ico" ? 204 : 404).end();
          return;
        }
        res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
        res.end(page(stack.base));
      });
      server.listen(0, "127.0.0.1", () => resolve(server));
    }),
  ]);
  [stack, browser, host] = await started;
  const address = host.address();
  hostOrigin = `http://localhost:${typeof address === "object" && address ? address.port : 0}`;
  await eventually(async () => ((await getJson(`${stack.base}/v1/health`)).status === 200 ? true : undefined), 60_000, "the engine to answer");
});

afterAll(async () => {
  await browser?.close();
  await new Promise((r) => (host ? host.close(r) : r(undefined)));
  await stack?.stop();
});

interface Seen {
  id: string;
  symbol: string;
  mode: string;
  status: string | null;
  weak: boolean;
  old: boolean;
  msg: string;
  msgTitle: string;
  ts: string;
  tsTitle: string;
  cf: string;
  cfTitle: string;
  scoreOpacity: string;
  scoreFontPx: number;
}

async function read(p: Page): Promise<Seen[]> {
  return p.evaluate((widgets) => {
    // Runs in the page (the test's tsconfig has no DOM types).
    const g = globalThis as any;
    return widgets.map((w) => {
      const el = g.document.getElementById(w.id);
      const root = el.shadowRoot;
      const q = (s: string) => root.querySelector(s) ?? g.document.createElement("span");
      const score = g.getComputedStyle(q(".score"));
      return {
        ...w,
        status: el.getAttribute("data-status") as string | null,
        weak: el.hasAttribute("data-weak") as boolean,
        old: el.hasAttribute("data-old") as boolean,
        msg: (q(".msg").textContent ?? "") as string,
        msgTitle: q(".msg").title as string,
        ts: (q(".ts").textContent ?? "") as string,
        tsTitle: q(".ts").title as string,
        cf: (q(".cf").textContent ?? "") as string,
        cfTitle: q(".cf").title as string,
        scoreOpacity: score.opacity as string,
        scoreFontPx: parseFloat(score.fontSize),
      };
    });
  }, WIDGETS);
}

describe("<liqflow-score> in Chromium", { timeout: 240_000 }, () => {
  it("answers every widget within seconds: no data said in words, or a score with its date and its strength", async () => {
    const p = await browser.newPage({ viewport: { width: 1200, height: 2400 } });
    const errors: string[] = [];
    p.on("pageerror", (e) => errors.push(e.message));
    await p.goto(`${hostOrigin}/`);
    // Every widget leaves "connecting" within seconds: nodata or live, none left waiting.
    await expect.poll(async () => (await read(p)).filter((w) => w.status !== "nodata" && w.status !== "live").map((w) => `${w.id}:${w.status}`), { timeout: 15_000 }).toEqual([]);
    const nodata = (await read(p)).filter((w) => w.status === "nodata");
    expect(nodata.length).toBeGreaterThan(0);
    for (const w of nodata) {
      // "no data for X yet" from the stream's nodata, or the bias's own "no day bias yet".
      expect(w.msg).toMatch(new RegExp(`^(no data for ${w.symbol} yet|no ${w.mode} bias yet)$`));
      if (w.msg.startsWith("no data")) expect(w.msgTitle).toMatch(new RegExp(`^no data for ${w.symbol} yet: `));
    }
    // At least one of them is the stream's nodata (before it, such a widget said "connecting" for ever).
    expect(nodata.some((w) => w.msg.startsWith("no data for"))).toBe(true);

    // Then the symbols with data turn live, weak ones among them (the first cycles are thin).
    await expect.poll(async () => (await read(p)).some((w) => w.status === "live" && w.weak), { timeout: 150_000 }).toBe(true);
    const live = (await read(p)).filter((w) => w.status === "live");
    for (const w of live) {
      // The replay plays recordings of 2023–2025: never today, so the date is shown.
      expect(w.old).toBe(true);
      expect(w.ts).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d$/);
      expect(w.tsTitle).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z \(event time\)$/);
      expect(new Date(w.tsTitle.slice(0, 24)).getUTCFullYear()).toBeLessThan(new Date().getUTCFullYear());
      // Strength beside the score: below 30 % it reads "weak · N%" and the score is dimmed and smaller.
      const pct = Number(/(\d+)%/.exec(w.cf)?.[1]);
      expect(Number.isFinite(pct)).toBe(true);
      if (pct < 30) {
        expect(w).toMatchObject({ weak: true, cf: `weak · ${pct}%`, cfTitle: `weak · ${pct}% confidence`, scoreOpacity: "0.45" });
        expect(w.scoreFontPx).toBeLessThan(22);
      } else {
        expect(w).toMatchObject({ weak: false, cf: `${pct}%`, scoreOpacity: "1" });
        expect(w.scoreFontPx).toBe(22);
      }
    }
    expect(errors).toEqual([]);
    await p.close();
  });
});
