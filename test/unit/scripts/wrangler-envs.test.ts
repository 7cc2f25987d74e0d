/**
 * Production declares every binding and variable the local stack has, under the same names:
 * the generated Worker types come from the production environment (`npm run types`), and the
 * code reads the same `env` in both.
 */
import { describe, expect, it } from "vitest";
import { unstable_readConfig } from "wrangler";

/** The parts of wrangler's resolved config this test reads. */
interface Config {
  name?: string;
  durable_objects: { bindings: Array<{ name: string; class_name: string; script_name?: string }> };
  services?: Array<{ binding: string; service: string; entrypoint?: string }>;
  r2_buckets: Array<{ binding: string }>;
  vars: Record<string, unknown>;
  assets?: { binding?: string };
  ratelimits?: Array<{ name: string }>;
  workers_dev?: boolean;
  triggers: { crons?: string[] };
}

const readConfig = (config: string, env?: string) => unstable_readConfig({ config, env }) as unknown as Config;

function bindingNames(config: Config): Record<string, string[]> {
  const sorted = (names: (string | undefined)[]) => names.filter((n): n is string => n !== undefined).sort();
  return {
    durableObjects: sorted(config.durable_objects.bindings.map((b) => `${b.name}:${b.class_name}`)),
    services: sorted((config.services ?? []).map((s) => `${s.binding}:${s.entrypoint ?? ""}`)),
    r2: sorted(config.r2_buckets.map((b) => b.binding)),
    vars: sorted(Object.keys(config.vars)),
    assets: sorted([config.assets?.binding]),
    ratelimits: sorted((config.ratelimits ?? []).map((r) => r.name)),
  };
}

describe.each(["wrangler.toml", "workers/collector/wrangler.toml"])("%s", (path) => {
  it("[env.production] declares the same bindings and vars as the top level", () => {
    const local = readConfig(path);
    const production = readConfig(path, "production");
    expect(bindingNames(production)).toEqual(bindingNames(local));
    expect(production.name).toBe(`${local.name}-production`);
  });
});

describe("production wiring", () => {
  it("the engine's COLLECTOR service and the collector's SYMBOL_OBJECTS point at each other's production Worker", () => {
    const engine = readConfig("wrangler.toml", "production");
    const collector = readConfig("workers/collector/wrangler.toml", "production");
    expect(engine.services?.find((s) => s.binding === "COLLECTOR")?.service).toBe(collector.name);
    expect(collector.durable_objects.bindings.find((b) => b.name === "SYMBOL_OBJECTS")?.script_name).toBe(engine.name);
    expect(engine.vars.LIQFLOW_DEV_ROUTES).toBe("0");
    expect(collector.vars.LIQFLOW_MODE).toBe("live");
    expect(collector.workers_dev).toBe(false);
    expect(collector.triggers.crons).toEqual(["* * * * *"]);
  });
});
