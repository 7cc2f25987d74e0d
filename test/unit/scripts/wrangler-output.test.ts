import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { WranglerOutputFilter } from "../../../scripts/lib/wrangler-output.js";

// wrangler 4.86's output around the two messages, as `npm start` printed it (colours included).
const SCHEDULED =
  "\u001b[33m▲ \u001b[43;33m[\u001b[43;30mWARNING\u001b[43;33m]\u001b[0m \u001b[1mScheduled Workers are not automatically triggered during local development.\u001b[0m\n" +
  "\n" +
  "  To manually trigger a scheduled event, run:\n" +
  '    curl "http://127.0.0.1:8899/cdn-cgi/handler/scheduled"\n' +
  "  For more details, see https://developers.cloudflare.com/workers/configuration/cron-triggers/\n" +
  "\n" +
  "\n";
const REGISTRY =
  "Service bindings, Durable Object bindings, and Tail consumers connect to other Wrangler or Vite dev processes running locally, with their connection status indicated by [connected] or [not connected]. For more details, refer to https://developers.cloudflare.com/workers/\n";

describe("WranglerOutputFilter", () => {
  it("drops the two messages with their continuation lines and keeps everything around them", () => {
    const f = new WranglerOutputFilter();
    const input = "env.RAW_CAPTURE (\"0\")   Environment Variable   local\n\n" + REGISTRY + "\n" + SCHEDULED + "⎔ Starting local server...\n[wrangler:info] Ready on http://127.0.0.1:8899\n";
    expect(f.push(input)).toBe('env.RAW_CAPTURE ("0")   Environment Variable   local\n\n⎔ Starting local server...\n[wrangler:info] Ready on http://127.0.0.1:8899\n');
    // REGISTRY 1 + its blank line 1 + SCHEDULED 7 lines.
    expect(f.dropped).toBe(9);
  });

  it("holds a partial line until its end arrives, whatever the chunking", () => {
    const input = "a\n" + SCHEDULED + "b\nc";
    for (let cut = 0; cut <= input.length; cut += 7) {
      const f = new WranglerOutputFilter();
      const out = f.push(input.slice(0, cut)) + f.push(input.slice(cut)) + f.end();
      expect(out).toBe("a\nb\nc");
    }
  });

  it("passes errors, warnings and unknown messages through unchanged", () => {
    const f = new WranglerOutputFilter();
    const input = "✘ [ERROR] Build failed\n  src/index.ts:1:1: error\n▲ [WARNING] something else\n  details\n";
    expect(f.push(input)).toBe(input);
    expect(f.dropped).toBe(0);
  });

  it("the seeding step's config binds the collector's recordings bucket by the same name", () => {
    const bucketOf = (toml: string) => /binding = "RECORDINGS"\s*\nbucket_name = "([^"]+)"/.exec(toml)?.[1];
    const seed = bucketOf(readFileSync("scripts/lib/seed.wrangler.toml", "utf8"));
    expect(seed).toBeDefined();
    expect(seed).toBe(bucketOf(readFileSync("workers/collector/wrangler.toml", "utf8")));
  });
});
