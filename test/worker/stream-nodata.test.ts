/**
 * Every subscription is answered at once (issue 15): a channel with nothing to snapshot yet gets
 * `nodata`, and its value follows as a `snapshot` when data arrives; each real channel's
 * snapshot reaches a socket once, however its `*:bias` and `SYMBOL:bias` subscriptions overlap,
 * and its updates once per cycle.
 */
import { describe, expect, it } from "vitest";
import { SYMBOLS } from "../../src/domain/symbols.js";
import { ServerMessageSchema } from "../../src/protocol/stream.js";
import { relaySocket, symbolStub, trade } from "./helpers.js";

const BASE = 1_699_999_800_000;

const sub = (...channels: string[]) => JSON.stringify({ op: "subscribe", channels });
const valuesOf = (messages: any[], channel: string) => messages.filter((m) => m.channel === channel && (m.type === "snapshot" || m.type === "nodata" || m.type === "update"));
const cycles = new Map<string, number>();
/** The symbol's next trade, 10 s after its last: from the second on, each closes a cycle. */
const cycle = (symbol: string) => {
  const k = cycles.get(symbol) ?? 0;
  cycles.set(symbol, k + 1);
  return symbolStub(symbol).ingest(symbol, { source: "nodata", events: [trade(symbol, BASE + k * 10_000 + 1_000, 2, 1, k % 2 ? "buy" : "sell")], seqs: [k] });
};

describe("/v1/stream answers every subscription", { timeout: 30_000 }, () => {
  it("answers a channel without data with nodata at once, then sends its snapshot when the first cycle closes", async () => {
    const symbol = "ETHUSDT";
    const channel = `${symbol}:bias`;
    const socket = await relaySocket("relay-nodata-eth");
    socket.ws.send(sub(channel));
    await socket.until((m) => valuesOf(m, channel).length >= 1, "an answer for ETHUSDT:bias");
    const [nodata] = valuesOf(socket.messages, channel);
    expect(nodata).toEqual({ type: "nodata", channel, reason: expect.stringContaining("no data for ETHUSDT yet") });
    expect(ServerMessageSchema.safeParse(nodata).success).toBe(true);
    await cycle(symbol);
    await cycle(symbol);
    await cycle(symbol);
    await socket.until((m) => valuesOf(m, channel).length >= 3, "the first value and the next");
    const [, first, second] = valuesOf(socket.messages, channel);
    // Updates follow a snapshot, never a nodata: the first value is a snapshot.
    expect(first).toMatchObject({ type: "snapshot", channel, data: { symbol } });
    expect(second).toMatchObject({ type: "update", channel, seq: first.seq + 1, data: { symbol } });
    socket.ws.close();
  });

  it("answers *:bias with one message per symbol: a snapshot where there is data, nodata elsewhere", async () => {
    const withData = ["SOLUSDT", "BNBUSDT"];
    for (const s of withData) for (let k = 0; k < 2; k++) await cycle(s);
    const socket = await relaySocket("relay-nodata-all");
    socket.ws.send(sub("*:bias"));
    const answered = () => socket.messages.filter((m) => m.type === "snapshot" || m.type === "nodata");
    await socket.until(() => answered().length >= SYMBOLS.symbols.length, "an answer per symbol");
    await new Promise((r) => setTimeout(r, 100));
    const byChannel = new Map<string, string[]>();
    for (const m of answered()) byChannel.set(m.channel, [...(byChannel.get(m.channel) ?? []), m.type]);
    expect([...byChannel.keys()].sort()).toEqual(SYMBOLS.symbols.map((s) => `${s}:bias`).sort());
    for (const [channel, types] of byChannel) {
      // Symbols given a closed cycle in this file (here, or by an earlier test) have a bias.
      const cycled = (cycles.get(channel.split(":")[0]) ?? 0) >= 2;
      expect(types).toEqual([cycled ? "snapshot" : "nodata"]);
    }
    socket.ws.close();
  });

  it("delivers a symbol's bias snapshot and each cycle's update once to a socket holding *:bias and BTCUSDT:bias", async () => {
    const symbol = "BTCUSDT";
    const channel = `${symbol}:bias`;
    for (let k = 0; k < 2; k++) await cycle(symbol);
    for (const order of [["*:bias", channel], [channel, "*:bias"]]) {
      const socket = await relaySocket(`relay-nodata-overlap-${order[0] === channel ? "specific" : "wildcard"}`);
      socket.ws.send(sub(order[0]));
      await socket.until((m) => valuesOf(m, channel).length >= 1, `${order[0]}'s snapshot`);
      socket.ws.send(sub(order[1]));
      await socket.until((m) => m.filter((x) => x.type === "subscribed").length >= 2, "the second subscribe");
      // The other symbols' answers to *:bias, then room for a duplicate to show up.
      await socket.until((m) => m.filter((x) => x.type === "snapshot" || x.type === "nodata").length >= SYMBOLS.symbols.length, "every symbol's answer");
      await new Promise((r) => setTimeout(r, 200));
      expect(valuesOf(socket.messages, channel).map((m) => m.type)).toEqual(["snapshot"]);
      const snap = valuesOf(socket.messages, channel)[0];
      await cycle(symbol);
      await socket.until((m) => valuesOf(m, channel).length >= 2, "the cycle's update");
      await new Promise((r) => setTimeout(r, 200));
      expect(valuesOf(socket.messages, channel).map((m) => `${m.type} ${m.seq}`)).toEqual([`snapshot ${snap.seq}`, `update ${snap.seq + 1}`]);
      // Leaving the specific channel keeps the wildcard's delivery, still in order.
      socket.ws.send(JSON.stringify({ op: "unsubscribe", channels: [channel] }));
      await socket.until((m) => m.some((x) => x.type === "unsubscribed"), "the unsubscribe");
      await cycle(symbol);
      await socket.until((m) => valuesOf(m, channel).length >= 3, "the next cycle's update");
      expect(valuesOf(socket.messages, channel)[2]).toMatchObject({ type: "update", seq: snap.seq + 2 });
      socket.ws.close();
    }
  });

  it("sends one snapshot per real channel when *:bias and SYMBOL:bias come in one message", async () => {
    const symbol = "ADAUSDT";
    for (let k = 0; k < 2; k++) await cycle(symbol);
    const socket = await relaySocket("relay-nodata-together");
    socket.ws.send(sub("*:bias", `${symbol}:bias`));
    await socket.until((m) => m.filter((x) => x.type === "snapshot" || x.type === "nodata").length >= SYMBOLS.symbols.length, "every symbol's answer");
    await new Promise((r) => setTimeout(r, 200));
    expect(valuesOf(socket.messages, `${symbol}:bias`).map((m) => m.type)).toEqual(["snapshot"]);
    expect(socket.messages.filter((x) => x.type === "snapshot" || x.type === "nodata")).toHaveLength(SYMBOLS.symbols.length);
    socket.ws.close();
  });
});
