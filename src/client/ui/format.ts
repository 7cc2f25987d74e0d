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

/** `from → to UTC` in event time, the end's date printed whenever it differs from the start's. */
export function formatRangeUtc(fromTs: number | null | undefined, toTs: number | null | undefined): string {
  if (!isTs(fromTs) || !isTs(toTs)) return "no time range";
  const from = formatDateTimeUtc(fromTs);
  const to = formatDateTimeUtc(toTs);
  return `${from} → ${from.slice(0, 10) === to.slice(0, 10) ? to.slice(11) : to} UTC`;
}

function isTs(ts: number | null | undefined): ts is number {
  return ts !== null && ts !== undefined && Number.isFinite(ts);
}

/**
 * Confidence below which a score reads as weak, on the dashboard, the symbol page and the
 * widget alike: 0.3. A weak score is dimmed ({@link confidenceStyle}'s `opacity`) and carries
 * its confidence in words, so "▲ +1.00" at 9 % confidence never reads like a firm call.
 */
export const WEAK_CONFIDENCE = 0.3;
/** Opacity of a weak score. */
const WEAK_OPACITY = 0.45;

export interface ConfidenceStyle {
  /** Below {@link WEAK_CONFIDENCE}, or unknown. */
  weak: boolean;
  /** `weak` or `firm`: a CSS class (app.css dims `.weak`). */
  className: "weak" | "firm";
  /** For code that styles directly (the widget's Shadow DOM, a canvas). */
  opacity: number;
  /** The strength figure written beside the score: `weak · 9% confidence`, `87% confidence`. */
  label: string;
}

/** How a score with this confidence (a fraction in [0, 1]) must look; unknown confidence is weak. */
export function confidenceStyle(confidence: number | null | undefined): ConfidenceStyle {
  if (confidence === null || confidence === undefined || !Number.isFinite(confidence)) {
    return { weak: true, className: "weak", opacity: WEAK_OPACITY, label: "weak · confidence unknown" };
  }
  if (confidence < WEAK_CONFIDENCE) return { weak: true, className: "weak", opacity: WEAK_OPACITY, label: `weak · ${formatPct(confidence)} confidence` };
  return { weak: false, className: "firm", opacity: 1, label: `${formatPct(confidence)} confidence` };
}

/** The engine's clock as `/v1/market` and `/v1/health` report it (src/api/market.ts). */
export interface ClockInfo {
  mode: "replay" | "live";
  /** Event time the engine has reached (ms), null before the first event. */
  eventTs: number | null;
  eventTime?: string | null;
  /** Replay: how many times the recording has looped (0 on the first pass). */
  loop?: number;
  /** Replay: ms added to the recording's timestamps on this loop (event time = recording time + shift). */
  loopShiftMs?: number;
  /** Replay: the recording's own time of the current event, i.e. when it really happened. */
  recordingTs?: number | null;
  recordingTime?: string | null;
  /** Replay speed (1 = real time). */
  speed?: number;
}

/** The clock badge's text: mode, event time with its date, and for a replay where and when it really is. */
export function formatClock(c: ClockInfo): { mode: "REPLAY" | "LIVE"; event: string; detail: string; title: string } {
  const event = isTs(c.eventTs) ? `${formatDateTimeUtc(c.eventTs)} UTC` : "no event yet";
  if (c.mode === "live") {
    return { mode: "LIVE", event, detail: "", title: "live data: times are the exchanges' event time, UTC" };
  }
  const recording = isTs(c.recordingTs) ? `recorded ${formatDateTimeUtc(c.recordingTs)} UTC` : "";
  const detail = [recording, c.loop !== undefined ? `loop ${c.loop}` : "", c.speed !== undefined && c.speed !== 1 ? `${c.speed}×` : ""].filter(Boolean).join(" · ");
  const shifted = c.loopShiftMs ? `; on loop ${c.loop ?? "?"} event times are shifted ${Math.round(c.loopShiftMs / 86_400_000)} days past the recording` : "";
  const title =
    `a replay of recorded data, not live` +
    (isTs(c.recordingTs) ? `: this moment was recorded on ${formatDateTimeUtc(c.recordingTs)} UTC` : "") +
    shifted +
    (c.speed !== undefined ? `; playing at ${c.speed}× real time` : "");
  return { mode: "REPLAY", event, detail, title };
}

/** What an empty row or view says instead of a dash, by where the data comes from (null: not known yet). */
export function noDataText(mode: "replay" | "live" | null): string {
  return mode === "replay" ? "no data for this symbol in the recording yet" : mode === "live" ? "no data for this symbol from the exchanges yet" : "no data for this symbol yet";
}
