/**
 * Strictly ordered channels (issue 14's soak, issue 15): per socket and per channel, nothing
 * reaches the client before the channel's snapshot (or nodata); an update not newer than what
 * the socket holds is dropped; the first update after a snapshot has seq = snapshot seq + 1,
 * or the relay sends a fresh snapshot instead of a hole.
 *
 * The race is made deterministic by gating the SymbolObject's `channelSnapshot`: it reads the
 * value, then waits for the test; meanwhile a real cycle is ingested and published to the relay.
 */
import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { SymbolObject } from "../../src/objects/symbol-object.js";
import { applyMergePatch } from "../../src/protocol/merge-patch.js";
import { ChannelOrder, MAX_REREADS } from "../../src/objects/stream-order.js";
import { frameOf } from "../../src/objects/stream-pending.js";
import { ServerMessageSchema, type ChannelKind } from "../../src/protocol/stream.js";
import { liquidation, relaySocket, relayStub, symbolStub, trade } from "./helpers.js";

const BASE = 1_699_999_800_000;

type Gate = { hits: number; release: (() => void) | null; kind: ChannelKind };

/**
 * Makes the object's `channelSnapshot(kind)` read its value at once but answer only when
 * `release` is called: the snapshot RPC stays pending while the test publishes.
 */
async function gateSnapshot(symbol: string, kind: ChannelKind): Promise<{ hit: () => Promise<void>; release: () => Promise<void> }> {
  const stub = symbolStub(symbol);
  // RPC calls are dispatched through the class, so the gate goes on the prototype, for this
  // symbol and kind only, once; `release` puts the original back.
  await runInDurableObject(stub, (async (instance: SymbolObject) => {
    const proto = Object.getPrototypeOf(instance) as { channelSnapshot: SymbolObject["channelSnapshot"] };
    const original = proto.channelSnapshot;
    const gate: Gate = { hits: 0, release: null, kind };
    (globalThis as any).gate = { gate, restore: () => (proto.channelSnapshot = original) };
    proto.channelSnapshot = async function (this: SymbolObject, k: ChannelKind) {
      const value = await original.call(this, k);
      if (k !== gate.kind || (this as any).symbol !== symbol || gate.hits > 0) return value;
      gate.hits++;
      await new Promise<void>((r) => (gate.release = r));
      return value;
    };
  }) as unknown as (i: SymbolObject) => Promise<void>);
  const probe = () => runInDurableObject(stub, (async () => (globalThis as any).gate.gate.hits as number) as unknown as (i: SymbolObject) => Promise<number>);
  return {
    hit: async () => {
      for (const until = Date.now() + 10_000; (await probe()) === 0; ) {
        if (Date.now() > until) throw new Error("the snapshot was never read");
        await new Promise((r) => setTimeout(r, 10));
      }
    },
    release: () =>
      runInDurableObject(stub, (async () => {
        const { gate, restore } = (globalThis as any).gate;
        restore();
        gate.release?.();
      }) as unknown as (i: SymbolObject) => Promise<void>),
  };
}

/** The messages of one channel, in arrival order. */
const on = (messages: any[], channel: string) => messages.filter((m) => m.channel === channel && m.type !== "subscribed");

/**
 * Checks a channel's messages as a client would: a snapshot (or nodata) first; each update's
 * seq follows the last one by exactly one, or by `coalesced`; a map patch applies to the value
 * it follows. Returns the value the client rebuilt.
 */
function replay(messages: any[]): { seq: number; value: unknown } {
  expect(["snapshot", "nodata"]).toContain(messages[0]?.type);
  let seq = messages[0].type === "snapshot" ? messages[0].seq : 0;
  let value: unknown = messages[0].data;
  let hasValue = messages[0].type === "snapshot";
  for (const m of messages.slice(1)) {
    expect(ServerMessageSchema.safeParse(m).success).toBe(true);
    if (m.type === "snapshot") {
      expect(m.seq).toBeGreaterThanOrEqual(seq);
      seq = m.seq;
      value = m.data;
      hasValue = true;
      continue;
    }
    expect(m.type).toBe("update");
    expect(hasValue).toBe(true);
    expect(m.seq).toBe(seq + (m.coalesced ?? 1));
    value = m.patch ? applyMergePatch(value, m.patch) : m.data;
    seq = m.seq;
  }
  return { seq, value };
}

describe("/v1/stream strict per-channel order", { timeout: 30_000 }, () => {
  it("sends no heatmap patch before the snapshot when a cycle is published while the snapshot read is pending", async () => {
    const symbol = "LINKUSDT";
    const channel = `${symbol}:heatmap`;
    const stub = symbolStub(symbol);
    await stub.ingest(symbol, {
      source: "s",
      events: [trade(symbol, BASE + 1_000, 14, 100, "buy"), liquidation(symbol, BASE + 2_000, "long", 13.9, 50), trade(symbol, BASE + 11_000, 14.1, 10, "sell")],
      seqs: [1, 2, 3],
    });
    const gate = await gateSnapshot(symbol, "heatmap");
    const name = "relay-order-heatmap";
    const socket = await relaySocket(name);
    socket.ws.send(JSON.stringify({ op: "subscribe", channels: [channel] }));
    await gate.hit();
    // A cycle while the snapshot RPC is pending: the SymbolObject publishes it to the relay.
    await stub.ingest(symbol, { source: "s", events: [liquidation(symbol, BASE + 12_000, "short", 14.2, 30), trade(symbol, BASE + 21_000, 14.2, 5, "buy")], seqs: [4, 5] });
    await new Promise((r) => setTimeout(r, 100));
    expect(on(socket.messages, channel)).toEqual([]);
    await gate.release();
    await socket.until((m) => on(m, channel).length >= 1, "the heatmap snapshot");
    // Two more cycles: patches that must apply to what the client holds.
    await stub.ingest(symbol, { source: "s", events: [liquidation(symbol, BASE + 22_000, "long", 14.0, 20), trade(symbol, BASE + 31_000, 14.0, 5, "buy")], seqs: [6, 7] });
    await stub.ingest(symbol, { source: "s", events: [liquidation(symbol, BASE + 32_000, "short", 14.3, 10), trade(symbol, BASE + 41_000, 14.3, 5, "sell")], seqs: [8, 9] });
    const snapshotSeq = () => on(socket.messages, channel)[0].seq as number;
    await socket.until((m) => on(m, channel).some((x) => x.type === "update" && x.seq >= snapshotSeq() + 2), "two patches after the snapshot");
    const messages = on(socket.messages, channel);
    const rebuilt = replay(messages);
    // The rebuilt map is the relay's own value: ask for it again.
    socket.ws.send(JSON.stringify({ op: "snapshot", channels: [channel] }));
    await socket.until((m) => on(m, channel).filter((x) => x.type === "snapshot").length >= 2, "the re-sent snapshot");
    const again = on(socket.messages, channel).filter((x) => x.type === "snapshot").at(-1);
    expect(again.seq).toBe(rebuilt.seq);
    expect(rebuilt.value).toEqual(again.data);
    expect((rebuilt.value as any).totals.long.count + (rebuilt.value as any).totals.short.count).toBe(4);
    socket.ws.close();
  });

  it("sends a liquidation update published during the snapshot read after the snapshot, with the next seq, never before it", async () => {
    const symbol = "DOTUSDT";
    const channel = `${symbol}:liquidations`;
    const stub = symbolStub(symbol);
    await stub.ingest(symbol, { source: "s", events: [liquidation(symbol, BASE + 1_000, "long", 5, 10), trade(symbol, BASE + 11_000, 5, 1, "buy")], seqs: [1, 2] });
    const gate = await gateSnapshot(symbol, "liquidations");
    const socket = await relaySocket("relay-order-liquidations");
    socket.ws.send(JSON.stringify({ op: "subscribe", channels: [channel] }));
    await gate.hit();
    await stub.ingest(symbol, { source: "s", events: [liquidation(symbol, BASE + 12_000, "short", 5.1, 20)], seqs: [3] });
    await new Promise((r) => setTimeout(r, 100));
    expect(on(socket.messages, channel)).toEqual([]);
    await gate.release();
    await socket.until((m) => on(m, channel).length >= 2, "the snapshot and the held update");
    const [snapshot, update] = on(socket.messages, channel);
    expect(snapshot).toMatchObject({ type: "snapshot", seq: 1 });
    expect(snapshot.data.liquidations.map((l: any) => l.price)).toEqual([5]);
    expect(update).toMatchObject({ type: "update", seq: 2 });
    expect(update.data.liquidations.map((l: any) => l.price)).toEqual([5.1]);
    replay(on(socket.messages, channel));
    socket.ws.close();
  });

  it("drops stale and repeated updates and repairs a hole with a fresh snapshot, never a jump in an update", async () => {
    const name = "relay-order-holes";
    const channel = "XRPUSDT:cards";
    const socket = await relaySocket(name);
    socket.ws.send(JSON.stringify({ op: "subscribe", channels: [channel] }));
    await socket.until((m) => on(m, channel).length >= 1, "the channel's first answer");
    expect(on(socket.messages, channel)[0]).toMatchObject({ type: "nodata", channel });
    const publish = (seq: number) => relayStub(name).publish([{ channel, seq, data: { n: seq } }]);
    for (const seq of [1, 2, 2, 1, 5, 4, 6]) await publish(seq);
    await socket.until((m) => on(m, channel).some((x) => x.seq === 6), "seq 6");
    expect(on(socket.messages, channel).map((m) => `${m.type} ${m.seq ?? ""}`.trim())).toEqual(["nodata", "snapshot 1", "update 2", "snapshot 5", "update 6"]);
    replay(on(socket.messages, channel));
    socket.ws.close();
  });

  it("reads a liquidation list again when an update after a hole arrives, instead of sending the hole", async () => {
    const symbol = "LTCUSDT";
    const channel = `${symbol}:liquidations`;
    const name = "relay-order-list-hole";
    const stub = symbolStub(symbol);
    await stub.ingest(symbol, { source: "s", events: [liquidation(symbol, BASE + 1_000, "long", 70, 1)], seqs: [1] });
    const socket = await relaySocket(name);
    socket.ws.send(JSON.stringify({ op: "subscribe", channels: [channel] }));
    await socket.until((m) => on(m, channel).length >= 1, "the snapshot");
    const first = on(socket.messages, channel)[0];
    expect(first).toMatchObject({ type: "snapshot", seq: 1 });
    await stub.ingest(symbol, { source: "s", events: [liquidation(symbol, BASE + 2_000, "short", 71, 2)], seqs: [2] });
    await stub.ingest(symbol, { source: "s", events: [liquidation(symbol, BASE + 3_000, "long", 72, 3)], seqs: [3] });
    await socket.until((m) => on(m, channel).length >= 3, "two updates");
    const reads = (await relayStub(name).stats()).snapshotReads.total;
    // An update that skips a seq (5 after 3: the relay missed 4, say a failed publish) is not
    // sent: the relay reads the list again and sends that as a snapshot.
    await relayStub(name).publish([{ channel, seq: 5, data: { symbol, liquidations: [{ ts: BASE + 5_000, venue: "binance", side: "long", price: 99, qty: 1, notionalUsd: 99, sampling: "sampled-1s" }], totals: {} } }]);
    await socket.until((m) => on(m, channel).length >= 4, "the repair");
    const repair = on(socket.messages, channel)[3];
    // The fresh snapshot is the SymbolObject's list (seq 3), not the update after the hole.
    expect(repair).toMatchObject({ type: "snapshot", seq: 3 });
    expect(repair.data.liquidations.map((l: any) => l.price)).toEqual([72, 71, 70]);
    expect((await relayStub(name).stats()).snapshotReads.total).toBeGreaterThan(reads);
    socket.ws.close();
  });
});

describe("ChannelOrder, without the runtime", () => {
  const cards = (seq: number) => ({ channel: "BTCUSDT:cards", seq, data: { n: seq } });
  const liqs = (seq: number, ...prices: number[]) => ({ channel: "BTCUSDT:liquidations", seq, data: { liquidations: prices.map((price) => ({ price })), totals: { seq } } });

  it("holds a state channel's updates until its snapshot, then sends the newer one as the snapshot", () => {
    const order = new ChannelOrder();
    order.expect("BTCUSDT:cards");
    expect(order.onUpdate(cards(8))).toEqual({ action: "hold" });
    expect(order.onUpdate(cards(9))).toEqual({ action: "hold" });
    // The snapshot read before those updates (seq 7) is stale: the held value (seq 9) goes instead.
    expect(order.snapshotReady("BTCUSDT:cards", cards(7))).toEqual({ action: "send", first: { channel: "BTCUSDT:cards", seq: 9, data: { n: 9 } } });
    expect(order.onUpdate(cards(9))).toEqual({ action: "drop" });
    expect(order.onUpdate(cards(10))).toEqual({ action: "send" });
    expect(order.onUpdate(cards(12))).toEqual({ action: "send-as-snapshot" });
    expect(order.counters).toEqual({ dropped: 1, resyncs: 1 });
  });

  it("sends a liquidation list's held updates after its snapshot when they follow it, merged with their count", () => {
    const order = new ChannelOrder();
    order.expect("BTCUSDT:liquidations");
    order.onUpdate(liqs(4, 40));
    order.onUpdate(liqs(5, 50));
    const plan = order.snapshotReady("BTCUSDT:liquidations", liqs(3, 30, 20));
    expect(plan.action).toBe("send");
    if (plan.action !== "send") return;
    expect(plan.first).toMatchObject({ seq: 3 });
    expect(frameOf(plan.then!)).toEqual({ type: "update", channel: "BTCUSDT:liquidations", seq: 5, data: { liquidations: [{ price: 50 }, { price: 40 }], totals: { seq: 5 } }, coalesced: 2 });
    expect(order.onUpdate(liqs(6, 60))).toEqual({ action: "send" });
  });

  it("reads a liquidation list again when its held updates do not follow the snapshot, at most MAX_REREADS times", () => {
    const order = new ChannelOrder();
    order.expect("BTCUSDT:liquidations");
    order.onUpdate(liqs(9, 90));
    for (let i = 0; i < MAX_REREADS; i++) expect(order.snapshotReady("BTCUSDT:liquidations", liqs(7, 70))).toEqual({ action: "reread" });
    expect(order.snapshotReady("BTCUSDT:liquidations", liqs(7, 70))).toEqual({ action: "send", first: liqs(7, 70) });
    expect(order.snapshotReady("BTCUSDT:liquidations", liqs(7, 70))).toEqual({ action: "skip" });
  });

  it("answers nodata, then makes the channel's first value a snapshot", () => {
    const order = new ChannelOrder();
    order.expect("BTCUSDT:cards");
    expect(order.snapshotReady("BTCUSDT:cards", { noData: "no data for BTCUSDT yet" })).toEqual({ action: "send", first: { noData: "no data for BTCUSDT yet" } });
    expect(order.onUpdate(cards(1))).toEqual({ action: "send-as-snapshot" });
    expect(order.onUpdate(cards(2))).toEqual({ action: "send" });
    order.expect("BTCUSDT:liquidations");
    order.snapshotReady("BTCUSDT:liquidations", { noData: "none" });
    // A list's first update after nodata is a snapshot only when it is the list's first ever.
    expect(order.onUpdate(liqs(3, 30))).toEqual({ action: "resync" });
  });

  it("adopts the first update's seq for a channel it has no memory of (a relay woken from hibernation)", () => {
    const order = new ChannelOrder();
    expect(order.onUpdate(cards(41))).toEqual({ action: "send" });
    expect(order.onUpdate(cards(42))).toEqual({ action: "send" });
    expect(order.onUpdate(cards(41))).toEqual({ action: "drop" });
  });
});
