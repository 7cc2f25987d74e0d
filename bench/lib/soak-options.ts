/**
 * Command-line options of `npm run soak`, checked at the boundary: a bad flag stops the run
 * with a message naming the flag and its bound, before any stack is started.
 */

/** What one soak run does. */
export interface SoakOptions {
  /** How long the subscribers are held, once all are connected (min). */
  minutes: number;
  subscribers: number;
  /** Replay speed of the stack (REPLAY_SPEED). */
  speed: number;
  /** `direct`: sockets at workerd's own address; `proxy`: through wrangler's dev proxy (the `npm start` port). */
  via: "direct" | "proxy";
  /** Seconds between memory samples. */
  sampleS: number;
  /** Flat memory: last half's RSS slope below this (MB/min); why 5, see soak-memory.ts. */
  flatMbPerMin: number;
  /** Sockets opened at once while ramping up. */
  wave: number;
  /** Offer permessage-deflate, as browsers do (`off`: plain frames). */
  deflate: "on" | "off";
  /** Read the engine isolate's heap through wrangler's inspector proxy. */
  heap: "on" | "off";
}

export const DEFAULT_OPTIONS: SoakOptions = {
  minutes: 10,
  subscribers: 1_000,
  speed: 20,
  via: "direct",
  sampleS: 5,
  flatMbPerMin: 5,
  wave: 50,
  deflate: "on",
  heap: "off",
};

export const USAGE = `npm run soak [-- --minutes 10 --subscribers 1000 --speed 20 --via direct|proxy --sample-s 5 --flat-mb-per-min 5 --wave 50 --deflate on|off --heap on|off]`;

type NumericKey = Exclude<keyof SoakOptions, "via" | "deflate" | "heap">;

const NUMERIC: Record<string, { key: NumericKey; min: number; max: number; integer: boolean }> = {
  "--minutes": { key: "minutes", min: 0.1, max: 24 * 60, integer: false },
  "--subscribers": { key: "subscribers", min: 1, max: 20_000, integer: true },
  "--speed": { key: "speed", min: 0.1, max: 1_000, integer: false },
  "--sample-s": { key: "sampleS", min: 1, max: 60, integer: true },
  "--flat-mb-per-min": { key: "flatMbPerMin", min: 0.01, max: 1_000, integer: false },
  "--wave": { key: "wave", min: 1, max: 1_000, integer: true },
};

/** Parses `argv` (the arguments after the script); throws with a message naming the bad flag. */
export function parseSoakOptions(argv: readonly string[]): SoakOptions {
  const options = { ...DEFAULT_OPTIONS };
  for (let i = 0; i < argv.length; i += 2) {
    const flag = argv[i];
    const value = argv[i + 1];
    if (value === undefined) throw new Error(`${flag} needs a value`);
    if (flag === "--via") {
      if (value !== "direct" && value !== "proxy") throw new Error(`--via must be direct or proxy, got "${value}"`);
      options.via = value;
      continue;
    }
    if (flag === "--deflate" || flag === "--heap") {
      if (value !== "on" && value !== "off") throw new Error(`${flag} must be on or off, got "${value}"`);
      options[flag === "--deflate" ? "deflate" : "heap"] = value;
      continue;
    }
    const spec = NUMERIC[flag];
    if (!spec) throw new Error(`unknown option ${flag}`);
    const n = Number(value);
    if (!Number.isFinite(n) || (spec.integer && !Number.isInteger(n)) || n < spec.min || n > spec.max) {
      throw new Error(`${flag} must be ${spec.integer ? "an integer" : "a number"} in ${spec.min}..${spec.max}, got "${value}"`);
    }
    options[spec.key] = n;
  }
  return options;
}
