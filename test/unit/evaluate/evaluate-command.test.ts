/**
 * `npm run evaluate` end to end on a small real recording: the first 3 days of the shared month's
 * AVAXUSDT one-minute bars, cut here into a temporary folder (Binance archive name kept, so the
 * instrument is inferred as for the full file).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync, gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runEvaluation } from "../../../scripts/lib/evaluate/run.js";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const MONTH = join(ROOT, "data/recorded/binance/klines/AVAXUSDT-1m-2026-02.csv.gz");
const SLOW_MS = 180_000;

let dir = "";
let cut = "";

function evaluate(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, ["--import", "tsx", "scripts/evaluate.ts", ...args], { cwd: ROOT, encoding: "utf8", maxBuffer: 1 << 26 });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "liqflow-evaluate-"));
  cut = join(dir, "AVAXUSDT-1m-2026-02.csv.gz");
  const lines = gunzipSync(readFileSync(MONTH)).toString("utf8").split("\n");
  writeFileSync(cut, gzipSync(`${lines.slice(0, 1 + 3 * 1440).join("\n")}\n`));
});

afterAll(() => {
  if (dir !== "") rmSync(dir, { recursive: true, force: true });
});

describe("npm run evaluate", () => {
  it(
    "runs on 3 days of real bars and gives byte-identical stdout and JSON twice, progress on stderr",
    () => {
      const a = evaluate("--cycle", "60s", "--json", join(dir, "a.json"), cut);
      const b = evaluate("--cycle", "60s", "--json", join(dir, "b.json"), cut);
      expect(a.code, a.stderr).toBe(0);
      expect(b.stdout).toBe(a.stdout);
      const json = readFileSync(join(dir, "a.json"), "utf8");
      expect(readFileSync(join(dir, "b.json"), "utf8")).toBe(json);
      expect(a.stderr).toMatch(/evaluate: done: 1 file\(s\), 4320 events, \d+ outcomes for 1 symbol\(s\)/);
      const report = JSON.parse(json);
      expect(report.summary).toMatchObject({ events: 4320, bars: 4320, symbols: 1, cycleMs: 60_000 });
      expect(report.modes.map((m: { mode: string }) => m.mode)).toEqual(["scalp", "day", "swing"]);
      for (const m of report.modes) {
        expect(m.counts.test).toBeGreaterThan(0);
        expect(m.counts.unmatched).toBe(0);
        expect(m.counts.train + m.counts.test).toBe(m.counts.outcomes);
        // 1.5 days of test outcomes: the bias comparison says so instead of printing an interval.
        expect(m.bias.learnedMinusUniform).toMatchObject({ status: "not enough data", days: 2 });
      }
      expect(a.stdout).toContain("== day: horizon 1 h, a prediction every 1 min per symbol (overlap 60) ==");
      expect(a.stdout).toContain("not enough data: 2 UTC day(s) of test outcomes, 10 needed");
    },
    SLOW_MS,
  );

  it(
    "recomputes the engine's published bias exactly from the snapshot's cards while the weights are 1",
    async () => {
      const { report } = await runEvaluation({ files: [cut], cycleMs: 60_000, modes: ["day"], train: 0.5, hedge: { floor: 1_000_000_000 }, bootstrap: { B: 50, minGroups: 2 } });
      const d = report.modes[0].bias.learnedMinusUniform;
      if (d.status !== "ok" || d.ic.status !== "ok" || d.meanScoreOutcome.status !== "ok") throw new Error(`expected ok, got ${JSON.stringify(d)}`);
      expect([d.ic.estimate, d.ic.lo, d.ic.hi, d.meanScoreOutcome.estimate, d.meanScoreOutcome.lo, d.meanScoreOutcome.hi]).toEqual([0, 0, 0, 0, 0, 0]);
      expect(d.n).toBeGreaterThan(2_000);
    },
    SLOW_MS,
  );

  it("fails clearly on an unknown flag, no file, a missing file and a train share outside (0, 1)", () => {
    const unknown = evaluate("--frobnicate", cut);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("evaluate: unknown option --frobnicate");
    expect(evaluate().stderr).toContain("evaluate: no recording given");
    expect(evaluate("no/such.csv.gz").stderr).toContain("evaluate: no such file: no/such.csv.gz");
    for (const t of ["0", "1", "1.5", "-0.2", "half"]) {
      const r = evaluate("--train", t, cut);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`--train must be a number in (0, 1) (got "${t}")`);
    }
    expect(evaluate("--mode", "week", cut).stderr).toContain('--mode must be all, scalp, day, swing (got "week")');
    expect(evaluate("--cycle", "7s", cut).stderr).toContain('--cycle must be one of 10s, 20s, 30s, 60s (got "7s")');
  });
});
