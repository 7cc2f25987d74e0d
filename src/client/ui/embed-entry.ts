/**
 * `embed.js`: `<script src="https://HOST/embed.js" async></script>` defines `<liqflow-score>`.
 * The engine's origin is the script's own origin, so the widget talks to whichever host
 * served it. All widgets of a page share one stream connection. On the engine's iframe page
 * (`/embed/:symbol`, marked `data-liqflow-embed`) it mounts one widget from the page's URL.
 */
import { LiqflowStream } from "../stream.js";
import { defineScoreElement, SCORE_ELEMENT } from "./score-element.js";

const script = document.currentScript as HTMLScriptElement | null;
const origin = new URL(script?.src || location.href).origin;
let stream: LiqflowStream | null = null;

defineScoreElement({ origin, stream: () => (stream ??= new LiqflowStream(origin)) });

function mountFramePage(): void {
  const symbol = decodeURIComponent(location.pathname.split("/")[2] ?? "");
  const query = new URLSearchParams(location.search);
  const widget = document.createElement(SCORE_ELEMENT);
  widget.setAttribute("symbol", symbol);
  for (const name of ["mode", "theme", "size"]) {
    const value = query.get(name);
    if (value !== null) widget.setAttribute(name, value);
  }
  // Chrome paints an iframe opaque when its colour scheme differs from the embedding page's.
  document.documentElement.style.colorScheme = widget.getAttribute("theme") === "dark" ? "dark" : "light";
  document.body.append(widget);
}

if (document.documentElement.hasAttribute("data-liqflow-embed")) {
  if (document.body) mountFramePage();
  else document.addEventListener("DOMContentLoaded", mountFramePage, { once: true });
}
