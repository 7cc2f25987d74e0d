import { describe, expect, it } from "vitest";
import { SendQueue } from "../../../src/client/stream-send-queue.js";
import { ManualScheduler } from "./manual-scheduler.js";

function setup(budget = { burst: 2, perS: 10 }) {
  const clock = new ManualScheduler(1_000);
  const sent: [number, string][] = [];
  const sink = {
    writable: true,
    failNext: false,
    send(frame: string) {
      if (this.failNext) {
        this.failNext = false;
        throw new Error("socket closing");
      }
      sent.push([clock.nowMs(), frame]);
    },
  };
  const queue = new SendQueue(sink, budget, clock);
  queue.reset(clock.nowMs());
  return { clock, sent, sink, queue };
}

describe("SendQueue", () => {
  it("sends the burst at once, then one frame per 1/perS, in order", () => {
    const { clock, sent, queue } = setup();
    for (const f of ["a", "b", "c", "d", "e"]) queue.enqueue(f);
    expect(sent).toEqual([[1_000, "a"], [1_000, "b"]]);
    expect(queue.size).toBe(3);
    expect(clock.timers).toEqual([100]); // one timer, when the next token is due (10/s)
    clock.advance(1_000);
    expect(sent.slice(2)).toEqual([[1_100, "c"], [1_200, "d"], [1_300, "e"]]);
    expect(queue.size).toBe(0);
    expect(clock.timers).toEqual([]);
  });

  it("keeps one timer however many frames are queued while it waits", () => {
    const { clock, sent, queue } = setup({ burst: 1, perS: 4 });
    queue.enqueue("a");
    queue.enqueue("b");
    clock.advance(100);
    queue.enqueue("c");
    expect(clock.timers).toEqual([150]); // 250 ms per token, 100 ms gone
    clock.advance(150);
    expect(sent.map(([t, f]) => `${t} ${f}`)).toEqual(["1000 a", "1250 b"]);
    clock.advance(250);
    expect(sent.map(([t, f]) => `${t} ${f}`)).toEqual(["1000 a", "1250 b", "1500 c"]);
  });

  it("refills to the burst while idle, never beyond", () => {
    const { clock, sent, queue } = setup();
    queue.enqueue("a");
    queue.enqueue("b");
    clock.advance(60_000);
    for (const f of ["c", "d", "e"]) queue.enqueue(f);
    expect(sent.map(([, f]) => f)).toEqual(["a", "b", "c", "d"]);
  });

  it("waits without a timer while the socket is not writable, and starts afresh on reset", () => {
    const { clock, sent, sink, queue } = setup();
    sink.writable = false;
    queue.enqueue("lost");
    expect(sent).toEqual([]);
    expect(clock.timers).toEqual([]);
    sink.writable = true;
    clock.advance(10);
    queue.reset(clock.nowMs());
    expect(queue.size).toBe(0);
    queue.enqueue("x");
    expect(sent).toEqual([[1_010, "x"]]);
  });

  it("stops draining when the connection ends, and drops a frame the socket refused", () => {
    const { clock, sent, sink, queue } = setup({ burst: 1, perS: 10 });
    queue.enqueue("a");
    queue.enqueue("b");
    queue.stop();
    clock.advance(1_000);
    expect(sent.map(([, f]) => f)).toEqual(["a"]);
    sink.failNext = true;
    queue.enqueue("c"); // drains: "b" is refused (the close event follows), "c" waits
    expect(queue.size).toBe(1);
    expect(sent.map(([, f]) => f)).toEqual(["a"]);
  });
});
