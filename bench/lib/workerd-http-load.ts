/**
 * A small closed-loop HTTP load generator on `node:http`: `concurrency` keep-alive connections,
 * each sending its next GET as soon as the previous answer is read, for `durationMs` (a fixed
 * time rather than a fixed count keeps a slow route from stretching the whole bench).
 * A connection the server resets (a keep-alive race) is counted in `resets`, and its request
 * sent again on a new connection; the load fails past 5 % of resets.
 * No dependency: the Node client shares this machine's two cores with workerd, so it is kept
 * as lean as the standard library allows (no body parsing, one agent, one socket per slot).
 */
import { Agent, request } from "node:http";

export interface LoadResult {
  /** Requests answered within the duration. */
  requests: number;
  /** Requests lost to a reset connection, sent again. */
  resets: number;
  /** Answers that were not 200 (a figure over errors would flatter the route). */
  errors: number;
  reqPerS: number;
  p50Ms: number;
  p99Ms: number;
}

export interface LoadOptions {
  /** Absolute URL of the request `i` (0-based): a fixed URL, or one per request (distinct cache keys). */
  urlFor: (i: number) => string;
  headers?: Record<string, string>;
  durationMs: number;
  concurrency: number;
}

function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

function getOnce(agent: Agent, url: string, headers: Record<string, string> | undefined): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent, headers }, (res) => {
      res.on("data", () => {});
      res.on("end", () => resolve(res.statusCode ?? 0));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end();
  });
}

/** Runs the load; latencies are from each request's start to the end of its body. */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: options.concurrency });
  const latencies: number[] = [];
  let next = 0;
  let errors = 0;
  let resets = 0;
  const started = performance.now();
  const end = started + options.durationMs;
  const worker = async () => {
    while (performance.now() < end) {
      const t = performance.now();
      let status: number;
      try {
        status = await getOnce(agent, options.urlFor(next++), options.headers);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== "ECONNRESET" && (err as NodeJS.ErrnoException).code !== "EPIPE") throw err;
        resets++;
        continue;
      }
      latencies.push(performance.now() - t);
      if (status !== 200) errors++;
    }
  };
  try {
    await Promise.all(Array.from({ length: options.concurrency }, worker));
  } finally {
    agent.destroy();
  }
  const wallMs = performance.now() - started;
  const requests = latencies.length;
  if (resets > Math.max(1, requests / 20)) throw new Error(`${resets} connections reset for ${requests} answers`);
  latencies.sort((a, b) => a - b);
  return { requests, resets, errors, reqPerS: (requests / wallMs) * 1000, p50Ms: quantile(latencies, 0.5), p99Ms: quantile(latencies, 0.99) };
}
