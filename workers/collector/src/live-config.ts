/**
 * The live mode's settings, from the collector's environment (wrangler.toml `[vars]`,
 * overridden by `.dev.vars`, which `npm run start:live` writes from its own environment).
 * Checked once, with messages naming the variable. Pure: takes a plain record of strings.
 *
 * | variable | default | meaning |
 * |---|---|---|
 * | `LIQFLOW_VENUES` | all four | venues to connect to, comma-separated |
 * | `LIQFLOW_SYMBOLS` | all tracked | unified symbols to subscribe per instrument (venue-wide topics such as liquidations still cover every tracked symbol) |
 * | `<VENUE>_WS_URL`, `<VENUE>_REST_URL` | the venue's public URLs | e.g. `BINANCE_WS_URL=ws://127.0.0.1:9000` for a local venue |
 * | `RAW_CAPTURE` | `0` | `1` stores every raw frame and REST response in the RAW_CAPTURE bucket |
 * | `RAW_CAPTURE_CHUNK_MINUTES` | `10` | a capture object closes after this many minutes… |
 * | `RAW_CAPTURE_CHUNK_MB` | `8` | …or this many MB (uncompressed), whichever comes first |
 * | `INSURANCE_POLL_SECONDS` | `60` | period of the insurance-fund polls (Bybit, OKX per instrument family, Binance), 10..86400 |
 * | `BRACKETS_POLL_SECONDS` | `3600` | period of the maintenance-margin tier polls (Bybit per instrument, OKX per family), 60..86400 |
 */
import { VENUES, type Venue } from "@liqflow/engine/domain/events.js";
import { SYMBOLS } from "@liqflow/engine/domain/symbols.js";
import { urlOverrideNames } from "@liqflow/engine/exchanges/connections.js";

export interface LiveConfig {
  venues: Venue[];
  symbols: string[];
  /** Overrides per venue; absent: the spec's public URLs. */
  urls: Partial<Record<Venue, { ws?: string; rest?: string }>>;
  rawCapture: { enabled: boolean; chunkMs: number; chunkChars: number };
  /** Period of the insurance-fund polls, ms. */
  insurancePollMs: number;
  /** Period of the maintenance-margin tier polls, ms. */
  bracketsPollMs: number;
}

export type EnvStrings = Readonly<Record<string, unknown>>;

function str(env: EnvStrings, name: string): string | undefined {
  const v = env[name];
  if (typeof v !== "string") return undefined;
  const t = v.trim();
  return t === "" ? undefined : t;
}

function list(value: string): string[] {
  return value.split(/[\s,]+/).filter((s) => s !== "");
}

function positive(env: EnvStrings, name: string, fallback: number): number {
  const raw = str(env, name);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number, got "${raw}"`);
  return n;
}

function url(env: EnvStrings, name: string, schemes: readonly string[]): string | undefined {
  const raw = str(env, name);
  if (raw === undefined) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new Error(`${name} must be a URL, got "${raw}"`);
  }
  if (!schemes.includes(parsed.protocol)) throw new Error(`${name} must be a ${schemes.join(" or ")} URL, got "${raw}"`);
  return raw.replace(/\/+$/, "");
}

/** Reads and checks the live settings; throws with a message naming the bad variable. */
export function parseLiveConfig(env: EnvStrings): LiveConfig {
  const venuesRaw = str(env, "LIQFLOW_VENUES");
  const venues = venuesRaw === undefined ? [...VENUES] : list(venuesRaw).map((v) => v.toLowerCase());
  for (const v of venues) {
    if (!(VENUES as readonly string[]).includes(v)) {
      throw new Error(`LIQFLOW_VENUES: unknown venue "${v}"; known venues: ${VENUES.join(", ")}`);
    }
  }
  if (venues.length === 0) throw new Error(`LIQFLOW_VENUES must name at least one venue`);

  const symbolsRaw = str(env, "LIQFLOW_SYMBOLS");
  const symbols = symbolsRaw === undefined ? [...SYMBOLS.symbols] : list(symbolsRaw).map((s) => s.toUpperCase());
  for (const s of symbols) {
    if (!SYMBOLS.isTracked(s)) throw new Error(`LIQFLOW_SYMBOLS: "${s}" is not a tracked symbol; tracked: ${SYMBOLS.symbols.join(", ")}`);
  }
  if (symbols.length === 0) throw new Error(`LIQFLOW_SYMBOLS must name at least one symbol`);

  const urls: LiveConfig["urls"] = {};
  for (const v of VENUES) {
    const names = urlOverrideNames(v);
    const ws = url(env, names.ws, ["ws:", "wss:", "http:", "https:"]);
    const rest = url(env, names.rest, ["http:", "https:"]);
    if (ws !== undefined || rest !== undefined) urls[v] = { ...(ws && { ws }), ...(rest && { rest }) };
  }

  const capture = str(env, "RAW_CAPTURE");
  if (capture !== undefined && !["0", "1", "true", "false"].includes(capture)) {
    throw new Error(`RAW_CAPTURE must be 1 or 0, got "${capture}"`);
  }
  const insuranceS = positive(env, "INSURANCE_POLL_SECONDS", 60);
  if (insuranceS < 10 || insuranceS > 86_400) throw new Error(`INSURANCE_POLL_SECONDS must be between 10 and 86400, got "${str(env, "INSURANCE_POLL_SECONDS")}"`);
  const bracketsS = positive(env, "BRACKETS_POLL_SECONDS", 3_600);
  if (bracketsS < 60 || bracketsS > 86_400) throw new Error(`BRACKETS_POLL_SECONDS must be between 60 and 86400, got "${str(env, "BRACKETS_POLL_SECONDS")}"`);
  return {
    venues: [...new Set(venues)] as Venue[],
    symbols: [...new Set(symbols)],
    urls,
    rawCapture: {
      enabled: capture === "1" || capture === "true",
      chunkMs: Math.round(positive(env, "RAW_CAPTURE_CHUNK_MINUTES", 10) * 60_000),
      chunkChars: Math.round(positive(env, "RAW_CAPTURE_CHUNK_MB", 8) * 1_000_000),
    },
    insurancePollMs: Math.round(insuranceS * 1000),
    bracketsPollMs: Math.round(bracketsS * 1000),
  };
}

/**
 * The URL `fetch` takes for a WebSocket endpoint: workerd opens outbound WebSockets with
 * `fetch(url, { headers: { Upgrade: "websocket" } })` and accepts only http(s) schemes there.
 */
export function fetchableWsUrl(wsUrl: string): string {
  return wsUrl.replace(/^ws(s?):\/\//i, "http$1://");
}
