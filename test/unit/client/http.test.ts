import { createServer, type IncomingMessage, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isNotAvailable, LiqflowError, LiqflowHttp } from "../../../src/client/http.js";

let server: Server;
let base = "";
const seen: { url: string; inm?: string }[] = [];

beforeAll(async () => {
  server = createServer((req: IncomingMessage, res) => {
    seen.push({ url: req.url!, inm: req.headers["if-none-match"] as string | undefined });
    const json = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { "Content-Type": "application/json", ...headers });
      res.end(JSON.stringify(body));
    };
    const url = new URL(req.url!, "http://x");
    if (url.pathname === "/v1/symbols") {
      if (req.headers["if-none-match"] === '"v1"') {
        res.writeHead(304, { ETag: '"v1"' });
        return res.end();
      }
      return json(200, { symbols: [{ symbol: "BTCUSDT", ts: 10_000, price: 61702.7, bias: { scalp: null, day: null, swing: null } }] }, { ETag: '"v1"' });
    }
    if (url.pathname === "/v1/symbols/NOPEUSDT") return json(404, { error: { code: "unknown_symbol", message: "NOPEUSDT is not a tracked symbol" } });
    if (url.pathname === "/v1/symbols/BTCUSDT/liquidations") return json(200, { symbol: "BTCUSDT", since: null, limit: Number(url.searchParams.get("limit")), stored: 0, liquidations: [] });
    if (url.pathname === "/v1/symbols/BTCUSDT/heatmap") return json(404, { error: { code: "not_found", message: "no such endpoint" } });
    if (url.pathname === "/v1/broken") {
      res.writeHead(502, { "Content-Type": "text/html" });
      return res.end("<html>bad gateway</html>");
    }
    json(404, { error: { code: "not_found", message: "no such endpoint" } });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const address = server.address();
  base = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
});

afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe("LiqflowHttp", () => {
  it("reads typed JSON and leaves undefined query values out", async () => {
    const http = new LiqflowHttp(`${base}/some/page`);
    const { symbols } = await http.symbols();
    expect(symbols[0]).toEqual({ symbol: "BTCUSDT", ts: 10_000, price: 61702.7, bias: { scalp: null, day: null, swing: null } });
    const liq = await http.liquidations("BTCUSDT", { limit: 5, since: undefined });
    expect(liq.limit).toBe(5);
    expect(seen.at(-1)!.url).toBe("/v1/symbols/BTCUSDT/liquidations?limit=5");
  });

  it("turns the API's error body into a LiqflowError with status and code", async () => {
    const http = new LiqflowHttp(base);
    const err = await http.snapshot("NOPEUSDT").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LiqflowError);
    expect(err).toMatchObject({ status: 404, code: "unknown_symbol", message: "NOPEUSDT is not a tracked symbol" });
    expect(isNotAvailable(err)).toBe(false);
  });

  it("recognises an endpoint the engine does not serve", async () => {
    const err = await new LiqflowHttp(base).heatmap("BTCUSDT").catch((e: unknown) => e);
    expect(isNotAvailable(err)).toBe(true);
  });

  it("reports a non-JSON answer and an unreachable host without a stack of parse errors", async () => {
    const http = new LiqflowHttp(base);
    await expect(http.get("/v1/broken")).rejects.toMatchObject({ status: 502, code: "bad_response" });
    await expect(new LiqflowHttp("http://127.0.0.1:9").symbols()).rejects.toMatchObject({ status: 0, code: "network_error" });
  });

  it("revalidates with the ETag when asked to and returns the kept body on 304", async () => {
    const http = new LiqflowHttp(base, { etag: true });
    const a = await http.symbols();
    const b = await http.symbols();
    expect(b).toEqual(a);
    expect(seen.slice(-2).map((s) => s.inm)).toEqual([undefined, '"v1"']);
  });
});
