/**
 * `npm run bench` rewrites only its own section of BENCHMARKS.md: the text between its two
 * markers is replaced, the rest of the file is kept byte for byte, and the first run inserts
 * the section before the first `## ` heading.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FIGURES_END, FIGURES_START, markdownTable, writeFiguresSection } from "../../../bench/lib/figures.js";

function file(text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), "liqflow-figures-")), "BENCHMARKS.md");
  writeFileSync(path, text);
  return path;
}

const INTRO = "# Benchmarks\n\nMachine: two cores.\n\n";
const REST = "## Hot path\n\nhand-written figures | 1 µs\n\n## Zones\n\nmore\n";

describe("writeFiguresSection", () => {
  it("inserts the section before the first heading the first time, leaving the rest as it was", () => {
    const path = file(INTRO + REST);
    writeFiguresSection(path, ["## Side by side", "", "| a |"]);
    expect(readFileSync(path, "utf8")).toBe(`${INTRO}${FIGURES_START}\n## Side by side\n\n| a |\n${FIGURES_END}\n\n${REST}`);
  });

  it("replaces only what is between the markers on later runs", () => {
    const path = file(INTRO + REST);
    writeFiguresSection(path, ["first"]);
    const after = readFileSync(path, "utf8").replace("more\n", "more, edited by hand\n");
    writeFileSync(path, after);
    writeFiguresSection(path, ["second", "run"]);
    const text = readFileSync(path, "utf8");
    expect(text).toBe(after.replace(`${FIGURES_START}\nfirst\n${FIGURES_END}`, `${FIGURES_START}\nsecond\nrun\n${FIGURES_END}`));
    expect(text.split(FIGURES_START)).toHaveLength(2);
  });

  it("renders one markdown row per path, with its baseline, ratio and target", () => {
    const lines = markdownTable([{ path: "normalize", figure: "4 µs", baseline: "tardis-dev 5 µs", ratio: "0.80×", target: "≤ 1.0×", verdict: "met" }]);
    expect(lines).toEqual(["| path | liqflow | baseline in the same run | ratio | target | |", "|---|---:|---:|---:|---|---|", "| normalize | 4 µs | tardis-dev 5 µs | 0.80× | ≤ 1.0× | met |"]);
  });
});
