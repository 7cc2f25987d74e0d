import { env, runInDurableObject, SELF } from "cloudflare:test";
import type { SymbolObject } from "../../src/objects/symbol-object.js";
import { describe, expect, it } from "vitest";
import { applyMergePatch } from "../../src/protocol/merge-patch.js";
import { liquidation, openStream, symbolStub, trade } from "./helpers.js";

const BASE = 1_699_999_800_000;

const connect = openStream;

describe("/v1/stream", () => {
  it("refuses a plain GET with 426 and a JSON error", async () => {
    const res = await SELF.fetch("https://liqflow.test/v1/stream");
    expect(res.status).toBe(426);
    expect((await res.json<any>()).error.code).toBe("upgrade_required");
  });

  it("rejects malformed and unknown-symbol messages with an error and keeps the socket open", async () => {
    const { ws, next } = await connect();
    ws.send("{");
    ws.send(JSON.stringify({ op: "subscribe", channels: ["BTCUSDT:nope"] }));
    ws.send(JSON.stringify({ op: "subscribe", channels: ["NOPEUSDT:bias"] }));
    ws.send(JSON.stringify({ op: "ping" }));
    const got = await next(4);
    // The ping is answered by the runtime's auto-response, possibly ahead of the others,
    // without waking the object.
    expect(got.filter((m) => m.type === "pong")).toHaveLength(1);
    const errors = got.filter((m) => m.type === "error");
    expect(errors.map((m) => m.code).sort()).toEqual(["bad_json", "bad_message", "unknown_symbol"]);
    expect(errors.find((m) => m.code === "bad_message").message).toMatch(/^channels\.0: /);
    expect(errors.find((m) => m.code === "unknown_symbol").message).toContain("NOPEUSDT");
    ws.send(JSON.stringify({ op: "subscribe", channels: ["BTCUSDT:bias"] }));
    expect((await next(5))[4]).toEqual({ type: "subscribed", channels: ["BTCUSDT:bias"] });
    ws.close();
  });

  it("closes a socket that sends an oversized frame with 1009", async () => {
    const { ws } = await connect();
    const closed = new Promise<{ code: number; reason: string }>((r) => ws.addEventListener("close", (e) => r({ code: e.code, reason: e.reason })));
    ws.send("x".repeat(20_000));
    const { code, reason } = await closed;
    expect(code).toBe(1009);
    expect(reason).toMatch(/16384 bytes/);
  });

  it("closes a socket that floods client messages with 1008", async () => {
    const { ws } = await connect();
    const closed = new Promise<{ code: number; reason: string }>((r) => ws.addEventListener("close", (e) => r({ code: e.code, reason: e.reason })));
    for (let i = 0; i < 40; i++) ws.send(JSON.stringify({ op: "unsubscribe", channels: ["BTCUSDT:bias"] }));
    const { code, reason } = await closed;
    expect(code).toBe(1008);
    expect(reason).toMatch(/rate limit/);
  });

  it("streams every symbol's bias on *:bias, and resends a snapshot on request", async () => {
    const stub = symbolStub("OPUSDT");
    await stub.ingest("OPUSDT", { source: "s", events: [trade("OPUSDT", BASE + 1_000, 2, 5, "buy"), trade("OPUSDT", BASE + 11_000, 2, 1, "buy")], seqs: [1, 2] });
    const { ws, messages, next } = await connect();
    ws.send(JSON.stringify({ op: "subscribe", channels: ["*:bias"] }));
    const opSnapshot = () => messages.find((m) => m.type === "snapshot" && m.channel === "OPUSDT:bias");
    while (!opSnapshot()) await next(messages.length + 1);
    expect(messages[0]).toEqual({ type: "subscribed", channels: ["*:bias"] });
    const snap = opSnapshot();
    expect(snap.data.symbol).toBe("OPUSDT");
    // Every symbol with a cycle gets its snapshot; let them all arrive before counting.
    await new Promise((r) => setTimeout(r, 100));
    const count = messages.length;
    await stub.ingest("OPUSDT", { source: "s", events: [trade("OPUSDT", BASE + 21_000, 2, 1, "sell")], seqs: [3] });
    const after = await next(count + 1);
    expect(after[count]).toMatchObject({ type: "update", channel: "OPUSDT:bias", seq: snap.seq + 1 });
    ws.send(JSON.stringify({ op: "snapshot", channels: ["OPUSDT:bias"] }));
    const again = await next(count + 2);
    expect(again[count + 1]).toMatchObject({ type: "snapshot", channel: "OPUSDT:bias", seq: snap.seq + 1 });
    ws.close();
  });

  it("sends a snapshot on subscribe, then each update with a per-channel sequence", async () => {
    const stub = symbolStub("AVAXUSDT");
    await stub.ingest("AVAXUSDT", {
      source: "s",
      events: [trade("AVAXUSDT", BASE + 1_000, 30, 2, "buy"), trade("AVAXUSDT", BASE + 11_000, 30.1, 1, "sell")],
      seqs: [1, 2],
    });
    const { ws, next } = await connect();
    ws.send(JSON.stringify({ op: "subscribe", channels: ["AVAXUSDT:cards", "AVAXUSDT:liquidations"] }));
    const first = await next(3);
    expect(first[0]).toEqual({ type: "subscribed", channels: ["AVAXUSDT:cards", "AVAXUSDT:liquidations"] });
    expect(first[1]).toMatchObject({ type: "snapshot", channel: "AVAXUSDT:cards", data: { symbol: "AVAXUSDT", ts: BASE + 10_000 } });
    const seq = first[1].seq;
    expect(first[2]).toMatchObject({ type: "snapshot", channel: "AVAXUSDT:liquidations", data: { liquidations: [] } });

    await stub.ingest("AVAXUSDT", {
      source: "s",
      events: [liquidation("AVAXUSDT", BASE + 12_000, "short", 30.2, 10), trade("AVAXUSDT", BASE + 21_000, 30.3, 1, "buy")],
      seqs: [3, 4],
    });
    const all = await next(5);
    const updates = all.slice(3);
    const liq = updates.find((m) => m.channel === "AVAXUSDT:liquidations");
    expect(liq).toMatchObject({ type: "update", seq: 1 });
    expect(liq.data.liquidations).toEqual([
      { ts: BASE + 12_000, venue: "binance", side: "short", price: 30.2, qty: 10, notionalUsd: 302, sampling: "sampled-1s" },
    ]);
    expect(liq.data.totals.short).toEqual({ count: 1, qty: 10, notionalUsd: 302 });
    const cards = updates.find((m) => m.channel === "AVAXUSDT:cards");
    expect(cards).toMatchObject({ type: "update", seq: seq + 1, data: { ts: BASE + 20_000 } });

    ws.send(JSON.stringify({ op: "unsubscribe", channels: ["AVAXUSDT:cards"] }));
    expect((await next(6))[5]).toEqual({ type: "unsubscribed", channels: ["AVAXUSDT:cards"] });
    ws.close();
  });
});

describe("/v1/stream map channels: snapshot, then merge patches", () => {
  it("sends the heatmap and levels as patches of the previous value that rebuild exactly the relay's full value", async () => {
    const symbol = "NEARUSDT";
    const stub = symbolStub(symbol);
    const oi = (ts: number, oiBase: number) => ({ venue: "binance" as const, symbol, ts, kind: "oi" as const, oiBase });
    await stub.ingest(symbol, {
      source: "s",
      events: [trade(symbol, BASE + 1_000, 5, 100, "buy"), oi(BASE + 2_000, 1_000_000), liquidation(symbol, BASE + 3_000, "long", 4.99, 50), trade(symbol, BASE + 11_000, 5.01, 10, "sell")],
      seqs: [1, 2, 3, 4],
    });
    const { ws, messages, next } = await connect();
    ws.send(JSON.stringify({ op: "subscribe", channels: [`${symbol}:heatmap`, `${symbol}:levels`] }));
    await next(3);
    const values = new Map<string, any>();
    const seqs = new Map<string, number>();
    const take = (m: any) => {
      if (m.type === "snapshot" || m.data !== undefined) values.set(m.channel, m.data);
      else values.set(m.channel, applyMergePatch(values.get(m.channel), m.patch));
      seqs.set(m.channel, m.seq);
    };
    messages.slice(1, 3).forEach(take);
    expect(messages.slice(1, 3).map((m) => m.type)).toEqual(["snapshot", "snapshot"]);
    const heatmapSnapshot = values.get(`${symbol}:heatmap`);
    expect(heatmapSnapshot.totals.long.notionalUsd).toBeCloseTo(249.5, 9);

    let seq = 5;
    for (let k = 2; k <= 4; k++) {
      const events = [
        oi(BASE + k * 10_000 + 500, 1_000_000 + k * 20_000),
        liquidation(symbol, BASE + k * 10_000 + 1_000, k % 2 ? "long" : "short", 5 + k / 100, 10 * k),
        trade(symbol, BASE + (k + 1) * 10_000 + 1, 5 + k / 100, 5, "buy"),
      ];
      await stub.ingest(symbol, { source: "s", events, seqs: events.map(() => seq++) });
    }
    const mapUpdates = () => messages.filter((m) => m.type === "update");
    while (mapUpdates().length < 6) await next(messages.length + 1);
    // Up-to-date sockets get patches, not the full value, and each is smaller than the value it gives.
    for (const m of mapUpdates()) {
      expect(m.seq).toBe(seqs.get(m.channel)! + 1);
      expect(m.data).toBeUndefined();
      expect(m.patch).toBeTypeOf("object");
      take(m);
      expect(JSON.stringify(m.patch).length).toBeLessThan(JSON.stringify(values.get(m.channel)).length);
    }
    // The rebuilt values equal what the relay holds now (its snapshot answer), field for field.
    const before = messages.length;
    ws.send(JSON.stringify({ op: "snapshot", channels: [`${symbol}:heatmap`, `${symbol}:levels`] }));
    const snapshots = (await next(before + 2)).slice(before);
    for (const s of snapshots) {
      expect(s.seq).toBe(seqs.get(s.channel));
      expect(values.get(s.channel)).toEqual(s.data);
    }
    const heatmap = values.get(`${symbol}:heatmap`);
    expect(heatmap.totals.long.count + heatmap.totals.short.count).toBe(4);
    ws.close();
  });

  it("sends a coalesced map update as the full value: a patch only applies to the value right before it", async () => {
    const { ws, messages, next } = await connect();
    ws.send(JSON.stringify({ op: "subscribe", channels: ["APTUSDT:levels"] }));
    await next(1);
    const updates = Array.from({ length: 150 }, (_, i) => ({ channel: "APTUSDT:levels", seq: i + 1, data: { n: i + 1, fixed: true }, patch: { n: i + 1 } }));
    const results = await Promise.all(
      [0, 1, 2, 3].map((k) => env.STREAM_RELAY.get(env.STREAM_RELAY.idFromName(`relay-${k}`)).publish(updates)),
    );
    expect(results.find((r) => r.delivered > 0)).toMatchObject({ delivered: 100, coalesced: 50 });
    const updatesOf = () => messages.filter((m) => m.type === "update");
    while (updatesOf().length < 101) await next(messages.length + 1);
    const delivered = updatesOf();
    expect(delivered[0]).toEqual({ type: "update", channel: "APTUSDT:levels", seq: 1, patch: { n: 1 } });
    expect(delivered[100]).toEqual({ type: "update", channel: "APTUSDT:levels", seq: 150, data: { n: 150, fixed: true }, coalesced: 50 });
    ws.close();
  });
});

describe("/v1/stream fan-out through relay shards", () => {
  it("registers a relay's interest with the symbol object and withdraws it when the last socket leaves", async () => {
    const { ws, next } = await connect();
    ws.send(JSON.stringify({ op: "subscribe", channels: ["ARBUSDT:cards", "ARBUSDT:liquidations"] }));
    await next(1);
    const stub = symbolStub("ARBUSDT");
    const registered = () => runInDurableObject(stub, async (instance: SymbolObject) => ({ ...(instance as any).relays }) as Record<string, string[]>);
    // The relay acknowledges the subscription first and registers right after: wait for it.
    let relays = await registered();
    for (const until = Date.now() + 5_000; Object.keys(relays).length === 0 && Date.now() < until; ) {
      await new Promise((r) => setTimeout(r, 20));
      relays = await registered();
    }
    const names = Object.keys(relays);
    expect(names).toHaveLength(1);
    expect(names[0]).toMatch(/^relay-[0-3]$/);
    expect(relays[names[0]]).toEqual(["cards", "liquidations"]);
    ws.close();
    const deadline = Date.now() + 5_000;
    let left: Record<string, unknown> = relays;
    while (Object.keys(left).length > 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      left = await runInDurableObject(stub, async (instance: SymbolObject) => ({ ...(instance as any).relays }));
    }
    expect(left).toEqual({});
  });

  it("coalesces updates beyond a socket's delivery budget: latest state wins, with the count folded in", async () => {
    const { ws, messages, next } = await connect();
    ws.send(JSON.stringify({ op: "subscribe", channels: ["SUIUSDT:cards"] }));
    await next(1);
    const updates = Array.from({ length: 150 }, (_, i) => ({ channel: "SUIUSDT:cards", seq: i + 1, data: { n: i + 1 } }));
    // The socket sits on one of the shards; only that one has a subscriber to deliver to.
    const results = await Promise.all(
      [0, 1, 2, 3].map((k) => env.STREAM_RELAY.get(env.STREAM_RELAY.idFromName(`relay-${k}`)).publish(updates)),
    );
    const mine = results.find((r) => r.delivered > 0)!;
    expect(mine.delivered).toBe(100);
    expect(mine.coalesced).toBe(50);
    // The subscription's snapshot may be read from the relay after these updates arrived
    // (then it carries seq 150); only the updates are under test here.
    const updatesOf = () => messages.filter((m) => m.type === "update");
    while (updatesOf().length < 101) await next(messages.length + 1);
    const delivered = updatesOf();
    expect(delivered.slice(0, 100).map((m) => m.seq)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    expect(delivered[100]).toEqual({ type: "update", channel: "SUIUSDT:cards", seq: 150, data: { n: 150 }, coalesced: 50 });
    await new Promise((r) => setTimeout(r, 200));
    expect(updatesOf()).toHaveLength(101);
    ws.close();
  });
});

describe("/v1/stream slow consumers", () => {
  it("closes a socket kept behind its delivery budget for longer than the slow-consumer limit with 4008", async () => {
    const { ws, next } = await connect();
    const closed = new Promise<{ code: number; reason: string }>((r) => ws.addEventListener("close", (e) => r({ code: e.code, reason: e.reason })));
    // Coalescing keeps one pending value per channel, so only a socket subscribed to more
    // channels than its budget can carry falls behind: 84 channels updated 10 times a second
    // is 840 deliveries/s against a budget of 50/s.
    const symbols = ["BTCUSDT", "ETHUSDT", "SOLUSDT", "XRPUSDT", "BNBUSDT", "DOGEUSDT", "ADAUSDT", "AVAXUSDT", "LINKUSDT", "LTCUSDT", "DOTUSDT", "TRXUSDT", "BCHUSDT", "SUIUSDT", "NEARUSDT", "APTUSDT", "ARBUSDT", "OPUSDT", "TONUSDT", "1000PEPEUSDT", "WIFUSDT"];
    const channels = symbols.flatMap((s) => [`${s}:cards`, `${s}:bias`, `${s}:heatmap`, `${s}:levels`]);
    ws.send(JSON.stringify({ op: "subscribe", channels }));
    await next(1);
    const relays = [0, 1, 2, 3].map((k) => env.STREAM_RELAY.get(env.STREAM_RELAY.idFromName(`relay-${k}`)));
    let seq = 0;
    let result: { code: number; reason: string } | null = null;
    void closed.then((r) => (result = r));
    for (let round = 0; round < 40 && result === null; round++) {
      seq++;
      const updates = channels.map((channel) => ({ channel, seq, data: { n: seq } }));
      await Promise.all(relays.map((r) => r.publish(updates)));
      await new Promise((r) => setTimeout(r, 100));
    }
    const { code, reason } = await closed;
    expect(code).toBe(4008);
    expect(reason).toMatch(/slow consumer/);
  });
});
