/**
 * The clock badge in a page's header: whether the engine is replaying a recording or reading
 * the exchanges live, the event time it has reached (with its date: a replay runs years in the
 * past, and after a loop in the future), and for a replay the date the data was really recorded
 * on, the loop and the speed. The stream's connection pill says only whether the socket is
 * connected; this badge says what the data is.
 *
 * Reads `clock` from `GET /v1/market` (`{ mode, eventTs, eventTime, loop?, loopShiftMs?,
 * recordingTs?, recordingTime?, speed? }`, src/api/market.ts). A page that polls the market
 * already feeds the badge its answers ({@link ClockBadge.render}); otherwise the badge polls.
 * Text goes in through textContent only.
 */
import type { LiqflowHttp } from "../http.js";
import { el, setText } from "./dom.js";
import { formatClock, type ClockInfo } from "./format.js";

/** How often a badge that polls on its own asks for the clock (wall time; the engine's cycle is 10 s of event time). */
export const CLOCK_POLL_MS = 10_000;

export interface ClockBadge {
  /** The badge element (`.clock`, `data-mode` = `replay` | `live` | `unknown`). */
  readonly node: HTMLElement;
  /** The engine's mode once known, for pages that word empty states by it. */
  readonly mode: ClockInfo["mode"] | null;
  /** Shows a `/v1/market` answer's clock; a market without one says the mode is unknown. */
  render(market: { clock?: ClockInfo | null; ts?: number | null }): void;
  /** Shows that the clock could not be read (keeps the last event time, marked as old). */
  fail(message: string): void;
}

export interface ClockBadgeOptions {
  /** The badge is inserted before this node (the connection pill). */
  before: Element;
  http: LiqflowHttp;
  /** Poll `/v1/market` every {@link CLOCK_POLL_MS} (default true; false when the page feeds {@link ClockBadge.render}). */
  poll?: boolean;
}

/** Builds the badge in the header and (by default) keeps it current. */
export function mountClockBadge(options: ClockBadgeOptions): ClockBadge {
  const modeNode = el("b", { class: "clock-mode", text: "…" });
  const eventNode = el("span", { class: "clock-event", text: "" });
  const detailNode = el("span", { class: "clock-detail", text: "" });
  const node = el("span", { class: "clock", attrs: { "data-mode": "unknown", role: "status" } }, modeNode, eventNode, detailNode);
  options.before.before(node);
  let mode: ClockInfo["mode"] | null = null;

  const badge: ClockBadge = {
    node,
    get mode() {
      return mode;
    },
    render(market) {
      const clock = market.clock;
      if (!clock) {
        setText(modeNode, "mode?");
        setText(eventNode, formatClock({ mode: "live", eventTs: market.ts ?? null }).event);
        setText(detailNode, "");
        node.title = "the engine did not say whether it replays a recording or reads the exchanges live";
        node.dataset.mode = "unknown";
        return;
      }
      mode = clock.mode;
      const text = formatClock(clock);
      setText(modeNode, text.mode);
      setText(eventNode, text.event);
      setText(detailNode, text.detail);
      node.title = text.title;
      node.dataset.mode = clock.mode;
      node.dataset.eventTs = String(clock.eventTs ?? "");
      node.classList.remove("stale");
    },
    fail(message) {
      node.classList.add("stale");
      node.title = `clock unavailable: ${message}; the time shown is the last one read`;
    },
  };

  if (options.poll !== false) {
    const tick = async () => {
      try {
        badge.render(await options.http.market());
      } catch (err) {
        badge.fail((err as Error).message);
      }
      setTimeout(tick, CLOCK_POLL_MS);
    };
    void tick();
  }
  return badge;
}
