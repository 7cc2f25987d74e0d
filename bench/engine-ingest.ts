/**
 * Engine ingest (Node) against the cheapest consumer of the same bytes. Both start from the
 * BTCUSDT recording's canonical events serialized as JSON batches of 500 (what a SymbolObject
 * is handed per call): liqflow parses each batch and `SymbolEngine.ingest`s it (all 189 cards,
 * so the 35 cycles of the recording are in the figure); the baseline parses each batch and sums
 * every event's numbers in a plain loop. Interleaved rounds, medians, ns per event.
 *
 *   npx tsx bench/engine-ingest.ts [--rounds 7]
 */
import { pathToFileURL } from "node:url";
import { SymbolEngine } from "../src/domain/engine.js";
import type { CanonicalEvent } from "../src/domain/events.js";
import { getMapper, normalizeLine } from "../src/exchanges/registry.js";
import { formatNs, interleave, pairedRatio } from "./lib/interleave.js";
import { BINANCE_RECORDINGS, readRecordingLines } from "./lib/recordings.js";

const BATCH = 500;

/** What the rounds measured. */
export interface IngestComparison {
  events: number;
  batch: number;
  /** ns per event: JSON.parse of the batch + `SymbolEngine.ingest`. */
  ingestNs: number;
  /** ns per event: JSON.parse of the batch + a loop summing each event's numbers. */
  loopNs: number;
  /** loop ÷ ingest, the median of the rounds' ratios: ingest's speed as a share of the loop's (target ≥ 0.5). */
  speedShare: number;
}

/** The numbers of an event, summed: what the baseline loop does with each one. */
function sumEvent(e: CanonicalEvent): number {
  let s = e.ts;
  switch (e.kind) {
    case "trade":
      return s + e.price * e.qty;
    case "book":
      for (const [p, q] of e.bids) s += p * q;
      for (const [p, q] of e.asks) s += p * q;
      return s;
    case "quote":
      return s + e.bidPrice * e.bidQty + e.askPrice * e.askQty;
    default:
      return s;
  }
}

export function runIngestComparison(rounds: number): IngestComparison {
  const { file, instrument } = BINANCE_RECORDINGS[0];
  const mapper = getMapper("binance");
  const events = readRecordingLines(file).flatMap((l) => normalizeLine(mapper, l, { instrument }).events);
  const batches: string[] = [];
  for (let i = 0; i < events.length; i += BATCH) batches.push(JSON.stringify(events.slice(i, i + BATCH)));
  const [ingest, loop] = interleave(
    [
      {
        name: "ingest",
        items: events.length,
        run: () => {
          const engine = new SymbolEngine("BTCUSDT");
          let n = 0;
          for (const b of batches) n += engine.ingest(JSON.parse(b) as CanonicalEvent[]).length;
          return n;
        },
      },
      {
        name: "parse + sum",
        items: events.length,
        run: () => {
          let s = 0;
          for (const b of batches) for (const e of JSON.parse(b) as CanonicalEvent[]) s += sumEvent(e);
          return s > 0 ? 1 : 0;
        },
      },
    ],
    rounds,
  );
  return { events: events.length, batch: BATCH, ingestNs: ingest.medianNs, loopNs: loop.medianNs, speedShare: pairedRatio(loop, ingest) };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const roundsArg = process.argv.indexOf("--rounds");
  const r = runIngestComparison(roundsArg > 0 ? Number(process.argv[roundsArg + 1]) : 7);
  console.log(`${r.events} events, batches of ${r.batch}: parse + ingest ${formatNs(r.ingestNs)} per event, parse + sum ${formatNs(r.loopNs)} per event, ingest at ${(100 * r.speedShare).toFixed(0)} % of the loop's speed`);
}
