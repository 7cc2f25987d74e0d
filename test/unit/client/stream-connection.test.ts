import { describe, expect, it } from "vitest";
import { StreamConnection, type ConnectionHooks, type NetworkEvents } from "../../../src/client/stream-connection.js";
import type { SocketLike } from "../../../src/client/stream-types.js";
import { ManualScheduler } from "./manual-scheduler.js";

/** A socket the test drives: `open()`, `message()`, `serverClose()`. */
class FakeSocket implements SocketLike {
  static all: FakeSocket[] = [];
  static failNext = false;
  readyState = 0;
  sent: string[] = [];
  closedWith: [number | undefined, string | undefined] | null = null;
  onopen: ((event: unknown) => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onclose: ((event: { code: number; reason: string }) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;

  constructor(readonly url: string) {
    if (FakeSocket.failNext) {
      FakeSocket.failNext = false;
      throw new Error("blocked by policy");
    }
    FakeSocket.all.push(this);
  }
  send(data: string): void {
    this.sent.push(data);
  }
  close(code?: number, reason?: string): void {
    this.closedWith = [code, reason];
    this.readyState = 3;
  }
  open(): void {
    this.readyState = 1;
    this.onopen?.({});
  }
  message(data: string): void {
    this.onmessage?.({ data });
  }
  serverClose(code: number, reason: string): void {
    this.readyState = 3;
    this.onclose?.({ code, reason });
  }
}

class Network implements NetworkEvents {
  listener: (() => void) | null = null;
  addEventListener(_: "online", fn: () => void) {
    this.listener = fn;
  }
  removeEventListener() {
    this.listener = null;
  }
}

function setup(overrides: { heartbeatMs?: number; random?: () => number } = {}) {
  FakeSocket.all = [];
  const clock = new ManualScheduler(0);
  const network = new Network();
  const log: string[] = [];
  let queued = 0;
  const hooks: ConnectionHooks = {
    onState: (s, info) => log.push(`state ${s}${info.attempt !== undefined ? ` #${info.attempt} ${info.delayMs}ms` : ""}${info.code ? ` ${info.code}` : ""}${info.reason ? ` ${info.reason}` : ""}`),
    onOpen: (nowMs) => log.push(`open@${nowMs}`),
    onReady: () => log.push("ready"),
    onMessage: (data) => log.push(`message ${String(data)}`),
    onGone: () => log.push("gone"),
    onError: (e) => log.push(`error ${e.code}`),
    ping: () => {
      if (queued > 0) return false;
      log.push(`ping@${clock.nowMs()}`);
      return true;
    },
  };
  const connection = new StreamConnection(
    {
      url: "ws://test/v1/stream",
      Socket: FakeSocket,
      backoff: { initialMs: 100, maxMs: 400, factor: 2, jitter: "equal", healthyAfterMs: 1_000 },
      random: overrides.random ?? (() => 1),
      heartbeatMs: overrides.heartbeatMs ?? 0,
      heartbeatTimeoutMs: 50,
      scheduler: clock,
      network,
    },
    hooks,
  );
  return { clock, network, log, connection, setQueued: (n: number) => (queued = n), socket: () => FakeSocket.all[FakeSocket.all.length - 1] };
}

describe("StreamConnection", () => {
  it("connects, announces open between the session start and the first send, and passes frames on", () => {
    const { log, connection, socket } = setup();
    connection.connect();
    expect(connection.state).toBe("connecting");
    expect(connection.writable).toBe(false);
    socket().open();
    socket().message('{"type":"pong"}');
    expect(log).toEqual(["state connecting", "open@0", "state open", "ready", 'message {"type":"pong"}']);
    expect(connection.isOpen).toBe(true);
    connection.send("x");
    expect(socket().sent).toEqual(["x"]);
  });

  it("reconnects with growing delays while the server is away, up to the cap", () => {
    const { clock, log, connection, socket } = setup();
    connection.connect();
    socket().open();
    for (let i = 0; i < 4; i++) {
      socket().serverClose(1006, "");
      clock.advance(1_000); // past any delay: the next socket is created and fails at once
    }
    expect(log.filter((l) => l.startsWith("state reconnecting"))).toEqual([
      "state reconnecting #0 100ms 1006",
      "state reconnecting #1 200ms 1006",
      "state reconnecting #2 400ms 1006",
      "state reconnecting #3 400ms 1006",
    ]);
    expect(log.filter((l) => l === "gone")).toHaveLength(4);
  });

  it("starts the count over after a connection stayed up stableAfterMs", () => {
    const { clock, log, connection, socket } = setup();
    connection.connect();
    socket().serverClose(1006, ""); // #0
    clock.advance(100);
    socket().open();
    clock.advance(999);
    socket().serverClose(1006, ""); // up 999 ms: #1
    clock.advance(200);
    socket().open();
    clock.advance(1_000);
    socket().serverClose(1001, "going away"); // up 1 s: #0 again
    expect(log.filter((l) => l.startsWith("state reconnecting"))).toEqual([
      "state reconnecting #0 100ms 1006",
      "state reconnecting #1 200ms 1006",
      "state reconnecting #0 100ms 1001 going away",
    ]);
  });

  it("uses the random source for the jitter: equal jitter, half the ceiling fixed", () => {
    const { log, connection, socket } = setup({ random: () => 0 });
    connection.connect();
    socket().serverClose(1006, "");
    expect(log).toContain("state reconnecting #0 50ms 1006");
  });

  it("reports a socket that cannot be created and retries", () => {
    const { clock, log, connection } = setup();
    FakeSocket.failNext = true;
    connection.connect();
    expect(log).toEqual(["state connecting", "error connect_failed", "state reconnecting #0 100ms connect failed"]);
    clock.advance(100);
    expect(connection.state).toBe("connecting");
    expect(FakeSocket.all).toHaveLength(1);
  });

  it("pings every heartbeatMs while nothing is queued, and drops a socket silent past the timeout", () => {
    const { clock, log, connection, socket, setQueued } = setup({ heartbeatMs: 100 });
    connection.connect();
    const first = socket();
    first.open();
    clock.advance(100);
    first.message("pong"); // any frame answers
    setQueued(1);
    clock.advance(100); // frames queued: no ping
    setQueued(0);
    clock.advance(100); // ping at 300, no answer by 350
    clock.advance(50);
    expect(log.filter((l) => l.startsWith("ping") || l.startsWith("state reconnecting"))).toEqual([
      "ping@100",
      "ping@300",
      "state reconnecting #0 100ms 4000 heartbeat timeout",
    ]);
    expect(first.closedWith).toEqual([4000, "heartbeat timeout"]);
    first.message("late"); // a dropped socket is silenced
    expect(log).not.toContain("message late");
    clock.advance(100);
    expect(FakeSocket.all).toHaveLength(2);
  });

  it("closes for good: no reconnect, no heartbeat, events of the old socket ignored", () => {
    const { clock, log, network, connection, socket } = setup({ heartbeatMs: 100 });
    connection.connect();
    expect(network.listener).not.toBeNull();
    const ws = socket();
    ws.open();
    connection.close();
    expect(ws.closedWith).toEqual([1000, "client closed"]);
    expect(network.listener).toBeNull();
    expect(clock.timers).toEqual([]);
    ws.serverClose(1000, "");
    expect(connection.state).toBe("closed");
    expect(log.at(-1)).toBe("state closed");
    connection.connect();
    expect(connection.state).toBe("connecting");
  });

  it("retries at once when the network comes back, from the first attempt", () => {
    const { clock, network, log, connection, socket } = setup();
    connection.connect();
    socket().serverClose(1006, "");
    clock.advance(100);
    socket().serverClose(1006, ""); // #1, 200 ms
    expect(clock.timers).toEqual([200]);
    network.listener!();
    expect(connection.state).toBe("connecting");
    expect(clock.timers).toEqual([]);
    socket().serverClose(1006, "");
    expect(log.at(-1)).toBe("state reconnecting #0 100ms 1006");
  });
});
