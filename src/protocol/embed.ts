/**
 * The score widget's embed vocabulary: the values its `mode`, `theme` and `size` options take and
 * the shape of a site key. Shared by the engine's page routes (`/embed/:symbol`, the embed policy
 * in src/api/pages.ts) and the browser widget and dashboard (src/client/embed.ts), so the server
 * and the browser accept exactly the same values without the server importing browser code.
 */
import type { Mode } from "../domain/vocabulary.js";

export const EMBED_MODES = ["scalp", "day", "swing"] as const satisfies readonly Mode[];
export const EMBED_THEMES = ["light", "dark"] as const;
export const EMBED_SIZES = ["compact", "full"] as const;
export type EmbedTheme = (typeof EMBED_THEMES)[number];
export type EmbedSize = (typeof EMBED_SIZES)[number];

/** Site keys: letters, digits, `_` and `-`, 4..64 characters. */
export const SITE_KEY_PATTERN = /^[A-Za-z0-9_-]{4,64}$/;
