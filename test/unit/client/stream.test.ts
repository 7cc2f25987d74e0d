import WebSocket from "ws";
import { afterEach, describe, expect, it, vi } from "vitest";
import { LiqflowStream, streamUrl, type ChannelMessage, type StreamOptions } from "../../../src/client/stream.js";
import type { BiasData } from "../../../src/client/types.js";
import { FakeStreamServer, sleep, until } from "./fake-stream-server.js";

const FAST: StreamOptions = { WebSocket, backoff: { initialMs: 20, maxMs: 80 }, batchMs: 5, heartbeatMs: 0, random: () => 0.5 };

function bias(symbol: string, ts: number, score: number): BiasData {
  const direction = score > 0.05 ? ("long" as const) : score < -0.05 ? ("short" as const) : ("neutral" as const);
  const b = {
    mode: "day" as const,
    ts,
    score,
    strength: Math.abs(score),
    confidence: 0.5,
    direction,
    state: direction === "long" ? ("bullish" as const) : direction === "short" ? ("bearish" as const) : ("neutral" as const),
    transition: "none" as const,
    timeframe: "5m" as const,
    timeframes: { "1m": { weight: 0.2, score: null }, "5m": { weight: 0.6, score }, "1h": { weight: 0.2, score: null } },
    raw: score,
    coverage: 1,
    available: { categories: 0, of: 0, cards: 0, invalid: 0 },
    agreeing: 0,
    top: { contributing: [], opposing: [] },
    weightsVersion: null,
    components: [],
  };
  return { symbol, ts, price: 100, bias: { scalp: null, day: b, swing: null } };
}

let server: FakeStreamServer | null = null;
let client: LiqflowStream | null = null;

afterEach(async () => {
  client?.close();
  client = null;
  await server?.close();
  server = null;
});

async function setup(options: Partial<StreamOptions> = {}, serverOptions: Parameters<typeof FakeStreamServer.start>[0] = {}) {
  server = await FakeStreamServer.start(serverOptions);
  client = new LiqflowStream(server.url, { ...FAST, ...options });
  return { server, client };
}

describe("streamUrl", () => {
  it("turns an http(s) origin into the stream's ws(s) URL and keeps ws URLs", () => {
    expect(streamUrl("https://liqflow.example")).toBe("wss://liqflow.example/v1/stream");
    expect(streamUrl("http://127.0.0.1:8787/")).toBe("ws://127.0.0.1:8787/v1/stream");
    expect(streamUrl("ws://127.0.0.1:1/custom")).toBe("ws://127.0.0.1:1/custom");
    expect(() => streamUrl("ftp://x")).toThrow(/http\(s\) or ws\(s\)/);
  });

  it("says how to get a WebSocket when there is none", () => {
    expect(typeof (globalThis as { WebSocket?: unknown }).WebSocket).toBe("undefined");
    expect(() => new LiqflowStream("http://127.0.0.1:1")).toThrow(/pass options.WebSocket/);
  });
});

describe("LiqflowStream", () => {
  it("subscribes in one message, delivers the snapshot then updates in order, and resolves ready", async () => {
    const { server, client } = await setup();
    server.snapshots.set("BTCUSDT:bias", { seq: 41, data: bias("BTCUSDT", 1_000, 0.3) });
    server.snapshots.set("ETHUSDT:bias", { seq: 7, data: bias("ETHUSDT", 1_000, -0.2) });
    const got: ChannelMessage<BiasData>[] = [];
    const a = client.subscribe("BTCUSDT:bias", (m) => got.push(m));
    const b = client.subscribe(["ETHUSDT:bias"], (m) => got.push(m));
    await Promise.all([a.ready, b.ready]);
    await until(() => got.length === 2, 2_000, "two snapshots");
    expect(server.last.frames("subscribe")).toEqual([{ op: "subscribe", channels: ["BTCUSDT:bias", "ETHUSDT:bias"] }]);
    server.last.send({ type: "update", channel: "BTCUSDT:bias", seq: 42, data: bias("BTCUSDT", 11_000, 0.4) });
    await until(() => got.length === 3);
    expect(got.map((m) => [m.type, m.channel, m.seq, m.data.bias.day?.score])).toEqual([
      ["snapshot", "BTCUSDT:bias", 41, 0.3],
      ["snapshot", "ETHUSDT:bias", 7, -0.2],
      ["update", "BTCUSDT:bias", 42, 0.4],
    ]);
    expect(got[2].gap).toBeUndefined();
    expect(client.state).toBe("open");
  });

  it("detects a seq gap, flags the update and re-requests a snapshot; a coalesced jump is not a gap", async () => {
    const { server, client } = await setup();
    server.snapshots.set("BTCUSDT:cards", { seq: 5, data: { n: 5 } });
    const got: ChannelMessage[] = [];
    const gaps: unknown[] = [];
    client.on("gap", (g) => gaps.push(g));
    await client.subscribe("BTCUSDT:cards", (m) => got.push(m)).ready;
    await until(() => got.length === 1);
    server.snapshots.set("BTCUSDT:cards", { seq: 9, data: { n: 9 } });
    server.last.send({ type: "update", channel: "BTCUSDT:cards", seq: 6, data: { n: 6 } });
    server.last.send({ type: "update", channel: "BTCUSDT:cards", seq: 9, data: { n: 9 } });
    await until(() => server.last.frames("snapshot").length === 1, 2_000, "a snapshot request");
    expect(server.last.frames("snapshot")[0]).toEqual({ op: "snapshot", channels: ["BTCUSDT:cards"] });
    expect(gaps).toEqual([{ channel: "BTCUSDT:cards", expected: 7, received: 9 }]);
    await until(() => got.length === 4, 2_000, "the resync snapshot");
    server.last.send({ type: "update", channel: "BTCUSDT:cards", seq: 12, data: { n: 12 }, coalesced: 3 });
    await until(() => got.length === 5);
    expect(got.map((m) => [m.type, m.seq, m.gap ?? false, m.coalesced ?? 1])).toEqual([
      ["snapshot", 5, false, 1],
      ["update", 6, false, 1],
      ["update", 9, true, 1],
      ["snapshot", 9, false, 1],
      ["update", 12, false, 3],
    ]);
    expect(gaps).toHaveLength(1);
  });

  it("drops duplicate and out-of-order updates, stale snapshots, and a snapshot of the value it already delivered", async () => {
    const { server, client } = await setup();
    server.snapshots.set("BTCUSDT:bias", { seq: 10, data: bias("BTCUSDT", 1, 0) });
    const seqs: number[] = [];
    await client.subscribe("BTCUSDT:bias", (m) => seqs.push(m.seq)).ready;
    for (const [type, seq] of [["update", 11], ["update", 11], ["update", 10], ["snapshot", 9], ["update", 12], ["snapshot", 12]] as const) {
      server.last.send({ type, channel: "BTCUSDT:bias", seq, data: bias("BTCUSDT", seq, 0) });
    }
    await until(() => seqs.length === 3);
    await sleep(30);
    expect(seqs).toEqual([10, 11, 12]);
  });

  it("reconnects with backoff after the server drops it, subscribes again and accepts the new connection's seqs", async () => {
    const { server, client } = await setup({ random: () => 0 });
    server.snapshots.set("BTCUSDT:bias", { seq: 50, data: bias("BTCUSDT", 1, 0.1) });
    const states: [string, number | undefined, number | undefined][] = [];
    client.on("state", (s, info) => states.push([s, info.attempt, info.delayMs]));
    const seqs: number[] = [];
    await client.subscribe(["BTCUSDT:bias"], (m) => seqs.push(m.seq)).ready;
    await until(() => seqs.length === 1);
    // A restarted server may resume below the last seq this client saw.
    server.snapshots.set("BTCUSDT:bias", { seq: 45, data: bias("BTCUSDT", 2, 0.2) });
    server.last.ws.terminate();
    await until(() => server.connections.length === 2, 2_000, "a second connection");
    await until(() => seqs.length === 2, 2_000, "the snapshot after reconnecting");
    expect(server.connections[1].frames("subscribe")).toEqual([{ op: "subscribe", channels: ["BTCUSDT:bias"] }]);
    expect(seqs).toEqual([50, 45]);
    // random() = 0: the first retry waits half the initial 20 ms.
    expect(states).toEqual([
      ["connecting", undefined, undefined],
      ["open", undefined, undefined],
      ["reconnecting", 0, 10],
      ["connecting", undefined, undefined],
      ["open", undefined, undefined],
    ]);
  });

  it("backs off further on each failed attempt while the server is down, up to the cap", async () => {
    const { server, client } = await setup({ random: () => 1, backoff: { initialMs: 10, maxMs: 40 } });
    const delays: number[] = [];
    client.on("state", (s, info) => s === "reconnecting" && delays.push(info.delayMs!));
    await client.subscribe("BTCUSDT:bias", () => undefined).ready;
    await server.close();
    await until(() => delays.length >= 5, 3_000, "five attempts");
    expect(delays.slice(0, 5)).toEqual([10, 20, 40, 40, 40]);
  });

  it("re-subscribes instead when the server has no snapshot op", async () => {
    const { server, client } = await setup(
      {},
      {
        onFrame: (conn, frame) => {
          if (frame.op !== "snapshot") return false;
          conn.send({ type: "error", code: "bad_message", message: "op: Invalid input" });
          return true;
        },
      },
    );
    server.snapshots.set("BTCUSDT:bias", { seq: 1, data: bias("BTCUSDT", 1, 0) });
    const seqs: number[] = [];
    const errors: string[] = [];
    client.on("error", (e) => errors.push(e.code));
    await client.subscribe("BTCUSDT:bias", (m) => seqs.push(m.seq)).ready;
    server.snapshots.set("BTCUSDT:bias", { seq: 3, data: bias("BTCUSDT", 3, 0) });
    server.last.send({ type: "update", channel: "BTCUSDT:bias", seq: 3, data: bias("BTCUSDT", 3, 0) });
    await until(() => server.last.frames("subscribe").length === 2, 2_000, "a re-subscribe");
    await until(() => seqs.length === 3);
    expect(seqs).toEqual([1, 3, 3]);
    expect(errors).toEqual([]);
    // Later gaps go straight to re-subscribing.
    server.last.send({ type: "update", channel: "BTCUSDT:bias", seq: 6, data: bias("BTCUSDT", 6, 0) });
    await until(() => server.last.frames("subscribe").length === 3, 2_000, "a second re-subscribe");
    expect(server.last.frames("snapshot")).toHaveLength(1);
  });

  it("refuses only the unknown channel when the server rejects a message, and sends the others again", async () => {
    const { server, client } = await setup(
      {},
      {
        onFrame: (conn, frame) => {
          if (frame.op === "subscribe" && frame.channels!.some((c) => c.startsWith("NOPEUSDT"))) {
            conn.send({ type: "error", code: "unknown_symbol", message: "not a tracked symbol: NOPEUSDT" });
            return true;
          }
          return false;
        },
      },
    );
    server.snapshots.set("BTCUSDT:bias", { seq: 1, data: bias("BTCUSDT", 1, 0) });
    const refused: string[] = [];
    const good = client.subscribe("BTCUSDT:bias", () => undefined);
    const bad = client.subscribe("NOPEUSDT:bias", () => undefined, { onError: (e) => refused.push(`${e.code} ${e.channels?.join(",")}`) });
    await expect(bad.ready).rejects.toMatchObject({ code: "unknown_symbol", channels: ["NOPEUSDT:bias"] });
    await good.ready;
    expect(refused).toEqual(["unknown_symbol NOPEUSDT:bias"]);
    expect(server.last.frames("subscribe").map((f) => f.channels)).toEqual([["BTCUSDT:bias", "NOPEUSDT:bias"], ["BTCUSDT:bias"]]);
  });

  it("delivers every symbol's bias to a *:bias listener, under the real channel name", async () => {
    const { server, client } = await setup();
    server.snapshots.set("BTCUSDT:bias", { seq: 3, data: bias("BTCUSDT", 1, 0.2) });
    server.snapshots.set("ETHUSDT:bias", { seq: 8, data: bias("ETHUSDT", 1, -0.2) });
    const got: string[] = [];
    await client.subscribe("*:bias", (m) => got.push(`${m.type} ${m.channel} ${m.seq} ${m.data.symbol}`)).ready;
    server.last.send({ type: "update", channel: "ETHUSDT:bias", seq: 9, data: bias("ETHUSDT", 2, -0.3) });
    await until(() => got.length === 3);
    expect(got).toEqual(["snapshot BTCUSDT:bias 3 BTCUSDT", "snapshot ETHUSDT:bias 8 ETHUSDT", "update ETHUSDT:bias 9 ETHUSDT"]);
  });

  it("shares a channel between listeners: a late listener gets a snapshot, the server hears unsubscribe only when the last one leaves", async () => {
    const { server, client } = await setup();
    server.snapshots.set("BTCUSDT:bias", { seq: 4, data: bias("BTCUSDT", 1, 0) });
    const first: number[] = [];
    const second: number[] = [];
    const a = client.subscribe("BTCUSDT:bias", (m) => first.push(m.seq));
    await a.ready;
    await until(() => first.length === 1);
    const b = client.subscribe("BTCUSDT:bias", (m) => second.push(m.seq));
    await b.ready;
    await until(() => second.length === 1, 2_000, "the late listener's snapshot");
    expect(server.last.frames("subscribe")).toHaveLength(1);
    expect(server.last.frames("snapshot")).toEqual([{ op: "snapshot", channels: ["BTCUSDT:bias"] }]);
    a.unsubscribe();
    await sleep(30);
    expect(server.last.frames("unsubscribe")).toHaveLength(0);
    server.last.send({ type: "update", channel: "BTCUSDT:bias", seq: 5, data: bias("BTCUSDT", 2, 0) });
    await until(() => second.length === 2);
    expect(first).toEqual([4]);
    b.unsubscribe();
    await until(() => server.last.frames("unsubscribe").length === 1, 2_000, "an unsubscribe");
    expect(server.last.frames("unsubscribe")[0]).toEqual({ op: "unsubscribe", channels: ["BTCUSDT:bias"] });
  });

  it("drops a connection that stops answering pings and reconnects", async () => {
    const { server, client } = await setup({ heartbeatMs: 30, heartbeatTimeoutMs: 40 }, { pong: false });
    const states: string[] = [];
    client.on("state", (s, info) => states.push(info.reason ? `${s}: ${info.reason}` : s));
    await client.subscribe("BTCUSDT:bias", () => undefined).ready;
    await until(() => server.connections.length === 2, 2_000, "a reconnect after the heartbeat timeout");
    expect(server.connections[0].frames("ping").length).toBeGreaterThanOrEqual(1);
    expect(states).toContain("reconnecting: heartbeat timeout");
  });

  it("keeps its own send budget: a large request goes out in chunks of 100 channels, paced", async () => {
    const { server, client } = await setup({ sendBurst: 2, sendPerS: 10 });
    await client.subscribe("BTCUSDT:bias", () => undefined).ready;
    await sleep(250); // refill the bucket
    const channels = Array.from({ length: 350 }, (_, i) => `S${String(i).padStart(3, "0")}USDT:cards`);
    const t0 = Date.now();
    client.requestSnapshot(channels);
    await sleep(50);
    // Only the burst can have gone out yet (load can only delay frames, not speed them up).
    expect(server.last.frames("snapshot").length).toBeLessThanOrEqual(2);
    await until(() => server.last.frames("snapshot").length === 4, 2_000, "four snapshot frames");
    const frames = server.last.frames("snapshot");
    expect(frames.map((f) => f.channels!.length)).toEqual([100, 100, 100, 50]);
    // Then one token per 100 ms.
    const at = server.last.receivedAtMs.slice(-4).map((t) => t - t0);
    expect(at[2]).toBeGreaterThanOrEqual(90);
    expect(at[3]).toBeGreaterThanOrEqual(190);
  });

  it("applies a map channel's merge patches to the last value, and waits for a snapshot when it has no base", async () => {
    const { server, client } = await setup();
    server.snapshots.set("BTCUSDT:heatmap", { seq: 3, data: { ts: 1, cells: [[0, 0, 5, 0, 1]], price: { centers: [100] } } });
    const got: ChannelMessage<any>[] = [];
    const gaps: unknown[] = [];
    client.on("gap", (g) => gaps.push(g));
    await client.subscribe("BTCUSDT:heatmap", (m) => got.push(m)).ready;
    await until(() => got.length === 1);
    server.last.send({ type: "update", channel: "BTCUSDT:heatmap", seq: 4, patch: { ts: 2, price: { edges: [99, 101] } } });
    await until(() => got.length === 2);
    expect(got[1].data).toEqual({ ts: 2, cells: [[0, 0, 5, 0, 1]], price: { centers: [100], edges: [99, 101] } });
    expect(got[1].patch).toEqual({ ts: 2, price: { edges: [99, 101] } });
    // The snapshot the listener got is not mutated by the patch.
    expect(got[0].data).toEqual({ ts: 1, cells: [[0, 0, 5, 0, 1]], price: { centers: [100] } });
    // A coalesced update carries the full value and replaces it.
    server.last.send({ type: "update", channel: "BTCUSDT:heatmap", seq: 6, data: { ts: 6, cells: [] }, coalesced: 2 });
    await until(() => got.length === 3);
    expect(got[2].data).toEqual({ ts: 6, cells: [] });
    // A patch after a lost update cannot be applied: it is not delivered, a snapshot is asked for.
    server.snapshots.set("BTCUSDT:heatmap", { seq: 8, data: { ts: 8, cells: [[1, 1, 0, 7, 1]] } });
    server.last.send({ type: "update", channel: "BTCUSDT:heatmap", seq: 8, patch: { ts: 8 } });
    await until(() => got.length === 4, 2_000, "the resync snapshot");
    expect(gaps).toEqual([{ channel: "BTCUSDT:heatmap", expected: 7, received: 8 }]);
    expect(got[3]).toMatchObject({ type: "snapshot", seq: 8, data: { ts: 8, cells: [[1, 1, 0, 7, 1]] } });
    server.last.send({ type: "update", channel: "BTCUSDT:heatmap", seq: 9, patch: { cells: null } });
    await until(() => got.length === 5);
    expect(got[4].data).toEqual({ ts: 8 });
    expect(server.last.frames("snapshot")).toHaveLength(1);
  });

  it("rejects malformed channel names at once", async () => {
    const { client } = await setup({ autoConnect: false });
    expect(() => client.subscribe("btcusdt:bias", () => undefined)).toThrow(/not a channel/);
    expect(() => client.subscribe("BTCUSDT", () => undefined)).toThrow(/not a channel/);
    expect(() => client.subscribe([], () => undefined)).toThrow(/no channels/);
    expect(client.state).toBe("idle");
  });
});

describe("LiqflowStream: nodata and overlapping subscriptions", () => {
  it("hands a channel's nodata to onNoData, then its value to the listener when the snapshot follows", async () => {
    const { server, client } = await setup(
      {},
      {
        onFrame: (conn, frame) => {
          if (frame.op !== "subscribe") return false;
          conn.send({ type: "subscribed", channels: frame.channels });
          conn.send({ type: "nodata", channel: "SOLUSDT:bias", reason: "no data for SOLUSDT yet: its feeds have delivered no event" });
          return true;
        },
      },
    );
    const seen: string[] = [];
    await client.subscribe("SOLUSDT:bias", (m) => seen.push(`${m.type} ${m.seq}`), { onNoData: (info) => seen.push(`nodata ${info.channel} ${info.reason}`) }).ready;
    await until(() => seen.length === 1, 2_000, "the nodata");
    expect(seen).toEqual(["nodata SOLUSDT:bias no data for SOLUSDT yet: its feeds have delivered no event"]);
    server.last.send({ type: "snapshot", channel: "SOLUSDT:bias", seq: 1, data: bias("SOLUSDT", 1, 0.4) });
    server.last.send({ type: "update", channel: "SOLUSDT:bias", seq: 2, data: bias("SOLUSDT", 2, 0.5) });
    await until(() => seen.length === 3, 2_000, "the snapshot and the update");
    expect(seen.slice(1)).toEqual(["snapshot 1", "update 2"]);
    // A nodata is not a gap, and asks for nothing: the server sends the value when there is one.
    expect(server.last.frames("snapshot")).toHaveLength(0);
  });

  it("asks for the snapshot of a channel it already receives through *:bias when a BTCUSDT:bias listener joins", async () => {
    // As the relay does: a subscribe snapshots only the real channels the socket does not receive yet.
    const held = new Set<string>();
    const receives = (c: string) => held.has(c) || (c.endsWith(":bias") && held.has("*:bias"));
    const { server, client } = await setup(
      {},
      {
        onFrame: (conn, frame) => {
          if (frame.op !== "subscribe") return false;
          const fresh = (frame.channels ?? []).flatMap((k) => (k === "*:bias" ? ["BTCUSDT:bias"] : [k])).filter((c) => !receives(c));
          for (const k of frame.channels ?? []) held.add(k);
          conn.send({ type: "subscribed", channels: frame.channels });
          for (const c of fresh) conn.send({ type: "snapshot", channel: c, ...server.snapshots.get(c)! });
          return true;
        },
      },
    );
    server.snapshots.set("BTCUSDT:bias", { seq: 7, data: bias("BTCUSDT", 1, 0.2) });
    const wildcard: string[] = [];
    const specific: string[] = [];
    await client.subscribe("*:bias", (m) => wildcard.push(`${m.type} ${m.channel} ${m.seq}`)).ready;
    await until(() => wildcard.length === 1);
    await client.subscribe("BTCUSDT:bias", (m) => specific.push(`${m.type} ${m.channel} ${m.seq}`)).ready;
    await until(() => specific.length === 1, 2_000, "the specific listener's snapshot");
    expect(server.last.frames("snapshot")).toEqual([{ op: "snapshot", channels: ["BTCUSDT:bias"] }]);
    expect(specific).toEqual(["snapshot BTCUSDT:bias 7"]);
    // The wildcard listener had that value already: it is not handed it twice.
    expect(wildcard).toEqual(["snapshot BTCUSDT:bias 7"]);
    server.last.send({ type: "update", channel: "BTCUSDT:bias", seq: 8, data: bias("BTCUSDT", 2, 0.3) });
    await until(() => specific.length === 2 && wildcard.length === 2);
    expect([wildcard[1], specific[1]]).toEqual(["update BTCUSDT:bias 8", "update BTCUSDT:bias 8"]);
  });
});

describe("LiqflowStream: closing from a state listener", () => {
  it("leaves no timer behind when a state listener closes the stream as it opens", () => {
    vi.useFakeTimers();
    try {
      const sockets: ScriptedSocket[] = [];
      class ScriptedSocket {
        readyState = 0;
        onopen: ((event: unknown) => void) | null = null;
        onmessage: ((event: { data: unknown }) => void) | null = null;
        onclose: ((event: { code: number; reason: string }) => void) | null = null;
        onerror: ((event: unknown) => void) | null = null;
        constructor() {
          sockets.push(this);
        }
        send() {}
        close() {
          this.readyState = 3;
        }
      }
      const stream = new LiqflowStream("ws://127.0.0.1:1/v1/stream", { WebSocket: ScriptedSocket, heartbeatMs: 100, autoConnect: false });
      stream.on("state", (s) => s === "open" && stream.close());
      stream.connect();
      sockets[0].readyState = 1;
      sockets[0].onopen?.({});
      expect(stream.state).toBe("closed");
      // A heartbeat armed for the closed socket would keep a Node process alive and ping forever.
      expect(vi.getTimerCount()).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });
});
