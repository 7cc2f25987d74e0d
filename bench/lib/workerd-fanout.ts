/**
 * Fan-out on workerd against a bare broadcaster in the same workerd (bench/workerd/index.js).
 *
 * Two sets of N real `ws` clients connect to workerd's own address and stay connected together:
 *   - engine: `/v1/stream`, each subscribed to `BTCUSDT:bias` (one relay shard, RELAY_SHARDS=1);
 *     an update is one trade pushed through the dev ingest route into the next 10 s cycle, so the
 *     path is the whole one: ingest RPC, the cycle (all cards), the publish RPC to the relay, and
 *     the relay's send to each socket;
 *   - bare: `/broadcast` of BareBroadcaster (hibernation API, one send per socket in its own
 *     try/catch, as the relays do); an update is `POST /broadcast` with the bytes of an update
 *     frame the engine's clients received (same size, same client-side parse).
 * Updates alternate engine, bare, engine, bare… one at a time, each after every client of the
 * previous one has it. Per update: deliveries/s = N ÷ (trigger → last client received); per
 * client: trigger → that client received, whose p50/p99 are pooled over the updates.
 * Both client sets parse every frame (JSON) and are in this Node process, on the two cores workerd uses.
 */
import WebSocket from "ws";
import { median } from "./interleave.js";
import { BENCH_ROUTE_HEADER, type WorkerdStack } from "./workerd-stack.js";

export interface FanoutFigures {
  clients: number;
  updates: number;
  connectS: number;
  engine: SideFigures;
  bare: SideFigures;
  /** Median over pairs of engine deliveries/s ÷ bare deliveries/s (each pair ran back to back). */
  share: number;
}

export interface SideFigures {
  /** Median over updates of N ÷ (trigger → last client). */
  deliveriesPerS: number;
  /** Median over updates of trigger → last client (ms). */
  lastMs: number;
  /** Over every (update, client): trigger → client received (ms). */
  p50Ms: number;
  p99Ms: number;
}

/** One set of connected clients that counts, per socket, the updates it received and when. */
class ClientSet {
  readonly sockets: WebSocket[] = [];
  /** When update k was triggered (performance.now()). */
  readonly triggerAt: number[] = [];
  readonly received: number[] = [];
  readonly lastAt: number[] = [];
  readonly latencies: number[][] = [];
  /** The first update frame any client received, as text. */
  firstFrame: string | null = null;
  /** The update being delivered, -1 between deliveries: a frame outside one (none is expected) is not counted. */
  private active = -1;

  /** Connects `n` clients, 200 at a time; `isReady` says when a client can receive updates (its first message, or at once). */
  async connect(n: number, url: string, headers: Record<string, string>, onOpen: (ws: WebSocket) => void, isReady: (m: { type?: string }) => boolean): Promise<void> {
    for (let i = 0; i < n; i += 200) {
      await Promise.all(
        Array.from({ length: Math.min(200, n - i) }, () => new Promise<void>((resolve, reject) => {
          const ws = new WebSocket(url, { headers, perMessageDeflate: false });
          let ready = false;
          /** The last update this socket counted: one frame per socket per update. */
          let seen = -1;
          ws.on("open", () => {
            onOpen(ws);
            if (isReady({})) {
              ready = true;
              resolve();
            }
          });
          ws.on("message", (raw) => {
            const text = String(raw);
            const m = JSON.parse(text) as { type?: string };
            if (!ready) {
              if (isReady(m)) {
                ready = true;
                resolve();
              }
              return;
            }
            const k = this.active;
            if (m.type !== "update" || k < 0 || seen >= k) return;
            seen = k;
            const now = performance.now();
            this.firstFrame ??= text;
            this.received[k] = (this.received[k] ?? 0) + 1;
            this.lastAt[k] = now;
            (this.latencies[k] ??= []).push(now - this.triggerAt[k]);
          });
          ws.on("error", reject);
          this.sockets.push(ws);
        })),
      );
    }
  }

  /** Triggers update k and waits until every client has it (60 s at most). */
  async deliver(trigger: () => Promise<void>): Promise<{ lastMs: number; latencies: number[] }> {
    const k = this.triggerAt.length;
    this.active = k;
    this.triggerAt.push(performance.now());
    await trigger();
    const deadline = performance.now() + 60_000;
    while ((this.received[k] ?? 0) < this.sockets.length && performance.now() < deadline) await new Promise((r) => setTimeout(r, 1));
    this.active = -1;
    if ((this.received[k] ?? 0) < this.sockets.length) throw new Error(`update ${k}: only ${this.received[k] ?? 0}/${this.sockets.length} clients received it`);
    return { lastMs: this.lastAt[k] - this.triggerAt[k], latencies: this.latencies[k] };
  }

  close(): void {
    for (const ws of this.sockets) ws.terminate();
  }
}

function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

async function ok(res: Promise<Response>, what: string): Promise<void> {
  const r = await res;
  const body = await r.text();
  if (!r.ok) throw new Error(`${what}: ${r.status} ${body.slice(0, 300)}`);
}

/**
 * Pushes engine cycles through the dev ingest route: one trade per call, each at least 10 s of
 * event time after the previous one, so each closes a cycle. Event time also moves with the wall
 * clock: after 30 s without ingest the object's alarm advances its clock by the silence
 * (SymbolObject `alarm`), and a trade behind that clock would close no cycle.
 */
export class CyclePusher {
  private cycle = 0;
  private seq = 0;
  private readonly wallStart = Date.now();
  constructor(private readonly base: string) {}

  async push(): Promise<void> {
    const cycle = this.cycle++;
    const ts = 1_699_999_800_000 + (Date.now() - this.wallStart) + cycle * 10_000 + 1_000;
    const event = { venue: "binance", symbol: "BTCUSDT", ts, kind: "trade", price: 60_000 + (cycle % 50), qty: 1, side: cycle % 2 ? "buy" : "sell", tradeId: String(ts) };
    const body = JSON.stringify({ source: "bench-fanout", events: [event], seqs: [++this.seq] });
    await ok(fetch(`${this.base}/internal/ingest/BTCUSDT`, { method: "POST", headers: { "content-type": "application/json" }, body }), "ingest");
  }
}

function side(clients: number, runs: Array<{ lastMs: number; latencies: number[] }>): SideFigures {
  const all = runs.flatMap((r) => r.latencies).sort((a, b) => a - b);
  return { deliveriesPerS: median(runs.map((r) => (clients / r.lastMs) * 1000)), lastMs: median(runs.map((r) => r.lastMs)), p50Ms: quantile(all, 0.5), p99Ms: quantile(all, 0.99) };
}

/** One fan-out case: N engine clients and N bare clients, `updates` timed updates each after one untimed pair. */
export async function runFanoutCase(stack: WorkerdStack, pusher: CyclePusher, clients: number, updates: number): Promise<FanoutFigures> {
  const ws = stack.direct.replace("http://", "ws://");
  const engine = new ClientSet();
  const bare = new ClientSet();
  try {
    // A cycle now: the object's quiet-time alarm (30 s without ingest) stays away while clients connect.
    await pusher.push();
    const t0 = performance.now();
    await engine.connect(clients, `${ws}/v1/stream`, {}, (s) => s.send(JSON.stringify({ op: "subscribe", channels: ["BTCUSDT:bias"] })), (m) => m.type === "snapshot");
    await bare.connect(clients, `${ws}/broadcast`, { ...BENCH_ROUTE_HEADER }, () => {}, () => true);
    const connectS = (performance.now() - t0) / 1000;
    await new Promise((r) => setTimeout(r, 500));
    const engineTrigger = () => pusher.push();
    // Warm-up pair; the engine's first update frame is the bytes the bare broadcaster sends.
    await engine.deliver(engineTrigger);
    const frame = engine.firstFrame;
    if (frame === null) throw new Error("no engine update frame received");
    const bareTrigger = () => ok(fetch(`${stack.direct}/broadcast`, { method: "POST", headers: { ...BENCH_ROUTE_HEADER }, body: frame }), "broadcast");
    await bare.deliver(bareTrigger);
    const engineRuns: Array<{ lastMs: number; latencies: number[] }> = [];
    const bareRuns: typeof engineRuns = [];
    for (let u = 0; u < updates; u++) {
      const pause = () => new Promise((r) => setTimeout(r, 150));
      if (u % 2 === 0) {
        engineRuns.push(await engine.deliver(engineTrigger));
        await pause();
        bareRuns.push(await bare.deliver(bareTrigger));
      } else {
        bareRuns.push(await bare.deliver(bareTrigger));
        await pause();
        engineRuns.push(await engine.deliver(engineTrigger));
      }
      await pause();
    }
    return {
      clients,
      updates,
      connectS,
      engine: side(clients, engineRuns),
      bare: side(clients, bareRuns),
      share: median(engineRuns.map((e, i) => bareRuns[i].lastMs / e.lastMs)),
    };
  } finally {
    engine.close();
    bare.close();
    // Let workerd see the closes before the next case connects its sockets.
    await new Promise((r) => setTimeout(r, 1_000));
  }
}
