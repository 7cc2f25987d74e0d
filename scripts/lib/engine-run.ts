/**
 * Running `SymbolEngine` in Node over recordings, shared by `replay` and `evaluate`: the venue
 * of a file, the engine config for a cycle, the recordings as event streams (the collector's
 * normalizers), and `EngineFleet`, one engine per symbol sharing one in-process market memory
 * as the symbols share the Coordinator live.
 */
import { basename, dirname } from "node:path";
import { SymbolEngine } from "../../src/domain/engine.js";
import { DEFAULT_ENGINE_CONFIG, parseEngineConfig, type EngineConfig, type EngineConfigInput } from "../../src/domain/config.js";
import { MarketMemory } from "../../src/domain/market/memory.js";
import { VenueSchema, type CanonicalEvent, type Venue } from "../../src/domain/events.js";
import { getMapper } from "../../src/exchanges/registry.js";
import { newStreamStats, recordingEvents, type StreamStats } from "../../src/replay/source.js";
import type { SymbolSnapshot } from "../../src/protocol/snapshot.js";
import { inferFileInstrument, recordingLines } from "./recording-file.js";

/** Cycles the default timeframes and cadences divide into (1m, 5m, 1h; bias every 30/60/300 s where it can). */
export const CYCLES_MS = [10_000, 20_000, 30_000, 60_000];

/** A cycle such as `60s` in ms, or null when it is not one of `CYCLES_MS`. */
export function parseCycleMs(text: string | undefined): number | null {
  const m = /^(\d+)(ms|s|m)$/.exec(text ?? "");
  const ms = m === null ? NaN : Number(m[1]) * (m[2] === "ms" ? 1 : m[2] === "s" ? 1_000 : 60_000);
  return CYCLES_MS.includes(ms) ? ms : null;
}

/** What `--cycle` accepts, for messages: `10s, 20s, 30s, 60s`. */
export const CYCLE_CHOICES = CYCLES_MS.map((c) => `${c / 1000}s`).join(", ");

/** The engine config for a cycle: bias cadences rounded up to it (scalp every 60 s on a 60 s cycle). */
export function cycleConfig(cycleMs: number): EngineConfigInput {
  const cadence = (ms: number) => Math.ceil(ms / cycleMs) * cycleMs;
  const d = DEFAULT_ENGINE_CONFIG;
  return { cycleMs, biasCadenceMs: { scalp: cadence(d.biasCadenceMs.scalp), day: cadence(d.biasCadenceMs.day), swing: cadence(d.biasCadenceMs.swing) }, catchUpMs: cadence(d.catchUpMs) };
}

/** The venue of a file: the explicit one, else the folder it sits in (data/recorded/<venue>/...), else binance. */
export function venueOf(file: string, explicit: Venue | undefined): Venue {
  if (explicit) return explicit;
  for (let dir = dirname(file); dir !== dirname(dir); dir = dirname(dir)) {
    const parsed = VenueSchema.safeParse(basename(dir));
    if (parsed.success) return parsed.data;
  }
  return "binance";
}

/** Each file as a stream of canonical events with its counters (same order as `files`). */
export async function openRecordings(files: readonly string[], explicitVenue: Venue | undefined): Promise<{ sources: AsyncGenerator<CanonicalEvent>[]; stats: StreamStats[] }> {
  const stats: StreamStats[] = [];
  const sources = await Promise.all(
    files.map(async (file) => {
      const venue = venueOf(file, explicitVenue);
      const s = newStreamStats();
      stats.push(s);
      const instrument = await inferFileInstrument(getMapper(venue), file);
      return recordingEvents(recordingLines(file).lines, venue, s, { instrument });
    }),
  );
  return { sources, stats };
}

/**
 * One engine per symbol, created at its first event, and the Coordinator's market memory in
 * process: after each ingest that closed a cycle the symbol reports its summary and gets its
 * context back, as a SymbolObject does (symbol-object.ts).
 */
export class EngineFleet {
  readonly engines = new Map<string, SymbolEngine>();
  readonly config: EngineConfig;
  private readonly market: MarketMemory;

  /** `input` undefined: the engine's defaults. */
  constructor(private readonly input: EngineConfigInput | undefined) {
    this.config = parseEngineConfig(input);
    this.market = new MarketMemory(this.config.cycleMs, this.config.biasNeutralBand);
  }

  /** Applies one event to its symbol's engine; returns the engine and the snapshots of the cycles it closed. */
  ingest(event: CanonicalEvent): { engine: SymbolEngine; snapshots: SymbolSnapshot[] } {
    let engine = this.engines.get(event.symbol);
    if (!engine) this.engines.set(event.symbol, (engine = new SymbolEngine(event.symbol, { config: this.input })));
    const snapshots = engine.ingest([event]);
    if (snapshots.length > 0) this.report(engine);
    return { engine, snapshots };
  }

  /** The tail: each symbol's events after its last boundary, in the boundary that would close them. */
  *tail(): Generator<{ engine: SymbolEngine; snapshots: SymbolSnapshot[] }> {
    for (const engine of this.engines.values()) {
      const next = engine.nextBoundaryTs;
      if (next !== null) yield { engine, snapshots: engine.advanceTo(next) };
    }
  }

  private report(engine: SymbolEngine): void {
    const summary = engine.summary();
    if (summary === null) return;
    this.market.report(summary);
    engine.setMarketContext(this.market.context(summary.symbol, summary.ts));
  }
}
