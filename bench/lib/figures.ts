/**
 * The side-by-side table of issue 16 as markdown, and its place in BENCHMARKS.md: between two
 * marker comments, so that a full `npm run bench` rewrites that section and nothing else of the
 * file (the other sections are measured by other commands and written by hand).
 */
import { readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg, platform, release, totalmem } from "node:os";

export const FIGURES_START = "<!-- bench:side-by-side:start (written by `npm run bench`; edits inside are overwritten) -->";
export const FIGURES_END = "<!-- bench:side-by-side:end -->";

/** One row of the table: a measured figure with its same-run baseline, or the reason there is none. */
export interface TableRow {
  path: string;
  figure: string;
  baseline: string;
  ratio: string;
  target: string;
  /** "met", "not met", or "—" for rows without a target or a figure. */
  verdict: string;
}

/** Facts about the machine and the run, from `os` and `process`. */
export function machineFacts(): string {
  const cpu = cpus();
  const model = cpu[0]?.model.replace(/\s+/g, " ").trim() ?? "unknown CPU";
  const load = loadavg().map((l) => l.toFixed(2)).join(", ");
  return `${cpu.length} × ${model}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, ${platform()} ${release()}, Node ${process.version}; load average ${load} (1, 5, 15 min) at the end of the run`;
}

export function markdownTable(rows: readonly TableRow[]): string[] {
  const out = ["| path | liqflow | baseline in the same run | ratio | target | |", "|---|---:|---:|---:|---|---|"];
  for (const r of rows) out.push(`| ${r.path} | ${r.figure} | ${r.baseline} | ${r.ratio} | ${r.target} | ${r.verdict} |`);
  return out;
}

/**
 * Replaces the figures section of BENCHMARKS.md (between the markers) with `body`; the first
 * time, inserts the section before the file's first `## ` heading. Everything else is kept byte for byte.
 */
export function writeFiguresSection(path: string, body: readonly string[]): void {
  const text = readFileSync(path, "utf8");
  const section = [FIGURES_START, ...body, FIGURES_END].join("\n");
  const start = text.indexOf(FIGURES_START);
  const end = text.indexOf(FIGURES_END);
  let next: string;
  if (start >= 0 && end > start) next = text.slice(0, start) + section + text.slice(end + FIGURES_END.length);
  else {
    const heading = text.indexOf("\n## ");
    const at = heading < 0 ? text.length : heading + 1;
    next = `${text.slice(0, at)}${section}\n\n${text.slice(at)}`;
  }
  writeFileSync(path, next);
}
