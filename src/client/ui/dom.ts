/** A tiny DOM builder for the pages: text goes in through textContent only, never as HTML. */

type Child = Node | string | null | undefined | false;

export interface ElOptions {
  class?: string;
  text?: string;
  title?: string;
  attrs?: Record<string, string>;
}

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, options: ElOptions = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (options.class) node.className = options.class;
  if (options.text !== undefined) node.textContent = options.text;
  if (options.title !== undefined) node.title = options.title;
  for (const [k, v] of Object.entries(options.attrs ?? {})) node.setAttribute(k, v);
  for (const c of children) if (c !== null && c !== undefined && c !== false) node.append(c);
  return node;
}

export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const node = document.getElementById(id);
  if (!node) throw new Error(`page is missing #${id}`);
  return node as T;
}

/** Sets text and class only when they changed (cheap enough to call on every update). */
export function setText(node: HTMLElement, text: string, className?: string): void {
  if (node.textContent !== text) node.textContent = text;
  if (className !== undefined && node.className !== className) node.className = className;
}

/**
 * Connection state of a stream, as the header's indicator shows it. An open socket is
 * "connected", never "live": whether the data is live or a replay is the clock badge's to say
 * (clock-badge.ts).
 */
export function connectionLabel(state: string, info: { delayMs?: number }): string {
  switch (state) {
    case "open":
      return "connected";
    case "connecting":
      return "connecting…";
    case "reconnecting":
      return `reconnecting in ${Math.max(1, Math.round((info.delayMs ?? 0) / 1000))} s…`;
    case "closed":
      return "disconnected";
    default:
      return "idle";
  }
}
