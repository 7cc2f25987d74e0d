/**
 * Normalize, per venue, against the peer: liqflow's normalizer (`normalizeLine`: recording
 * line parse + venue mapper with its frame validation) and `tardis-dev`'s normalizers
 * (bench/lib/tardis-peer.ts) over the same real recordings, with `JSON.parse` of the same
 * lines as the floor, in interleaved rounds in one process (bench/lib/interleave.ts).
 *
 *   npx tsx bench/normalize-vs-tardis.ts [--rounds 9]
 *
 * Venues: Binance USDⓈ-M (hftbacktest BTCUSDT and ETHUSDT 2024-08-08, REST depth snapshot
 * wrapped in tardis' `depthSnapshot` envelope) and Bybit v5 linear (the cryptofeed recording's
 * linear connection). OKX is left out: the one OKX recording's instruments (a dated inverse
 * future, an inverse swap, spot) are all untracked by liqflow, which maps none of its 414 lines
 * to an event, so a timing would compare a symbol lookup with a full mapping.
 */
import { pathToFileURL } from "node:url";
import { getMapper, normalizeLine } from "../src/exchanges/registry.js";
import { type Contestant, formatNs, interleave, pairedRatio } from "./lib/interleave.js";
import { BINANCE_RECORDINGS, BYBIT_RECORDING, readRecordingLines } from "./lib/recordings.js";
import { binanceFuturesMappers, bybitMappers, hftbacktestMessage, jsonlMessage, mapAll } from "./lib/tardis-peer.js";

/** One venue's comparison. */
export interface NormalizeComparison {
  venue: string;
  input: string;
  lines: number;
  floorNs: number;
  liqflowNs: number;
  tardisNs: number;
  liqflowEvents: number;
  tardisEvents: number;
  /** liqflow ÷ tardis-dev, the median of the rounds' ratios (≤ 1.0 is the target). */
  ratio: number;
}

/** The Binance contestants over one hftbacktest recording. */
function binanceContestants(file: string, instrument: string): { lines: string[]; contestants: Contestant[] } {
  const lines = readRecordingLines(file);
  const context = { instrument };
  const bodies = lines.map((l) => l.slice(l.indexOf(" ") + 1));
  return {
    lines,
    contestants: [
      {
        name: "JSON.parse",
        items: lines.length,
        run: () => {
          let n = 0;
          for (const b of bodies) n += (JSON.parse(b) as object) === null ? 0 : 1;
          return n;
        },
      },
      {
        name: "liqflow",
        items: lines.length,
        run: () => {
          const mapper = getMapper("binance");
          let n = 0;
          for (const l of lines) n += normalizeLine(mapper, l, context).events.length;
          return n;
        },
      },
      {
        name: "tardis-dev",
        items: lines.length,
        run: () => {
          let mappers: ReturnType<typeof binanceFuturesMappers> | undefined;
          let n = 0;
          for (const l of lines) {
            const { message, localTimestamp } = hftbacktestMessage(l, instrument);
            mappers ??= binanceFuturesMappers(localTimestamp);
            n += mapAll(mappers, message, localTimestamp);
          }
          return n;
        },
      },
    ],
  };
}

/** The Bybit contestants over the recording's linear connection (its records only: connect, sent, received). */
function bybitContestants(): { lines: string[]; contestants: Contestant[] } {
  const lines = readRecordingLines(BYBIT_RECORDING).filter((l) => (JSON.parse(l) as { conn?: string }).conn === "BYBIT.ws.2");
  return {
    lines,
    contestants: [
      {
        name: "JSON.parse",
        items: lines.length,
        run: () => {
          let n = 0;
          for (const l of lines) {
            const r = JSON.parse(l) as { data?: unknown };
            if (typeof r.data === "string") n += (JSON.parse(r.data) as object) === null ? 0 : 1;
          }
          return n;
        },
      },
      {
        name: "liqflow",
        items: lines.length,
        run: () => {
          const mapper = getMapper("bybit");
          let n = 0;
          for (const l of lines) n += normalizeLine(mapper, l).events.length;
          return n;
        },
      },
      {
        name: "tardis-dev",
        items: lines.length,
        run: () => {
          let mappers: ReturnType<typeof bybitMappers> | undefined;
          let n = 0;
          for (const l of lines) {
            const m = jsonlMessage(l);
            if (m === undefined) continue;
            mappers ??= bybitMappers(m.localTimestamp);
            n += mapAll(mappers, m.message, m.localTimestamp);
          }
          return n;
        },
      },
    ],
  };
}

/** Runs the comparison: `rounds` interleaved rounds per venue (Bybit's small input is looped to a comparable duration). */
export function runNormalizeComparison(rounds: number): NormalizeComparison[] {
  const out: NormalizeComparison[] = [];
  const venues: Array<{ venue: string; input: string; build: () => { lines: string[]; contestants: Contestant[] }; repeat: number }> = [
    ...BINANCE_RECORDINGS.map((r) => ({
      venue: "binance",
      input: r.file.slice(r.file.lastIndexOf("/") + 1),
      build: () => binanceContestants(r.file, r.instrument),
      repeat: 1,
    })),
    { venue: "bybit", input: `${BYBIT_RECORDING.slice(BYBIT_RECORDING.lastIndexOf("/") + 1)} (linear connection)`, build: bybitContestants, repeat: 20 },
  ];
  for (const v of venues) {
    const { lines, contestants } = v.build();
    const looped = contestants.map((c) => ({
      ...c,
      items: c.items * v.repeat,
      run: () => {
        let n = 0;
        for (let i = 0; i < v.repeat; i++) n = c.run();
        return n;
      },
    }));
    const [floor, liqflow, tardis] = interleave(looped, rounds, 2);
    out.push({
      venue: v.venue,
      input: v.input,
      lines: lines.length,
      floorNs: floor.medianNs,
      liqflowNs: liqflow.medianNs,
      tardisNs: tardis.medianNs,
      liqflowEvents: liqflow.count,
      tardisEvents: tardis.count,
      ratio: pairedRatio(liqflow, tardis),
    });
  }
  return out;
}

/** The comparison as printed lines. */
export function formatNormalizeComparison(rows: readonly NormalizeComparison[]): string[] {
  const lines = [
    `${"venue / input".padEnd(62)} ${"lines".padStart(7)} ${"JSON.parse".padStart(10)} ${"liqflow".padStart(10)} ${"tardis-dev".padStart(10)} ${"liqflow/tardis".padStart(14)} ${"events (liqflow / tardis)".padStart(26)}`,
  ];
  for (const r of rows) {
    lines.push(
      `${`${r.venue}: ${r.input}`.padEnd(62)} ${String(r.lines).padStart(7)} ${formatNs(r.floorNs).padStart(10)} ${formatNs(r.liqflowNs).padStart(10)} ${formatNs(r.tardisNs).padStart(10)} ${`${r.ratio.toFixed(2)}×`.padStart(14)} ${`${r.liqflowEvents} / ${r.tardisEvents}`.padStart(26)}`,
    );
  }
  return lines;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const roundsArg = process.argv.indexOf("--rounds");
  const rounds = roundsArg > 0 ? Number(process.argv[roundsArg + 1]) : 9;
  for (const line of formatNormalizeComparison(runNormalizeComparison(rounds))) console.log(line);
}
