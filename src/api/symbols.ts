/** `/v1/symbols` routes: the tracked list and each symbol's snapshot, cards, bias and liquidations. */
import { Hono } from "hono";
import { SYMBOLS } from "../domain/symbols.js";
import { BiasQuerySchema, LiquidationsQuerySchema } from "../protocol/http.js";
import { MODES, type SymbolSnapshot } from "../protocol/snapshot.js";
import { encodeLiquidationCursor } from "../protocol/liquidation-cursor.js";
import { ApiError, parseQuery } from "./errors.js";

type App = { Bindings: Env };

export function symbolObject(env: Env, symbol: string) {
  return env.SYMBOL_OBJECTS.get(env.SYMBOL_OBJECTS.idFromName(symbol));
}

export function trackedSymbol(raw: string): string {
  const symbol = raw.toUpperCase();
  if (!SYMBOLS.isTracked(symbol)) throw new ApiError(404, "unknown_symbol", `${raw} is not a tracked symbol; GET /v1/symbols lists them`);
  return symbol;
}

async function latestOrFail(env: Env, symbol: string): Promise<SymbolSnapshot> {
  const snapshot = await symbolObject(env, symbol).snapshot();
  if (!snapshot) throw new ApiError(503, "no_data", `${symbol} has no computed cycle yet; its feed has not delivered data`);
  return snapshot;
}

export const symbolRoutes = new Hono<App>()
  .get("/", async (c) => {
    const snapshots = await Promise.all(SYMBOLS.symbols.map((s) => symbolObject(c.env, s).snapshot()));
    const symbols = SYMBOLS.symbols.map((symbol, i) => {
      const s = snapshots[i];
      return {
        symbol,
        ts: s?.ts ?? null,
        price: s?.price ?? null,
        bias: Object.fromEntries(
          MODES.map((m) => {
            const b = s?.bias[m];
            return [m, b ? { score: b.score, confidence: b.confidence, direction: b.direction, ts: b.ts } : null];
          }),
        ),
      };
    });
    return c.json({ symbols });
  })
  .get("/:symbol", async (c) => c.json(await latestOrFail(c.env, trackedSymbol(c.req.param("symbol")))))
  .get("/:symbol/cards", async (c) => {
    const s = await latestOrFail(c.env, trackedSymbol(c.req.param("symbol")));
    return c.json({ symbol: s.symbol, ts: s.ts, cards: s.cards });
  })
  .get("/:symbol/bias", async (c) => {
    const symbol = trackedSymbol(c.req.param("symbol"));
    const { mode } = parseQuery(BiasQuerySchema, c.req.query());
    const s = await latestOrFail(c.env, symbol);
    if (mode === undefined) return c.json({ symbol, ts: s.ts, bias: s.bias });
    const bias = s.bias[mode];
    if (!bias) throw new ApiError(503, "no_data", `${symbol} has no ${mode} bias yet (it is computed every ${mode} cadence of event time)`);
    return c.json({ symbol, ...bias });
  })
  .get("/:symbol/liquidations", async (c) => {
    const symbol = trackedSymbol(c.req.param("symbol"));
    const { since, limit, cursor } = parseQuery(LiquidationsQuerySchema, c.req.query());
    const page = await symbolObject(c.env, symbol).liquidations(since, limit, cursor);
    const nextCursor = page.next === null ? null : encodeLiquidationCursor(page.next);
    return c.json({ symbol, since: since ?? null, limit, stored: page.stored, liquidations: page.liquidations, nextCursor });
  });
