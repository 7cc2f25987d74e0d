/**
 * `/v1/health`: the truth about every stream. The collector reports what it read (messages,
 * events, ignored and rejected by reason, last event time, replay position); each
 * SymbolObject reports what it applied (events by kind, duplicates dropped, last event and
 * cycle time, book sync state, stored liquidations). `clock` says whether the data is a replay or
 * live, the event time reached and, for a replay, the recording's real date and the loop
 * (src/protocol/clock.ts; null when the collector is unreachable).
 */
import { Hono } from "hono";
import { SYMBOLS } from "../domain/symbols.js";
import { symbolObject } from "./symbols.js";
import { clockOf } from "./clock.js";

type App = { Bindings: Env };

export const healthRoutes = new Hono<App>().get("/", async (c) => {
  const [collector, symbols] = await Promise.all([
    c.env.COLLECTOR.health().then(
      (h) => ({ reachable: true as const, ...h }),
      (err: unknown) => ({ reachable: false as const, error: String(err) }),
    ),
    Promise.all(SYMBOLS.symbols.map((s) => symbolObject(c.env, s).health())),
  ]);
  const engine = Object.fromEntries(
    symbols.map((h, i) => {
      const { symbol: _symbol, ...rest } = h;
      return [SYMBOLS.symbols[i], rest];
    }),
  );
  const status = collector.reachable ? "ok" : "degraded";
  const clock = collector.reachable ? clockOf(collector) : null;
  return c.json({ status, clock, collector, engine });
});
