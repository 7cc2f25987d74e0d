import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { applyMergePatch, jsonEqual, mergePatchDiff } from "../../../src/protocol/merge-patch.js";

describe("JSON Merge Patch (RFC 7386)", () => {
  it("applies the RFC's appendix A examples", () => {
    const cases: Array<[unknown, unknown, unknown]> = [
      [{ a: "b" }, { a: "c" }, { a: "c" }],
      [{ a: "b" }, { b: "c" }, { a: "b", b: "c" }],
      [{ a: "b" }, { a: null }, {}],
      [{ a: "b", b: "c" }, { a: null }, { b: "c" }],
      [{ a: ["b"] }, { a: "c" }, { a: "c" }],
      [{ a: "c" }, { a: ["b"] }, { a: ["b"] }],
      [{ a: { b: "c" } }, { a: { b: "d", c: null } }, { a: { b: "d" } }],
      [{ a: [{ b: "c" }] }, { a: [1] }, { a: [1] }],
      [["a", "b"], ["c", "d"], ["c", "d"]],
      [{ a: "b" }, ["c"], ["c"]],
      [{ e: null }, { a: 1 }, { e: null, a: 1 }],
      [[1, 2], { a: "b", c: null }, { a: "b" }],
      [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
    ];
    for (const [target, patch, result] of cases) expect(applyMergePatch(target, patch)).toEqual(result);
  });

  it("diffs only what changed: nested objects become nested patches, arrays are replaced whole", () => {
    const prev = { ts: 1, time: { binMs: 60_000, starts: [0, 60_000] }, cells: [[0, 1, 5, 0, 1]], gone: 3 };
    const next = { ts: 2, time: { binMs: 60_000, starts: [60_000, 120_000] }, cells: [[0, 1, 5, 0, 1]], added: "x" };
    expect(mergePatchDiff(prev, next)).toEqual({ ts: 2, time: { starts: [60_000, 120_000] }, gone: null, added: "x" });
    expect(mergePatchDiff(next, next)).toEqual({});
  });

  it("says there is no patch when a value becomes null (null would remove the key)", () => {
    expect(mergePatchDiff({ a: 1 }, { a: null })).toBeUndefined();
    expect(mergePatchDiff({ a: { b: 1 } }, { a: { b: null } })).toBeUndefined();
    expect(mergePatchDiff({ a: 1 }, { a: { b: null } })).toBeUndefined();
    // Nulls inside arrays are data, not removals.
    expect(mergePatchDiff({ a: [1] }, { a: [null] })).toEqual({ a: [null] });
    // An unchanged null is fine.
    expect(mergePatchDiff({ a: null, b: 1 }, { a: null, b: 2 })).toEqual({ b: 2 });
    expect(mergePatchDiff([1], [2])).toBeUndefined();
  });

  it("treats a `__proto__` key as data, never as the object's prototype (found by the property below)", () => {
    const next = JSON.parse('{"a":{"__proto__":0}}') as Record<string, unknown>;
    const patch = mergePatchDiff({}, next)!;
    expect(Object.getPrototypeOf(patch.a)).toBe(Object.prototype);
    const applied = applyMergePatch<Record<string, Record<string, unknown>>>({}, patch);
    expect(Object.hasOwn(applied.a, "__proto__")).toBe(true);
    expect(jsonEqual(applied, next)).toBe(true);
    expect(JSON.stringify(applied)).toBe('{"a":{"__proto__":0}}');
    // A patch cannot reach Object.prototype through the client.
    applyMergePatch({}, JSON.parse('{"__proto__":{"polluted":1}}'));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("round-trips: applying the diff of two JSON objects gives the second, without mutating the first", () => {
    const json = fc.jsonValue({ maxDepth: 3 });
    const object = fc.dictionary(fc.constantFrom("a", "b", "c", "d", "ts", "__proto__"), json, { maxKeys: 5 });
    fc.assert(
      fc.property(object, object, (prev, next) => {
        const before = JSON.stringify(prev);
        const patch = mergePatchDiff(prev, next);
        if (patch === undefined) return;
        expect(jsonEqual(applyMergePatch(prev, patch), next)).toBe(true);
        expect(JSON.stringify(prev)).toBe(before);
      }),
      { numRuns: 500 },
    );
  });
});
