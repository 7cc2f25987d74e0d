/**
 * HTTP reads on workerd against a hello-world Worker in the same workerd (bench/workerd/index.js),
 * at workerd's own address and through wrangler's dev proxy, under closed-loop keep-alive load
 * (bench/lib/workerd-http-load.ts).
 *
 *   - cached: `GET /v1/symbols/BTCUSDT/bias?mode=day`, one URL, served from the Cache API after
 *     the first miss of each 5 s max-age;
 *   - uncached: `GET /v1/symbols/BTCUSDT/liquidations?since=<n>`, a new `since` per request, so
 *     every read is a cache miss that reaches the SymbolObject (SQL page of stored rows);
 *   - hello world: `GET /hello` of the baseline Worker (a constant JSON body), at workerd's own
 *     address only: the dev proxy forwards to the first config (the engine) and consumes the
 *     routing header;
 *   - the engine's own `GET /v1`: a constant JSON body through the same middleware and edge cache
 *     as the cached read (a hit too), no object. Through the proxy it is the baseline, the
 *     lightest route behind it; at workerd's address, set beside the cached read, it shows that
 *     the gap to hello world is the engine Worker's request path, not the payload or the object.
 * Contestants run in interleaved rounds (order rotated each round); figures are medians.
 */
import { median } from "./interleave.js";
import { runLoad, type LoadResult } from "./workerd-http-load.js";
import { BENCH_ROUTE_HEADER, type WorkerdStack } from "./workerd-stack.js";

export type ReadKind = "hello" | "v1" | "cached" | "uncached";
export type ReadVia = "direct" | "proxy";

export interface ReadFigures {
  via: ReadVia;
  kind: ReadKind;
  reqPerS: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
}

export interface ReadsResult {
  figures: ReadFigures[];
  /**
   * Per address: median over rounds of (cached or uncached req/s) ÷ (the baseline's req/s of the
   * same round): the hello-world Worker at workerd's address, the engine's `GET /v1` through the proxy.
   */
  shares: Array<{ via: ReadVia; kind: "cached" | "uncached"; share: number }>;
  /** Seconds each contestant is loaded per round. */
  seconds: number;
  concurrency: number;
  rounds: number;
  /** Requests lost to reset connections (sent again), all contestants. */
  resets: number;
}

let since = 1_600_000_000_000;

function urlFor(stack: WorkerdStack, via: ReadVia, kind: ReadKind): { urlFor: (i: number) => string; headers?: Record<string, string> } {
  const base = via === "direct" ? stack.direct : stack.proxy;
  if (kind === "hello") return { urlFor: () => `${base}/hello`, headers: { ...BENCH_ROUTE_HEADER } };
  if (kind === "v1") return { urlFor: () => `${base}/v1` };
  if (kind === "cached") return { urlFor: () => `${base}/v1/symbols/BTCUSDT/bias?mode=day` };
  return { urlFor: () => `${base}/v1/symbols/BTCUSDT/liquidations?since=${since++}` };
}

/**
 * Runs the reads. The engine's BTCUSDT object must already hold a cycle (the cached read is a
 * 200 only then); any answer that is not 200 fails the run rather than timing an error page.
 */
export async function runReadRows(stack: WorkerdStack, options: { seconds: number; concurrency: number; rounds: number }): Promise<ReadsResult> {
  const contestants: Array<{ via: ReadVia; kind: ReadKind }> = [];
  for (const kind of ["hello", "v1", "cached", "uncached"] as const) contestants.push({ via: "direct", kind });
  for (const kind of ["v1", "cached", "uncached"] as const) contestants.push({ via: "proxy", kind });
  const samples = contestants.map(() => [] as LoadResult[]);
  let resets = 0;
  const one = async (k: number, seconds: number) => {
    const c = contestants[k];
    const result = await runLoad({ ...urlFor(stack, c.via, c.kind), durationMs: seconds * 1000, concurrency: options.concurrency });
    if (result.errors > 0) throw new Error(`reads ${c.kind} via ${c.via}: ${result.errors} of ${result.requests} answers were not 200`);
    resets += result.resets;
    return result;
  };
  for (let k = 0; k < contestants.length; k++) await one(k, Math.min(0.3, options.seconds / 3)); // warm-up
  for (let r = 0; r < options.rounds; r++) {
    for (let j = 0; j < contestants.length; j++) {
      const k = (j + r) % contestants.length;
      samples[k].push(await one(k, options.seconds));
    }
  }
  const figures = contestants.map((c, k) => ({
    ...c,
    reqPerS: median(samples[k].map((s) => s.reqPerS)),
    p50Ms: median(samples[k].map((s) => s.p50Ms)),
    p99Ms: median(samples[k].map((s) => s.p99Ms)),
    errors: samples[k].reduce((n, s) => n + s.errors, 0),
  }));
  const index = (via: ReadVia, kind: ReadKind) => contestants.findIndex((c) => c.via === via && c.kind === kind);
  const shares: ReadsResult["shares"] = [];
  for (const via of ["direct", "proxy"] as const) {
    const hello = samples[index(via, via === "direct" ? "hello" : "v1")];
    for (const kind of ["cached", "uncached"] as const) {
      shares.push({ via, kind, share: median(samples[index(via, kind)].map((s, r) => s.reqPerS / hello[r].reqPerS)) });
    }
  }
  return { figures, shares, seconds: options.seconds, concurrency: options.concurrency, rounds: options.rounds, resets };
}
