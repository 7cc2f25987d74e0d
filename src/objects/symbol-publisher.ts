/**
 * What one SymbolObject publishes to the stream relays: the channel updates of each cycle and
 * each stored batch of liquidations, numbered per channel, and the snapshot a relay reads for a
 * new subscriber. Split from SymbolObject (which decides when to publish) so that the numbering
 * and delivery rules live in one place:
 *
 * - Sequences only move forward: the last one of each channel is saved (kv `channel-seq`) before
 *   an update or a snapshot carrying a new one leaves the object (the output gate holds the RPC
 *   until the write is durable), so a restart from an older checkpoint never reuses one.
 * - Map channels (heatmap, levels) send an RFC 7386 merge patch from the value each relay holds;
 *   a new base minted for one relay's snapshot is published to every relay that wants the channel.
 * - Each relay is published to through one kept stub (E-order: calls through one stub arrive in
 *   the order made); a stub that threw is replaced and the call sent once more.
 * - Work is done only for the channel kinds some relay registered (`setRelayInterest`).
 */
import type { SymbolEngine } from "../domain/engine.js";
import type { LiquidationHeatmap, LiquidationLevels } from "../protocol/liquidation.js";
import { mergePatchDiff } from "../protocol/merge-patch.js";
import type { SymbolSnapshot } from "../protocol/snapshot.js";
import type { ChannelKind, ChannelUpdate, StoredLiquidation } from "../protocol/stream.js";
import type { StreamRelay } from "./stream-relay.js";
import type { SymbolStorage } from "./symbol-storage.js";

const MAP_KINDS = ["heatmap", "levels"] as const;
type MapKind = (typeof MAP_KINDS)[number];

/** The last sequence of each channel kind. */
export type ChannelSeqs = Record<ChannelKind, number>;

/** What the publisher needs of its object. */
export interface PublisherHost {
  readonly storage: SymbolStorage;
  relays: DurableObjectNamespace<StreamRelay>;
  waitUntil(promise: Promise<unknown>): void;
}

export class SymbolPublisher {
  private channelSeq: ChannelSeqs = { cards: 0, bias: 0, liquidations: 0, heatmap: 0, levels: 0, zones: 0 };
  /** A sequence was taken since `channel-seq` was last saved. */
  private channelSeqDirty = false;
  /** Relay shards and the channel kinds they want from this symbol. */
  private relayKinds: Record<string, ChannelKind[]> = {};
  /** The stub each relay is published to (see `relayStub`). */
  private readonly relayStubs = new Map<string, DurableObjectStub<StreamRelay>>();
  /**
   * The map value each map channel last published (what its next patch is relative to). Dropped
   * when no relay wants the channel any more; never persisted: after a restart the first update
   * carries the full value.
   */
  private published: Partial<Record<MapKind, { seq: number; data: LiquidationHeatmap | LiquidationLevels }>> = {};

  constructor(private readonly host: PublisherHost) {}

  /** Restores the sequences (the checkpoint's, raised to those saved since) and the relays' interest. */
  restore(checkpointed: Partial<ChannelSeqs> | undefined): void {
    const saved = this.host.storage.readKv<Partial<ChannelSeqs>>("channel-seq") ?? {};
    for (const kind of Object.keys(this.channelSeq) as ChannelKind[]) {
      this.channelSeq[kind] = Math.max(checkpointed?.[kind] ?? this.channelSeq[kind], saved[kind] ?? 0);
    }
    this.relayKinds = this.host.storage.readKv<Record<string, ChannelKind[]>>("relays") ?? {};
  }

  /** The sequences, for the checkpoint row. */
  get seqs(): ChannelSeqs {
    return this.channelSeq;
  }

  /** The updates of one cycle: cards, bias, and the maps and zones where a relay wants them. */
  cycleUpdates(symbol: string, snapshot: SymbolSnapshot, engine: SymbolEngine): ChannelUpdate[] {
    const updates: ChannelUpdate[] = [
      { channel: `${symbol}:cards`, seq: this.nextSeq("cards"), data: cardsView(snapshot) },
      { channel: `${symbol}:bias`, seq: this.nextSeq("bias"), data: biasView(snapshot) },
    ];
    // The maps cost a query each (~0.1–0.4 ms): computed only while a relay wants them.
    for (const kind of MAP_KINDS) {
      if (!this.wanted(kind)) continue;
      updates.push(this.mapUpdate(symbol, kind, engine));
    }
    const zones = engine.zones();
    if (zones && this.wanted("zones")) updates.push({ channel: `${symbol}:zones`, seq: this.nextSeq("zones"), data: zones });
    return updates;
  }

  /** The update for a batch of newly stored liquidations (newest first) with the running totals. */
  liquidationUpdate(symbol: string, liquidations: StoredLiquidation[], engine: SymbolEngine): ChannelUpdate {
    return {
      channel: `${symbol}:liquidations`,
      seq: this.nextSeq("liquidations"),
      data: { symbol, liquidations: [...liquidations].reverse(), totals: engine.liquidationTotals() },
    };
  }

  /**
   * Sends each update once to every relay shard that registered for its channel kind: the cost
   * grows with the number of relays, not with the number of subscribers. A relay failure never
   * fails the caller.
   */
  publish(updates: ChannelUpdate[]): void {
    // Durable before it leaves (the output gate holds the RPCs until the write is).
    this.saveSeqs();
    for (const [relay, kinds] of Object.entries(this.relayKinds)) {
      const wanted = updates.filter((u) => kinds.includes(u.channel.slice(u.channel.lastIndexOf(":") + 1) as ChannelKind));
      if (wanted.length === 0) continue;
      const stub = this.relayStub(relay);
      this.host.waitUntil(
        stub
          .publish(wanted)
          .catch(() => {
            // A stub that threw is broken for good (e.g. the relay was evicted while idle): once
            // more through a new one. A relay drops a sequence it already holds, should the first
            // call have arrived after all.
            if (this.relayStubs.get(relay) === stub) this.relayStubs.delete(relay);
            return this.relayStub(relay).publish(wanted);
          })
          .catch((err: unknown) => {
            this.relayStubs.delete(relay);
            console.warn(`publish to ${relay} failed`, String(err));
          }),
      );
    }
  }

  /** A relay shard states which channel kinds of this symbol its sockets want (empty: none). */
  setRelayInterest(relay: string, kinds: ChannelKind[]): void {
    const before = this.relayKinds[relay] ?? [];
    // A relay re-sending what is registered (a retry, a wake) costs no write.
    if (before.length === kinds.length && kinds.every((k) => before.includes(k))) return;
    if (kinds.length === 0) delete this.relayKinds[relay];
    else this.relayKinds[relay] = [...kinds];
    this.host.storage.writeKv("relays", this.relayKinds);
    for (const kind of MAP_KINDS) if (!this.wanted(kind)) delete this.published[kind];
  }

  /**
   * What a new subscriber of `channel` receives first (null: nothing yet). `liquidations` lists
   * the newest stored rows, read by the caller.
   */
  channelSnapshot(symbol: string, kind: ChannelKind, engine: SymbolEngine, liquidations: () => StoredLiquidation[]): ChannelUpdate | null {
    // The sequence a snapshot carries is durable before the snapshot leaves, like an update's.
    this.saveSeqs();
    const channel = `${symbol}:${kind}`;
    if (kind === "heatmap" || kind === "levels") {
      // The value the next patch applies to; when none was published yet, a new one (a new
      // seq) becomes that base, unless no relay wants the channel (a one-off read).
      const published = this.published[kind];
      if (published) return { channel, seq: published.seq, data: published.data };
      if (this.wanted(kind)) {
        // Every relay that wants the channel gets the new base, not only the one asking: a base
        // only one relay saw left the others a patch that did not apply to what they held.
        const update = this.mapUpdate(symbol, kind, engine);
        this.publish([update]);
        return update;
      }
      return { channel, seq: this.channelSeq[kind], data: mapView(kind, engine) };
    }
    if (kind === "liquidations") {
      return { channel, seq: this.channelSeq.liquidations, data: { symbol, liquidations: liquidations(), totals: engine.liquidationTotals() } };
    }
    if (kind === "zones") {
      const zones = engine.zones();
      return zones ? { channel, seq: this.channelSeq.zones, data: zones } : null;
    }
    const latest = engine.latest();
    if (!latest) return null;
    return kind === "cards" ? { channel, seq: this.channelSeq.cards, data: cardsView(latest) } : { channel, seq: this.channelSeq.bias, data: biasView(latest) };
  }

  /**
   * A map channel's next update: the full value for the relays (they answer snapshots from it)
   * and, when RFC 7386 can express it, the merge patch from the previous value, which is what the
   * relays send to sockets that are up to date.
   */
  private mapUpdate(symbol: string, kind: MapKind, engine: SymbolEngine): ChannelUpdate {
    const data = mapView(kind, engine);
    const previous = this.published[kind];
    const seq = this.nextSeq(kind);
    this.published[kind] = { seq, data };
    const update: ChannelUpdate = { channel: `${symbol}:${kind}`, seq, data };
    const patch = previous && previous.seq === seq - 1 ? mergePatchDiff(previous.data, data) : undefined;
    if (patch) update.patch = patch;
    return update;
  }

  /** The next sequence of `kind`'s channel; saved before an update carrying it is sent. */
  private nextSeq(kind: ChannelKind): number {
    this.channelSeqDirty = true;
    return ++this.channelSeq[kind];
  }

  /** Saves the channels' sequences if one was taken since the last save (one kv row). */
  private saveSeqs(): void {
    if (!this.channelSeqDirty) return;
    this.host.storage.writeKv("channel-seq", this.channelSeq);
    this.channelSeqDirty = false;
  }

  private wanted(kind: ChannelKind): boolean {
    return Object.values(this.relayKinds).some((kinds) => kinds.includes(kind));
  }

  /**
   * One stub per relay, kept: calls through one stub reach the object in the order they were
   * made (E-order), calls through different stubs in no guaranteed order. A stub per publish let
   * a cycle's update overtake the one before it under load, which a subscriber saw as a gap.
   */
  private relayStub(relay: string): DurableObjectStub<StreamRelay> {
    let stub = this.relayStubs.get(relay);
    if (stub === undefined) {
      stub = this.host.relays.get(this.host.relays.idFromName(relay));
      this.relayStubs.set(relay, stub);
    }
    return stub;
  }
}

function mapView(kind: MapKind, engine: SymbolEngine): LiquidationHeatmap | LiquidationLevels {
  return kind === "heatmap" ? engine.heatmap() : engine.levels();
}

function cardsView(s: SymbolSnapshot) {
  return { symbol: s.symbol, ts: s.ts, price: s.price, cards: s.cards };
}

function biasView(s: SymbolSnapshot) {
  return { symbol: s.symbol, ts: s.ts, price: s.price, bias: s.bias };
}
