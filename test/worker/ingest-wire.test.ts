/**
 * The collector sends a batch's events as JSON text (`onTheWire`, src/protocol/ingest.ts): the
 * object must apply it exactly as the same batch sent as objects, and refuse a batch whose text is
 * not a JSON array of events whole, counted, without losing what it already holds.
 */
import { describe, expect, it } from "vitest";
import { onTheWire, type IngestRequest } from "../../src/protocol/ingest.js";
import { liquidation, symbolStub, trade } from "./helpers.js";

const BASE = 1_699_999_800_000;

function events(symbol: string) {
  return [
    trade(symbol, BASE + 1_000, 20, 1, "buy"),
    liquidation(symbol, BASE + 2_000, "long", 19.9, 5),
    trade(symbol, BASE + 12_000, 20.2, 2, "sell"),
    trade(symbol, BASE + 25_000, 20.1, 1, "buy"),
  ];
}

describe("SymbolObject.ingest with the events as JSON text", () => {
  it("applies a batch on the wire exactly as the same batch as objects", async () => {
    const asObjects = await symbolStub("APTUSDT").ingest("APTUSDT", { source: "s", events: events("APTUSDT"), seqs: [1, 2, 3, 4] });
    const wire = onTheWire({ source: "s", events: events("ARBUSDT"), seqs: [1, 2, 3, 4] });
    expect(wire).not.toHaveProperty("events");
    expect(typeof (wire as { eventsJson: string }).eventsJson).toBe("string");
    const asText = await symbolStub("ARBUSDT").ingest("ARBUSDT", wire);
    expect(asText).toEqual(asObjects);
    expect(asText).toMatchObject({ accepted: 4, duplicates: 0, rejected: 0, cycles: 2 });
    const [a, b] = await Promise.all([symbolStub("APTUSDT").snapshot(), symbolStub("ARBUSDT").snapshot()]);
    expect(JSON.stringify(b).replaceAll("ARBUSDT", "APTUSDT")).toBe(JSON.stringify(a));
  });

  it("refuses a batch whose text is not a JSON array of events, whole and counted, and keeps what it holds", async () => {
    const symbol = "OPUSDT";
    const stub = symbolStub(symbol);
    const good = events(symbol);
    await stub.ingest(symbol, onTheWire({ source: "s", events: good.slice(0, 2), seqs: [1, 2] }));
    const bad: IngestRequest[] = [
      { source: "s", eventsJson: '[{"kind":"trade"', seqs: [3, 4] },
      { source: "s", eventsJson: '{"kind":"trade"}', seqs: [3] },
      { source: "s", events: good.slice(2), eventsJson: JSON.stringify(good.slice(2)), seqs: [3, 4] } as unknown as IngestRequest,
    ];
    for (const batch of bad) expect(await stub.ingest(symbol, batch)).toMatchObject({ accepted: 0, rejected: batch.seqs.length, cycles: 0 });
    const health = await stub.health();
    expect(health.rejected).toBe(5);
    // The refused sequences were not taken: the same events sent properly still apply.
    expect(await stub.ingest(symbol, onTheWire({ source: "s", events: good.slice(2), seqs: [3, 4] }))).toMatchObject({ accepted: 2, duplicates: 0, rejected: 0 });
  });
});
