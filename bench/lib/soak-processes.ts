/**
 * The processes of the soak's own stack, found by process tree (Linux /proc), never by name:
 * other stacks may run on the same machine.
 *
 * `npm start` runs node (scripts/start.ts) → node (wrangler) → node (wrangler's CLI) → two
 * `workerd` processes: wrangler's dev proxy, which owns the public port and the inspector
 * proxy, and the runtime that runs the engine and collector Workers and every Durable Object
 * (SymbolObjects, relays, Coordinator). The soak watches the runtime's memory, and can connect
 * its sockets to the runtime's own entry socket (bench/fanout.ts explains why: the proxy holds
 * ~4 descriptors per WebSocket).
 */
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";

/** The two workerd processes of one `wrangler dev`. */
export interface WorkerdPair {
  /** The runtime running the Workers and Durable Objects. */
  engine: number;
  /** wrangler's dev proxy (listens on the stack's port). */
  proxy: number | null;
}

/** Resident set size of `pid` in MB (VmRSS of /proc/<pid>/status), null when it is gone. */
export function rssMb(pid: number): number | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = /^VmRSS:\s+(\d+) kB/m.exec(status)?.[1];
    return kb === undefined ? null : Number(kb) / 1024;
  } catch {
    return null;
  }
}

/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ: 100 on Linux builds we know). */
const USER_HZ = 100;

/** CPU time (user + system, s) `pid` has used, null when it is gone. */
export function cpuSeconds(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // utime and stime are fields 14 and 15 of stat(5); fields[0] here is field 3.
    return (Number(fields[11]) + Number(fields[12])) / USER_HZ;
  } catch {
    return null;
  }
}

/** Every live descendant of `root` with its command name. */
export function descendants(root: number): { pid: number; comm: string }[] {
  const children = new Map<number, { pid: number; comm: string }[]>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      // comm is in parentheses and may hold spaces; the fields after the last ")" are fixed.
      const close = stat.lastIndexOf(")");
      const comm = stat.slice(stat.indexOf("(") + 1, close);
      const ppid = Number(stat.slice(close + 2).split(" ")[1]);
      const list = children.get(ppid) ?? [];
      list.push({ pid: Number(entry), comm });
      children.set(ppid, list);
    } catch {
      // exited while listing
    }
  }
  const out: { pid: number; comm: string }[] = [];
  const queue = [root];
  while (queue.length > 0) {
    for (const child of children.get(queue.shift()!) ?? []) {
      out.push(child);
      queue.push(child.pid);
    }
  }
  return out;
}

/** The workerd processes under `root`; the proxy is the one whose entry socket is `port`. */
export function findWorkerd(root: number, port: number): WorkerdPair | null {
  const workerds = descendants(root).filter((p) => p.comm === "workerd").map((p) => p.pid);
  const proxy = workerds.find((pid) => cmdline(pid).includes(`--socket-addr=entry=127.0.0.1:${port}`)) ?? null;
  const engines = workerds.filter((pid) => pid !== proxy);
  if (engines.length === 0) return null;
  // Normally one; if wrangler is mid-restart, the newest runs the current bundle.
  return { engine: Math.max(...engines), proxy };
}

/** TCP ports `pid` listens on at 127.0.0.1. */
export function listeningPorts(pid: number): number[] {
  const listing = execFileSync("ss", ["-ltnpH"], { encoding: "utf8" });
  return listing
    .split("\n")
    .filter((l) => l.includes(`pid=${pid},`))
    .map((l) => Number(/127\.0\.0\.1:(\d+)/.exec(l)?.[1]))
    .filter((p) => Number.isInteger(p) && p > 0);
}

/** The runtime's own address: the port of `enginePid` that answers GET /v1 as liqflow. */
export async function directAddress(enginePid: number): Promise<string | null> {
  for (const port of listeningPorts(enginePid)) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/v1`, { signal: AbortSignal.timeout(3_000) });
      if (res.ok && ((await res.json()) as { name?: string }).name === "liqflow") return `http://127.0.0.1:${port}`;
    } catch {
      // the inspector or the debug port
    }
  }
  return null;
}

/** The DevTools WebSocket of wrangler's inspector proxy (the engine Worker's isolate), if it listens. */
export async function inspectorUrl(proxyPid: number, stackPort: number): Promise<string | null> {
  for (const port of listeningPorts(proxyPid)) {
    if (port === stackPort) continue;
    try {
      const res = await fetch(`http://127.0.0.1:${port}/json/list`, { signal: AbortSignal.timeout(3_000) });
      const list = (await res.json()) as { webSocketDebuggerUrl?: string }[];
      const url = Array.isArray(list) ? list[0]?.webSocketDebuggerUrl : undefined;
      if (url) return url;
    } catch {
      // not the inspector
    }
  }
  return null;
}

function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ");
  } catch {
    return "";
  }
}
