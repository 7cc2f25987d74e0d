import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

describe("README commands", () => {
  it("every example that redirects an npm script's stdout into a file runs it silent (-s), or npm's banner lands in the file", () => {
    const loud = readFileSync("README.md", "utf8")
      .split("\n")
      .filter((line) => /\bnpm run (?!-s\b)\S+.*\s>\s*\S/.test(line));
    expect(loud).toEqual([]);
  });
});
