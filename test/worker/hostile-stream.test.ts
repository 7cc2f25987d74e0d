/**
 * Hostile input, stream half (issue 14): a bounded, seeded fuzz of the `/v1/stream` protocol
 * against a real relay. Sockets send garbage text, JSON of every shape, binary frames, oversized
 * frames, valid-but-odd subscribes and unsubscribes (duplicates, `*:bias`, unknown symbols and
 * kinds, wrong types, extra fields), snapshots of channels they do not hold, and floods. Each
 * frame gets the answer a small model of the protocol predicts (an ack, a JSON `error` with a
 * known code, a pong) or the socket is closed by policy (1008 rate, 1009 size), never anything
 * else; and a healthy subscriber on the same relay receives every update, in sequence, before,
 * during and after, and still gets a real cycle through its SymbolObject at the end.
 */
import fc from "fast-check";
import { env, runInDurableObject, SELF } from "cloudflare:test";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SYMBOLS } from "../../src/domain/symbols.js";
import type { SymbolObject } from "../../src/objects/symbol-object.js";
import { CLIENT_BURST, MAX_CLIENT_MESSAGE_BYTES } from "../../src/objects/stream-relay.js";
import { ErrorBodySchema } from "../../src/protocol/errors.js";
import { ALL_BIAS, ClientMessageSchema, STREAM_ERROR_CODES, splitChannel, type StreamErrorCode } from "../../src/protocol/stream.js";
import { symbolStub, trade } from "./helpers.js";

const SEED = 20_261_214;
const RELAY = "relay-hostile";
const BASE = 1_699_999_800_000;
/** The healthy subscriber's channels: one fed by direct publishes, one by a real SymbolObject cycle. */
const FED = "WIFUSDT:zones";
const LIVE = "DOGEUSDT:bias";

/** One frame and what the model says the relay answers (null: nothing but snapshots). */
interface Case {
  frame: string | Uint8Array;
  expect: Answer | null;
}
type Answer = { type: "error"; code: StreamErrorCode } | { type: "subscribed" | "unsubscribed"; channels: string[] } | { type: "pong" } | { type: "close"; code: 1009 };

const known = fc.tuple(fc.constantFrom(...SYMBOLS.symbols), fc.constantFrom("cards", "bias", "liquidations", "heatmap", "levels", "zones")).map(([s, k]) => `${s}:${k}`);
const channel = fc.oneof(
  { weight: 6, arbitrary: known },
  { weight: 2, arbitrary: fc.constant(ALL_BIAS) },
  { weight: 1, arbitrary: fc.constantFrom("NOPEUSDT:bias", "ZZ:cards", "BTCUSDT:nope", "btcusdt:bias", "*:cards", "BTCUSDT", ":bias", "", "BTCUSDT:bias ", "A".repeat(70) + ":bias", "ＢＴＣ:bias") },
  { weight: 1, arbitrary: fc.string({ maxLength: 12, unit: "grapheme" }) },
);
const message = fc.oneof(
  { weight: 6, arbitrary: fc.record({ op: fc.constantFrom("subscribe", "unsubscribe", "snapshot"), channels: fc.array(channel, { maxLength: 5 }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constantFrom("subscribe", "ping", "nope", "SUBSCRIBE", 1, null), channels: fc.oneof(fc.array(channel, { maxLength: 3 }), fc.string(), fc.integer()), extra: fc.jsonValue() }, { requiredKeys: ["op"] }) },
  { weight: 1, arbitrary: fc.constant({ op: "subscribe", channels: Array.from({ length: 101 }, (_, i) => SYMBOLS.symbols[i % 21] + ":bias") }) },
  { weight: 1, arbitrary: fc.jsonValue() },
);
const frame = fc.oneof(
  { weight: 8, arbitrary: message.map((m) => JSON.stringify(m)) },
  { weight: 2, arbitrary: fc.string({ maxLength: 200, unit: "grapheme" }) },
  { weight: 1, arbitrary: fc.constantFrom("{", "[", "null", '{"op":"ping"', "\u0000", '{"op":"ping"}{"op":"ping"}') },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 64 }) },
  { weight: 1, arbitrary: fc.constantFrom("x".repeat(MAX_CLIENT_MESSAGE_BYTES + 1), JSON.stringify({ op: "subscribe", channels: ["BTCUSDT:bias"], pad: " ".repeat(MAX_CLIENT_MESSAGE_BYTES) })) },
);

/**
 * What the relay answers a run of frames on a fresh socket (the protocol of
 * src/protocol/stream.ts, in the relay's order of checks); stops at a close.
 */
function model(frames: Array<string | Uint8Array>): Case[] {
  const held = new Set<string>();
  let operations = 250;
  const cases: Case[] = [];
  for (const f of frames) {
    const answer = answerOf(f, held, (cost) => (operations >= cost ? ((operations -= cost), true) : false));
    cases.push({ frame: f, expect: answer });
    if (answer?.type === "close") break;
  }
  return cases;
}

function answerOf(f: string | Uint8Array, held: Set<string>, spend: (cost: number) => boolean): Answer | null {
  const size = typeof f === "string" ? f.length : f.byteLength;
  if (size > MAX_CLIENT_MESSAGE_BYTES) return { type: "close", code: 1009 };
  if (typeof f !== "string") return { type: "error", code: "bad_message" };
  let json: unknown;
  try {
    json = JSON.parse(f);
  } catch {
    return { type: "error", code: "bad_json" };
  }
  const parsed = ClientMessageSchema.safeParse(json);
  if (!parsed.success) return { type: "error", code: "bad_message" };
  const msg = parsed.data;
  if (msg.op === "ping") return { type: "pong" };
  const channels = [...new Set(msg.channels)];
  if (channels.some((c) => c !== ALL_BIAS && !SYMBOLS.isTracked(splitChannel(c).symbol))) return { type: "error", code: "unknown_symbol" };
  if (!spend(channels.reduce((n, c) => n + (c === ALL_BIAS ? SYMBOLS.symbols.length : 1), 0))) return { type: "error", code: "rate_limited" };
  if (msg.op === "snapshot") {
    const holds = (c: string) => held.has(c) || (c.endsWith(":bias") && held.has(ALL_BIAS));
    return channels.every(holds) ? null : { type: "error", code: "not_subscribed" };
  }
  for (const c of channels) (msg.op === "subscribe" ? held.add(c) : held.delete(c));
  return { type: msg.op === "subscribe" ? "subscribed" : "unsubscribed", channels };
}

interface Socket {
  ws: WebSocket;
  messages: any[];
  closed: Promise<{ code: number; reason: string }>;
  isClosed: () => boolean;
  /** Resolves when `done(messages)` holds or the socket closed. */
  until: (done: (messages: any[]) => boolean) => Promise<void>;
}

function relayStub() {
  return env.STREAM_RELAY.get(env.STREAM_RELAY.idFromName(RELAY));
}

async function open(): Promise<Socket> {
  const res = await relayStub().fetch("https://liqflow.test/v1/stream", { headers: { Upgrade: "websocket", "X-Liqflow-Relay": RELAY } });
  if (res.status !== 101 || !res.webSocket) throw new Error(`relay upgrade answered ${res.status}`);
  const ws = res.webSocket;
  const messages: any[] = [];
  const waiters: Array<() => void> = [];
  let isClosed = false;
  const wake = () => waiters.splice(0).forEach((w) => w());
  const closed = new Promise<{ code: number; reason: string }>((r) =>
    ws.addEventListener("close", (e) => {
      isClosed = true;
      r({ code: e.code, reason: e.reason });
      wake();
    }),
  );
  ws.accept();
  ws.addEventListener("message", (e) => {
    // Every server frame is JSON text; anything else is kept as is and fails the checks.
    messages.push(typeof e.data === "string" ? JSON.parse(e.data) : { type: "binary" });
    wake();
  });
  // Waits for a condition (5 s means the answer never comes: the check after it then fails with the difference).
  const until = async (done: (m: any[]) => boolean) => {
    const deadline = Date.now() + 5_000;
    while (!done(messages) && !isClosed && Date.now() < deadline) {
      await new Promise<void>((r) => {
        waiters.push(r);
        setTimeout(r, 100);
      });
    }
  };
  return { ws, messages, closed, isClosed: () => isClosed, until };
}

/** The answers that are not a channel's values (snapshot, nodata, update), as the model writes them. */
function answers(messages: any[]): Answer[] {
  return messages
    .filter((m) => m.type !== "snapshot" && m.type !== "nodata" && m.type !== "update")
    .map((m) => (m.type === "error" ? { type: "error", code: m.code } : m.type === "pong" ? { type: "pong" } : { type: m.type, channels: m.channels }));
}

let healthy: Socket;
let fedSeq = 0;

/** Publishes the next FED update to the relay, as a SymbolObject would. */
async function publishFed(): Promise<void> {
  fedSeq++;
  await relayStub().publish([{ channel: FED, seq: fedSeq, data: { n: fedSeq } }]);
}

beforeAll(async () => {
  await symbolStub("DOGEUSDT").ingest("DOGEUSDT", { source: "hostile", events: [trade("DOGEUSDT", BASE + 1_000, 0.1, 100, "buy"), trade("DOGEUSDT", BASE + 11_000, 0.1, 10, "sell")], seqs: [1, 2] });
  healthy = await open();
  healthy.ws.send(JSON.stringify({ op: "subscribe", channels: [FED, LIVE] }));
  await healthy.until((m) => m.some((x) => x.type === "snapshot" && x.channel === LIVE));
});

afterAll(() => {
  healthy?.ws.close();
});

describe("/v1/stream under hostile clients", () => {
  it("answers every fuzzed frame as the protocol says (an ack, a JSON error with a known code, a pong) or closes by policy", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(frame, { minLength: 1, maxLength: 8 }), async (frames) => {
        const cases = model(frames);
        const socket = await open();
        // One answered frame at a time: the test pool's Durable Object wrapper can reorder
        // messages that are in flight together (production delivers a socket's frames in order).
        const expected: Answer[] = [];
        for (const c of cases) {
          socket.ws.send(c.frame);
          if (c.expect === null || c.expect.type === "close") continue;
          expected.push(c.expect);
          await socket.until((m) => answers(m).length >= expected.length);
        }
        const closing = cases.at(-1)?.expect?.type === "close";
        // A ping the object itself answers (the runtime's auto-response only matches `{"op":"ping"}`) ends the run.
        if (!closing) {
          socket.ws.send(`{"op": "ping"}`);
          expected.push({ type: "pong" });
        }
        await socket.until((m) => answers(m).length >= expected.length);
        // The runtime answers an exact `{"op":"ping"}` itself, ahead of the object: pongs are counted, the rest is in order.
        const got = answers(socket.messages);
        expect(got.filter((a) => a.type !== "pong")).toEqual(expected.filter((a) => a.type !== "pong"));
        expect(got.filter((a) => a.type === "pong").length).toBe(expected.filter((a) => a.type === "pong").length);
        for (const m of socket.messages) {
          expect(["subscribed", "unsubscribed", "snapshot", "nodata", "update", "error", "pong"]).toContain(m.type);
          if (m.type === "error") expect(STREAM_ERROR_CODES).toContain(m.code);
        }
        if (closing) expect((await socket.closed).code).toBe(1009);
        else socket.ws.close();
        await publishFed();
      }),
      { seed: SEED, numRuns: 60 },
    );
  }, 120_000);

  it("closes a flooding socket with 1008 and answers none of the frames it sent after its budget", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 2 * CLIENT_BURST, max: 200 }), fc.array(fc.constantFrom(`{"op":"subscribe","channels":["*:bias"]}`, "{", `{"op":"snapshot","channels":["BTCUSDT:cards"]}`, `{"op": "ping"}`), { minLength: 1, maxLength: 4 }), async (count, mix) => {
        const before = await relayStub().stats();
        const socket = await open();
        for (let i = 0; i < count; i++) socket.ws.send(mix[i % mix.length]);
        const { code, reason } = await socket.closed;
        expect(code).toBe(1008);
        expect(reason).toMatch(/rate limit/);
        // At most the burst (and what refilled meanwhile) was answered, never one answer per frame;
        // the frames after the close reached the relay and were dropped unread.
        expect(answers(socket.messages).length).toBeLessThan(count);
        let after = await relayStub().stats();
        for (let i = 0; i < 250 && after.frames.received - before.frames.received < count; i++) {
          await new Promise((r) => setTimeout(r, 20));
          after = await relayStub().stats();
        }
        expect(after.frames.received - before.frames.received).toBe(count);
        expect(after.frames.dropped - before.frames.dropped).toBeGreaterThanOrEqual(count - 2 * CLIENT_BURST);
        await publishFed();
      }),
      { seed: SEED, numRuns: 8 },
    );
  }, 60_000);

  it("answers odd upgrade requests at the route with 101, or 426/429 and a JSON error, never a 5xx", async () => {
    const header = fc.oneof(fc.string({ maxLength: 40 }), fc.constantFrom("", "a".repeat(4_000), "203.0.113.5", "::1", "1.2.3.4, 5.6.7.8"));
    await fc.assert(
      fc.asyncProperty(fc.constantFrom("websocket", "WebSocket", "WEBSOCKET", "", "h2c", "websocket, foo"), header, async (upgrade, address) => {
        const headers = new Headers();
        if (upgrade !== "") headers.set("Upgrade", upgrade);
        headers.set("CF-Connecting-IP", address.replace(/[^\x20-\x7e]/g, "").trim());
        const res = await SELF.fetch("https://liqflow.test/v1/stream", { headers });
        if (res.status === 101) {
          res.webSocket!.accept();
          res.webSocket!.close();
          return;
        }
        expect([426, 429]).toContain(res.status);
        expect(ErrorBodySchema.safeParse(await res.json()).success).toBe(true);
      }),
      { seed: SEED, numRuns: 40 },
    );
  }, 60_000);

  it("keeps the healthy subscriber on the same relay fed: every update in sequence, and a real cycle afterwards", async () => {
    await publishFed();
    await healthy.until((m) => m.some((x) => x.type === "update" && x.channel === FED && x.seq === fedSeq));
    expect(healthy.isClosed()).toBe(false);
    // FED had no data when subscribed: nodata, then its first value as a snapshot, then every update.
    const fed = healthy.messages.filter((m) => m.channel === FED);
    expect(fed[0]).toMatchObject({ type: "nodata" });
    expect(fed[1]).toMatchObject({ type: "snapshot", seq: 1 });
    expect(fed.slice(1).map((m) => m.seq)).toEqual(Array.from({ length: fedSeq }, (_, i) => i + 1));
    expect(fed.slice(2).every((m) => m.type === "update" && m.coalesced === undefined)).toBe(true);

    // The relay is still registered with DOGEUSDT's SymbolObject (hostile unsubscribes and closes withdrew only their own interest).
    const relays = await runInDurableObject(symbolStub("DOGEUSDT"), (async (instance: SymbolObject) => ({ ...(instance as any).publisher.relayKinds })) as unknown as (i: SymbolObject) => Promise<Record<string, string[]>>);
    expect(relays[RELAY]).toContain("bias");
    const snapshot = healthy.messages.find((m) => m.type === "snapshot" && m.channel === LIVE);
    await symbolStub("DOGEUSDT").ingest("DOGEUSDT", { source: "hostile", events: [trade("DOGEUSDT", BASE + 21_000, 0.11, 10, "buy")], seqs: [3] });
    await healthy.until((m) => m.some((x) => x.type === "update" && x.channel === LIVE));
    expect(healthy.messages.find((m) => m.type === "update" && m.channel === LIVE)).toMatchObject({ seq: snapshot.seq + 1, data: { symbol: "DOGEUSDT", ts: BASE + 20_000 } });
  });
});
