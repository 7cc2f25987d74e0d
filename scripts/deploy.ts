/**
 * `npm run deploy -- [--env production] [--first-time] [--dry-run]`: deploys both Workers to
 * Cloudflare in the order their bindings need (README, "Deploy").
 *
 * The two Workers bind each other: the engine calls the collector through a service binding
 * (COLLECTOR) and the collector calls the engine's SymbolObjects through a Durable Object binding
 * with `script_name`. A Durable Object binding can only name a class that is already deployed, so
 * the engine goes first; on the very first deploy the collector it binds does not exist yet, so
 * `--first-time` deploys the engine once without its COLLECTOR binding (the engine runs without
 * it: nothing wakes the collector but its own cron), then the collector, then the engine again
 * with every binding. Later deploys: engine, then collector.
 *
 * `--dry-run` runs every step as `wrangler deploy --dry-run --outdir` (no account needed), which
 * is what CI does through `npm run deploy:check`. Anything else on the command line after `--`
 * is an error, so a typo never deploys to the wrong place.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const ENGINE_CONFIG = "wrangler.toml";
const COLLECTOR_CONFIG = "workers/collector/wrangler.toml";
/** Written next to wrangler.toml (its paths are relative to it) for the first-time step, then removed. */
const BOOTSTRAP_CONFIG = "wrangler.bootstrap.toml";

export interface DeployOptions {
  env: string | null;
  firstTime: boolean;
  dryRun: boolean;
}

/** Parses the command line; throws with the usage on anything unknown. */
export function parseDeployArgs(argv: readonly string[]): DeployOptions {
  const options: DeployOptions = { env: null, firstTime: false, dryRun: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--first-time") options.firstTime = true;
    else if (arg === "--dry-run") options.dryRun = true;
    else if (arg === "--env" && i + 1 < argv.length && /^[a-z][a-z0-9-]*$/.test(argv[i + 1])) options.env = argv[++i];
    else throw new Error(`unknown or incomplete argument "${arg}"; usage: npm run deploy -- [--env <name>] [--first-time] [--dry-run]`);
  }
  return options;
}

/**
 * The engine's config without its service binding to the collector: every `[[services]]` table
 * (top level or of an environment) is dropped, up to the next table header. Throws when there is
 * none to drop, so a renamed binding cannot silently turn the bootstrap into a full deploy.
 */
export function withoutServiceBindings(toml: string): string {
  const lines = toml.split("\n");
  const out: string[] = [];
  let dropping = false;
  let dropped = 0;
  for (const line of lines) {
    const header = /^\s*\[\[?([^\]]+)\]\]?\s*(#.*)?$/.exec(line);
    if (header) {
      dropping = /^\s*\[\[/.test(line) && /(^|\.)services$/.test(header[1].trim());
      if (dropping) dropped++;
    }
    if (!dropping) out.push(line);
  }
  if (dropped === 0) throw new Error("the engine's wrangler.toml has no [[services]] binding to leave out");
  const text = out.join("\n");
  return toml.endsWith("\n") && !text.endsWith("\n") ? text + "\n" : text;
}

interface Step {
  what: string;
  config: string;
}

/** The deploys to run, in order (see the module comment). */
export function deploySteps(options: DeployOptions): Step[] {
  const engine: Step = { what: "engine", config: ENGINE_CONFIG };
  const collector: Step = { what: "collector", config: COLLECTOR_CONFIG };
  if (!options.firstTime) return [engine, collector];
  return [{ what: "engine without its COLLECTOR binding (first deploy)", config: BOOTSTRAP_CONFIG }, collector, { what: "engine with every binding", config: ENGINE_CONFIG }];
}

function run(step: Step, options: DeployOptions, outdir: string | null): void {
  const args = [join(root, "node_modules/wrangler/bin/wrangler.js"), "deploy", "-c", step.config];
  if (options.env !== null) args.push("--env", options.env);
  if (outdir !== null) args.push("--dry-run", "--outdir", outdir);
  console.log(`liqflow deploy: ${step.what}: wrangler ${args.slice(1).join(" ")}`);
  const result = spawnSync(process.execPath, args, { cwd: root, stdio: "inherit", env: { ...process.env, WRANGLER_SEND_METRICS: "false" } });
  if (result.status !== 0) throw new Error(`${step.what}: wrangler deploy failed (exit ${result.status}); nothing after this step was deployed`);
}

async function main(): Promise<void> {
  const options = parseDeployArgs(process.argv.slice(2));
  const work = options.dryRun ? mkdtempSync(join(tmpdir(), "liqflow-deploy-")) : null;
  try {
    if (options.firstTime) writeFileSync(join(root, BOOTSTRAP_CONFIG), withoutServiceBindings(readFileSync(join(root, ENGINE_CONFIG), "utf8")));
    for (const [i, step] of deploySteps(options).entries()) run(step, options, work === null ? null : join(work, String(i)));
    console.log(`liqflow deploy: done${options.dryRun ? " (dry run: nothing was uploaded)" : ""}`);
  } finally {
    rmSync(join(root, BOOTSTRAP_CONFIG), { force: true });
    if (work !== null) rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().catch((err: unknown) => {
    console.error(`liqflow deploy: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
}
