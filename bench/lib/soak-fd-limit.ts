/**
 * Open-file limit for the soak. Its process holds one descriptor per subscriber; wrangler's dev
 * proxy about four per socket routed through it; workerd one or two. Node cannot raise its own
 * limit, so when the soft limit is short and the hard limit allows more, the soak runs itself
 * again under `sh -c 'ulimit -n "$(ulimit -Hn)"; exec …'`: the stack it starts inherits the
 * raised limit too.
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";

const RAISED = "LIQFLOW_SOAK_FD_RAISED";

/** Soft and hard `Max open files` of this process (Infinity for unlimited). */
export function openFileLimits(): { soft: number; hard: number } {
  const line = readFileSync("/proc/self/limits", "utf8")
    .split("\n")
    .find((l) => l.startsWith("Max open files"));
  const [soft, hard] = (line ?? "").replace("Max open files", "").trim().split(/\s+/);
  const num = (v: string | undefined) => (v === "unlimited" ? Infinity : Number(v));
  return { soft: num(soft), hard: num(hard) };
}

/**
 * When the soft limit is below `needed` and can be raised, runs this script again with the hard
 * limit and resolves with its exit code; resolves null when this process may go on as it is.
 */
export async function rerunWithRaisedLimit(needed: number): Promise<number | null> {
  const { soft, hard } = openFileLimits();
  if (soft >= needed || soft >= hard || process.env[RAISED] === "1") return null;
  const child = spawn(
    "sh",
    ["-c", 'ulimit -n "$(ulimit -Hn)" 2>/dev/null; exec "$@"', "sh", process.execPath, ...process.execArgv, ...process.argv.slice(1)],
    { stdio: "inherit", env: { ...process.env, [RAISED]: "1" } },
  );
  // Ctrl-C reaches both processes (same foreground group); the child shuts its stack down.
  const ignore = () => {};
  process.on("SIGINT", ignore);
  process.on("SIGTERM", () => child.kill("SIGTERM"));
  return new Promise((resolve) => child.on("exit", (code, signal) => resolve(code ?? (signal ? 130 : 1))));
}
