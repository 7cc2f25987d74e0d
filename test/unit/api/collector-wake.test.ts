import { describe, expect, it } from "vitest";
import { CollectorWake } from "../../../src/api/collector-wake.js";

describe("CollectorWake", () => {
  it("wakes once, and after a failure tries again only once the retry time has passed", async () => {
    let now = 1_000;
    const wake = new CollectorWake(() => now, 30_000);
    let calls = 0;
    const failing = () => {
      calls++;
      return Promise.reject(new Error("no such service"));
    };
    await wake.wake(failing);
    expect(calls).toBe(1);
    // every request within the next 30 s: no call at all
    for (const t of [1_001, 15_000, 30_999]) {
      now = t;
      expect(wake.wake(failing)).toBeNull();
    }
    expect(calls).toBe(1);
    now = 31_000;
    await wake.wake(failing);
    expect(calls).toBe(2);
    // a success sticks: no call after it, whatever the time
    now = 70_000;
    await wake.wake(() => (calls++, Promise.resolve()));
    now = 1e9;
    expect(wake.wake(failing)).toBeNull();
    expect(calls).toBe(3);
  });

  it("does not start a second call while the first one runs", () => {
    const wake = new CollectorWake(() => 0);
    let calls = 0;
    const slow = () => (calls++, new Promise<void>(() => {}));
    expect(wake.wake(slow)).not.toBeNull();
    expect(wake.wake(slow)).toBeNull();
    expect(calls).toBe(1);
  });
});
