import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { clockOf } from "../../src/api/clock.js";
import { ClockSchema } from "../../src/protocol/clock.js";
import type { ReplayHealth } from "../../workers/collector/src/collector-object.js";
import { idleVenueHealth, newStreamHealth } from "../../workers/collector/src/live-health.js";
import { newBatcherStats } from "../../workers/collector/src/batcher.js";

const HOUR = 3_600_000;
/** The default replay's span rounds up to this loop shift (src/replay/timeline.ts `loopShiftMs`). */
const SHIFT = 29_256 * HOUR;
const RECORDED = Date.UTC(2025, 11, 27, 14, 3, 20); // a 2025-12-27 forceOrder event

function replayHealth(loop: number, lastEventTs: number | null, loopShiftMs: number | null): ReplayHealth {
  return {
    mode: "replay",
    running: true,
    speed: 50,
    position: { loop, index: 1_234 },
    resumePosition: { loop, index: 1_200 },
    lastEventTs,
    wallLagMs: 12,
    span: loopShiftMs === null ? null : { firstTs: Date.UTC(2023, 3, 4), lastTs: Date.UTC(2023, 3, 4) + loopShiftMs - 1 },
    loopShiftMs,
    skippedGaps: 0,
    batches: newBatcherStats(),
    streams: {},
    error: null,
  };
}

async function get(path: string): Promise<{ status: number; body: any }> {
  const res = await SELF.fetch(`https://liqflow.test${path}`);
  return { status: res.status, body: await res.json() };
}

describe("the clock: replay or live, event time with its date", () => {
  it("gives a replay's shifted event time and the recording's real date and loop", () => {
    const ts = RECORDED + 2 * SHIFT; // loop 2: the data reads as 2032
    const clock = clockOf({ mode: "replay", feeds: { replay: replayHealth(2, ts, SHIFT) } });
    expect(ClockSchema.parse(clock)).toEqual({
      mode: "replay",
      eventTs: ts,
      eventTime: new Date(ts).toISOString(),
      loop: 2,
      loopShiftMs: SHIFT,
      recordingTs: RECORDED,
      recordingTime: "2025-12-27T14:03:20.000Z",
      speed: 50,
    });
  });

  it("reads loop 0 as unshifted, before its span is known, and says null before the first event", () => {
    expect(clockOf({ mode: "replay", feeds: { replay: replayHealth(0, RECORDED, null) } })).toMatchObject({ loop: 0, loopShiftMs: null, eventTs: RECORDED, recordingTs: RECORDED, recordingTime: "2025-12-27T14:03:20.000Z" });
    expect(clockOf({ mode: "replay", feeds: { replay: replayHealth(0, null, null) } })).toMatchObject({ eventTs: null, eventTime: null, recordingTs: null, recordingTime: null });
  });

  it("gives live mode the newest event time of any venue's streams", () => {
    const a = idleVenueHealth("binance", "running", "");
    a.streams.ws = { ...newStreamHealth("ws", "wss://x", 3), lastEventTs: RECORDED };
    const b = idleVenueHealth("bybit", "running", "");
    b.streams.ws = { ...newStreamHealth("ws", "wss://y", 3), lastEventTs: RECORDED + 5_000 };
    const clock = clockOf({ mode: "live", feeds: { "live:binance": a, "live:bybit": b } });
    expect(ClockSchema.parse(clock)).toEqual({ mode: "live", eventTs: RECORDED + 5_000, eventTime: "2025-12-27T14:03:25.000Z" });
    expect(clockOf({ mode: "live", feeds: { "live:okx": idleVenueHealth("okx", "stopped", "not started yet") } })).toEqual({ mode: "live", eventTs: null, eventTime: null });
  });

  it("is null, not invented, when the collector reports neither feed", () => {
    expect(clockOf(null)).toBeNull();
    expect(clockOf({ mode: "test", feeds: {} })).toBeNull();
  });

  it("is served by /v1/health and /v1/market (null: the test collector stand-in has no feed)", async () => {
    const health = await get("/v1/health");
    expect(health.status).toBe(200);
    expect(health.body).toHaveProperty("clock", null);
    const market = await get("/v1/market");
    expect(market.status).toBe(200);
    expect(market.body).toHaveProperty("clock", null);
    const doc = await get("/openapi.json");
    const props = (path: string) => doc.body.paths[path].get.responses["200"].content["application/json"].schema.properties;
    expect(Object.keys(props("/v1/health"))).toContain("clock");
    expect(Object.keys(props("/v1/market"))).toContain("clock");
  });
});
