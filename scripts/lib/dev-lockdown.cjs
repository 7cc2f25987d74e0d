/**
 * Preloaded into wrangler's processes by `npm start` (`node --require`): closes the two
 * unauthenticated debugging doors that wrangler 4.86's `dev` command opens and has no switch for.
 *
 * - The devtools inspector: wrangler's inspector proxy (a port of its own) and workerd's inspector
 *   behind it. Whoever connects can evaluate code inside the engine's isolate, and so read and
 *   write every Durable Object's storage.
 * - The dev registry's debug port: a workerd socket through which other local `wrangler dev`
 *   sessions call this session's Workers and Durable Objects directly. liqflow's two Workers run in
 *   one workerd (`wrangler dev -c engine -c collector`), so they never need it.
 *
 * It does so by removing `inspectorPort`, `inspectorHost` and `unsafeDevRegistryPath` from every
 * set of Miniflare options wrangler builds (Miniflare then opens neither socket), and by marking
 * wrangler's own inspector proxy off the way wrangler itself does inside a VS Code debug terminal
 * (the only switch 4.86 reads). `LIQFLOW_DEV_INSPECTOR=1` leaves both doors as wrangler made them,
 * for a developer who wants devtools; scripts/start.ts only preloads this file without it.
 *
 * This file touches wrangler's internals; it is pinned to the exact wrangler and Miniflare versions
 * in package-lock.json, and test/e2e/stack.test.ts fails if a debugging port opens again.
 */
"use strict";
const Module = require("node:module");

/** wrangler reads this to run without its inspector proxy (see ProxyController.inspectorEnabled). */
process.env.VSCODE_INSPECTOR_OPTIONS = process.env.VSCODE_INSPECTOR_OPTIONS || "liqflow: inspector off";

/** Miniflare options without the inspector and the dev registry. */
function lockDown(options) {
  if (options === null || typeof options !== "object") return options;
  const { inspectorPort, inspectorHost, unsafeDevRegistryPath, unsafeHandleDevRegistryUpdate, ...rest } = options;
  return rest;
}

let patched = null;
const load = Module._load;
Module._load = function loadLockedDown(request, parent, isMain) {
  const loaded = load.call(this, request, parent, isMain);
  if (request !== "miniflare") return loaded;
  if (patched === null) {
    const Base = loaded.Miniflare;
    class LockedDownMiniflare extends Base {
      constructor(options) {
        super(lockDown(options));
      }
      setOptions(options) {
        return super.setOptions(lockDown(options));
      }
      /**
       * No inspector is open, but wrangler's multi-Worker reload reads this URL unconditionally
       * and hands it to the inspector proxy, which is off: an address nothing listens on.
       */
      async getInspectorURL() {
        return new URL("ws://127.0.0.1:1/inspector-closed-by-liqflow");
      }
    }
    // The package's exports are getters; hand wrangler a copy whose Miniflare is the locked one.
    patched = Object.assign(Object.create(null), loaded, { Miniflare: LockedDownMiniflare });
  }
  return patched;
};
