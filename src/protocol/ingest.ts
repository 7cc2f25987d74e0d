/**
 * The collector → SymbolObject RPC payload.
 *
 * One batch holds events of one symbol from one source, in order. `seqs[i]` is the
 * source's sequence number of `events[i]`, strictly increasing per source: the object keeps
 * the last one it applied per source and drops anything at or below it, so a retry or a
 * reconnect that re-sends events never counts them twice.
 */
import type { CanonicalEvent, Venue } from "../domain/events.js";

export interface IngestBatch {
  /** Stable name of the producing stream, e.g. `replay` or `binance:ws-0`. */
  source: string;
  events: CanonicalEvent[];
  seqs: number[];
  /**
   * Event time up to which the source is complete for this symbol (ms). Lets a quiet
   * symbol's cycles advance in event time without inventing events.
   */
  watermarkTs?: number;
  /**
   * True for history (a warm start's backfilled one-minute bars): applied without computing the
   * cycles it spans (`SymbolEngine.backfill`), so the first live cycle reads it in full.
   */
  history?: boolean;
  /**
   * The sequence of the producer's previous event for this symbol and source; absent on the
   * producer's first batch for it (after its own start). An object whose last applied sequence
   * is below it lost events the producer counts as applied (the object restarted from an older
   * checkpoint while the producer went on): it applies nothing of the batch and answers `gap`.
   */
  afterSeq?: number;
}

export interface IngestResult {
  accepted: number;
  duplicates: number;
  rejected: number;
  /** Cycle boundaries computed while applying the batch. */
  cycles: number;
  /**
   * The highest sequence of this source that is in the object's durable checkpoint (-1 for
   * none). The engine checkpoints once per cycle, so this trails the last applied sequence
   * by up to one cycle; a producer that restarts must resume after it, not after what it sent.
   */
  durableSeq: number;
  /**
   * Venues whose order book in the object is unsynced after this batch (waiting for a
   * snapshot); absent when none is. A live collector compares it with its own view and fetches a new snapshot when
   * the object lost sync without it (a restart restored an older book, a batch was lost).
   */
  unsyncedBooks?: Venue[];
  /**
   * Present when the batch was refused (nothing applied): the object holds the source only
   * through `lastSeq`, below the batch's `afterSeq`. The producer must send again from
   * `lastSeq + 1` (the replay restarts from its saved position) or, when it cannot, send the
   * batch again without `afterSeq`, accepting the loss.
   */
  gap?: { lastSeq: number };
}

/**
 * What `SymbolObject.ingest` takes: a batch as above, or the same batch with its events as JSON
 * text (`eventsJson`), which is what the collector sends ({@link onTheWire}). Across a Durable
 * Object RPC an array of objects is structured-cloned field by field, which cost more than
 * `JSON.parse` of the same events as text inside the object: 3.6 against 1.6 µs per event of the
 * recorded BTCUSDT stream on local workerd (bench/workerd-rows.ts).
 */
export type IngestRequest = IngestBatch | (Omit<IngestBatch, "events"> & { eventsJson: string; events?: undefined });

/** The batch as the collector sends it: its events as JSON text, everything else as is. */
export function onTheWire(batch: IngestBatch): IngestRequest {
  const { events, ...rest } = batch;
  return { ...rest, eventsJson: JSON.stringify(events) };
}

/**
 * A batch's events, from `events` or from `eventsJson`; a string saying what is wrong when
 * neither holds an array (text that is not JSON, both or none given), so the object can refuse
 * the batch with a counted rejection instead of applying part of it.
 */
export function batchEvents(batch: IngestRequest): CanonicalEvent[] | string {
  if ("eventsJson" in batch && batch.eventsJson !== undefined) {
    if (batch.events !== undefined) return "a batch carries events or eventsJson, not both";
    if (typeof batch.eventsJson !== "string") return "eventsJson must be JSON text";
    let parsed: unknown;
    try {
      parsed = JSON.parse(batch.eventsJson);
    } catch (err) {
      return `eventsJson is not JSON: ${(err as Error).message}`;
    }
    return Array.isArray(parsed) ? (parsed as CanonicalEvent[]) : "eventsJson must be a JSON array of events";
  }
  return Array.isArray(batch.events) ? batch.events : "a batch must carry events or eventsJson";
}
