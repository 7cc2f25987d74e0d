/**
 * liqflow collector Worker. Reached by the engine through a service binding to
 * `CollectorService` (RPC); restarted by its cron trigger in production.
 */
import { WorkerEntrypoint } from "cloudflare:workers";
import type { ReplayHealth } from "./collector-object.js";

export { CollectorObject } from "./collector-object.js";

export interface CollectorHealth {
  mode: string;
  feeds: Record<string, ReplayHealth>;
}

function replayFeed(env: CollectorEnv) {
  return env.COLLECTOR_OBJECTS.get(env.COLLECTOR_OBJECTS.idFromName("replay"));
}

function mode(env: CollectorEnv): string {
  const m = env.LIQFLOW_MODE ?? "replay";
  if (m !== "replay") throw new Error(`LIQFLOW_MODE "${m}" is not available yet; use "replay"`);
  return m;
}

export class CollectorService extends WorkerEntrypoint<CollectorEnv> {
  /** Starts the feeds of the configured mode if they are not running. Idempotent. */
  async ensureRunning(): Promise<{ mode: string; running: boolean }> {
    const m = mode(this.env);
    const { running } = await replayFeed(this.env).start();
    return { mode: m, running };
  }

  async health(): Promise<CollectorHealth> {
    return { mode: this.env.LIQFLOW_MODE ?? "replay", feeds: { replay: await replayFeed(this.env).health() } };
  }
}

export default {
  async fetch(): Promise<Response> {
    return Response.json({ error: { code: "not_public", message: "the collector is reached through the engine's service binding" } }, { status: 404 });
  },
  async scheduled(_controller, env, ctx) {
    ctx.waitUntil(replayFeed(env).start());
  },
} satisfies ExportedHandler<CollectorEnv>;
