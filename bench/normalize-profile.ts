/**
 * liqflow's normalize alone, for a CPU profile: every line of a venue's recordings through
 * `normalizeLine` (line parse + venue mapper), `--passes` times over, with nothing else in the
 * process that the profile would have to be read around. Binance (the default) reads the
 * BTCUSDT and ETHUSDT hftbacktest recordings; Bybit the cryptofeed v5 recording.
 *
 *   node --cpu-prof --cpu-prof-dir=/tmp/prof --import tsx bench/normalize-profile.ts [--venue binance|bybit] [--passes 30]
 */
import { getMapper, normalizeLine } from "../src/exchanges/registry.js";
import { BINANCE_RECORDINGS, BYBIT_RECORDING, type Recording, readRecordingLines } from "./lib/recordings.js";

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : fallback;
}

const venue = option("venue", "binance");
const recordings: Array<Recording | { file: string; instrument?: undefined }> = venue === "bybit" ? [{ file: BYBIT_RECORDING }] : [...BINANCE_RECORDINGS];
const passes = Number(option("passes", venue === "bybit" ? "600" : "30"));

const inputs = recordings.map((r) => ({ context: r.instrument === undefined ? undefined : { instrument: r.instrument }, lines: readRecordingLines(r.file) }));
let events = 0;
const started = process.hrtime.bigint();
for (let pass = 0; pass < passes; pass++) {
  for (const input of inputs) {
    const mapper = getMapper(venue);
    for (const line of input.lines) events += normalizeLine(mapper, line, input.context).events.length;
  }
}
const ns = Number(process.hrtime.bigint() - started);
const lines = inputs.reduce((n, i) => n + i.lines.length, 0) * passes;
console.log(`${venue}: ${passes} passes, ${lines} lines, ${events} events, ${(ns / lines / 1e3).toFixed(2)} µs per line`);
