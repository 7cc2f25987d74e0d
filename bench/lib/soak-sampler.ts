/**
 * Samples the stack's resources during the soak: the runtime's and the dev proxy's RSS and CPU
 * time, the soak's own CPU time, the engine heap every HEAP_EVERY_MS when an inspector URL is
 * given; and notices when wrangler replaced the runtime (a reload closes every socket), so the
 * report can say why sockets closed.
 */
import type { ResourceSample } from "./soak-memory.js";
import { readEngineHeap } from "./soak-heap.js";
import { cpuSeconds, findWorkerd, rssMb, type WorkerdPair } from "./soak-processes.js";

/** One inspector session per this many ms at most (each attaches to the engine isolate). */
export const HEAP_EVERY_MS = 30_000;

export class ResourceSampler {
  readonly samples: ResourceSample[] = [];
  /** Runtime replacements seen: when (ms since the soak began) and the pids. */
  readonly restarts: { atMs: number; from: number; to: number }[] = [];
  /** The last heap read (MB), carried between heap samples for the progress line. */
  lastHeapMb: number | null = null;
  private lastHeapAtMs = -Infinity;

  constructor(
    private workerd: WorkerdPair,
    private readonly stackPort: number,
    private readonly heapUrl: string | null,
  ) {}

  /** The runtime's pid now. */
  get enginePid(): number {
    return this.workerd.engine;
  }

  /** Takes one sample at `tMs` since the soak began; `record: false` returns it without keeping it. */
  async sample(tMs: number, record = true): Promise<ResourceSample> {
    this.followRestart(tMs);
    const withHeap = this.heapUrl !== null && tMs - this.lastHeapAtMs >= HEAP_EVERY_MS;
    let heapUsedMb: number | null = null;
    if (withHeap) {
      this.lastHeapAtMs = tMs;
      heapUsedMb = (await readEngineHeap(this.heapUrl!))?.usedMb ?? null;
      this.lastHeapMb = heapUsedMb ?? this.lastHeapMb;
    }
    const own = process.cpuUsage();
    const { engine, proxy } = this.workerd;
    const sample: ResourceSample = {
      tMs,
      enginePid: engine,
      engineRssMb: rssMb(engine),
      proxyRssMb: proxy !== null ? rssMb(proxy) : null,
      heapUsedMb,
      engineCpuS: cpuSeconds(engine),
      proxyCpuS: proxy !== null ? cpuSeconds(proxy) : null,
      soakCpuS: (own.user + own.system) / 1e6,
    };
    if (record) this.samples.push(sample);
    return sample;
  }

  private followRestart(tMs: number): void {
    const current = findWorkerd(process.pid, this.stackPort);
    if (!current || current.engine === this.workerd.engine) return;
    this.restarts.push({ atMs: tMs, from: this.workerd.engine, to: current.engine });
    this.workerd = current;
  }
}
