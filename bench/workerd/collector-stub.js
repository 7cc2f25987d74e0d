/**
 * A stand-in for the collector Worker under the benchmark's stack (bench/workerd-rows.ts): the
 * engine wakes its collector from the first request an isolate serves (`COLLECTOR.ensureRunning`,
 * src/index.ts) and, while the collector is unreachable, tries again on EVERY request, which
 * would put a failing cross-Worker call into each timed read. With this stub the wake-up answers
 * once, as with a running collector, and no market data flows but the benchmark's own.
 */
import { WorkerEntrypoint } from "cloudflare:workers";

export class CollectorService extends WorkerEntrypoint {
  async ensureRunning() {}
}

export default {
  async fetch() {
    return new Response("collector stub", { status: 404 });
  },
};
