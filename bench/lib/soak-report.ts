/**
 * What the soak prints: a progress line every 30 s, and at the end a summary (per-channel-kind
 * sequence table, every channel with a gap or a stale update, closes, per-minute memory, the
 * flat-memory verdict) and the same figures as one JSON document.
 */
import type { FlatVerdict, ResourceSample, MinuteRow } from "./soak-memory.js";
import type { ProfileName } from "./soak-mix.js";
import type { SoakOptions } from "./soak-options.js";
import { totalCounts, type SequenceCounts } from "./soak-sequence.js";
import type { PoolCounts, SeenGap, UnexpectedClose } from "./soak-subscribers.js";

/** The replay as /v1/health reports it. */
export interface ReplayState {
  running: boolean | null;
  speed: number | null;
  loop: number | null;
  /** Events handed to the SymbolObjects, failed batches, and the last error (batch or feed). */
  events: number | null;
  failures: number | null;
  lastError: string | null;
  lastEventTs: number | null;
}

/** Everything one soak run measured (also written as JSON). */
export interface SoakSummary {
  command: string;
  startedAt: string;
  node: string;
  options: SoakOptions;
  interrupted: boolean;
  /** 1-min load average when the soak began and ended (2 cores: 2.0 is full). */
  load: { start: number; end: number };
  stack: { socketsAt: string; replayStart: ReplayState; replayEnd: ReplayState; runtimeRestarts: number; events: string[]; logFile: string | null };
  connect: { subscribers: number; profiles: Record<ProfileName, number>; seconds: number };
  soakSeconds: number;
  counts: PoolCounts;
  sequences: { total: SequenceCounts; byKind: Record<string, SequenceCounts>; byChannel: Record<string, SequenceCounts>; firstGaps: SeenGap[] };
  unexpectedCloses: UnexpectedClose[];
  memory: { beforeSubscribers: ResourceSample | null; perMinute: MinuteRow[]; verdict: FlatVerdict; samples: ResourceSample[] };
  /** Mean CPU over the soak, % of one core. */
  cpu: { engine: number | null; proxy: number | null; soak: number | null };
  pass: boolean;
}

/** m:ss */
export function clock(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}

const mb = (v: number | null | undefined, digits = 0) => (v === null || v === undefined ? "n/a" : `${v.toFixed(digits)} MB`);
const int = (n: number) => n.toLocaleString("en-US");
const eventTime = (ts: number | null) => (ts === null ? "n/a" : new Date(ts).toISOString().slice(0, 16).replace("T", " "));

/** The 30-second progress line. */
export function progressLine(p: {
  elapsedMs: number;
  totalMs: number;
  counts: PoolCounts;
  subscribers: number;
  gaps: number;
  stale: number;
  folded: number;
  rateMsgsPerS: number;
  rateMbPerS: number;
  memory: ResourceSample | null;
  replay: ReplayState | null;
  load: number;
}): string {
  const m = p.memory;
  return (
    `soak ${clock(p.elapsedMs)}/${clock(p.totalMs)}  sockets ${p.counts.open}/${p.subscribers}  ` +
    `msgs ${int(p.counts.messages)} (${int(Math.round(p.rateMsgsPerS))}/s, ${p.rateMbPerS.toFixed(1)} MB/s)  ` +
    `gaps ${p.gaps}  unexpected closes ${p.counts.unexpectedCloses}  stale ${p.stale}  folded ${p.folded}  ` +
    `| runtime RSS ${mb(m?.engineRssMb)} proxy ${mb(m?.proxyRssMb)} heap ${mb(m?.heapUsedMb, 1)} ` +
    `| replay loop ${p.replay?.loop ?? "?"} @ ${eventTime(p.replay?.lastEventTs ?? null)}, ${int(p.replay?.events ?? 0)} events` +
    `${p.replay?.failures ? `, ${p.replay.failures} failed batches` : ""}${p.replay?.running === false ? ", NOT RUNNING" : ""} | load ${p.load.toFixed(2)}`
  );
}

/** Per-kind totals (`bias`, `cards`, …) of a per-channel table. */
export function byKind(byChannel: ReadonlyMap<string, SequenceCounts>): Record<string, SequenceCounts> {
  const kinds = new Map<string, Map<string, SequenceCounts>>();
  for (const [channel, counts] of byChannel) {
    const kind = channel.slice(channel.lastIndexOf(":") + 1);
    if (!kinds.has(kind)) kinds.set(kind, new Map());
    kinds.get(kind)!.set(channel, counts);
  }
  return Object.fromEntries([...kinds].sort(([a], [b]) => a.localeCompare(b)).map(([k, m]) => [k, totalCounts(m)]));
}

/** The human summary. */
export function summaryText(s: SoakSummary): string {
  const lines: string[] = [];
  const v = s.memory.verdict;
  const verdict = s.pass ? "PASS" : "FAIL";
  lines.push(``, `soak ${s.interrupted ? `INTERRUPTED after ${clock(s.soakSeconds * 1000)}: ${verdict} so far` : `done: ${verdict}`}  (${s.command})`);
  lines.push(
    `  ${s.connect.subscribers} subscribers (${Object.entries(s.connect.profiles).map(([k, n]) => `${n} ${k}`).join(", ")}) via ${s.stack.socketsAt}, ` +
      `connected in ${s.connect.seconds.toFixed(1)} s; held ${clock(s.soakSeconds * 1000)}; replay ${s.options.speed}x ` +
      `(health says ${s.stack.replayEnd.speed ?? "?"}x), loop ${s.stack.replayStart.loop ?? "?"}→${s.stack.replayEnd.loop ?? "?"}, ` +
      `event time ${eventTime(s.stack.replayStart.lastEventTs)} → ${eventTime(s.stack.replayEnd.lastEventTs)}, ` +
      `events ${int(s.stack.replayStart.events ?? 0)} → ${int(s.stack.replayEnd.events ?? 0)}, failed batches ${s.stack.replayEnd.failures ?? "?"}` +
      (s.stack.replayEnd.lastError ? `, last error "${s.stack.replayEnd.lastError}"` : ""),
  );
  const pct = (x: number | null) => (x === null ? "n/a" : `${x.toFixed(0)} %`);
  lines.push(`  CPU (mean, % of one core): runtime ${pct(s.cpu.engine)}, dev proxy ${pct(s.cpu.proxy)}, soak clients ${pct(s.cpu.soak)}`);
  lines.push(`  load average (1 min, 2 cores): ${s.load.start.toFixed(2)} at start, ${s.load.end.toFixed(2)} at end; node ${s.node}`);
  const c = s.counts;
  lines.push(
    `  messages ${int(c.messages)} (${(c.bytes / 1e6).toFixed(0)} MB): ${int(c.updates)} updates, ${int(c.snapshots)} snapshots, ${int(c.pongs)} pongs; ` +
      `${c.socketsWithUpdates}/${s.connect.subscribers} sockets received updates`,
  );
  const t = s.sequences.total;
  lines.push(
    `  sequence gaps ${t.gaps} (${t.gaps - t.patchesWithoutBase} seq jumps, ${t.missed - t.patchesWithoutBase} updates lost; ${t.patchesWithoutBase} patches before any value), stale ${t.stale}, coalesced frames ${t.coalescedFrames} (${t.foldedUpdates} updates folded); ` +
      `unexpected closes ${c.unexpectedCloses}, socket errors ${c.socketErrors}, missed pongs ${c.missedPongs}, ` +
      `error frames ${JSON.stringify(c.errors)}, 429 on open ${c.refusedOpens}; runtime restarts ${s.stack.runtimeRestarts}`,
  );
  lines.push(``, `  per channel kind      checked      gaps  lost  stale  coalesced(folded)`);
  for (const [kind, k] of Object.entries(s.sequences.byKind)) {
    lines.push(`  ${kind.padEnd(14)} ${int(k.checked).padStart(14)} ${String(k.gaps).padStart(9)} ${String(k.missed).padStart(5)} ${String(k.stale).padStart(6)}  ${k.coalescedFrames}(${k.foldedUpdates})`);
  }
  lines.push(``, `  times below are since the first socket opened (opening all took ${s.connect.seconds.toFixed(0)} s)`);
  const flagged = Object.entries(s.sequences.byChannel).filter(([, k]) => k.gaps > 0 || k.stale > 0);
  if (flagged.length > 0) {
    lines.push(``, `  channels with gaps or stale updates:`);
    for (const [ch, k] of flagged) lines.push(`    ${ch.padEnd(24)} checked ${k.checked}, gaps ${k.gaps} (${k.missed} lost), stale ${k.stale}`);
  }
  for (const g of s.sequences.firstGaps) {
    const what = g.reason === "patch-without-base" ? `a patch (seq ${g.received}) before any value of the channel` : `expected seq ${g.expected}, got ${g.received}`;
    lines.push(`    gap at ${clock(g.atMs)}: socket ${g.socket} (${g.profile}) ${g.channel}: ${what}`);
  }
  const evidence = s.sequences.firstGaps[0];
  if (evidence) lines.push(`    frames of socket ${evidence.socket} around its first gap: ${evidence.frames.join(" | ")}`);
  for (const u of s.unexpectedCloses) lines.push(`    close at ${clock(u.atMs)}: socket ${u.socket} (${u.profile}) code ${u.code} "${u.reason}"`);
  for (const e of s.stack.events) lines.push(`    stack: ${e}`);
  if (s.stack.logFile) lines.push(`    the stack's output: ${s.stack.logFile}`);
  lines.push(``, `  memory (means per minute held) runtime RSS  proxy RSS    engine heap`);
  const before = s.memory.beforeSubscribers;
  if (before) lines.push(`  before subscribers          ${mb(before.engineRssMb).padStart(11)} ${mb(before.proxyRssMb).padStart(12)} ${mb(before.heapUsedMb, 1).padStart(14)}`);
  for (const r of s.memory.perMinute) {
    lines.push(`  minute ${String(r.minute).padEnd(20)} ${mb(r.engineRssMb).padStart(11)} ${mb(r.proxyRssMb).padStart(12)} ${mb(r.heapUsedMb, 1).padStart(14)}`);
  }
  const slope = (x: number | null) => (x === null ? "n/a" : `${x >= 0 ? "+" : ""}${x.toFixed(2)} MB/min`);
  lines.push(
    `  flat after warm-up: ${v.flat === null ? "n/a" : v.flat ? "yes" : "NO"}: runtime RSS slope ${slope(v.rssSlopeMbPerMin)}${v.rssSlopeSeMbPerMin === null ? "" : ` ± ${v.rssSlopeSeMbPerMin.toFixed(2)}`} over the last half ` +
      `(${v.samples} samples, ${v.fromS.toFixed(0)}–${v.toS.toFixed(0)} s), threshold ${v.thresholdMbPerMin} MB/min; engine heap slope ${slope(v.heapSlopeMbPerMin)}`,
  );
  return lines.join("\n");
}

/** Per-channel counts as a plain object, busiest first. */
export function channelTable(byChannel: ReadonlyMap<string, SequenceCounts>): Record<string, SequenceCounts> {
  return Object.fromEntries([...byChannel].sort(([, a], [, b]) => b.checked - a.checked));
}
