import { describe, expect, it } from "vitest";
import type { CanonicalEvent } from "../../../src/domain/events.js";
import { mergeByEventTime } from "../../../src/replay/merge.js";

function trade(ts: number, id: string, symbol = "BTCUSDT"): CanonicalEvent {
  return { venue: "binance", symbol, ts, kind: "trade", price: 100, qty: 1, side: "buy", tradeId: id };
}

async function* from(events: CanonicalEvent[]): AsyncGenerator<CanonicalEvent> {
  for (const e of events) yield e;
}

async function collect(sources: CanonicalEvent[][], reorderMs?: number) {
  const out: string[] = [];
  for await (const { event, source } of mergeByEventTime(sources.map(from), reorderMs)) {
    out.push(`${source}:${event.ts}:${(event as { tradeId: string }).tradeId}`);
  }
  return out;
}

describe("mergeByEventTime", () => {
  it("interleaves recordings from different years in true event time without shifting them", async () => {
    const y2023 = [trade(1_680_652_700_000, "a"), trade(1_680_652_701_000, "b")];
    const y2024 = [trade(1_723_161_256_000, "c")];
    const y2021 = [trade(1_626_992_740_000, "d")];
    expect(await collect([y2023, y2024, y2021])).toEqual([
      "2:1626992740000:d",
      "0:1680652700000:a",
      "0:1680652701000:b",
      "1:1723161256000:c",
    ]);
  });

  it("reorders arrival-order jitter inside one recording within the tolerance", async () => {
    const jittery = [trade(1000, "a"), trade(3000, "c"), trade(2000, "b"), trade(9000, "d"), trade(8500, "e")];
    expect(await collect([jittery], 5000)).toEqual(["0:1000:a", "0:2000:b", "0:3000:c", "0:8500:e", "0:9000:d"]);
  });

  it("breaks ties on equal timestamps by source, then by position in the source", async () => {
    const a = [trade(5, "a1"), trade(5, "a2")];
    const b = [trade(5, "b1")];
    expect(await collect([b, a])).toEqual(["0:5:b1", "1:5:a1", "1:5:a2"]);
  });

  it("emits every event exactly once and ends when all sources end", async () => {
    const a = Array.from({ length: 500 }, (_, i) => trade(i * 7, `a${i}`));
    const b = Array.from({ length: 300 }, (_, i) => trade(i * 11 + 3, `b${i}`));
    const out = await collect([a, b], 50);
    expect(out).toHaveLength(800);
    const ts = out.map((s) => Number(s.split(":")[1]));
    expect(ts).toEqual([...ts].sort((x, y) => x - y));
  });

  it("rejects a negative reorder tolerance", async () => {
    await expect(collect([[trade(1, "a")]], -1)).rejects.toThrow(/reorderMs/);
  });
});
