/**
 * What the map channels' merge patches save: the realized heatmap and the estimated levels
 * (default queries, as `SYMBOL:heatmap` / `SYMBOL:levels` publish them) are computed at every
 * 10 s cycle over the liquidation bench stream (real BTCUSDT trades with synthetic OI and
 * liquidations, see bench/liquidation.ts); each value is compared with the RFC 7386 patch
 * from the previous one. Figures: bytes per update (median and total, full value vs patch)
 * and the time to build a patch against `JSON.stringify` of the full value (the baseline:
 * the relay stringifies every update once anyway).
 *
 *   npx tsx bench/map-deltas.ts
 */
import { pathToFileURL } from "node:url";
import { SymbolEngine } from "../src/domain/engine.js";
import { mergePatchDiff } from "../src/protocol/merge-patch.js";
import { liquidationBenchStream } from "./liquidation.js";

interface Sizes {
  full: number[];
  patch: number[];
  fallbacks: number;
  stringifyNs: number[];
  diffNs: number[];
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

export function runMapDeltaBench(): string[] {
  const { events } = liquidationBenchStream();
  const engine = new SymbolEngine("BTCUSDT");
  const sizes: Record<"heatmap" | "levels", Sizes> = {
    heatmap: { full: [], patch: [], fallbacks: 0, stringifyNs: [], diffNs: [] },
    levels: { full: [], patch: [], fallbacks: 0, stringifyNs: [], diffNs: [] },
  };
  const previous: Partial<Record<"heatmap" | "levels", unknown>> = {};
  const BATCH = 500;
  for (let i = 0; i < events.length; i += BATCH) {
    if (engine.ingest(events.slice(i, i + BATCH)).length === 0) continue;
    for (const kind of ["heatmap", "levels"] as const) {
      const value = kind === "heatmap" ? engine.heatmap() : engine.levels();
      const s = sizes[kind];
      let t = process.hrtime.bigint();
      const full = JSON.stringify(value).length;
      s.stringifyNs.push(Number(process.hrtime.bigint() - t));
      if (previous[kind] !== undefined) {
        t = process.hrtime.bigint();
        const patch = mergePatchDiff(previous[kind], value);
        s.diffNs.push(Number(process.hrtime.bigint() - t));
        s.full.push(full);
        if (patch === undefined) {
          s.fallbacks++;
          s.patch.push(full);
        } else s.patch.push(JSON.stringify(patch).length);
      }
      previous[kind] = value;
    }
  }
  const lines = [`map channel deltas over ${sizes.heatmap.full.length} cycles (bench/map-deltas.ts):`];
  lines.push(`${"channel".padEnd(10)} ${"full B (med)".padStart(13)} ${"patch B (med)".padStart(14)} ${"total ratio".padStart(12)} ${"full-value fallbacks".padStart(21)} ${"diff µs (med)".padStart(14)} ${"x stringify".padStart(12)}`);
  for (const kind of ["heatmap", "levels"] as const) {
    const s = sizes[kind];
    const ratio = sum(s.patch) / sum(s.full);
    const diff = median(s.diffNs);
    const str = median(s.stringifyNs);
    lines.push(
      `${kind.padEnd(10)} ${median(s.full).toFixed(0).padStart(13)} ${median(s.patch).toFixed(0).padStart(14)} ${ratio.toFixed(3).padStart(12)} ${String(s.fallbacks).padStart(21)} ${(diff / 1e3).toFixed(1).padStart(14)} ${(diff / str).toFixed(2).padStart(12)}`,
    );
  }
  return lines;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const line of runMapDeltaBench()) console.log(line);
}
