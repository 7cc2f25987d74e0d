import { describe, expect, it } from "vitest";
import { embedPagePath, embedSnippet, parseEmbedOptions } from "../../../src/client/embed.js";

describe("parseEmbedOptions", () => {
  it("upper-cases the symbol and fills in the defaults", () => {
    expect(parseEmbedOptions({ symbol: " btcusdt " })).toEqual({ ok: true, options: { symbol: "BTCUSDT", mode: "day", theme: "light", size: "full" } });
    expect(parseEmbedOptions({ symbol: "1000PEPEUSDT", mode: "Swing", theme: "DARK", size: "compact", key: "site_1-A" })).toEqual({
      ok: true,
      options: { symbol: "1000PEPEUSDT", mode: "swing", theme: "dark", size: "compact", key: "site_1-A" },
    });
  });

  it("names the bad field and never echoes the value", () => {
    const cases: [Record<string, string | null>, string][] = [
      [{ symbol: null }, "symbol"],
      [{ symbol: "<img src=x onerror=alert(1)>" }, "symbol"],
      [{ symbol: "BTC-USDT" }, "symbol"],
      [{ symbol: "BTCUSDT", mode: "yolo" }, "mode"],
      [{ symbol: "BTCUSDT", theme: "neon" }, "theme"],
      [{ symbol: "BTCUSDT", size: "huge" }, "size"],
      [{ symbol: "BTCUSDT", key: "a b" }, "key"],
    ];
    for (const [raw, field] of cases) {
      const r = parseEmbedOptions(raw);
      expect(r).toMatchObject({ ok: false, field });
      if (!r.ok) expect(r.message).not.toMatch(/<img|yolo|neon|huge|a b/);
    }
  });
});

describe("embed snippets", () => {
  const options = { symbol: "BTCUSDT", mode: "day", theme: "dark", size: "compact" } as const;

  it("writes the script tag and the element with the engine's origin", () => {
    expect(embedSnippet("https://liqflow.example/some/page", options, "script")).toBe(
      '<script src="https://liqflow.example/embed.js" async></script>\n<liqflow-score symbol="BTCUSDT" mode="day" theme="dark" size="compact"></liqflow-score>',
    );
  });

  it("writes an iframe sized for the widget, with the site key in its URL", () => {
    expect(embedPagePath({ ...options, key: "k3y1" })).toBe("/embed/BTCUSDT?mode=day&theme=dark&size=compact&key=k3y1");
    expect(embedSnippet("http://127.0.0.1:8787", { ...options, key: "k3y1" }, "iframe")).toBe(
      '<iframe src="http://127.0.0.1:8787/embed/BTCUSDT?mode=day&amp;theme=dark&amp;size=compact&amp;key=k3y1" title="liqflow BTCUSDT day bias" ' +
        'width="300" height="34" style="border:0;overflow:hidden" loading="lazy"></iframe>',
    );
  });
});
