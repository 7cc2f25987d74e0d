/**
 * The `/v1/stream` WebSocket protocol.
 *
 * Client → server (JSON text frames):
 *   {"op":"subscribe","channels":["BTCUSDT:bias","ETHUSDT:liquidations","*:bias"]}
 *   {"op":"unsubscribe","channels":["BTCUSDT:bias"]}
 *   {"op":"snapshot","channels":["BTCUSDT:bias"]}   re-request the current value of a channel the
 *                                                 socket holds (after a gap; `*:bias` holds each bias)
 *   {"op":"ping"}
 * Server → client:
 *   {"type":"subscribed","channels":[...]}        acknowledgement, then one snapshot or nodata per
 *                                                 real channel the socket did not receive yet
 *   {"type":"snapshot","channel","seq","data"}    the channel's current value
 *   {"type":"nodata","channel","reason"}          the channel has no value yet (a symbol without
 *                                                 data); its next message is a snapshot
 *   {"type":"update","channel","seq","data"}      each new value as the engine computes it;
 *                                                 `coalesced: k` when k updates were folded into one
 *   {"type":"error","code","message"}             a rejected client message (socket stays open):
 *                                                 bad_json, bad_message, unknown_symbol,
 *                                                 too_many_channels, not_subscribed (a snapshot of
 *                                                 a channel not held), rate_limited (beyond the
 *                                                 socket's channel operations, STREAM_ERROR_CODES)
 *   {"type":"pong"}
 * Order, per channel and socket (src/objects/stream-order.ts): `snapshot` or `nodata` first,
 * nothing before it; then updates whose `seq` grows by exactly one (or by `coalesced`); the
 * server never sends a hole: it sends a new `snapshot` instead. A jump larger than `coalesced`
 * therefore means a client-side loss, and the client should send `snapshot`.
 * `*:bias` subscribes to the bias of every tracked symbol (updates name their real channel).
 * `SYMBOL:heatmap` and `SYMBOL:levels` carry the default-query realized heatmap and estimated
 * levels (the shapes of src/protocol/liquidation.ts), recomputed each cycle only while some
 * relay wants them. The snapshot is the full map; an update carries either `patch`, a JSON
 * Merge Patch (RFC 7386, src/protocol/merge-patch.ts) of the value at `seq - 1`, or `data`, the
 * full value (after coalescing, or when a patch cannot express the change).
 * `SYMBOL:zones` carries the support/resistance zones (src/protocol/zones.ts), the full value
 * each cycle (a few zones: small), only while some relay wants them.
 * See docs/stream.md for limits and close codes.
 */
import { z } from "zod";

export const CHANNEL_KINDS = ["cards", "bias", "liquidations", "heatmap", "levels", "zones"] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];

/** Channel names: `SYMBOL:kind`, e.g. `BTCUSDT:bias`. */
export const ChannelSchema = z
  .string()
  .max(64)
  .regex(
    /^([0-9A-Z]{2,30}:(cards|bias|liquidations|heatmap|levels|zones)|\*:bias)$/,
    "a channel is SYMBOL:cards|bias|liquidations|heatmap|levels|zones or *:bias, e.g. BTCUSDT:bias",
  );

/** The wildcard channel: every tracked symbol's bias. */
export const ALL_BIAS = "*:bias";

export const MAX_CHANNELS_PER_MESSAGE = 100;

/** The `code` of an `error` message: the client's message was refused, the socket stays open. */
export const STREAM_ERROR_CODES = ["bad_json", "bad_message", "unknown_symbol", "too_many_channels", "not_subscribed", "rate_limited"] as const;
export type StreamErrorCode = (typeof STREAM_ERROR_CODES)[number];

export const ClientMessageSchema = z.discriminatedUnion("op", [
  z.object({ op: z.literal("subscribe"), channels: z.array(ChannelSchema).min(1).max(MAX_CHANNELS_PER_MESSAGE) }),
  z.object({ op: z.literal("unsubscribe"), channels: z.array(ChannelSchema).min(1).max(MAX_CHANNELS_PER_MESSAGE) }),
  z.object({ op: z.literal("snapshot"), channels: z.array(ChannelSchema).min(1).max(MAX_CHANNELS_PER_MESSAGE) }),
  z.object({ op: z.literal("ping") }),
]);
export type ClientMessage = z.infer<typeof ClientMessageSchema>;

/** A liquidation as stored and listed (newest first). */
export interface StoredLiquidation {
  ts: number;
  venue: string;
  side: "long" | "short";
  price: number;
  qty: number;
  notionalUsd: number;
  sampling: string;
}

/** One value for one channel, as the SymbolObject publishes it. */
export interface ChannelUpdate {
  channel: string;
  seq: number;
  /** The full value (relays keep it to answer snapshots and to send after coalescing). */
  data: unknown;
  /** Map channels: the RFC 7386 merge patch from the value at `seq - 1` to `data`. */
  patch?: Record<string, unknown>;
}

export type ServerMessage =
  | { type: "subscribed"; channels: string[] }
  | { type: "unsubscribed"; channels: string[] }
  | { type: "snapshot"; channel: string; seq: number; data: unknown }
  | { type: "nodata"; channel: string; reason: string }
  | { type: "update"; channel: string; seq: number; data: unknown; coalesced?: number }
  | { type: "update"; channel: string; seq: number; patch: Record<string, unknown> }
  | { type: "error"; code: StreamErrorCode; message: string }
  | { type: "pong" };

/**
 * Every message the server sends, for clients and tests that validate what they receive
 * (the `ServerMessage` type above, as a schema; unknown fields are allowed).
 */
export const ServerMessageSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("subscribed"), channels: z.array(z.string()) }),
  z.object({ type: z.literal("unsubscribed"), channels: z.array(z.string()) }),
  z.object({ type: z.literal("snapshot"), channel: z.string(), seq: z.number().int().nonnegative(), data: z.unknown() }),
  z.object({ type: z.literal("nodata"), channel: z.string(), reason: z.string().min(1) }),
  z.object({
    type: z.literal("update"),
    channel: z.string(),
    seq: z.number().int().positive(),
    data: z.unknown().optional(),
    patch: z.record(z.string(), z.unknown()).optional(),
    coalesced: z.number().int().min(2).optional(),
  }),
  z.object({ type: z.literal("error"), code: z.enum(STREAM_ERROR_CODES), message: z.string() }),
  z.object({ type: z.literal("pong") }),
]);

export function splitChannel(channel: string): { symbol: string; kind: ChannelKind } {
  const i = channel.lastIndexOf(":");
  return { symbol: channel.slice(0, i), kind: channel.slice(i + 1) as ChannelKind };
}
