import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { deploySteps, parseDeployArgs, withoutServiceBindings } from "../../../scripts/deploy.js";

describe("npm run deploy", () => {
  it("parses its flags and refuses anything else", () => {
    expect(parseDeployArgs([])).toEqual({ env: null, firstTime: false, dryRun: false });
    expect(parseDeployArgs(["--env", "production", "--first-time", "--dry-run"])).toEqual({ env: "production", firstTime: true, dryRun: true });
    expect(() => parseDeployArgs(["--env"])).toThrow(/incomplete argument "--env"/);
    expect(() => parseDeployArgs(["--env", "--dry-run"])).toThrow(/usage/);
    expect(() => parseDeployArgs(["--prod"])).toThrow(/unknown or incomplete argument "--prod"/);
  });

  it("deploys the engine before the collector, and bootstraps the engine without its COLLECTOR binding the first time", () => {
    expect(deploySteps({ env: null, firstTime: false, dryRun: false }).map((s) => s.config)).toEqual(["wrangler.toml", "workers/collector/wrangler.toml"]);
    expect(deploySteps({ env: null, firstTime: true, dryRun: false }).map((s) => s.config)).toEqual([
      "wrangler.bootstrap.toml",
      "workers/collector/wrangler.toml",
      "wrangler.toml",
    ]);
  });

  it("leaves out exactly the service bindings of the engine's real config, top level and per environment", () => {
    const toml = readFileSync("wrangler.toml", "utf8");
    const bootstrap = withoutServiceBindings(toml);
    expect(toml).toMatch(/service = "liqflow-collector"/);
    expect(bootstrap).not.toMatch(/services\]\]/);
    expect(bootstrap).not.toMatch(/liqflow-collector/);
    // Everything else is kept line for line: the bootstrap is the config with the tables cut out.
    let rest = toml;
    for (const block of toml.match(/^\[\[(env\.[a-z-]+\.)?services\]\][\s\S]*?(?=^\[|(?![\s\S]))/gm) ?? []) rest = rest.replace(block, "");
    expect(bootstrap.trimEnd()).toBe(rest.trimEnd());
    expect(bootstrap).toMatch(/class_name = "SymbolObject"/);
    expect(bootstrap).toMatch(/\[vars\]/);
  });

  it("drops a services table up to the next header only", () => {
    const toml = ["a = 1", "[[services]]", 'binding = "X"', "", "[vars]", 'B = "2"', "[[env.production.services]]", 'binding = "X"', "[env.production.vars]", 'C = "3"'].join("\n");
    expect(withoutServiceBindings(toml)).toBe(["a = 1", "[vars]", 'B = "2"', "[env.production.vars]", 'C = "3"'].join("\n"));
    expect(() => withoutServiceBindings("a = 1\n[vars]\n")).toThrow(/no \[\[services\]\]/);
  });
});
