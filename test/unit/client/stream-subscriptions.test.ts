import { describe, expect, it } from "vitest";
import { SubscriptionRegistry, type ListenerEntry } from "../../../src/client/stream-subscriptions.js";
import type { ChannelMessage, StreamError } from "../../../src/client/stream-types.js";

/** A listener entry that records what it got. */
function listen(channels: string[], log: string[] = [], name = "L") {
  const entry: ListenerEntry & { outcome?: string } = {
    channels,
    seen: new Set(),
    listener: (m) => log.push(`${name} ${m.type} ${m.channel} ${m.seq}`),
    onError: (e) => log.push(`${name} error ${e.code} ${e.channels?.join(",")}`),
    onNoData: (i) => log.push(`${name} nodata ${i.channel}`),
    settled: false,
    resolve: () => (entry.outcome = "ready"),
    reject: (e: StreamError) => (entry.outcome = `refused ${e.code}`),
  };
  return entry;
}

const frames = (r: SubscriptionRegistry) => r.plan().map((f) => JSON.parse(f) as { op: string; channels: string[] });
const msg = (channel: string, seq: number, type: "snapshot" | "update" = "update"): ChannelMessage => ({ type, channel, seq, data: null });
const noErrors = (e: StreamError) => {
  throw new Error(e.message);
};

describe("SubscriptionRegistry", () => {
  it("gathers subscribes into one frame and resolves a listener once all its keys are confirmed", () => {
    const r = new SubscriptionRegistry("snapshot");
    const a = listen(["BTCUSDT:bias", "ETHUSDT:bias"]);
    const b = listen(["SOLUSDT:cards"]);
    expect([r.add(a), r.add(b)]).toEqual([[], []]);
    expect(frames(r)).toEqual([{ op: "subscribe", channels: ["BTCUSDT:bias", "ETHUSDT:bias", "SOLUSDT:cards"] }]);
    expect(frames(r)).toEqual([]);
    r.confirmed(["BTCUSDT:bias", "ETHUSDT:bias", "SOLUSDT:cards"]);
    expect([a.outcome, b.outcome]).toEqual(["ready", "ready"]);
  });

  it("splits more than 100 channels into frames of 100", () => {
    const r = new SubscriptionRegistry("snapshot");
    r.add(listen(Array.from({ length: 230 }, (_, i) => `S${i}USDT:cards`)));
    expect(frames(r).map((f) => [f.op, f.channels.length])).toEqual([["subscribe", 100], ["subscribe", 100], ["subscribe", 30]]);
  });

  it("shares a key: a late listener needs a snapshot; unsubscribe goes out only when the last leaves", () => {
    const r = new SubscriptionRegistry("snapshot");
    const a = listen(["BTCUSDT:bias"]);
    const b = listen(["BTCUSDT:bias"]);
    r.add(a);
    frames(r);
    r.confirmed(["BTCUSDT:bias"]);
    expect(r.add(b)).toEqual(["BTCUSDT:bias"]);
    r.requestSnapshot(["BTCUSDT:bias"]);
    expect(frames(r)).toEqual([{ op: "snapshot", channels: ["BTCUSDT:bias"] }]);
    r.remove(a);
    expect(frames(r)).toEqual([]);
    r.remove(b);
    expect(frames(r)).toEqual([{ op: "unsubscribe", channels: ["BTCUSDT:bias"] }]);
  });

  it("never sends an unsubscribe for a key the server never heard of", () => {
    const r = new SubscriptionRegistry("snapshot");
    const a = listen(["BTCUSDT:bias"]);
    r.add(a);
    r.remove(a);
    expect(frames(r)).toEqual([]);
  });

  it("asks for the snapshot of a bias channel it already receives through *:bias, and skips one a subscribe brings", () => {
    const r = new SubscriptionRegistry("snapshot");
    r.add(listen(["*:bias"]));
    frames(r);
    r.confirmed(["*:bias"]);
    expect(r.add(listen(["BTCUSDT:bias"]))).toEqual(["BTCUSDT:bias"]);
    r.requestSnapshot(["BTCUSDT:bias"]);
    expect(frames(r)).toEqual([{ op: "subscribe", channels: ["BTCUSDT:bias"] }, { op: "snapshot", channels: ["BTCUSDT:bias"] }]);
    // a snapshot request for a channel being subscribed right now is redundant
    r.add(listen(["ETHUSDT:cards"]));
    r.requestSnapshot(["ETHUSDT:cards"]);
    expect(frames(r)).toEqual([{ op: "subscribe", channels: ["ETHUSDT:cards"] }]);
  });

  it("delivers a bias message once to a listener on both the channel and *:bias, and a repeat snapshot only to the unseen", () => {
    const log: string[] = [];
    const r = new SubscriptionRegistry("snapshot");
    r.add(listen(["BTCUSDT:bias", "*:bias"], log, "both"));
    r.add(listen(["*:bias"], log, "all"));
    r.deliver(msg("BTCUSDT:bias", 7, "snapshot"), false, noErrors);
    r.add(listen(["BTCUSDT:bias"], log, "late"));
    r.deliver(msg("BTCUSDT:bias", 7, "snapshot"), true, noErrors);
    r.deliver(msg("BTCUSDT:bias", 8), false, noErrors);
    expect(log).toEqual([
      "both snapshot BTCUSDT:bias 7",
      "all snapshot BTCUSDT:bias 7",
      "late snapshot BTCUSDT:bias 7",
      "both update BTCUSDT:bias 8",
      "late update BTCUSDT:bias 8",
      "all update BTCUSDT:bias 8",
    ]);
  });

  it("turns a throwing listener into a listener_error and still serves the others", () => {
    const log: string[] = [];
    const errors: string[] = [];
    const r = new SubscriptionRegistry("snapshot");
    const bad = listen(["BTCUSDT:cards"]);
    bad.listener = () => {
      throw new Error("boom");
    };
    r.add(bad);
    r.add(listen(["BTCUSDT:cards"], log));
    r.deliver(msg("BTCUSDT:cards", 1), false, (e) => errors.push(`${e.code} ${e.message} ${e.channels}`));
    expect(errors).toEqual(["listener_error Error: boom BTCUSDT:cards"]);
    expect(log).toEqual(["L update BTCUSDT:cards 1"]);
  });

  it("tells nodata to each listener once, and they take the next snapshot as new", () => {
    const log: string[] = [];
    const r = new SubscriptionRegistry("snapshot");
    r.add(listen(["SOLUSDT:bias", "*:bias"], log));
    r.deliver(msg("SOLUSDT:bias", 3, "snapshot"), false, noErrors);
    r.noData({ channel: "SOLUSDT:bias", reason: "no data" }, noErrors);
    r.deliver(msg("SOLUSDT:bias", 3, "snapshot"), true, noErrors);
    expect(log).toEqual(["L snapshot SOLUSDT:bias 3", "L nodata SOLUSDT:bias", "L snapshot SOLUSDT:bias 3"]);
  });

  it("refuses only the unknown symbol's channels of a refused message and sends the others again", () => {
    const log: string[] = [];
    const r = new SubscriptionRegistry("snapshot");
    const good = listen(["BTCUSDT:bias"], log, "good");
    const bad = listen(["NOPEUSDT:bias", "ETHUSDT:bias"], log, "bad");
    r.add(good);
    r.add(bad);
    frames(r);
    const outcome = r.serverError({ code: "unknown_symbol", message: "not a tracked symbol: NOPEUSDT" });
    expect(outcome).toEqual({ report: true, flush: true });
    expect(log).toEqual(["bad error unknown_symbol NOPEUSDT:bias"]);
    expect(bad.outcome).toBe("refused unknown_symbol");
    expect(bad.channels).toEqual(["ETHUSDT:bias"]);
    expect(frames(r)).toEqual([{ op: "subscribe", channels: ["BTCUSDT:bias", "ETHUSDT:bias"] }]);
    r.confirmed(["BTCUSDT:bias", "ETHUSDT:bias"]);
    expect(good.outcome).toBe("ready");
  });

  it("refuses the whole batch on too_many_channels", () => {
    const r = new SubscriptionRegistry("snapshot");
    const a = listen(["BTCUSDT:bias", "ETHUSDT:bias"]);
    r.add(a);
    frames(r);
    expect(r.serverError({ code: "too_many_channels", message: "at most 200" })).toEqual({ report: true, flush: false });
    expect(a.outcome).toBe("refused too_many_channels");
    expect(frames(r)).toEqual([]);
  });

  it("re-subscribes instead of snapshot requests once a server says it has no snapshot op", () => {
    const r = new SubscriptionRegistry("snapshot");
    r.add(listen(["BTCUSDT:bias"]));
    frames(r);
    r.confirmed(["BTCUSDT:bias"]);
    // before any snapshot request, the same error is just reported
    expect(r.serverError({ code: "bad_message", message: "op: Invalid input" })).toEqual({ report: true, flush: false });
    r.requestSnapshot(["BTCUSDT:bias"]);
    expect(frames(r)).toEqual([{ op: "snapshot", channels: ["BTCUSDT:bias"] }]);
    expect(r.serverError({ code: "bad_message", message: "op: Invalid input" })).toEqual({ report: false, flush: true });
    expect(frames(r)).toEqual([{ op: "subscribe", channels: ["BTCUSDT:bias"] }]);
    r.requestSnapshot(["BTCUSDT:bias"]);
    expect(frames(r)).toEqual([{ op: "subscribe", channels: ["BTCUSDT:bias"] }]);
  });

  it("subscribes every key again on a new connection, with nothing else pending", () => {
    const r = new SubscriptionRegistry("snapshot");
    const a = listen(["BTCUSDT:bias"]);
    r.add(a);
    r.add(listen(["ETHUSDT:cards"]));
    frames(r);
    r.confirmed(["BTCUSDT:bias", "ETHUSDT:cards"]);
    r.requestSnapshot(["BTCUSDT:bias"]);
    r.remove(a);
    r.startSession();
    expect(frames(r)).toEqual([{ op: "subscribe", channels: ["ETHUSDT:cards"] }]);
  });
});
