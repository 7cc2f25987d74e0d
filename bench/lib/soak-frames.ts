/**
 * Reads a `/v1/stream` server frame for the soak without parsing its payload.
 *
 * A thousand subscribers receive tens of MB/s of JSON on the same two cores as the stack;
 * parsing every `data` (a cards update is ~90 KB) would make the soak measure itself. Channel
 * frames are written by the relay as `{"type","channel","seq","data"|"patch"[,"coalesced"]}`
 * (src/objects/stream-relay.ts `updateFrame`), so the head and the tail of the text carry all
 * the sequence check needs. Anything else, or a channel frame in another key order, is parsed
 * in full: the fast path is an optimisation, never a different answer.
 */
import type { ChannelFrame } from "./soak-sequence.js";

/** A frame as the soak sees it. */
export type ServerFrame =
  | { kind: "channel"; frame: ChannelFrame }
  | { kind: "other"; type: string; code?: string; message?: string };

const HEAD = /^\{"type":"(update|snapshot)","channel":"([^"\\]{1,80})","seq":(\d+),"(data|patch)":/;
// Only the outermost object can end in `"coalesced":N}`: a nested one would end in `}}`.
const TAIL = /,"coalesced":(\d+)\}$/;

/** Reads one text frame; throws on text that is not JSON. */
export function readServerFrame(text: string): ServerFrame {
  const head = HEAD.exec(text.slice(0, 160));
  if (head) {
    const frame: ChannelFrame = { type: head[1] as ChannelFrame["type"], channel: head[2], seq: Number(head[3]) };
    if (head[4] === "patch") frame.patch = true;
    if (frame.type === "update") {
      const tail = TAIL.exec(text.slice(-40));
      if (tail) frame.coalesced = Number(tail[1]);
    }
    return { kind: "channel", frame };
  }
  return readParsed(JSON.parse(text) as Record<string, unknown>);
}

function readParsed(m: Record<string, unknown>): ServerFrame {
  const type = String(m.type);
  if ((type === "update" || type === "snapshot") && typeof m.channel === "string" && typeof m.seq === "number") {
    const frame: ChannelFrame = { type, channel: m.channel, seq: m.seq };
    if (m.patch !== undefined) frame.patch = true;
    if (typeof m.coalesced === "number") frame.coalesced = m.coalesced;
    return { kind: "channel", frame };
  }
  const other: ServerFrame = { kind: "other", type };
  if (typeof m.code === "string") other.code = m.code;
  if (typeof m.message === "string") other.message = m.message;
  return other;
}
