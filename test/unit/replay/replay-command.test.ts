import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const BYBIT = "data/recorded/bybit/cryptofeed_BYBIT_v5_20260809.jsonl.gz";

function replay(...args: string[]): { code: number | null; lines: any[]; stderr: string; raw: string } {
  const run = spawnSync(process.execPath, ["--import", "tsx", "scripts/replay.ts", ...args], { cwd: ROOT, encoding: "utf8", maxBuffer: 1 << 28 });
  return { code: run.status, raw: run.stdout, lines: run.stdout.trimEnd().split("\n").filter(Boolean).map((l) => JSON.parse(l)), stderr: run.stderr };
}

describe("npm run replay", () => {
  it("accounts for every event: each symbol's last partial cycle is emitted at the end, flagged partial", () => {
    const r = replay(BYBIT);
    expect(r.code).toBe(0);
    const symbols = [...new Set(r.lines.map((l) => l.symbol))].sort();
    expect(symbols).toEqual(["BTCUSDT", "DOGEUSDT", "ETHUSDT", "SOLUSDT"]);
    for (const symbol of symbols) {
      const mine = r.lines.filter((l) => l.symbol === symbol);
      expect(mine.at(-1).partial, symbol).toBe(true);
      expect(mine.slice(0, -1).every((l) => l.partial === undefined)).toBe(true);
    }
    // what the normalizer makes of the file is what the last snapshots count together
    const normalized = spawnSync(process.execPath, ["--import", "tsx", "scripts/normalize.ts", "--venue", "bybit", BYBIT], { cwd: ROOT, encoding: "utf8", maxBuffer: 1 << 28 });
    const events = normalized.stdout.trimEnd().split("\n").filter(Boolean).length;
    const counted = symbols.reduce((n, s) => {
      const ev = r.lines.filter((l) => l.symbol === s).at(-1).events;
      return n + ["trade", "book", "quote", "mark", "oi", "liquidation", "insurance", "bar"].reduce((a, k) => a + (ev[k] ?? 0), 0);
    }, 0);
    expect(counted).toBe(events);
    expect(r.stderr).toMatch(/events \(\d+ bars\), \d+ snapshots \(cycle 10 s\) for 4 symbol\(s\)/);
  });

  it("runs another cadence with --cycle and says so on every line, deterministically", () => {
    const a = replay("--cycle", "60s", BYBIT);
    const b = replay("--cycle", "60s", BYBIT);
    expect(a.raw).toBe(b.raw);
    expect(a.lines.length).toBeGreaterThan(0);
    for (const l of a.lines) {
      expect(l.cycleMs).toBe(60_000);
      expect(l.ts % 60_000).toBe(0);
    }
    expect(a.stderr).toMatch(/\(cycle 60 s\)/);
    const bad = replay("--cycle", "7s", BYBIT);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--cycle must be one of 10s, 20s, 30s, 60s (got "7s")');
  });

  it("prints only the snapshots at multiples of --every (and the partial tail)", () => {
    const r = replay("--every", "1m", BYBIT);
    expect(r.lines.length).toBeGreaterThan(0);
    for (const l of r.lines) expect(l.ts % 60_000 === 0 || l.partial === true).toBe(true);
    expect(replay("--every", "15s", BYBIT).stderr).toContain("--every must be a multiple of the cycle (10 s) (got 15 s)");
  });
});
