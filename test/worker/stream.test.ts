import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { liquidation, symbolStub, trade } from "./helpers.js";

const BASE = 1_699_999_800_000;

async function connect(): Promise<{ ws: WebSocket; messages: any[]; next: (n: number) => Promise<any[]> }> {
  const res = await SELF.fetch("https://liqflow.test/v1/stream", { headers: { Upgrade: "websocket" } });
  expect(res.status).toBe(101);
  const ws = res.webSocket!;
  ws.accept();
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
  return { ws, messages, next };
}

describe("/v1/stream", () => {
  it("refuses a plain GET with 426 and a JSON error", async () => {
    const res = await SELF.fetch("https://liqflow.test/v1/stream");
    expect(res.status).toBe(426);
    expect((await res.json<any>()).error.code).toBe("upgrade_required");
  });

  it("rejects malformed, oversized and unknown-symbol messages and keeps the socket open", async () => {
    const { ws, next } = await connect();
    ws.send("{");
    ws.send(JSON.stringify({ op: "subscribe", channels: ["BTCUSDT:nope"] }));
    ws.send(JSON.stringify({ op: "subscribe", channels: ["NOPEUSDT:bias"] }));
    ws.send("x".repeat(20_000));
    ws.send(JSON.stringify({ op: "ping" }));
    const got = await next(5);
    // The ping is answered by the runtime's auto-response, ahead of the queued messages the
    // object handles, without waking it.
    expect(got.filter((m) => m.type === "pong")).toHaveLength(1);
    const errors = got.filter((m) => m.type === "error");
    // Frames of one socket are handled in order, but delivery of the replies may interleave.
    expect(errors.map((m) => m.code).sort()).toEqual(["bad_json", "bad_message", "message_too_large", "unknown_symbol"]);
    expect(errors.find((m) => m.code === "bad_message").message).toMatch(/^channels\.0: /);
    expect(errors.find((m) => m.code === "unknown_symbol").message).toContain("NOPEUSDT");
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
