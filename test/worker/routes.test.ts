import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";

describe("routes", () => {
  it("answers an unknown symbol with 404 and a JSON error", async () => {
    const res = await SELF.fetch("https://liqflow.test/v1/symbols/NOPEUSDT");
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: { code: "unknown_symbol", message: expect.stringContaining("NOPEUSDT") } });
  });
});
