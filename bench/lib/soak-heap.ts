/**
 * The engine Worker's V8 heap, read over the DevTools protocol (`Runtime.getHeapUsage`).
 *
 * The liqflow API does not report memory, and workerd gives a Worker no memory API. In workerd
 * every Durable Object class of a Worker runs in that Worker's isolate, so this heap holds the
 * 21 SymbolObjects, the stream relays and the Coordinator together: the JavaScript part of the
 * runtime's RSS. It is read through wrangler's inspector proxy (the runtime's own inspector
 * port answered no request in our tests while wrangler held it), one short session per sample
 * so the isolate runs without an attached debugger in between.
 */
import WebSocket from "ws";

/** Heap of the engine isolate, in MB. */
export interface HeapSample {
  usedMb: number;
  totalMb: number;
}

/** One `Runtime.getHeapUsage` over a fresh session; null when the inspector does not answer in time. */
export function readEngineHeap(url: string, timeoutMs = 5_000): Promise<HeapSample | null> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url);
    const done = (sample: HeapSample | null) => {
      clearTimeout(timer);
      ws.removeAllListeners("message");
      ws.on("error", () => {});
      ws.terminate();
      resolve(sample);
    };
    const timer = setTimeout(() => done(null), timeoutMs);
    ws.on("open", () => ws.send(JSON.stringify({ id: 1, method: "Runtime.getHeapUsage", params: {} })));
    ws.on("message", (raw) => {
      const m = JSON.parse(String(raw)) as { id?: number; result?: { usedSize?: number; totalSize?: number } };
      if (m.id !== 1) return;
      const used = m.result?.usedSize;
      const total = m.result?.totalSize;
      done(typeof used === "number" && typeof total === "number" ? { usedMb: used / 2 ** 20, totalMb: total / 2 ** 20 } : null);
    });
    ws.on("error", () => done(null));
  });
}
