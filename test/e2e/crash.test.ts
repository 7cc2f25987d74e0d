/**
 * End to end: `kill -9` of the whole stack (launcher, wrangler, workerd) during the replay loses
 * no liquidation and stores none twice. The stack replays a sparse span, Binance liquidations of
 * 2025-12-27/28 (147 of tracked symbols, seconds to a minute apart: most of the wall time is
 * pacing waits, where a position counted an event before sending it and a kill lost it). It is
 * killed twice while waiting for the next liquidation and once right after a restart, each time
 * restarted on the same state directory; once loop 0 is played, each symbol's stored
 * liquidations (`/v1/symbols/<S>/liquidations`) must equal the recording's, each exactly once.
 *
 * The stack plays the test's own manifest (fixtures/crash-sparse.json, one file of the default
 * set) through `LIQFLOW_MANIFEST`; the test checks the collector played that file alone.
 */
import { execFileSync } from "node:child_process";
import { createReadStream, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { afterAll, describe, expect, it } from "vitest";
import type { CanonicalEvent, LiquidationEvent } from "../../src/domain/events.js";
import { readLines } from "../../src/replay/lines.js";
import { newStreamStats, recordingEvents } from "../../src/replay/source.js";
import type { ReplayManifest } from "../../src/replay/timeline.js";
import { eventually, getJson, groupAlive, startStack, type Stack } from "./stack.js";

const ROOT = process.cwd();
const MANIFEST = join(ROOT, "test/e2e/fixtures/crash-sparse.json");
const SPEED = 50;
/** Gaps after which a kill surely lands in the pacing wait: 40 s of event time is 800 ms at 50x. */
const LONG_GAP_MS = 40_000;

/** The manifest's events, read as the collector reads them. */
async function manifestEvents(): Promise<CanonicalEvent[]> {
  const { files } = JSON.parse(readFileSync(MANIFEST, "utf8")) as ReplayManifest;
  expect(files).toHaveLength(1);
  const body = Readable.toWeb(createReadStream(join(ROOT, "data/recorded", files[0].path))) as unknown as ReadableStream<Uint8Array>;
  const out: CanonicalEvent[] = [];
  for await (const e of recordingEvents(readLines(body), files[0].venue, newStreamStats())) out.push(e);
  return out;
}

/** The process group of the stack on `stateDir` (launcher, wrangler, workerd), or null when gone. */
function stackGroup(stateDir: string): number | null {
  const ps = execFileSync("ps", ["-eo", "pgid=,args="], { encoding: "utf8" });
  const line = ps.split("\n").find((l) => l.includes("wrangler") && l.includes(`--persist-to ${stateDir}`));
  return line === undefined ? null : Number(line.trim().split(/\s+/)[0]);
}

/** `kill -9` of the stack's whole process group; returns once every process of it is gone. */
async function killStack(stateDir: string): Promise<void> {
  const pgid = stackGroup(stateDir);
  if (pgid === null) return;
  process.kill(-pgid, "SIGKILL");
  await eventually(async () => (groupAlive(pgid) ? undefined : true), 10_000, `process group ${pgid} to exit`);
}

async function replayHealth(stack: Stack): Promise<any> {
  const { status, body } = await getJson(`${stack.base}/v1/health`);
  expect(status).toBe(200);
  return body.collector.feeds.replay;
}

/**
 * Kills the stack while it waits for the liquidation after event `i >= from`, one followed by a
 * long gap: seen handed over (`lastEventTs`) and still the last one 250 ms later, then killed.
 * Returns `i`.
 */
async function killDuringPacingWait(stack: Stack, input: readonly CanonicalEvent[], from: number): Promise<number> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const { lastEventTs } = await replayHealth(stack);
    const i = input.findLastIndex((e) => e.ts === lastEventTs);
    if (i >= from && i + 1 < input.length && input[i + 1].ts - input[i].ts >= LONG_GAP_MS) {
      await new Promise((r) => setTimeout(r, 250));
      if ((await replayHealth(stack)).lastEventTs === lastEventTs) {
        await killStack(stack.stateDir);
        return i;
      }
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`no pacing wait after a long gap from event ${from} was seen within 60 s`);
}

/** A liquidation as the API serves it and as the recording holds it, for comparing lists. */
function key(l: Pick<LiquidationEvent, "ts" | "side" | "price" | "qty">): string {
  return `${l.ts} ${l.side} ${l.qty} @ ${l.price}`;
}

let stateDir: string | null = null;

afterAll(async () => {
  if (stateDir === null) return;
  await killStack(stateDir);
  rmSync(stateDir, { recursive: true, force: true });
});

describe("kill -9 during the replay", () => {
  it("loses no liquidation and stores none twice (sparse span, killed twice in a pacing wait and once after a restart)", async () => {
    const input = await manifestEvents();
    expect(input).toHaveLength(147);
    stateDir = mkdtempSync(join(tmpdir(), "liqflow-e2e-crash-"));
    const start = () => startStack({ speed: SPEED, stateDir: stateDir as string, env: { LIQFLOW_MANIFEST: MANIFEST } });

    let stack = await start();
    const streams = await eventually(async () => {
      const names = Object.keys((await replayHealth(stack)).streams);
      return names.length > 0 ? names : undefined;
    }, 30_000, "the replay to open its recordings");
    expect(streams).toEqual(["binance/forceorder_20251227-20251228.jsonl.gz"]);
    const first = await killDuringPacingWait(stack, input, 10);
    console.log(`crash test: killed in the pacing wait after event ${first} (next liquidation ${(input[first + 1].ts - input[first].ts) / 1000} s later)`);

    stack = await start();
    const second = await killDuringPacingWait(stack, input, first + 20);
    console.log(`crash test: killed in the pacing wait after event ${second} (next liquidation ${(input[second + 1].ts - input[second].ts) / 1000} s later)`);

    stack = await start();
    await eventually(async () => ((await replayHealth(stack)).lastEventTs > input[second].ts ? true : undefined), 30_000, "the replay to send past the second kill");
    await killStack(stack.stateDir);

    stack = await start();
    const done = await eventually(async () => {
      const h = await replayHealth(stack);
      return h.position.loop >= 1 ? h : undefined;
    }, 60_000, "loop 0 to be played to its end");
    expect(done.error).toBeNull();
    expect(done.batches.failures).toBe(0);

    const lastTs = input[input.length - 1].ts;
    const symbols = [...new Set(input.map((e) => e.symbol))].sort();
    expect(symbols).toHaveLength(19);
    const differences: string[] = [];
    for (const symbol of symbols) {
      const { status, body } = await getJson(`${stack.base}/v1/symbols/${symbol}/liquidations?limit=1000`);
      expect(status).toBe(200);
      // Loop 1 (shifted by 31 h) may have begun: loop 0's rows are those up to the span's end.
      const served = (body.liquidations as LiquidationEvent[]).filter((l) => l.ts <= lastTs).map(key);
      const recorded = input.filter((e): e is LiquidationEvent => e.symbol === symbol && e.kind === "liquidation").map(key);
      for (const k of new Set([...served, ...recorded])) {
        const s = served.filter((x) => x === k).length;
        const r = recorded.filter((x) => x === k).length;
        if (s !== r) differences.push(`${symbol} ${k}: served ${s} times, recorded ${r}`);
      }
    }
    expect(differences).toEqual([]);
    await stack.stop();
  });
});
