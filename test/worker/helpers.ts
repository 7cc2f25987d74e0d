import { env, SELF } from "cloudflare:test";
import type { CanonicalEvent } from "../../src/domain/events.js";
import { getMapper, normalizeLine } from "../../src/exchanges/registry.js";

export function symbolStub(symbol: string) {
  return env.SYMBOL_OBJECTS.get(env.SYMBOL_OBJECTS.idFromName(symbol));
}

export function trade(symbol: string, ts: number, price: number, qty: number, side: "buy" | "sell"): CanonicalEvent {
  return { venue: "binance", symbol, ts, kind: "trade", price, qty, side, tradeId: String(ts) };
}

export function liquidation(symbol: string, ts: number, side: "long" | "short", price: number, qty: number): CanonicalEvent {
  return { venue: "binance", symbol, ts, kind: "liquidation", side, price, qty, notionalUsd: price * qty, sampling: "sampled-1s" };
}

/** Events of real recorded lines, through the same normalizer the collector runs. */
export function normalized(lines: string): CanonicalEvent[] {
  const mapper = getMapper("binance");
  return lines
    .split("\n")
    .filter((l) => l.trim() !== "")
    .flatMap((l) => normalizeLine(mapper, l).events);
}

export async function json(res: Response): Promise<any> {
  return res.json();
}

/**
 * A WebSocket to `/v1/stream` through the engine Worker, with every message parsed and kept;
 * `next(n)` resolves once `n` messages have arrived.
 */
export async function openStream(): Promise<{ ws: WebSocket; messages: any[]; next: (n: number) => Promise<any[]> }> {
  const res = await SELF.fetch("https://liqflow.test/v1/stream", { headers: { Upgrade: "websocket" } });
  if (res.status !== 101 || !res.webSocket) throw new Error(`stream upgrade answered ${res.status}`);
  const ws = res.webSocket;
  ws.accept();
  return { ws, ...collectMessages(ws) };
}

/** Keeps every message of an accepted `ws`, parsed; `next(n)` resolves once `n` have arrived. */
export function collectMessages(ws: WebSocket): { messages: any[]; next: (n: number) => Promise<any[]> } {
  const messages: any[] = [];
  const waiters: Array<() => void> = [];
  ws.addEventListener("message", (e) => {
    messages.push(JSON.parse(e.data as string));
    waiters.splice(0).forEach((w) => w());
  });
  const next = async (n: number) => {
    while (messages.length < n) await new Promise<void>((r) => waiters.push(r));
    return messages;
  };
  return { messages, next };
}

/** The stub of stream relay shard `name`. */
export function relayStub(name: string) {
  return env.STREAM_RELAY.get(env.STREAM_RELAY.idFromName(name));
}

/**
 * A WebSocket opened on relay shard `name` directly, collecting what it receives, with `until`:
 * waits (10 s at most: a hang, not a speed) until `done` holds for the messages.
 */
export async function relaySocket(name: string) {
  const res = await relayStub(name).fetch("https://liqflow.test/v1/stream", { headers: { Upgrade: "websocket", "X-Liqflow-Relay": name } });
  if (res.status !== 101 || !res.webSocket) throw new Error(`relay upgrade answered ${res.status}`);
  const ws = res.webSocket;
  ws.accept();
  const collected = collectMessages(ws);
  const until = async (done: (m: any[]) => boolean, what: string) => {
    const deadline = Date.now() + 10_000;
    while (!done(collected.messages)) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(collected.messages.map((m) => [m.type, m.channel, m.seq]))}`);
      await Promise.race([collected.next(collected.messages.length + 1), new Promise((r) => setTimeout(r, 50))]);
    }
  };
  return { ws, ...collected, until, relay: relayStub(name) };
}
