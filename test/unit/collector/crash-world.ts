/**
 * A whole replay stack in one Node process, killable at any await: the collector's replay runner
 * (the real `ReplayRunner` and `SymbolBatcher`) in front of model SymbolObjects
 * (`model-symbol-object.ts`), with its storage, RPCs, clock and sleeps injected.
 *
 * Each life of the stack counts the awaits where a `kill -9` can land, by kind:
 * - `yield`: the runner's turn-giving `sleep(0)`;
 * - `pacing`: a slice of a pacing wait (the process dies asleep);
 * - `deliver`: a batch about to reach its SymbolObject (lost with the process);
 * - `ack`: a batch the SymbolObject applied and committed, its reply not yet back;
 * - `save`: the replay position about to be written (everything before it done);
 * - `saved`: the position written, the runner not yet on.
 * Killing at await `k` marks the life dead there: that await and every later effect of the life
 * (an RPC reaching an object, a storage write), including ones already in flight, throw
 * `Killed` and do nothing. A new life starts from what is durable: the collector's saved
 * position and each SymbolObject's rows and checkpoint. Time is virtual: a sleep moves the clock.
 */
import type { CanonicalEvent } from "../../../src/domain/events.js";
import type { IngestBatch, IngestResult } from "../../../src/protocol/ingest.js";
import { SEQ_PER_LOOP, type ReplayPosition } from "../../../src/replay/timeline.js";
import { ReplayRunner, type SavedReplay } from "../../../workers/collector/src/replay-runner.js";
import { ModelSymbolObject, newDurable, type ModelDurable } from "./model-symbol-object.js";

const SOURCE = "replay";

export const KILL_POINTS = ["yield", "pacing", "deliver", "ack", "save", "saved"] as const;
export type KillPoint = (typeof KILL_POINTS)[number];

/** Thrown at and after the await where a life was killed. */
export class Killed extends Error {
  constructor(readonly at: KillPoint) {
    super(`killed at ${at}`);
  }
}

/** One process lifetime of the stack. */
class Life {
  ops = 0;
  /** The kind of each await so far, in order. */
  readonly points: KillPoint[] = [];
  killedAt: KillPoint | null = null;
  readonly objects = new Map<string, ModelSymbolObject>();
  deliveries = 0;
  resetObjectAt: number | null = null;

  constructor(private readonly killAt: number | null) {}

  /** An await where the process may die. */
  step(point: KillPoint): void {
    this.check();
    this.points.push(point);
    if (++this.ops === this.killAt) {
      this.killedAt = point;
      throw new Killed(point);
    }
  }

  /** Before any effect: a dead process has none. */
  check(): void {
    if (this.killedAt !== null) throw new Killed(this.killedAt);
  }
}

export interface LifeResult {
  completed: boolean;
  killedAt: KillPoint | null;
  ops: number;
  /** The kind of each await of the life, in order (await `k` is `points[k - 1]`). */
  points: KillPoint[];
  /** The SymbolObjects of this life as they stood at its end (their memory, then lost). */
  objects: Map<string, ModelSymbolObject>;
}

export interface CrashWorldOptions {
  speed: number;
  symbols: readonly string[];
  /** Loops to play before a life counts as complete. */
  loops: number;
}

export class CrashWorld {
  /** The collector's Durable Object storage. */
  readonly collectorStorage = new Map<string, SavedReplay>();
  /** Each SymbolObject's rows and checkpoint. */
  readonly durables = new Map<string, ModelDurable>();
  clockMs = 1_700_000_000_000;
  readonly lives: LifeResult[] = [];
  /** Positions written although an event before them was not in its SymbolObject's checkpoint. */
  readonly unsafeSaves: string[] = [];
  /** Per symbol, the input indexes of its events, ascending. */
  private readonly indexesOf = new Map<string, number[]>();

  constructor(
    private readonly input: readonly CanonicalEvent[],
    private readonly options: CrashWorldOptions,
  ) {
    input.forEach((e, i) => {
      const list = this.indexesOf.get(e.symbol) ?? [];
      list.push(i);
      this.indexesOf.set(e.symbol, list);
    });
  }

  /**
   * Checks the invariant a saved position must hold when it is written: a restart from it
   * re-sends every event not in a checkpoint, i.e. each symbol's events before it are durable.
   */
  private checkSave(position: ReplayPosition): void {
    for (const [symbol, indexes] of this.indexesOf) {
      const last = lastSeqBefore(indexes, position);
      if (last === null) continue;
      const durable = this.durables.get(symbol)?.checkpoint?.sources[SOURCE]?.lastSeq ?? -1;
      if (durable < last && this.unsafeSaves.length < 20) {
        this.unsafeSaves.push(`saved ${position.loop}:${position.index} while ${symbol}'s checkpoint holds seq ${durable} < ${last}`);
      }
    }
  }

  /**
   * Runs one life of the stack, killed at its `killAt`-th await (never with null). With
   * `resetObjectAt`, the SymbolObject that the `resetObjectAt`-th batch goes to restarts alone
   * just before it (its memory lost, the rest of the stack going on), and a failed run ends the
   * life; with `objectsOf`, only the collector restarted: the SymbolObjects of that life go on.
   */
  async live(killAt: number | null, faults: { resetObjectAt?: number; objectsOf?: LifeResult } = {}): Promise<LifeResult> {
    const life = new Life(killAt);
    if (faults.objectsOf !== undefined) for (const [s, o] of faults.objectsOf.objects) life.objects.set(s, o);
    life.resetObjectAt = faults.resetObjectAt ?? null;
    const saved = structuredClone(this.collectorStorage.get("replay")) ?? { position: { loop: 0, index: 0 }, span: null };
    const runner = new ReplayRunner(
      saved,
      {
        events: () => this.events(),
        send: (symbol, batch) => this.send(life, symbol, batch),
        save: async (value) => {
          life.step("save");
          this.checkSave(value.position);
          this.collectorStorage.set("replay", structuredClone(value));
          life.step("saved");
        },
        now: () => this.clockMs,
        sleep: async (ms) => {
          life.step(ms === 0 ? "yield" : "pacing");
          this.clockMs += ms;
          await Promise.resolve();
          life.check();
        },
      },
      { speed: this.options.speed, symbols: this.options.symbols },
    );
    let completed = false;
    try {
      await runner.run({ loops: this.options.loops });
      completed = true;
    } catch (err) {
      if (!(err instanceof Killed) && life.resetObjectAt === null) throw err;
    }
    // In-flight work of a killed life settles (and does nothing) before the next life starts.
    for (let i = 0; i < 20; i++) await Promise.resolve();
    const result: LifeResult = { completed, killedAt: life.killedAt, ops: life.ops, points: life.points, objects: life.objects };
    this.lives.push(result);
    return result;
  }

  private async *events(): AsyncGenerator<CanonicalEvent> {
    for (const event of this.input) yield event;
  }

  private async send(life: Life, symbol: string, batch: IngestBatch): Promise<IngestResult> {
    life.step("deliver");
    await Promise.resolve();
    life.check();
    if (++life.deliveries === life.resetObjectAt) life.objects.delete(symbol);
    let object = life.objects.get(symbol);
    if (object === undefined) {
      let durable = this.durables.get(symbol);
      if (durable === undefined) this.durables.set(symbol, (durable = newDurable()));
      life.objects.set(symbol, (object = new ModelSymbolObject(symbol, durable)));
    }
    const result = object.ingest(symbol, batch);
    life.step("ack");
    await Promise.resolve();
    life.check();
    return result;
  }
}

/** The sequence of the last event (of the input indexes given) before `position`, over loops; null for none. */
function lastSeqBefore(indexes: readonly number[], position: ReplayPosition): number | null {
  let lo = 0;
  let hi = indexes.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (indexes[mid] < position.index) lo = mid + 1;
    else hi = mid;
  }
  if (lo > 0) return position.loop * SEQ_PER_LOOP + indexes[lo - 1];
  return position.loop > 0 && indexes.length > 0 ? (position.loop - 1) * SEQ_PER_LOOP + indexes[indexes.length - 1] : null;
}
