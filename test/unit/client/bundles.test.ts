import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { buildClient } from "../../../scripts/build-client.js";

describe("browser bundles in public/", () => {
  it("are exactly what src/client builds to (run `npm run build:client` after changing it)", async () => {
    const bundles = await buildClient();
    expect(bundles.map((b) => b.path)).toEqual(["public/embed.js", "public/assets/dashboard.js", "public/assets/symbol.js"]);
    for (const b of bundles) {
      const committed = readFileSync(b.path, "utf8");
      expect(committed === b.text, `${b.path} is stale: run npm run build:client`).toBe(true);
    }
  });

  it("carry no schema library into the browser", async () => {
    for (const b of await buildClient()) expect(b.text).not.toMatch(/ZodError|_zod/);
  });
});
