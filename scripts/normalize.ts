/**
 * Normalizes recorded raw exchange messages into canonical events.
 *
 *   npm run normalize -- --venue binance [--instrument BTCUSDT] FILE...
 *
 * Each FILE (plain or gzip, detected by magic bytes) holds one raw message per line, in any
 * format `src/exchanges/recording.ts` reads. Canonical events go to stdout as NDJSON, one
 * event object per line, in file order (with `recvTs` when the line had a local timestamp).
 * A summary (files, lines, messages, events by kind, ignored and rejected by reason) goes to
 * stderr. `--instrument` names the venue instrument of messages that carry none (REST depth
 * snapshots); without it, it is inferred per file from the events of its first lines.
 *
 * Exit codes: 0 when it ran (rejects included), 2 on a usage error.
 * This is the same path as the collector: `normalizeLine` from `src/exchanges/registry.ts`.
 */
import { statSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { EVENT_KINDS } from "../src/domain/events.js";
import { getMapper, MAPPED_VENUES, normalizeLine } from "../src/exchanges/registry.js";
import type { ExchangeMapper, MapContext } from "../src/exchanges/types.js";
import { inferFileInstrument, recordingLines } from "./lib/recording-file.js";

/** Bytes of NDJSON collected before one write to stdout. */
const FLUSH_BYTES = 1 << 16;
/** Reasons listed per section of the summary; the rest are counted together. */
const MAX_REASONS = 25;

const USAGE = `usage: npm run normalize -- --venue <${MAPPED_VENUES.join("|")}> [--instrument <name>] FILE...`;

/** Where the command writes: `out` receives NDJSON chunks, `err` the summary. */
export interface NormalizeIo {
  /** Writes a chunk of stdout; resolves when more may be written. */
  out(chunk: string): void | Promise<void>;
  err(text: string): void;
  /** True once stdout was closed by the reader (EPIPE): stop early, still print the summary. */
  outClosed?(): boolean;
}

/** Counters of one run. */
export interface NormalizeSummary {
  files: number;
  lines: number;
  messages: number;
  events: Map<string, number>;
  ignored: Map<string, number>;
  rejected: Map<string, number>;
}

class UsageError extends Error {}

interface Options {
  venue: string;
  instrument?: string;
  files: string[];
}

function parseArgs(argv: readonly string[]): Options {
  let venue: string | undefined;
  let instrument: string | undefined;
  const files: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] = arg.startsWith("--") && arg.includes("=") ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)] : [arg, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined || v === "") throw new UsageError(`${flag} needs a value`);
      return v;
    };
    if (arg === "--") continue;
    else if (flag === "--venue") venue = value();
    else if (flag === "--instrument" || flag === "--symbol") instrument = value();
    else if (arg.startsWith("-") && arg !== "-") throw new UsageError(`unknown option ${arg}`);
    else files.push(arg);
  }
  if (venue === undefined) throw new UsageError("missing --venue");
  if (files.length === 0) throw new UsageError("no input FILE");
  return { venue, instrument, files };
}

/** Runs the command; returns the exit code. */
export async function runNormalize(argv: readonly string[], io: NormalizeIo): Promise<number> {
  let options: Options;
  let mapper: ExchangeMapper;
  try {
    options = parseArgs(argv);
    try {
      mapper = getMapper(options.venue);
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
    for (const file of options.files) {
      let isFile = false;
      try {
        isFile = statSync(file).isFile();
      } catch {
        throw new UsageError(`no such file: ${file}`);
      }
      if (!isFile) throw new UsageError(`not a file: ${file}`);
    }
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    io.err(`normalize: ${err.message}\n${USAGE}\n`);
    return 2;
  }

  const summary: NormalizeSummary = { files: 0, lines: 0, messages: 0, events: new Map(), ignored: new Map(), rejected: new Map() };
  const perFile: string[] = [];
  let pending = "";
  let stoppedEarly = false;

  files: for (const file of options.files) {
    const context: MapContext = {};
    let instrumentNote = "";
    if (options.instrument !== undefined) context.instrument = options.instrument;
    else {
      const inferred = await inferFileInstrument(mapper, file);
      if (inferred !== undefined) {
        context.instrument = inferred;
        instrumentNote = `, instrument ${inferred} (inferred)`;
      }
    }
    summary.files++;
    const before = { lines: summary.lines, messages: summary.messages };
    let fileEvents = 0;
    const { lines, source } = recordingLines(file);
    try {
      for await (const line of lines) {
        summary.lines++;
        const result = normalizeLine(mapper, line, context);
        if (result.hadMessage) summary.messages++;
        if (result.ignored !== undefined) increment(summary.ignored, result.ignored);
        else if (result.rejected !== undefined) increment(summary.rejected, result.rejected);
        else {
          for (const event of result.events) {
            increment(summary.events, event.kind);
            pending += `${JSON.stringify(event)}\n`;
          }
          fileEvents += result.events.length;
          if (pending.length >= FLUSH_BYTES) {
            await io.out(pending);
            pending = "";
            if (io.outClosed?.()) {
              stoppedEarly = true;
              perFile.push(fileLine(file, summary.lines - before.lines, summary.messages - before.messages, fileEvents, instrumentNote));
              break files;
            }
          }
        }
      }
    } finally {
      source.destroy();
    }
    perFile.push(fileLine(file, summary.lines - before.lines, summary.messages - before.messages, fileEvents, instrumentNote));
  }
  if (pending.length > 0 && !io.outClosed?.()) await io.out(pending);

  io.err(formatSummary(options.venue, summary, perFile, stoppedEarly));
  return 0;
}

function fileLine(file: string, lines: number, messages: number, events: number, note: string): string {
  return `  ${file}: ${lines} lines, ${messages} messages, ${events} events${note}`;
}

function increment(counts: Map<string, number>, key: string): void {
  counts.set(key, (counts.get(key) ?? 0) + 1);
}

/** The stderr summary: stable order (event kinds in contract order, reasons by count then name). */
export function formatSummary(venue: string, s: NormalizeSummary, perFile: readonly string[], stoppedEarly: boolean): string {
  const total = (m: Map<string, number>): number => [...m.values()].reduce((a, b) => a + b, 0);
  const out: string[] = [`normalize --venue ${venue}`, `files     ${s.files}`, ...perFile];
  out.push(`lines     ${s.lines}`, `messages  ${s.messages}`, `events    ${total(s.events)}`);
  for (const kind of EVENT_KINDS) if (s.events.has(kind)) out.push(`  ${kind.padEnd(12)} ${s.events.get(kind)}`);
  for (const [title, counts] of [["ignored", s.ignored], ["rejected", s.rejected]] as const) {
    out.push(`${title.padEnd(9)} ${total(counts)}`);
    const reasons = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    for (const [reason, n] of reasons.slice(0, MAX_REASONS)) out.push(`  ${String(n).padStart(7)}  ${reason}`);
    if (reasons.length > MAX_REASONS) {
      out.push(`  ${String(reasons.slice(MAX_REASONS).reduce((a, [, n]) => a + n, 0)).padStart(7)}  (${reasons.length - MAX_REASONS} more reasons)`);
    }
  }
  if (stoppedEarly) out.push("stdout closed by the reader: stopped early");
  return `${out.join("\n")}\n`;
}

/** stdout with backpressure; an EPIPE (reader gone, e.g. `| head`) marks it closed instead of crashing. */
function processIo(): NormalizeIo {
  let closed = false;
  process.stdout.on("error", (err: NodeJS.ErrnoException) => {
    if (err.code === "EPIPE") closed = true;
    else throw err;
  });
  return {
    out(chunk) {
      if (closed || process.stdout.write(chunk)) return;
      return new Promise<void>((resolve) => {
        const done = (): void => {
          process.stdout.off("drain", done);
          process.stdout.off("close", done);
          process.stdout.off("error", done);
          resolve();
        };
        process.stdout.on("drain", done);
        process.stdout.on("close", done);
        process.stdout.on("error", done);
      });
    },
    err: (text) => void process.stderr.write(text),
    outClosed: () => closed,
  };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runNormalize(process.argv.slice(2), processIo()).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`normalize: ${(err as Error).stack ?? String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
