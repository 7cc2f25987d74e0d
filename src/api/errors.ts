/** The API's one error type and its handler: every failure becomes `{"error":{"code","message"}}`. */
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { z } from "zod";
import { errorBody } from "../protocol/errors.js";

export class ApiError extends Error {
  /**
   * @param headers sent with the error response: `Allow` on a 405, `Retry-After` on a 429.
   */
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
  }
}

export function onApiError(err: Error, c: Context): Response {
  if (err instanceof ApiError) return c.json(errorBody(err.code, err.message), err.status, { ...err.headers });
  console.error("unhandled", err);
  return c.json(errorBody("internal", "internal error"), 500);
}

/** Parses query parameters with a zod schema; the first issue becomes a 400 naming the field. */
export function parseQuery<S extends z.ZodType>(schema: S, query: Record<string, string>): z.infer<S> {
  const parsed = schema.safeParse(query);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue.path.join(".") || "query";
  throw new ApiError(400, "bad_parameter", `${field}: ${issue.message}`);
}

/** A piece of the request (a method, a parameter name) fit to quote in an error message: at most `max` characters. */
export function quoted(raw: string, max = 40): string {
  return JSON.stringify(raw.length > max ? `${raw.slice(0, max)}…` : raw);
}
