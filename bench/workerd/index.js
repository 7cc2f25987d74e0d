/**
 * The baseline Worker of the workerd rows of the side-by-side table (bench/workerd-rows.ts). It
 * runs in the same workerd process as the engine (multi-config `wrangler dev`), so each baseline
 * shares the runtime, the thread and the machine with the path it is set against:
 *
 *   GET  /hello                          hello world: the runtime's floor for an HTTP read
 *   PUT  /sets/:id                       keeps ingest batches (one JSON text per line) in this isolate
 *   POST /ingest?target=&set=&symbol=    sends every batch of a set, one after another, to a fresh
 *                                        object: `engine` = the engine's SymbolObject through its real
 *                                        `ingest` RPC, the batch in the form the collector sends
 *                                        (`onTheWire`: its events as JSON text, made before the
 *                                        clock starts), `bare` = BareIngest, which parses the same
 *                                        text and does nothing else, `bare-rpc` = the batch parsed here
 *                                        and handed to BareIngest as an object (the RPC's transport
 *                                        floor); answers counts and the time taken
 *   GET  /broadcast (WebSocket upgrade)  a client of BareBroadcaster
 *   POST /broadcast                      BareBroadcaster sends the body's bytes to every client
 *
 * Plain JavaScript on purpose: the repository's Node tsconfig type-checks everything under
 * bench/ with Node types, and this file runs only in workerd. Never deployed.
 */
import { DurableObject } from "cloudflare:workers";

/** Batch sets loaded by PUT /sets/:id: id → JSON texts of `IngestBatch` (src/protocol/ingest.ts). */
const sets = new Map();

const json = (value, status = 200) => new Response(JSON.stringify(value), { status, headers: { "content-type": "application/json" } });

/** A Durable Object that parses an ingest batch and answers how many events it held: the floor of ingest. */
export class BareIngest extends DurableObject {
  /** @param {string} text one batch as JSON */
  async parse(text) {
    return JSON.parse(text).events.length;
  }

  /** The transport floor of the real RPC: the batch arrives as an object (structured clone), as `SymbolObject.ingest`'s does. */
  async count(batch) {
    return batch.events.length;
  }
}

/**
 * A Durable Object that holds WebSockets through the hibernation API, as the stream relays do,
 * and sends a given byte string to each (each send in its own try/catch, as the relays do).
 */
export class BareBroadcaster extends DurableObject {
  async fetch() {
    const pair = new WebSocketPair();
    this.ctx.acceptWebSocket(pair[1]);
    return new Response(null, { status: 101, webSocket: pair[0] });
  }

  /** @param {string} text the frame; answers how many sockets it was sent to */
  async broadcast(text) {
    let sent = 0;
    for (const ws of this.ctx.getWebSockets()) {
      try {
        ws.send(text);
        sent++;
      } catch {
        // a socket closing: it is skipped alone
      }
    }
    return sent;
  }

  async sockets() {
    return this.ctx.getWebSockets().length;
  }

  async webSocketMessage() {}

  async webSocketClose(ws, code) {
    try {
      ws.close(code === 1005 ? 1000 : code, "bye");
    } catch {
      // already closed
    }
  }
}

/** Sends each batch of `texts` to a fresh object of `target`, in order, each after the previous one's answer. */
async function runIngest(env, target, texts, symbol) {
  let accepted = 0;
  let events = 0;
  const started = Date.now();
  if (target === "engine") {
    const stub = env.SYMBOL_OBJECTS.get(env.SYMBOL_OBJECTS.newUniqueId());
    // As the collector sends a batch (src/protocol/ingest.ts onTheWire), built before the clock starts.
    const wire = texts.map((text) => {
      const { events: list, ...rest } = JSON.parse(text);
      return { n: list.length, request: { ...rest, eventsJson: JSON.stringify(list) } };
    });
    const t0 = Date.now();
    for (const { n, request } of wire) {
      events += n;
      const result = await stub.ingest(symbol, request);
      accepted += result.accepted;
    }
    return { target, batches: texts.length, events, accepted, ms: Date.now() - t0 };
  } else if (target === "bare-rpc") {
    const stub = env.BARE_INGEST.get(env.BARE_INGEST.newUniqueId());
    for (const text of texts) {
      const n = await stub.count(JSON.parse(text));
      events += n;
      accepted += n;
    }
  } else {
    const stub = env.BARE_INGEST.get(env.BARE_INGEST.newUniqueId());
    for (const text of texts) {
      const n = await stub.parse(text);
      events += n;
      accepted += n;
    }
  }
  // Date.now() advances across the awaited RPCs (I/O), so this is the loop's wall time to the ms.
  return { target, batches: texts.length, events, accepted, ms: Date.now() - started };
}

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    const path = url.pathname;
    if (path === "/hello") return json({ hello: "world" });
    if (path.startsWith("/sets/") && request.method === "PUT") {
      const texts = (await request.text()).split("\n").filter((l) => l.length > 0);
      sets.set(path.slice("/sets/".length), texts);
      return json({ batches: texts.length });
    }
    if (path === "/ingest" && request.method === "POST") {
      const target = url.searchParams.get("target");
      const texts = sets.get(url.searchParams.get("set") ?? "");
      if (texts === undefined) return json({ error: "no such set (PUT /sets/:id first, in this isolate)" }, 404);
      if (target !== "engine" && target !== "bare" && target !== "bare-rpc") return json({ error: "target must be engine, bare or bare-rpc" }, 400);
      return json(await runIngest(env, target, texts, url.searchParams.get("symbol") ?? "BTCUSDT"));
    }
    const broadcaster = env.BARE_BROADCASTER.get(env.BARE_BROADCASTER.idFromName("bench"));
    if (path === "/broadcast" && request.headers.get("Upgrade")?.toLowerCase() === "websocket") return broadcaster.fetch(request);
    if (path === "/broadcast" && request.method === "POST") return json({ sent: await broadcaster.broadcast(await request.text()) });
    if (path === "/broadcast/sockets") return json({ sockets: await broadcaster.sockets() });
    return json({ error: "no such endpoint" }, 404);
  },
};
