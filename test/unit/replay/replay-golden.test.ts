/**
 * The replay output, pinned: `npm run replay` over real recordings of four venues must give these
 * bytes (sha256 per recording in replay-golden.json). Refactors (issue 18: one book sequencer,
 * thinner objects, uniform venues) must leave it byte-identical; a change that means to alter the
 * numbers (a new card, a formula) regenerates the file knowingly and says why in its commit:
 *
 *   UPDATE_REPLAY_GOLDEN=1 npx vitest run --project unit test/unit/replay/replay-golden.test.ts
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const GOLDEN = fileURLToPath(new URL("./replay-golden.json", import.meta.url));
/** A Binance REST snapshot + diff stream, Bybit snapshots + deltas, Hyperliquid trades and books. */
const RECORDINGS = [
  "data/recorded/binance/hftbacktest_btcusdt_20240808.gz",
  "data/recorded/bybit/2024-12-01_XRPUSDT_ob500.data",
  "data/recorded/bybit/cryptofeed_BYBIT_v5_20260809.jsonl.gz",
  "data/recorded/hyperliquid/hftbacktest_hyperliquid_btc_20250126.gz",
];

function digest(recording: string): { sha256: string; lines: number } {
  const run = spawnSync(process.execPath, ["--import", "tsx", "scripts/replay.ts", recording], { cwd: ROOT, encoding: "utf8", maxBuffer: 1 << 28 });
  if (run.status !== 0) throw new Error(`replay ${recording} exited ${run.status}: ${run.stderr}`);
  return { sha256: createHash("sha256").update(run.stdout).digest("hex"), lines: run.stdout.split("\n").filter(Boolean).length };
}

describe("npm run replay output", () => {
  it("is byte-identical to the pinned digests", { timeout: 120_000 }, () => {
    const got = Object.fromEntries(RECORDINGS.map((r) => [r, digest(r)]));
    if (process.env.UPDATE_REPLAY_GOLDEN === "1") writeFileSync(GOLDEN, JSON.stringify(got, null, 2) + "\n");
    const pinned = JSON.parse(readFileSync(GOLDEN, "utf8"));
    for (const r of RECORDINGS) expect(got[r], r).toEqual(pinned[r]);
    // Not a test that cannot fail: every recording gives cycles.
    for (const r of RECORDINGS) expect(got[r].lines, r).toBeGreaterThan(0);
  });
});
