/**
 * A channel's sequence only moves forward, across restarts of its SymbolObject, and every relay
 * sees every sequence of a map channel (issue 14, the soak's gaps):
 *
 * - an object restarted from a checkpoint older than its last published update used to number
 *   its next updates with sequences subscribers already had (seen: 365 stale updates on
 *   BNBUSDT:liquidations in one soak);
 * - after a restart, a relay's snapshot request minted a new map base (a new sequence) that only
 *   that relay saw: the others' next patch did not apply to what they held;
 * - each publish opened a new stub to the relay, and calls through different stubs have no
 *   guaranteed order: a cycle's update could overtake the one before it.
 */
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { SymbolObject } from "../../src/objects/symbol-object.js";
import type { ChannelUpdate } from "../../src/protocol/stream.js";
import { liquidation, symbolStub, trade } from "./helpers.js";

const BASE = 1_700_000_000_000; // a multiple of 10 s

/** The publisher's internals the tests look at or replace (src/objects/symbol-publisher.ts). */
type Publisher = { published: Record<string, unknown>; relayStubs: Map<string, unknown>; host: { relays: Env["STREAM_RELAY"] }; channelSeq: Record<string, number> };
type Internals = { restore(): void; publisher: Publisher };

const publisherOf = (instance: SymbolObject): Publisher => (instance as unknown as Internals).publisher;

/** What a restart does to the object: the in-memory state is gone, the constructor's restore reads storage. */
function restart(instance: SymbolObject): void {
  const publisher = publisherOf(instance);
  publisher.published = {};
  publisher.relayStubs.clear();
  (instance as unknown as Internals).restore();
}

/** Replaces the relay namespace the publisher sends through; returns a function that puts it back. */
function fakeRelays(instance: SymbolObject, fake: unknown): () => void {
  const publisher = publisherOf(instance);
  const real = publisher.host.relays;
  publisher.host.relays = fake as Env["STREAM_RELAY"];
  publisher.relayStubs.clear();
  return () => {
    publisher.host.relays = real;
    publisher.relayStubs.clear();
  };
}

describe("channel sequences across a SymbolObject restart", () => {
  it("never number an update with a sequence already published, though the checkpoint is older", async () => {
    const symbol = "XRPUSDT";
    const stub = symbolStub(symbol);
    await stub.setRelayInterest("relay-seq-test", ["liquidations", "bias"]);
    // A cycle (a checkpoint: liquidations seq 1, bias seq 1), then two batches of liquidations
    // inside the next cycle: published as liquidations seq 2 and 3, not checkpointed.
    const first = [liquidation(symbol, BASE + 1_000, "long", 0.5, 100), trade(symbol, BASE + 10_500, 0.5, 10, "buy")];
    await stub.ingest(symbol, { source: "s", events: first, seqs: [1, 2] });
    await stub.ingest(symbol, { source: "s", events: [liquidation(symbol, BASE + 11_000, "short", 0.51, 50)], seqs: [3] });
    await stub.ingest(symbol, { source: "s", events: [liquidation(symbol, BASE + 12_000, "short", 0.52, 50)], seqs: [4] });
    const before = await runInDurableObject(stub, async (instance: SymbolObject, state) => {
      const checkpoint = JSON.parse(state.storage.sql.exec<{ value: string }>("SELECT value FROM kv WHERE key = 'state'").one().value);
      return { live: { ...publisherOf(instance).channelSeq }, checkpointed: checkpoint.channelSeq as Record<string, number> };
    });
    expect(before.live.liquidations).toBe(3);
    expect(before.checkpointed.liquidations).toBe(1);

    const after = await runInDurableObject(stub, async (instance: SymbolObject) => {
      restart(instance);
      return (await instance.channelSnapshot("liquidations")) as ChannelUpdate;
    });
    // The restored engine is the checkpoint's (one liquidation), but the sequence is not behind.
    expect(after.seq).toBe(3);
    const next = await stub.ingest(symbol, { source: "s", events: [liquidation(symbol, BASE + 13_000, "long", 0.5, 10)], seqs: [3] });
    expect(next.accepted).toBe(1);
    const seqAfter = await runInDurableObject(stub, async (instance: SymbolObject) => publisherOf(instance).channelSeq.liquidations);
    expect(seqAfter).toBe(4);
  });

  it("publishes a map base minted for one relay's snapshot to every relay that wants the channel, then each update through the same stub", async () => {
    const symbol = "LTCUSDT";
    const stub = symbolStub(symbol);
    await stub.setRelayInterest("relay-a", ["heatmap"]);
    await stub.setRelayInterest("relay-b", ["heatmap"]);
    const events = [liquidation(symbol, BASE + 1_000, "long", 80, 3), trade(symbol, BASE + 10_500, 80, 1, "buy")];
    await stub.ingest(symbol, { source: "s", events, seqs: [1, 2] });
    const { snapshot, sent, stubsOpened } = await runInDurableObject(stub, async (instance: SymbolObject) => {
      restart(instance);
      // Record what each relay is sent, and through which stub (the real relays have no sockets here).
      const sent: { relay: string; stub: number; updates: ChannelUpdate[] }[] = [];
      let stubsOpened = 0;
      const putBack = fakeRelays(instance, {
        idFromName: (name: string) => ({ name }),
        get: (id: { name: string }) => {
          const n = ++stubsOpened;
          return { publish: async (updates: ChannelUpdate[]) => void sent.push({ relay: id.name, stub: n, updates }) };
        },
      });
      const snapshot = (await instance.channelSnapshot("heatmap")) as ChannelUpdate;
      // The next cycle publishes a patch on top of that base.
      const next = [liquidation(symbol, BASE + 12_000, "short", 81, 2), trade(symbol, BASE + 20_500, 81, 1, "sell")];
      await instance.ingest(symbol, { source: "s", events: next, seqs: [3, 4] });
      await new Promise((r) => setTimeout(r, 0));
      putBack();
      return { snapshot, sent, stubsOpened };
    });
    expect(snapshot.channel).toBe(`${symbol}:heatmap`);
    for (const relay of ["relay-a", "relay-b"]) {
      const calls = sent.filter((s) => s.relay === relay);
      // The base, then the cycle's update (a patch on it), through one stub.
      expect(calls.map((c) => c.updates.map((u) => u.seq))).toEqual([[snapshot.seq], [snapshot.seq + 1]]);
      expect(calls[1].updates[0].patch).toBeDefined();
      expect(new Set(calls.map((c) => c.stub)).size).toBe(1);
    }
    expect(stubsOpened).toBe(2);
    // A second snapshot request answers from the latest base: no new sequence.
    const again = await runInDurableObject(stub, async (instance: SymbolObject) => (await instance.channelSnapshot("heatmap")) as ChannelUpdate);
    expect(again.seq).toBe(snapshot.seq + 1);
  });

  it("re-sends a publish through a new stub when the kept one broke (an evicted relay), once", async () => {
    const symbol = "DOGEUSDT";
    const stub = symbolStub(symbol);
    await stub.setRelayInterest("relay-c", ["bias"]);
    const sent = await runInDurableObject(stub, async (instance: SymbolObject) => {
      restart(instance);
      const sent: { stub: number; seqs: number[] }[] = [];
      let opened = 0;
      const putBack = fakeRelays(instance, {
        idFromName: (name: string) => ({ name }),
        get: () => {
          const n = ++opened;
          return {
            publish: async (updates: ChannelUpdate[]) => {
              // The first stub breaks on its second call, as a stub to an evicted object does.
              if (n === 1 && sent.some((s) => s.stub === 1)) throw new Error("Network connection lost.");
              sent.push({ stub: n, seqs: updates.map((u) => u.seq) });
            },
          };
        },
      });
      for (const [i, t] of [BASE + 10_500, BASE + 20_500, BASE + 30_500, BASE + 40_500].entries()) {
        await instance.ingest(symbol, { source: "s", events: [trade(symbol, t, 0.1, 100, "buy")], seqs: [i + 1] });
        await new Promise((r) => setTimeout(r, 0));
      }
      putBack();
      return sent;
    });
    // Every cycle's bias reached the relay once, in order; the broken stub was replaced once, and
    // the new one kept.
    expect(sent).toEqual([
      { stub: 1, seqs: [1] },
      { stub: 2, seqs: [2] },
      { stub: 2, seqs: [3] },
    ]);
  });
});

describe("events acknowledged between cycles", () => {
  it("are checkpointed by the alarm once the feed is quiet, before the runtime can evict the idle object with them", async () => {
    // Seen in the soak: a sparse symbol's object, idle ~10 s in local workerd, was evicted with the
    // events it had acknowledged since its last cycle; the replay had to stop and start over.
    const symbol = "AVAXUSDT";
    const stub = symbolStub(symbol);
    const first = [trade(symbol, BASE + 1_000, 20, 1, "buy"), trade(symbol, BASE + 10_500, 20.1, 1, "sell")];
    await stub.ingest(symbol, { source: "s", events: first, seqs: [1, 2] });
    // Inside the next cycle: acknowledged, not yet in a checkpoint.
    const result = await stub.ingest(symbol, { source: "s", events: [liquidation(symbol, BASE + 12_000, "long", 20, 5)], seqs: [3] });
    expect(result.durableSeq).toBe(2);
    const alarm = await runInDurableObject(stub, async (_i: SymbolObject, state) => ({ at: await state.storage.getAlarm(), now: Date.now() }));
    // The alarm comes within the idle-checkpoint delay, not the 30 s housekeeping one.
    expect(alarm.at! - alarm.now).toBeLessThanOrEqual(3_000);

    // Not quiet yet: the alarm leaves the checkpoint alone and comes back.
    await runDurableObjectAlarm(stub);
    const early = await runInDurableObject(stub, async (_i: SymbolObject, state) => checkpointedSeq(state));
    expect(early).toBe(2);

    // Quiet for the delay: the alarm checkpoints, and a restart holds seq 3 and its liquidation.
    await runInDurableObject(stub, async (instance: SymbolObject) => {
      (instance as unknown as { lastIngestWallMs: number }).lastIngestWallMs -= 3_000;
    });
    await runDurableObjectAlarm(stub);
    const after = await runInDurableObject(stub, async (instance: SymbolObject, state) => {
      const saved = checkpointedSeq(state);
      restart(instance);
      return { saved, totals: (instance as unknown as { engine: { liquidationTotals(): { long: { count: number } } } }).engine.liquidationTotals() };
    });
    expect(after.saved).toBe(3);
    expect(after.totals.long.count).toBe(1);
    const next = await stub.ingest(symbol, { source: "s", events: [trade(symbol, BASE + 13_000, 20, 1, "buy")], seqs: [4], afterSeq: 3 });
    expect(next.gap).toBeUndefined();
  });
});

function checkpointedSeq(state: DurableObjectState): number {
  const saved = JSON.parse(state.storage.sql.exec<{ value: string }>("SELECT value FROM kv WHERE key = 'state'").one().value);
  return saved.sources.s.lastSeq as number;
}
