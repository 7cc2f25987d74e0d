/**
 * Method and body limits, decided before any request body is read.
 *
 * Every public route is a read: `GET` and `HEAD`, plus `OPTIONS` under `/v1` for CORS
 * preflights. Any other method gets `405` with an `Allow` header from the first middleware,
 * so a large body is never read, buffered or handed on. (Today's reason: under `wrangler dev`,
 * an 8 MB POST that reached the assets binding made the dev proxy lose the connection and
 * wrangler exit, taking the whole stack down.)
 *
 * The only route that takes a body is the development ingest route
 * (`POST /internal/ingest/:symbol`, src/api/dev.ts). It exists only when `LIQFLOW_DEV_ROUTES=1`
 * and the request is addressed to a loopback host; otherwise every `/internal/*` request is a
 * 404 for any method, also before its body is read. Its body is capped at
 * {@link MAX_INGEST_BODY_BYTES}: a declared `Content-Length` above the cap is refused at once,
 * a streamed body without one is counted as it arrives and refused when it passes the cap
 * (Hono's `bodyLimit`), both as `413`.
 */
import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { ApiError, quoted } from "./errors.js";

/** What a read route answers. */
export const READ_METHODS = ["GET", "HEAD"] as const;
/** `/v1` also answers CORS preflights. */
export const API_METHODS = ["GET", "HEAD", "OPTIONS"] as const;
/** The development ingest route. */
export const INGEST_METHODS = ["POST"] as const;

/**
 * Largest ingest batch body (bytes). The collector sends at most 500 events a batch; a trade is
 * ≈ 170 bytes of JSON and a 1,000-level book snapshot ≈ 40 KB, so 1 MiB holds any real batch
 * with room to spare and keeps a hostile one from being buffered whole.
 */
export const MAX_INGEST_BODY_BYTES = 1024 * 1024;

/** What the method guard needs from the Worker's env. */
export interface LimitBindings {
  /** "1" mounts `/internal/*` (development only). */
  LIQFLOW_DEV_ROUTES?: string;
}

/** Hosts the development routes answer on: the machine itself, never a deployed hostname. */
const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]"]);

/** Whether `/internal/*` is mounted for this request: the variable is on and the request came to a loopback host. */
export function devRoutesEnabled(env: LimitBindings, url: string): boolean {
  return env.LIQFLOW_DEV_ROUTES === "1" && LOOPBACK_HOSTS.has(new URL(url).hostname);
}

/**
 * The methods `path` answers, or null when nothing is there for any method (the development
 * routes while they are off).
 */
export function allowedMethods(path: string, devRoutes: boolean): readonly string[] | null {
  if (path === "/internal" || path.startsWith("/internal/")) return devRoutes ? INGEST_METHODS : null;
  if (path === "/v1" || path.startsWith("/v1/")) return API_METHODS;
  return READ_METHODS;
}

/**
 * The first middleware: `405` (with `Allow`) for a method the path does not answer, `404` for
 * `/internal/*` while the development routes are off; in both cases the body is left unread.
 */
export function methodGuard<E extends { Bindings: LimitBindings }>(): MiddlewareHandler<E> {
  return async (c, next) => {
    const allowed = allowedMethods(c.req.path, devRoutesEnabled(c.env, c.req.url));
    if (allowed === null) throw new ApiError(404, "not_found", "no such endpoint");
    const method = c.req.method;
    if (!allowed.includes(method)) {
      const allow = allowed.join(", ");
      throw new ApiError(405, "method_not_allowed", `${quoted(method, 16)} is not allowed here; this path answers ${allow}`, { Allow: allow });
    }
    await next();
  };
}

/** Caps a route's request body at `maxBytes` with a `413` JSON error (see the module comment). */
export function bodyCap(maxBytes: number): MiddlewareHandler {
  return bodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw new ApiError(413, "body_too_large", `the request body is larger than ${maxBytes} bytes`);
    },
  });
}
