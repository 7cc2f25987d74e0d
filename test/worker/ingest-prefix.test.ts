/**
 * The SymbolObject's side of crash consistency: what a source applied is always a prefix of
 * what it sent. An object that restarted alone (a deploy of the engine) from a checkpoint older
 * than what its producer saw acknowledged refuses the producer's next batch with `gap`, instead
 * of applying it over the hole (the events in between would then be dropped as already applied
 * when re-sent, and be lost for good).
 */
import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { SymbolObject } from "../../src/objects/symbol-object.js";
import { symbolStub, trade } from "./helpers.js";

const BASE = 1_700_000_000_000; // a multiple of 10 s
const SYMBOL = "LTCUSDT";

describe("SymbolObject ingest after a restart of the object alone", () => {
  it("refuses a batch whose afterSeq it no longer holds, applying nothing; the events re-sent from its checkpoint apply once", async () => {
    const stub = symbolStub(SYMBOL);
    const t = (dtMs: number, qty: number) => trade(SYMBOL, BASE + dtMs, 70, qty, "buy");
    // 1 and 2, then 3 past the 10 s boundary: a cycle, so a checkpoint through 3.
    expect(await stub.ingest(SYMBOL, { source: "s", events: [t(1_000, 1), t(2_000, 2), t(11_000, 3)], seqs: [1, 2, 3] })).toMatchObject({ accepted: 3, durableSeq: 3 });
    // 4 and 5: applied and acknowledged, not checkpointed yet.
    expect(await stub.ingest(SYMBOL, { source: "s", events: [t(12_000, 4), t(13_000, 5)], seqs: [4, 5], afterSeq: 3 })).toMatchObject({ accepted: 2, durableSeq: 3 });
    // The object restarts alone, back to its checkpoint; the producer goes on after 5.
    await runInDurableObject(stub, async (instance: SymbolObject) => void (instance as any).restore());
    expect(await stub.ingest(SYMBOL, { source: "s", events: [t(14_000, 6)], seqs: [6], afterSeq: 5 })).toEqual({
      accepted: 0,
      duplicates: 0,
      rejected: 0,
      cycles: 0,
      durableSeq: 3,
      gap: { lastSeq: 3 },
    });
    // The producer sends again from its saved position (everything before it is in the checkpoint).
    expect(await stub.ingest(SYMBOL, { source: "s", events: [t(2_000, 2), t(11_000, 3), t(12_000, 4), t(13_000, 5), t(14_000, 6)], seqs: [2, 3, 4, 5, 6] })).toMatchObject({ accepted: 3, duplicates: 2 });
    const health = await stub.health();
    expect(health.sources.s).toMatchObject({ lastSeq: 6, events: 6 });
    expect(health.events.trade).toBe(6);
  });
});
