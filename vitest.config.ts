import { cloudflareTest } from "@cloudflare/vitest-pool-workers";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

/**
 * The engine's shared code as the collector imports it (`@liqflow/engine/*` → `src/*`), the same
 * alias as `paths` in tsconfig.json, which tsc, tsx and wrangler's esbuild read.
 */
const ENGINE_ALIAS = [{ find: /^@liqflow\/engine\//, replacement: fileURLToPath(new URL("./src/", import.meta.url)) }];

export default defineConfig({
  test: {
    projects: [
      {
        resolve: { alias: ENGINE_ALIAS },
        test: {
          name: "unit",
          include: ["test/unit/**/*.test.ts"],
          environment: "node",
          // The recorded-stream tests take seconds on 2 busy cores: a limit, not a benchmark.
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        plugins: [
          cloudflareTest({
            wrangler: { configPath: "./wrangler.toml" },
            miniflare: {
              // Short enough for a test to watch a slow consumer being dropped.
              bindings: { STREAM_SLOW_CONSUMER_MS: "600" },
              workers: [
                {
                  name: "liqflow-collector",
                  modules: true,
                  scriptPath: "./test/worker/fixtures/collector-stand-in.js",
                  compatibilityDate: "2026-04-01",
                },
              ],
            },
          }),
        ],
        resolve: { alias: ENGINE_ALIAS },
        test: {
          name: "worker",
          include: ["test/worker/**/*.test.ts"],
        },
      },
      {
        resolve: { alias: ENGINE_ALIAS },
        test: {
          name: "e2e",
          include: ["test/e2e/**/*.test.ts"],
          environment: "node",
          testTimeout: 180_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
