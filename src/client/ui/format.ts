/** Number, time and direction formatting for the dashboard and the widget. Pure. */

const MINUS = "\u2212";

/** A price with a precision that suits its magnitude: 61,702.7 · 2,345.12 · 0.5123 · 0.00001234. */
export function formatPrice(price: number | null | undefined): string {
  if (price === null || price === undefined || !Number.isFinite(price)) return "–";
  const abs = Math.abs(price);
  const digits = abs >= 10_000 ? 1 : abs >= 100 ? 2 : abs >= 1 ? 4 : Math.min(10, 3 - Math.floor(Math.log10(abs || 1)));
  return price.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** A score in [-1, 1] as `+0.32`, `−0.32` or `0.00` (a true minus sign). */
export function formatScore(score: number | null | undefined): string {
  if (score === null || score === undefined || !Number.isFinite(score)) return "–";
  const s = score.toFixed(2);
  if (s === "0.00" || s === "-0.00") return "0.00";
  return score > 0 ? `+${s}` : `${MINUS}${s.slice(1)}`;
}

/** A fraction in [0, 1] as a whole percentage: `75%`. */
export function formatPct(fraction: number | null | undefined): string {
  if (fraction === null || fraction === undefined || !Number.isFinite(fraction)) return "–";
  return `${Math.round(fraction * 100)}%`;
}

/** USD notional, short: `$950`, `$1.66k`, `$2.3M`, `$1.2B`. */
export function formatUsd(usd: number | null | undefined): string {
  if (usd === null || usd === undefined || !Number.isFinite(usd)) return "–";
  const abs = Math.abs(usd);
  const sign = usd < 0 ? MINUS : "";
  if (abs >= 1e9) return `${sign}$${trim(abs / 1e9)}B`;
  if (abs >= 1e6) return `${sign}$${trim(abs / 1e6)}M`;
  if (abs >= 1e3) return `${sign}$${trim(abs / 1e3)}k`;
  return `${sign}$${Math.round(abs)}`;
}

function trim(v: number): string {
  return (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2)).replace(/\.?0+$/, "");
}

/** Event time of day in UTC: `23:58:10`. */
export function formatTimeUtc(ts: number | null | undefined): string {
  if (ts === null || ts === undefined || !Number.isFinite(ts)) return "–";
  return new Date(ts).toISOString().slice(11, 19);
}

/** Event date and time in UTC: `2024-08-08 23:58:10`. */
export function formatDateTimeUtc(ts: number | null | undefined): string {
  if (ts === null || ts === undefined || !Number.isFinite(ts)) return "–";
  return new Date(ts).toISOString().slice(0, 19).replace("T", " ");
}

export type Direction = "long" | "short" | "neutral";

/** ▲ long, ▼ short, ▶ neutral. */
export function directionArrow(direction: Direction | null | undefined): string {
  return direction === "long" ? "▲" : direction === "short" ? "▼" : direction === "neutral" ? "▶" : "·";
}

/** How strong a score is, for colour intensity: 0 (|s| < 0.1), 1 (< 0.25), 2 (< 0.5), 3. */
export function scoreStrength(score: number): 0 | 1 | 2 | 3 {
  const a = Math.abs(score);
  return a < 0.1 ? 0 : a < 0.25 ? 1 : a < 0.5 ? 2 : 3;
}
