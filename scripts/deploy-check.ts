/**
 * `npm run deploy:check`: proves both Workers bundle for deployment without deploying them.
 * Runs `wrangler deploy --dry-run --outdir` for the engine and the collector (no account, no
 * network), measures each bundle (the uploaded modules, source maps left out) raw and gzipped,
 * and checks them against the Workers size limits. CI runs it.
 *
 * Limits checked (developers.cloudflare.com/workers/platform/limits, Dec 2026): a Worker may be
 * up to 3 MB after compression on the Free plan and 10 MB on Paid; the newer single limit is
 * 64 MiB uncompressed. The check holds the strictest of them: ≤ 3 MB gzipped and ≤ 64 MiB raw.
 *
 * Exit code 1 when a dry run fails or a bundle is over a limit. `--json` prints the figures as
 * JSON as well.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
/** The local stack's configuration (top level) and production's (`[env.production]`), both Workers. */
const WORKERS = [
  { name: "liqflow", config: "wrangler.toml", env: null },
  { name: "liqflow-collector", config: "workers/collector/wrangler.toml", env: null },
  { name: "liqflow-production", config: "wrangler.toml", env: "production" },
  { name: "liqflow-collector-production", config: "workers/collector/wrangler.toml", env: "production" },
] as const;
const GZIP_LIMIT_BYTES = 3 * 1000 * 1000;
const RAW_LIMIT_BYTES = 64 * 1024 * 1024;

export interface BundleSize {
  worker: string;
  files: number;
  rawBytes: number;
  gzipBytes: number;
  ok: boolean;
}

/** Sizes of the modules wrangler would upload from `dir` (source maps and its README left out). */
function measure(worker: string, dir: string): BundleSize {
  let rawBytes = 0;
  const chunks: Buffer[] = [];
  let files = 0;
  for (const file of readdirSync(dir, { recursive: true }) as string[]) {
    const path = join(dir, file);
    if (!statSync(path).isFile() || file.endsWith(".map") || file === "README.md") continue;
    const data = readFileSync(path);
    rawBytes += data.length;
    chunks.push(data);
    files++;
  }
  const gzipBytes = gzipSync(Buffer.concat(chunks), { level: 9 }).length;
  return { worker, files, rawBytes, gzipBytes, ok: gzipBytes <= GZIP_LIMIT_BYTES && rawBytes <= RAW_LIMIT_BYTES };
}

function dryRun(config: string, env: string | null, outdir: string): void {
  const args = [join(root, "node_modules/wrangler/bin/wrangler.js"), "deploy", "--dry-run", "--outdir", outdir, "-c", config, ...(env === null ? [] : ["--env", env])];
  const result = spawnSync(process.execPath, args, {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, WRANGLER_SEND_METRICS: "false", WRANGLER_HIDE_BANNER: "true" },
  });
  if (result.status !== 0) {
    process.stderr.write(result.stdout + result.stderr);
    throw new Error(`wrangler deploy --dry-run -c ${config}${env === null ? "" : ` --env ${env}`} failed (exit ${result.status})`);
  }
}

const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`;

const work = mkdtempSync(join(tmpdir(), "liqflow-deploy-"));
try {
  const sizes: BundleSize[] = [];
  for (const [i, w] of WORKERS.entries()) {
    const out = join(work, String(i));
    const started = Date.now();
    dryRun(w.config, w.env, out);
    const size = measure(w.name, out);
    sizes.push(size);
    console.log(
      `${size.ok ? "ok  " : "OVER"} ${w.name.padEnd(30)} ${String(size.files).padStart(2)} module(s)  ${kib(size.rawBytes).padStart(11)} raw  ${kib(size.gzipBytes).padStart(10)} gzip  (dry run ${Date.now() - started} ms)`,
    );
  }
  console.log(`limits: ≤ ${GZIP_LIMIT_BYTES / 1e6} MB gzipped (Workers Free), ≤ ${RAW_LIMIT_BYTES / 1024 / 1024} MiB raw`);
  if (process.argv.includes("--json")) console.log(JSON.stringify(sizes));
  if (sizes.some((s) => !s.ok)) process.exitCode = 1;
} catch (err) {
  console.error(`deploy check: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
} finally {
  rmSync(work, { recursive: true, force: true });
}
