/**
 * Seeds the collector's local R2 bucket (RECORDINGS) from data/recorded: a replay manifest and
 * every file it lists. The manifest is stored under `replay.json`, the key the collector reads,
 * whichever data set it came from (`replay.json` by default, `replay-klines.json` for the month of
 * one-minute bars). An object whose sha256 already matches is left alone, so a restart costs one
 * HEAD per file. Uses wrangler's getPlatformProxy on the same state directory that
 * `wrangler dev --persist-to` uses, with a config that binds the recordings bucket alone
 * (`seed.wrangler.toml`).
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { getPlatformProxy } from "wrangler";
import type { ReplayManifest } from "../../src/replay/timeline.js";

interface Bucket {
  head(key: string): Promise<{ customMetadata?: Record<string, string> } | null>;
  put(key: string, value: Uint8Array, options: { customMetadata: Record<string, string> }): Promise<unknown>;
}

/** The seeding step's wrangler config, relative to the project root. */
export const SEED_CONFIG = "scripts/lib/seed.wrangler.toml";

export interface SeedResult {
  files: number;
  uploaded: number;
  bytes: number;
  ms: number;
}

export async function seedRecordings(root: string, stateDir: string, manifestFile = "replay.json"): Promise<SeedResult> {
  const started = Date.now();
  const dataDir = join(root, "data/recorded");
  const manifest = JSON.parse(readFileSync(join(dataDir, manifestFile), "utf8")) as ReplayManifest;
  const keys = ["replay.json", ...manifest.files.map((f) => f.path)];
  const proxy = await getPlatformProxy<{ RECORDINGS: Bucket }>({
    configPath: join(root, SEED_CONFIG),
    persist: { path: join(stateDir, "v3") },
  });
  let uploaded = 0;
  let bytes = 0;
  try {
    for (const key of keys) {
      const data = new Uint8Array(readFileSync(join(dataDir, key === "replay.json" ? manifestFile : key)));
      const sha256 = createHash("sha256").update(data).digest("hex");
      const existing = await proxy.env.RECORDINGS.head(key);
      if (existing?.customMetadata?.sha256 === sha256) continue;
      await proxy.env.RECORDINGS.put(key, data, { customMetadata: { sha256 } });
      uploaded++;
      bytes += data.length;
    }
  } finally {
    await proxy.dispose();
  }
  return { files: keys.length, uploaded, bytes, ms: Date.now() - started };
}
