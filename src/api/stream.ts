/** `/v1/stream`: hands the WebSocket upgrade to the stream relay (see src/protocol/stream.ts). */
import { Hono } from "hono";
import { ApiError } from "./errors.js";

type App = { Bindings: Env };

export const streamRoutes = new Hono<App>().get("/", async (c) => {
  if (c.req.header("Upgrade")?.toLowerCase() !== "websocket") {
    throw new ApiError(426, "upgrade_required", "GET /v1/stream expects a WebSocket upgrade");
  }
  const relay = c.env.STREAM_RELAY.get(c.env.STREAM_RELAY.idFromName("relay-0"));
  return relay.fetch(c.req.raw);
});
