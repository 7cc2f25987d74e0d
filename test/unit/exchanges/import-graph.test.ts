/**
 * The exchanges layer keeps its modules in one direction (issue 18, step 3): a venue's mapper
 * (`<venue>.ts`) and its connection (`<venue>-connection.ts`) never import each other, the
 * registries (`registry.ts`, `connections.ts`) import the venues and no venue imports them, and no
 * import cycle runs through any module of src/exchanges. The graph is read from the source
 * (TypeScript's own import scanner, type-only imports included: a cycle of types is still a
 * cycle for a reader), following relative imports anywhere under src/.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { MAPPED_VENUES } from "../../../src/exchanges/registry.js";

const ROOT = resolve(import.meta.dirname, "../../..");
const EXCHANGES = join(ROOT, "src/exchanges");

/** Relative imports of one source file, resolved to .ts paths. */
function importsOf(file: string): string[] {
  const info = ts.preProcessFile(readFileSync(file, "utf8"), true, true);
  return info.importedFiles
    .map((ref) => ref.fileName)
    .filter((name) => name.startsWith("."))
    .map((name) => resolve(dirname(file), name.replace(/\.js$/, ".ts")));
}

/** Every cycle (as a path of files, first = last) reachable from `starts` in `edges`. */
function findCycles(starts: readonly string[], edges: (node: string) => readonly string[]): string[][] {
  const cycles: string[][] = [];
  const done = new Set<string>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const visit = (node: string): void => {
    if (onStack.has(node)) {
      cycles.push([...stack.slice(stack.indexOf(node)), node]);
      return;
    }
    if (done.has(node)) return;
    stack.push(node);
    onStack.add(node);
    for (const next of edges(node)) visit(next);
    stack.pop();
    onStack.delete(node);
    done.add(node);
  };
  for (const start of starts) visit(start);
  return cycles;
}

const exchangeFiles = readdirSync(EXCHANGES, { recursive: true, encoding: "utf8" })
  .filter((name) => name.endsWith(".ts"))
  .map((name) => join(EXCHANGES, name));
const short = (file: string): string => relative(ROOT, file);

describe("findCycles", () => {
  it("names the files of a cycle in import order, and finds none in a tree", () => {
    const graph: Record<string, string[]> = { a: ["b"], b: ["c", "d"], c: ["a"], d: [] };
    expect(findCycles(["a"], (n) => graph[n])).toStrictEqual([["a", "b", "c", "a"]]);
    expect(findCycles(["a", "d"], (n) => ({ a: ["b"], b: ["d"], d: [] })[n] ?? [])).toStrictEqual([]);
  });
});

describe("src/exchanges import graph", () => {
  it("has no import cycle through any of its modules", () => {
    const cycles = findCycles(exchangeFiles, importsOf)
      .filter((cycle) => cycle.some((file) => file.startsWith(`${EXCHANGES}/`)))
      .map((cycle) => cycle.map(short).join(" → "));
    expect(cycles).toStrictEqual([]);
  });

  it("keeps each venue's mapper and connection apart, one file each, neither importing a registry", () => {
    for (const venue of MAPPED_VENUES) {
      const mapper = join(EXCHANGES, `${venue}.ts`);
      const connection = join(EXCHANGES, `${venue}-connection.ts`);
      expect(exchangeFiles, venue).toContain(mapper);
      expect(exchangeFiles, venue).toContain(connection);
      const registries = [join(EXCHANGES, "registry.ts"), join(EXCHANGES, "connections.ts")];
      expect(importsOf(mapper).map(short), `${venue}.ts`).not.toContain(short(connection));
      expect(importsOf(connection).map(short), `${venue}-connection.ts`).not.toContain(short(mapper));
      for (const registry of registries) {
        expect(importsOf(mapper).map(short), `${venue}.ts`).not.toContain(short(registry));
        expect(importsOf(connection).map(short), `${venue}-connection.ts`).not.toContain(short(registry));
      }
    }
  });
});
