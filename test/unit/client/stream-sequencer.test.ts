import { describe, expect, it } from "vitest";
import { ChannelSequencer } from "../../../src/client/stream-sequencer.js";
import type { ChannelMessage } from "../../../src/client/stream-types.js";

const snap = (channel: string, seq: number, data: unknown = { seq }): ChannelMessage => ({ type: "snapshot", channel, seq, data });
const upd = (channel: string, seq: number, extra: Partial<ChannelMessage> = {}): ChannelMessage => ({ type: "update", channel, seq, data: { seq }, ...extra });

/** Seqs delivered, with `!` for a gap, `-` for a dropped message. */
function run(seq: ChannelSequencer, messages: ChannelMessage[]): string[] {
  return messages.map((m) => {
    const v = seq.receive(m);
    return v.message ? `${v.message.type[0]}${v.message.seq}${v.gap ? "!" : ""}${v.onlyUnseen ? "u" : ""}` : `-${v.gap ? "!" : ""}`;
  });
}

describe("ChannelSequencer", () => {
  it("passes a snapshot then updates that grow by one", () => {
    const s = new ChannelSequencer();
    expect(run(s, [snap("BTCUSDT:cards", 5), upd("BTCUSDT:cards", 6), upd("BTCUSDT:cards", 7)])).toEqual(["s5", "u6", "u7"]);
  });

  it("drops duplicates, updates out of order and stale snapshots", () => {
    const s = new ChannelSequencer();
    const c = "BTCUSDT:bias";
    expect(run(s, [snap(c, 10), upd(c, 11), upd(c, 11), upd(c, 10), snap(c, 9), upd(c, 12)])).toEqual(["s10", "u11", "-", "-", "-", "u12"]);
  });

  it("hands a repeat snapshot only to listeners that have not seen the channel", () => {
    const s = new ChannelSequencer();
    expect(run(s, [snap("BTCUSDT:bias", 4), snap("BTCUSDT:bias", 4)])).toEqual(["s4", "s4u"]);
  });

  it("flags a jump as a gap and asks for one snapshot; the repairing snapshot goes to everyone", () => {
    const s = new ChannelSequencer();
    const c = "BTCUSDT:cards";
    s.receive(snap(c, 5));
    s.receive(upd(c, 6));
    const v = s.receive(upd(c, 9));
    expect(v.gap).toEqual({ channel: c, expected: 7, received: 9 });
    expect(v.resnapshot).toBe(true);
    expect(v.message).toEqual({ type: "update", channel: c, seq: 9, data: { seq: 9 }, gap: true });
    // a second jump before the snapshot arrives: flagged, but the snapshot is already asked for
    const again = s.receive(upd(c, 12));
    expect([again.gap?.expected, again.resnapshot]).toEqual([10, false]);
    expect(run(s, [snap(c, 12)])).toEqual(["s12"]); // at the last seq, yet not "only unseen": it repairs
    expect(s.receive(upd(c, 14)).resnapshot).toBe(true); // a new gap asks again
  });

  it("treats a coalesced jump as no gap", () => {
    const s = new ChannelSequencer();
    const c = "BTCUSDT:cards";
    expect(run(s, [snap(c, 5), upd(c, 8, { coalesced: 3 }), upd(c, 10, { coalesced: 1 })])).toEqual(["s5", "u8", "u10!"]);
    const v = s.receive(upd(c, 11, { coalesced: 1 }));
    expect(v.message?.coalesced).toBe(1);
  });

  it("applies merge patches to the last value of a map channel, leaving earlier values intact", () => {
    const s = new ChannelSequencer();
    const c = "BTCUSDT:heatmap";
    const first = s.receive(snap(c, 3, { ts: 1, cells: [[0, 0, 5]], price: { centers: [100] } })).message!;
    const v = s.receive({ type: "update", channel: c, seq: 4, data: undefined, patch: { ts: 2, price: { edges: [99, 101] } } });
    expect(v.message).toEqual({ type: "update", channel: c, seq: 4, data: { ts: 2, cells: [[0, 0, 5]], price: { centers: [100], edges: [99, 101] } }, patch: { ts: 2, price: { edges: [99, 101] } } });
    expect(first.data).toEqual({ ts: 1, cells: [[0, 0, 5]], price: { centers: [100] } });
    expect(s.receive({ type: "update", channel: c, seq: 5, data: undefined, patch: { cells: null } }).message?.data).toEqual({ ts: 2, price: { centers: [100], edges: [99, 101] } });
  });

  it("drops a patch without its base and asks for a snapshot", () => {
    const s = new ChannelSequencer();
    const c = "BTCUSDT:levels";
    s.receive(snap(c, 3, { a: 1 }));
    const lost = s.receive({ type: "update", channel: c, seq: 5, data: undefined, patch: { a: 2 } });
    expect(lost).toEqual({ message: null, onlyUnseen: false, gap: { channel: c, expected: 4, received: 5 }, resnapshot: true });
    // no value at all yet (first message is a patch): a gap too, expected = its own seq
    const fresh = new ChannelSequencer().receive({ type: "update", channel: c, seq: 7, data: undefined, patch: { a: 2 } });
    expect([fresh.message, fresh.gap]).toEqual([null, { channel: c, expected: 7, received: 7 }]);
  });

  it("starts over per connection and after nodata: a lower seq is accepted", () => {
    const s = new ChannelSequencer();
    const c = "BTCUSDT:bias";
    s.receive(snap(c, 50));
    s.reset();
    expect(run(s, [snap(c, 45)])).toEqual(["s45"]);
    s.forget(c);
    expect(run(s, [snap(c, 1), upd(c, 2)])).toEqual(["s1", "u2"]);
  });
});
