/**
 * `npm start`'s filter over wrangler dev's output: passes everything through except the
 * messages a liqflow user cannot act on, each dropped with its indented continuation lines.
 *
 * Dropped (each checked against wrangler 4.86's wording; a changed wording passes through):
 * - "Scheduled Workers are not automatically triggered during local development": the
 *   collector's cron only restarts its feed in production; locally the engine's first request
 *   wakes it (README, "Architecture").
 * - "Service bindings, Durable Object bindings, and Tail consumers connect to other Wrangler or
 *   Vite dev processes…": both Workers run in this one process; the "[not connected]" it
 *   explains is wrangler's view of the dev registry, not of this stack.
 *
 * Everything else, errors and warnings included, is passed through unchanged, in order.
 */

/** Matched against a line without its ANSI colour codes. */
const DROPPED: readonly RegExp[] = [
  /Scheduled Workers are not automatically triggered during local development/,
  /^Service bindings, Durable Object bindings, and Tail consumers connect to other Wrangler/,
];

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;

/** Line-oriented: feed chunks as they arrive, write what `push` returns. */
export class WranglerOutputFilter {
  private partial = "";
  private dropping = false;
  /** Lines dropped so far. */
  dropped = 0;

  /** Takes a chunk of output; returns the text to pass on (whole lines only). */
  push(chunk: string): string {
    const text = this.partial + chunk;
    const lines = text.split("\n");
    this.partial = lines.pop() ?? "";
    let out = "";
    for (const line of lines) if (this.keep(line)) out += line + "\n";
    return out;
  }

  /** The last line, if the output did not end with a line break. */
  end(): string {
    const rest = this.partial;
    this.partial = "";
    return rest !== "" && this.keep(rest) ? rest : "";
  }

  private keep(line: string): boolean {
    const plain = line.replace(ANSI, "");
    if (DROPPED.some((re) => re.test(plain))) {
      this.dropping = true;
      this.dropped++;
      return false;
    }
    // A dropped message continues over blank and indented lines.
    if (this.dropping && (plain.trim() === "" || /^\s/.test(plain))) {
      this.dropped++;
      return false;
    }
    this.dropping = false;
    return true;
  }
}
