/**
 * Headers every response carries: `X-Content-Type-Options: nosniff`, so a browser never reads a
 * JSON body (or a static file) as anything but its declared type. Pages add their own
 * Content-Security-Policy (src/api/pages.ts). A WebSocket upgrade (101) is left as it is.
 */
import type { MiddlewareHandler } from "hono";

export function securityHeaders(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    if (c.res.status === 101 || c.res.headers.get("X-Content-Type-Options") === "nosniff") return;
    try {
      c.res.headers.set("X-Content-Type-Options", "nosniff");
    } catch {
      // A response straight from a binding has immutable headers: copy it first.
      const copy = new Response(c.res.body, c.res);
      copy.headers.set("X-Content-Type-Options", "nosniff");
      c.res = undefined as unknown as Response;
      c.res = copy;
    }
  };
}
