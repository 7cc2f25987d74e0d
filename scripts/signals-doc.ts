/** `npm run docs:signals`: writes docs/signals.md from the card registry (see scripts/lib/signals-doc.ts). */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { DEFAULT_REGISTRY } from "../src/domain/cards/registry.js";
import { renderSignalsDoc } from "./lib/signals-doc.js";

const path = join(process.cwd(), "docs/signals.md");
writeFileSync(path, renderSignalsDoc(DEFAULT_REGISTRY));
process.stderr.write(`docs:signals: wrote docs/signals.md (${DEFAULT_REGISTRY.cards.length} cards)\n`);
