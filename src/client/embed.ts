/**
 * Embed options of the score widget (`<liqflow-score>` and the `/embed/:symbol` iframe page),
 * their validation, the copy-paste snippets, and the widget's event-time label. Pure. The values
 * the options take live in src/protocol/embed.ts, which the engine's page routes read too, so the
 * server and the browser accept exactly the same values.
 */
import { EMBED_MODES, EMBED_SIZES, EMBED_THEMES, SITE_KEY_PATTERN, type EmbedSize, type EmbedTheme } from "../protocol/embed.js";
import { SYMBOL_PATTERN } from "./channels.js";
import type { Mode } from "./types.js";

export { EMBED_MODES, EMBED_SIZES, EMBED_THEMES, SITE_KEY_PATTERN, type EmbedSize, type EmbedTheme };

export interface EmbedOptions {
  symbol: string;
  mode: Mode;
  theme: EmbedTheme;
  size: EmbedSize;
  /**
   * Site key of the iframe page (see the embed policy in src/api/pages.ts): its allowed
   * origins become the page's `frame-ancestors`. Absent for open embedding.
   */
  key?: string;
}

export const EMBED_DEFAULTS = { mode: "day", theme: "light", size: "full" } as const satisfies Omit<EmbedOptions, "symbol" | "key">;

/** Iframe sizes that fit each widget size with a little slack for fonts, CSS px. */
export const IFRAME_SIZE: Record<EmbedSize, { width: number; height: number }> = {
  compact: { width: 300, height: 34 },
  full: { width: 320, height: 110 },
};

export type RawEmbedOptions = Partial<Record<keyof EmbedOptions, string | null | undefined>>;

export type EmbedParse = { ok: true; options: EmbedOptions } | { ok: false; field: keyof EmbedOptions; message: string };

/**
 * Validates raw options (attribute or query values); absent mode, theme and size take the
 * defaults, the symbol is upper-cased. Never echoes the raw value back in the message.
 */
export function parseEmbedOptions(raw: RawEmbedOptions): EmbedParse {
  const symbol = (raw.symbol ?? "").trim().toUpperCase();
  if (!SYMBOL_PATTERN.test(symbol)) return { ok: false, field: "symbol", message: "symbol must be 2-30 letters or digits, e.g. BTCUSDT" };
  const mode = pick(raw.mode, EMBED_MODES, EMBED_DEFAULTS.mode);
  if (mode === null) return { ok: false, field: "mode", message: `mode must be one of ${EMBED_MODES.join(", ")}` };
  const theme = pick(raw.theme, EMBED_THEMES, EMBED_DEFAULTS.theme);
  if (theme === null) return { ok: false, field: "theme", message: `theme must be one of ${EMBED_THEMES.join(", ")}` };
  const size = pick(raw.size, EMBED_SIZES, EMBED_DEFAULTS.size);
  if (size === null) return { ok: false, field: "size", message: `size must be one of ${EMBED_SIZES.join(", ")}` };
  const options: EmbedOptions = { symbol, mode, theme, size };
  if (raw.key !== undefined && raw.key !== null && raw.key !== "") {
    if (!SITE_KEY_PATTERN.test(raw.key)) return { ok: false, field: "key", message: "key must be 4-64 letters, digits, _ or -" };
    options.key = raw.key;
  }
  return { ok: true, options };
}

function pick<T extends string>(value: string | null | undefined, allowed: readonly T[], fallback: T): T | null {
  if (value === undefined || value === null || value === "") return fallback;
  const v = value.trim().toLowerCase();
  return (allowed as readonly string[]).includes(v) ? (v as T) : null;
}

/** The iframe page's path and query for these options. */
export function embedPagePath(options: EmbedOptions): string {
  const q = new URLSearchParams({ mode: options.mode, theme: options.theme, size: options.size });
  if (options.key) q.set("key", options.key);
  return `/embed/${encodeURIComponent(options.symbol)}?${q.toString()}`;
}

/**
 * The HTML a site owner pastes: the script tag and the custom element, or an iframe (the site
 * key, when given, only applies to the iframe). `origin` is the liqflow engine's origin.
 */
export function embedSnippet(origin: string, options: EmbedOptions, kind: "script" | "iframe"): string {
  const base = new URL(origin).origin;
  if (kind === "iframe") {
    const { width, height } = IFRAME_SIZE[options.size];
    return (
      `<iframe src="${attr(base + embedPagePath(options))}" title="${attr(`liqflow ${options.symbol} ${options.mode} bias`)}" ` +
      `width="${width}" height="${height}" style="border:0;overflow:hidden" loading="lazy"></iframe>`
    );
  }
  const attrs = [`symbol="${attr(options.symbol)}"`, `mode="${attr(options.mode)}"`, `theme="${attr(options.theme)}"`, `size="${attr(options.size)}"`];
  return `<script src="${attr(`${base}/embed.js`)}" async></script>\n<liqflow-score ${attrs.join(" ")}></liqflow-score>`;
}

function attr(value: string): string {
  return value.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/**
 * The widget's event-time label in the viewer's time zone (or `timeZone`): `14:03:20` when the
 * event is from the viewer's today, `2025-01-26 14:03` otherwise; `title` is the ISO time (UTC).
 */
export function eventTimeLabel(ts: number, nowMs: number, timeZone?: string): { text: string; title: string; today: boolean } {
  const format = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23" });
  const parts = (ms: number) => Object.fromEntries(format.formatToParts(ms).map((p) => [p.type, p.value])) as Record<string, string>;
  const e = parts(ts);
  const n = parts(nowMs);
  const date = `${e.year}-${e.month}-${e.day}`;
  const today = date === `${n.year}-${n.month}-${n.day}`;
  return { text: today ? `${e.hour}:${e.minute}:${e.second}` : `${date} ${e.hour}:${e.minute}`, title: `${new Date(ts).toISOString()} (event time)`, today };
}
