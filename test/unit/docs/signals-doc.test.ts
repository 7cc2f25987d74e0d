import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DEFAULT_REGISTRY } from "../../../src/domain/cards/registry.js";
import { renderSignalsDoc } from "../../../scripts/lib/signals-doc.js";

describe("docs/signals.md", () => {
  it("is what the registry generates (run `npm run docs:signals` after changing a card)", () => {
    const committed = readFileSync(join(process.cwd(), "docs/signals.md"), "utf8");
    expect(committed).toBe(renderSignalsDoc(DEFAULT_REGISTRY));
  });

  it("lists every card with its formula, units, feeds and what sets it apart, under its category", () => {
    const doc = renderSignalsDoc(DEFAULT_REGISTRY);
    for (const card of DEFAULT_REGISTRY.cards) {
      const at = doc.indexOf(`### \`${card.id}\``);
      expect(at, card.id).toBeGreaterThan(doc.indexOf(`## \`${card.category}\``));
      const section = doc.slice(at, doc.indexOf("\n### ", at + 1) < 0 ? undefined : doc.indexOf("\n### ", at + 1));
      expect(section).toContain(card.formula);
      expect(section).toContain(`- value: ${card.units}`);
      expect(section).toContain(`- feeds: ${card.feeds.join(", ")}`);
      expect(section).toContain(card.differs);
    }
  });
});
