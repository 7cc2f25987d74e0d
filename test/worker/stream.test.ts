import { env, runInDurableObject, SELF } from "cloudflare:test";
import { SYMBOLS } from "../../src/domain/symbols.js";
import { InterestSync } from "../../src/objects/interest-sync.js";
import { SnapshotQueue } from "../../src/objects/snapshot-queue.js";
import { CLIENT_BURST, StreamRelay } from "../../src/objects/stream-relay.js";
import type { SymbolObject } from "../../src/objects/symbol-object.js";
import { describe, expect, it } from "vitest";
import { applyMergePatch } from "../../src/protocol/merge-patch.js";
import type { ChannelKind } from "../../src/protocol/stream.js";
import { collectMessages, liquidation, openStream, symbolStub, trade } from "./helpers.js";

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
    // APTUSDT has no data here: `nodata` answers the subscribe, and the first update goes out as the snapshot.
    expect((await next(2))[1]).toMatchObject({ type: "nodata", channel: "APTUSDT:levels" });
    const updates = Array.from({ length: 150 }, (_, i) => ({ channel: "APTUSDT:levels", seq: i + 1, data: { n: i + 1, fixed: true }, patch: { n: i + 1 } }));
    const results = await Promise.all(
      [0, 1, 2, 3].map((k) => env.STREAM_RELAY.get(env.STREAM_RELAY.idFromName(`relay-${k}`)).publish(updates)),
    );
    expect(results.find((r) => r.delivered > 0)).toMatchObject({ delivered: 100, coalesced: 50 });
    const updatesOf = () => messages.filter((m) => m.type === "update");
    while (updatesOf().length < 100) await next(messages.length + 1);
    expect(messages[2]).toEqual({ type: "snapshot", channel: "APTUSDT:levels", seq: 1, data: { n: 1, fixed: true } });
    const delivered = updatesOf();
    expect(delivered[0]).toEqual({ type: "update", channel: "APTUSDT:levels", seq: 2, patch: { n: 2 } });
    expect(delivered[99]).toEqual({ type: "update", channel: "APTUSDT:levels", seq: 150, data: { n: 150, fixed: true }, coalesced: 50 });
    ws.close();
  });
});

describe("/v1/stream fan-out through relay shards", () => {
  it("registers a relay's interest with the symbol object and withdraws it when the last socket leaves", async () => {
    const { ws, next } = await connect();
    ws.send(JSON.stringify({ op: "subscribe", channels: ["ARBUSDT:cards", "ARBUSDT:liquidations"] }));
    await next(1);
    const stub = symbolStub("ARBUSDT");
    const registered = () => runInDurableObject(stub, async (instance: SymbolObject) => ({ ...(instance as any).publisher.relayKinds }) as Record<string, string[]>);
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
      left = await runInDurableObject(stub, async (instance: SymbolObject) => ({ ...(instance as any).publisher.relayKinds }));
    }
    expect(left).toEqual({});
  });

  it("coalesces updates beyond a socket's delivery budget: latest state wins, with the count folded in", async () => {
    const { ws, messages, next } = await connect();
    ws.send(JSON.stringify({ op: "subscribe", channels: ["SUIUSDT:cards"] }));
    expect((await next(2))[1]).toMatchObject({ type: "nodata", channel: "SUIUSDT:cards" });
    const updates = Array.from({ length: 150 }, (_, i) => ({ channel: "SUIUSDT:cards", seq: i + 1, data: { n: i + 1 } }));
    // The socket sits on one of the shards; only that one has a subscriber to deliver to.
    const results = await Promise.all(
      [0, 1, 2, 3].map((k) => env.STREAM_RELAY.get(env.STREAM_RELAY.idFromName(`relay-${k}`)).publish(updates)),
    );
    const mine = results.find((r) => r.delivered > 0)!;
    expect(mine.delivered).toBe(100);
    expect(mine.coalesced).toBe(50);
    // After nodata the first value is a snapshot (seq 1), then updates 2..100, then the rest folded.
    const updatesOf = () => messages.filter((m) => m.type === "update");
    while (updatesOf().length < 100) await next(messages.length + 1);
    expect(messages[2]).toEqual({ type: "snapshot", channel: "SUIUSDT:cards", seq: 1, data: { n: 1 } });
    const delivered = updatesOf();
    expect(delivered.slice(0, 99).map((m) => m.seq)).toEqual(Array.from({ length: 99 }, (_, i) => i + 2));
    expect(delivered[99]).toEqual({ type: "update", channel: "SUIUSDT:cards", seq: 150, data: { n: 150 }, coalesced: 50 });
    await new Promise((r) => setTimeout(r, 200));
    expect(updatesOf()).toHaveLength(100);
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

/**
 * Stream isolation (issue 14, item 3): a socket's cost is bounded, and a socket the relay
 * closed costs nothing more. Sockets here sit on a relay named by the test (`relaySocket`), so
 * its figures (`stats()`) count only that test's sockets.
 */
describe("/v1/stream isolation: what one socket may cost", () => {
  it("drops the frames a socket sends after it was closed for flooding: no interest sync, no snapshot read", async () => {
    const relay = relayStub("relay-isolation-closed");
    const { ws, closed } = await relaySocket("relay-isolation-closed");
    // 70 frames at once, 42 of them subscribes to distinct channels: the rate limit (a burst of
    // 20) closes the socket after about 20, whichever they are (the test pool may reorder frames
    // in flight), and every frame after the close must cost nothing.
    const frames = [...SYMBOLS.symbols.flatMap((s) => [sub(`${s}:zones`), sub(`${s}:liquidations`)]), ...Array.from({ length: 28 }, () => "{")];
    for (const frame of frames) ws.send(frame);
    expect((await closed).code).toBe(1008);
    const stats = await until(() => relay.stats(), (s) => s.frames.received === frames.length && s.snapshotReads.inFlight === 0, "every frame to reach the relay");
    const handled = stats.frames.received - stats.frames.dropped;
    expect(handled).toBeLessThanOrEqual(CLIENT_BURST + 5);
    // Each handled subscribe reads at most its one channel and registers at most one kind (and
    // the close withdraws it); the dropped ones nothing.
    expect(stats.snapshotReads.total).toBeLessThanOrEqual(handled);
    expect(stats.interest.calls).toBeLessThanOrEqual(2 * handled);
    expect(stats.channels).toBe(0);
  });

  it("coalesces interest syncs: a burst of subscribes runs one sync and one queued behind it, one RPC per symbol changed", async () => {
    const relay = relayStub("relay-isolation-coalesce");
    const { ws, messages, next } = await relaySocket("relay-isolation-coalesce");
    const symbols = SYMBOLS.symbols.slice(0, 8);
    for (const s of symbols) ws.send(sub(`${s}:bias`));
    for (let i = 0; i < 8; i++) ws.send(sub("BTCUSDT:bias"));
    const acks = () => messages.filter((m) => m.type === "subscribed").length;
    while (acks() < 16) await next(messages.length + 1);
    const stats = await until(() => relay.stats(), (s) => s.interest.calls >= symbols.length, "the interest of 8 symbols");
    expect(stats.interest.syncs).toBeLessThanOrEqual(2);
    expect(stats.interest.calls).toBe(symbols.length);
    // `calls` counts an RPC when it is sent: wait for ETHUSDT to have taken it (it failed once on a fresh machine read at once).
    const registered = await until(
      () => runInDurableObject(symbolStub("ETHUSDT"), (async (instance: SymbolObject) => ({ ...(instance as any).publisher.relayKinds })) as unknown as (i: SymbolObject) => Promise<Record<string, string[]>>),
      (r) => r["relay-isolation-coalesce"] !== undefined,
      "ETHUSDT's record of the relay's interest",
    );
    expect(registered["relay-isolation-coalesce"]).toEqual(["bias"]);
    // Already registered: another subscriber of the same channel needs no sync at all.
    const before = (await relay.stats()).interest.syncs;
    const other = await relaySocket("relay-isolation-coalesce");
    other.ws.send(sub("ETHUSDT:bias"));
    await other.next(1);
    await until(() => relay.stats(), (s) => s.frames.received === 17, "the other socket's subscribe");
    expect((await relay.stats()).interest.syncs).toBe(before);
    ws.close();
    other.ws.close();
  });

  it("refuses channel operations beyond the socket's budget with rate_limited and keeps the socket open", async () => {
    const { ws, messages, next } = await relaySocket("relay-isolation-ops");
    const channels = SYMBOLS.symbols.flatMap((s) => [`${s}:cards`, `${s}:bias`, `${s}:levels`, `${s}:zones`, `${s}:heatmap`]).slice(0, 100);
    // Unsubscribes cost no snapshot read: three of 100 channels are 300 operations, the burst is 250.
    for (let i = 0; i < 3; i++) ws.send(JSON.stringify({ op: "unsubscribe", channels }));
    await next(3);
    expect(messages.slice(0, 2).map((m) => m.type)).toEqual(["unsubscribed", "unsubscribed"]);
    expect(messages[2]).toMatchObject({ type: "error", code: "rate_limited" });
    expect(messages[2].message).toMatch(/250 channel operations/);
    ws.send("{");
    expect((await next(4))[3]).toMatchObject({ type: "error", code: "bad_json" });
    ws.close();
  });

  it("keeps at most four snapshot reads of one socket in flight and sends the snapshots in the order asked", async () => {
    const symbols = ["TRXUSDT", "BCHUSDT", "TONUSDT", "WIFUSDT", "LTCUSDT", "DOTUSDT", "LINKUSDT", "1000PEPEUSDT"];
    for (const s of symbols) await symbolStub(s).ingest(s, { source: "isolation", events: [trade(s, BASE + 1_000, 1, 1, "buy")], seqs: [1] });
    const relay = relayStub("relay-isolation-reads");
    const { ws, messages, next } = await relaySocket("relay-isolation-reads");
    const channels = symbols.map((s) => `${s}:liquidations`);
    ws.send(sub(...channels));
    await next(1 + channels.length);
    expect(messages.slice(1).map((m) => `${m.type} ${m.channel}`)).toEqual(channels.map((c) => `snapshot ${c}`));
    expect((await relay.stats()).snapshotReads.total).toBe(channels.length);
    // Ten snapshot requests at once: a channel asked again while it waits is read once.
    for (let i = 0; i < 10; i++) ws.send(JSON.stringify({ op: "snapshot", channels }));
    await next(1 + 2 * channels.length);
    const stats = await until(() => relay.stats(), (s) => s.frames.received === 11, "every frame to reach the relay");
    expect(stats.snapshotReads.inFlightMax).toBeLessThanOrEqual(4);
    const reads = (await until(() => relay.stats(), (s) => s.snapshotReads.inFlight === 0, "the reads to finish")).snapshotReads.total - channels.length;
    expect(reads).toBeGreaterThanOrEqual(channels.length);
    expect(reads).toBeLessThan(10 * channels.length);
    ws.close();
  });

  it("answers a snapshot request for a channel the socket does not hold with not_subscribed, reading nothing", async () => {
    const relay = relayStub("relay-isolation-held");
    const { ws, messages, next } = await relaySocket("relay-isolation-held");
    ws.send(sub("*:bias"));
    await next(1);
    const symbolCount = SYMBOLS.symbols.length;
    const reads = (await until(() => relay.stats(), (s) => s.snapshotReads.total === symbolCount && s.snapshotReads.inFlight === 0, "the *:bias snapshots")).snapshotReads.total;
    ws.send(JSON.stringify({ op: "snapshot", channels: ["BTCUSDT:cards", "ETHUSDT:bias"] }));
    const error = async () => {
      while (!messages.some((m) => m.type === "error")) await next(messages.length + 1);
      return messages.find((m) => m.type === "error");
    };
    expect(await error()).toEqual({ type: "error", code: "not_subscribed", message: "snapshot: subscribe first: BTCUSDT:cards" });
    expect((await relay.stats()).snapshotReads.total).toBe(reads);
    ws.close();
  });

  it("answers a snapshot from the symbol object, not from a value the relay stopped keeping current when its last subscriber left", async () => {
    const name = "relay-isolation-stale";
    await symbolStub("TONUSDT").ingest("TONUSDT", { source: "stale", events: [trade("TONUSDT", BASE + 1_000, 5, 1, "buy"), trade("TONUSDT", BASE + 11_000, 5, 1, "sell")], seqs: [1, 2] });
    const first = await relaySocket(name);
    first.ws.send(sub("*:bias"));
    await first.next(1);
    await relayStub(name).publish([{ channel: "TONUSDT:bias", seq: 9_999, data: { stale: true } }]);
    first.ws.send(JSON.stringify({ op: "unsubscribe", channels: ["*:bias"] }));
    while (!first.messages.some((m) => m.type === "unsubscribed")) await first.next(first.messages.length + 1);
    const second = await relaySocket(name);
    second.ws.send(sub("TONUSDT:bias"));
    await second.next(2);
    expect(second.messages[1]).toMatchObject({ type: "snapshot", channel: "TONUSDT:bias", data: { symbol: "TONUSDT" } });
    expect(second.messages[1].seq).toBeLessThan(9_999);
    first.ws.close();
    second.ws.close();
  });

  it("answers 429 with Retry-After and a JSON error, before upgrading, when one address opens sockets too fast", async () => {
    const opened: WebSocket[] = [];
    const open = (address: string) => SELF.fetch("https://liqflow.test/v1/stream", { headers: { Upgrade: "websocket", "CF-Connecting-IP": address } });
    let refused: Response | null = null;
    for (let i = 0; i < 200 && refused === null; i++) {
      const res = await open("203.0.113.9");
      if (res.status === 101) {
        res.webSocket!.accept();
        opened.push(res.webSocket!);
      } else refused = res;
    }
    expect(opened.length).toBeGreaterThanOrEqual(120);
    expect(refused?.status).toBe(429);
    expect(Number(refused!.headers.get("Retry-After"))).toBeGreaterThanOrEqual(1);
    expect(await refused!.json()).toMatchObject({ error: { code: "rate_limited" } });
    // Another address is not affected.
    const other = await open("203.0.113.10");
    expect(other.status).toBe(101);
    other.webSocket!.accept();
    for (const ws of [...opened, other.webSocket!]) ws.close();
  }, 30_000);

  it("keeps a relay's confirmed interest across a restart: the new instance needs no sync for what the symbol objects know", async () => {
    const name = "relay-isolation-restart";
    const { ws, next } = await relaySocket(name);
    ws.send(sub("SOLUSDT:bias", "SOLUSDT:cards"));
    await next(1);
    await until(() => relayStub(name).stats(), (s) => s.interest.calls === 1, "SOLUSDT's registration");
    const restored = await runInDurableObject(relayStub(name), (async (_instance: StreamRelay, state: DurableObjectState) => {
      const fresh = new StreamRelay(state, env as unknown as Env);
      await state.blockConcurrencyWhile(async () => {});
      return { kinds: (fresh as any).interest.confirmedKinds("SOLUSDT"), drifted: (fresh as any).interest.drifted() };
    }) as unknown as (i: StreamRelay, s: DurableObjectState) => Promise<{ kinds: string; drifted: boolean }>);
    expect(restored).toEqual({ kinds: "bias,cards", drifted: false });
    ws.close();
  });
});

function relayStub(name: string) {
  return env.STREAM_RELAY.get(env.STREAM_RELAY.idFromName(name));
}

function sub(...channels: string[]): string {
  return JSON.stringify({ op: "subscribe", channels });
}

/** A socket on the relay `name` (as the route would place it), its messages parsed, and its close. */
async function relaySocket(name: string) {
  const res = await relayStub(name).fetch("https://liqflow.test/v1/stream", { headers: { Upgrade: "websocket", "X-Liqflow-Relay": name } });
  if (res.status !== 101 || !res.webSocket) throw new Error(`relay upgrade answered ${res.status}`);
  const ws = res.webSocket;
  const closed = new Promise<{ code: number; reason: string }>((r) => ws.addEventListener("close", (e) => r({ code: e.code, reason: e.reason })));
  ws.accept();
  return { ws, ...collectMessages(ws), closed };
}

/** Polls `probe` until `done` holds (a condition to wait for, not a speed: 10 s is a hang). */
async function until<T>(probe: () => Promise<T>, done: (value: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const value = await probe();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("stream isolation parts, without the runtime", () => {
  it("InterestSync: ten requests while one sync runs make one more sync, which sends only the symbols that changed", async () => {
    const wanted = new Map<string, Set<ChannelKind>>([["BTCUSDT", new Set<ChannelKind>(["bias"])]]);
    const told: string[] = [];
    const saved: Record<string, string>[] = [];
    let release: (() => void) | null = null;
    let blocked = false;
    const sync = new InterestSync({
      symbols: ["BTCUSDT", "ETHUSDT", "SOLUSDT"],
      wanted: () => new Map([...wanted].map(([s, k]) => [s, new Set(k)])),
      tell: async (symbol, kinds) => {
        told.push(`${symbol}=${kinds.join(",")}`);
        if (!blocked) {
          blocked = true;
          await new Promise<void>((r) => (release = r));
        }
      },
      save: async (confirmed) => void saved.push(confirmed),
    });
    const first = sync.request();
    wanted.set("ETHUSDT", new Set<ChannelKind>(["cards", "bias"]));
    const later = Array.from({ length: 10 }, () => sync.request());
    expect(new Set(later).size).toBe(1);
    expect(sync.covers([["BTCUSDT", "bias"]])).toBe(false);
    release!();
    await Promise.all([first, ...later]);
    expect(told).toEqual(["BTCUSDT=bias", "ETHUSDT=bias,cards"]);
    expect(saved).toEqual([{ BTCUSDT: "bias" }, { ETHUSDT: "bias,cards" }]);
    expect(sync.counters).toEqual({ syncs: 2, calls: 2, failed: 0 });
    expect(sync.covers([["BTCUSDT", "bias"], ["ETHUSDT", "cards"]])).toBe(true);
    expect(sync.covers([["SOLUSDT", "bias"]])).toBe(false);
    wanted.delete("BTCUSDT");
    await sync.request();
    expect(told.at(-1)).toBe("BTCUSDT=");
    expect(saved.at(-1)).toEqual({ BTCUSDT: "" });
  });

  it("InterestSync: a failed RPC leaves the symbol unconfirmed, so the next sync sends it again", async () => {
    let fail = true;
    const told: string[] = [];
    const sync = new InterestSync({
      symbols: ["BTCUSDT"],
      wanted: () => new Map([["BTCUSDT", new Set<ChannelKind>(["zones"])]]),
      tell: async (symbol, kinds) => {
        told.push(`${symbol}=${kinds.join(",")}`);
        if (fail) throw new Error("symbol object unreachable");
      },
      save: async () => {},
      warn: () => {},
    });
    await sync.request();
    expect(sync.counters.failed).toBe(1);
    expect(sync.confirmedKinds("BTCUSDT")).toBe("");
    expect(sync.covers([["BTCUSDT", "zones"]])).toBe(false);
    fail = false;
    await sync.request();
    expect(told).toEqual(["BTCUSDT=zones", "BTCUSDT=zones"]);
    expect(sync.covers([["BTCUSDT", "zones"]])).toBe(true);
  });

  it("SnapshotQueue: delivers in the order asked, reads a waiting channel once, and paces sends by their bytes", async () => {
    let clock = 0;
    const slept: number[] = [];
    const reads: string[] = [];
    const sent: string[] = [];
    let inFlight = 0;
    let inFlightMax = 0;
    const queue = new SnapshotQueue<string>({
      read: async (channel) => {
        reads.push(channel);
        inFlightMax = Math.max(inFlightMax, ++inFlight);
        await new Promise((r) => setTimeout(r, channel === "A" ? 5 : 0));
        inFlight--;
        return channel;
      },
      deliver: (channel) => {
        sent.push(`${channel}@${clock}`);
        return 600_000;
      },
      maxReads: 2,
      bytesBurst: 1_000_000,
      bytesPerS: 250_000,
      now: () => clock,
      sleep: async (ms) => {
        slept.push(ms);
        clock += ms;
      },
    });
    queue.push(["A", "B", "C", "D"]);
    queue.push(["D", "C"]);
    while (sent.length < 4) await new Promise((r) => setTimeout(r, 1));
    // 1,000,000 bytes at once: A and B go (the budget ends 200,000 in debt); C waits 0.8 s,
    // D another 2.4 s (600,000 bytes at 250,000/s).
    expect(sent).toEqual(["A@0", "B@0", "C@800", "D@3200"]);
    expect(slept).toEqual([800, 2400]);
    expect(reads).toEqual(["A", "B", "C", "D"]);
    expect(inFlightMax).toBe(2);
  });
});
