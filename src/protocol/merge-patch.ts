/**
 * JSON Merge Patch (RFC 7386): how the map channels (`SYMBOL:heatmap`, `SYMBOL:levels`) send
 * deltas. A patch is an object whose keys replace the target's keys; a nested object patches
 * the nested object; `null` removes a key; an array replaces the whole array.
 *
 * `mergePatchDiff(prev, next)` builds the patch that turns `prev` into `next`, or `undefined`
 * when RFC 7386 cannot say it: a merge patch cannot set a value *to* `null` (null means
 * "remove"), nor change a non-object root. The caller then sends the full value instead.
 * `applyMergePatch` is the RFC's algorithm; it never mutates its inputs.
 *
 * No imports: the browser client bundles this file.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

function isObject(v: unknown): v is JsonObject {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * Sets an own property, whatever the key: a plain assignment of `__proto__` would replace the
 * object's prototype instead of adding the key JSON gave it.
 */
function setKey(o: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true });
}

/** Deep equality of two JSON values (as JSON.stringify would see them, key order aside). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!jsonEqual(a[i], b[i])) return false;
    return true;
  }
  if (isObject(a)) {
    if (!isObject(b)) return false;
    const ka = Object.keys(a).filter((k) => a[k] !== undefined);
    const kb = Object.keys(b).filter((k) => b[k] !== undefined);
    if (ka.length !== kb.length) return false;
    for (const k of ka) if (!Object.hasOwn(b, k) || !jsonEqual(a[k], b[k])) return false;
    return true;
  }
  return false;
}

/** The merge patch from `prev` to `next` (`{}` when equal), or `undefined` when none exists. */
export function mergePatchDiff(prev: unknown, next: unknown): Record<string, unknown> | undefined {
  if (!isObject(prev) || !isObject(next)) return undefined;
  const patch: Record<string, unknown> = {};
  for (const key of Object.keys(prev)) {
    if (prev[key] !== undefined && (!Object.hasOwn(next, key) || next[key] === undefined)) setKey(patch, key, null);
  }
  for (const key of Object.keys(next)) {
    const n = next[key];
    if (n === undefined) continue;
    const p = Object.hasOwn(prev, key) ? prev[key] : undefined;
    if (p !== undefined && jsonEqual(p, n)) continue;
    if (n === null) return undefined;
    if (isObject(n) && isObject(p)) {
      const inner = mergePatchDiff(p, n);
      if (inner === undefined) return undefined;
      setKey(patch, key, inner);
    } else if (isObject(n)) {
      if (containsNull(n)) return undefined;
      setKey(patch, key, n);
    } else {
      setKey(patch, key, n);
    }
  }
  return patch;
}

/** True when an object (not inside an array) holds a null: applying it as a patch would drop keys. */
function containsNull(o: JsonObject): boolean {
  for (const v of Object.values(o)) {
    if (v === null) return true;
    if (isObject(v) && containsNull(v)) return true;
  }
  return false;
}

/** RFC 7386 §2: applies `patch` to `target` and returns the result (inputs are not mutated). */
export function applyMergePatch<T>(target: T, patch: unknown): T {
  if (!isObject(patch)) return patch as T;
  const result: Record<string, unknown> = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else setKey(result, key, applyMergePatch(Object.hasOwn(result, key) ? result[key] : undefined, value));
  }
  return result as T;
}
