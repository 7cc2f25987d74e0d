/**
 * Compact forms of what the engine checkpoint holds of the cards, written every cycle: the last
 * snapshot's cards, and each card's memory. The wire form repeats field names and, for an
 * unavailable value, four constants beside its reason (about 90 bytes against 15). Packing keeps
 * every number exactly, so `unpackCards(packCards(c))` equals `c` and a restored engine serves
 * byte-identical snapshots.
 *
 * A card packs to `[id, category, kind, state, transition, v1m, v5m, v1h]`; a value packs to its
 * reason (unavailable) or to `[score, strength, confidence, value]`, with `sampling` as a fifth
 * entry when it has one.
 */
import { TIMEFRAMES, type CardValue } from "../vocabulary.js";
import type { Card, SymbolSnapshot } from "../../protocol/snapshot.js";
import type { CardMemory } from "./registry.js";
import { emptyScaleState } from "./scale.js";

export type PackedValue = string | [number, number, number, number | null] | [number, number, number, number | null, "sampled" | "complete"];
export type PackedCard = [string, string, Card["kind"], Card["state"], Card["transition"], PackedValue, PackedValue, PackedValue];

function packValue(v: CardValue): PackedValue {
  if (!v.available) return v.reason ?? "";
  return v.sampling === undefined ? [v.score, v.strength, v.confidence, v.value] : [v.score, v.strength, v.confidence, v.value, v.sampling];
}

function unpackValue(p: PackedValue): CardValue {
  if (typeof p === "string") return { available: false, score: 0, strength: 0, confidence: 0, value: null, reason: p };
  const v: CardValue = { available: true, score: p[0], strength: p[1], confidence: p[2], value: p[3] };
  if (p.length === 5) v.sampling = p[4];
  return v;
}

export function packCards(cards: readonly Card[]): PackedCard[] {
  return cards.map((c) => [c.id, c.category, c.kind, c.state, c.transition, packValue(c.timeframes["1m"]), packValue(c.timeframes["5m"]), packValue(c.timeframes["1h"])]);
}

export function unpackCards(packed: readonly PackedCard[]): Card[] {
  return packed.map(([id, category, kind, state, transition, ...values]) => {
    const timeframes = {} as Card["timeframes"];
    TIMEFRAMES.forEach((tf, i) => (timeframes[tf] = unpackValue(values[i])));
    return { id, category, kind, timeframes, state, transition };
  });
}

/** A snapshot with its cards in the checkpoint's compact form. */
/**
 * A snapshot with its cards packed. `biasIsEngine`: the bias was left out because it is the
 * engine's own, saved beside it (`EngineState.bias`); the reader puts it back before unpacking.
 */
export type PackedSnapshot = Omit<SymbolSnapshot, "cards" | "bias"> & { packedCards: PackedCard[]; bias?: SymbolSnapshot["bias"]; biasIsEngine?: true };

export function packSnapshot(s: SymbolSnapshot): PackedSnapshot {
  const { cards, ...rest } = s;
  return { ...rest, packedCards: packCards(cards) };
}

/** The snapshot as the engine emitted it, fields in the same order (so it serializes to the same bytes). */
export function unpackSnapshot(s: SymbolSnapshot | PackedSnapshot): SymbolSnapshot {
  if (!("packedCards" in s)) return s;
  const { symbol, ts, eventTs, price, mark, book, bias, liquidations, events, carried } = s;
  if (bias === undefined) throw new Error("unpackSnapshot: the snapshot's bias is missing (biasIsEngine: put the engine's bias back first)");
  // `eventTs` and `carried` are absent in checkpoints written before them: SymbolEngine.fromJSON fills them.
  return { symbol, ts, eventTs, price, mark, book, cards: unpackCards(s.packedCards), bias, liquidations, events, carried };
}

export type PackedMemory = [string, CardMemory["state"], number, ...(number | (number | null)[][])[]];

/** A card's memory in the checkpoint's compact form (see `EngineState.cardMemory`). */
export function packMemory(id: string, m: CardMemory): PackedMemory {
  const out: PackedMemory = [id, m.state, m.score];
  const scale = m.scale ?? emptyScaleState();
  for (const tf of TIMEFRAMES) out.push(...scale.stats[tf]);
  if (TIMEFRAMES.some((tf) => scale.previous[tf].length > 0)) out.push(TIMEFRAMES.map((tf) => scale.previous[tf].slice()));
  return out;
}

export function unpackMemory(entry: PackedMemory | [string, CardMemory]): [string, CardMemory] {
  if (entry.length === 2) {
    const [id, m] = entry as [string, CardMemory];
    return [id, structuredClone(m)];
  }
  const [id, state, score, ...rest] = entry as PackedMemory;
  const n = rest.slice(0, 9) as number[];
  const previous = (rest[9] as (number | null)[][] | undefined) ?? [[], [], []];
  return [
    id,
    {
      state,
      score,
      scale: {
        stats: { "1m": [n[0], n[1], n[2]], "5m": [n[3], n[4], n[5]], "1h": [n[6], n[7], n[8]] },
        previous: { "1m": previous[0].slice(), "5m": previous[1].slice(), "1h": previous[2].slice() },
      },
    },
  ];
}

