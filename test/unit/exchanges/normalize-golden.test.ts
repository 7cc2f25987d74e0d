/**
 * Normalize, byte for byte: every line of the real recordings of each venue, every fixture, and
 * every fixture frame with one leaf replaced by an odd value (or removed) go through the
 * public path (`normalizeLine` / `map`), and the digest of what came out (events, ignored and
 * rejected reasons, as JSON) must equal the digest taken before the speed work of issue 16.
 * Speed changes to the normalizers (hand-written frame checks in front of zod, fewer copies)
 * must not change one event nor one reason.
 */
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { getMapper, normalizeLine } from "../../../src/exchanges/registry.js";
import type { MapContext } from "../../../src/exchanges/types.js";
import { type RecordedVenue, venueData } from "./helpers.js";

/** Digests taken on the normalizers as they were before the speed work (commit bfeb636). */
const GOLDEN: Record<RecordedVenue, { recordings: string; fixtures: string }> = {
  binance: { recordings: "bba31e62419e38cd949eecbc294f2acf5c2444cd526094c5844b357a7ed7a17c", fixtures: "b58aae1280c24c72942959dca7482e5e25a5646519dd7c85882a9e6871713214" },
  bybit: { recordings: "c04e87eeb9a32c588cb29b5889ef7567e303ecdbb650b3182aad0bdf9e8ea235", fixtures: "27072f4c0de80d7931419ca19b1d1a953cb74435cb4ea284024e10b54901419e" },
  okx: { recordings: "660ac50b08cb757ca250f6c17318d062327c2f6f95129248bbf1bcf0d39ea7fa", fixtures: "290c69463d8141e801f1d8b9973471342dce01e84f3db9460020a2a0fb4d2ada" },
  hyperliquid: { recordings: "6c5d1187d5ffe8f78a744a00a1202d7b0d24ff0e8e8149de21456406498bca04", fixtures: "5e8c9f8633377d8e2e35bc489a2ec03e2d02237c2639cc9db4076c1d53e2b5d7" },
};

/** The recordings of each venue (instrument given where the file's REST snapshots name none). */
const RECORDINGS: Record<RecordedVenue, Array<{ file: string; context?: MapContext }>> = {
  binance: [
    { file: "hftbacktest_btcusdt_20240808.gz", context: { instrument: "BTCUSDT" } },
    { file: "hftbacktest_ethusdt_20240808.gz", context: { instrument: "ETHUSDT" } },
    { file: "hftbacktest_btcusdt_20230404.dat.gz", context: { instrument: "BTCUSDT" } },
    { file: "cryptofeed_BINANCE_FUTURES.ws.1.0.gz" },
    { file: "cryptofeed_BINANCE_FUTURES.http.0.0.gz" },
    { file: "forceorder_20251227-20251228.jsonl.gz" },
  ],
  bybit: [{ file: "cryptofeed_BYBIT_v5_20260809.jsonl.gz" }, { file: "2024-12-01_XRPUSDT_ob500.data" }],
  okx: [{ file: "cryptofeed_OKX.ws.1.0.gz" }],
  hyperliquid: [{ file: "hftbacktest_hyperliquid_btc_20250126.gz" }],
};

function lines(venue: RecordedVenue, file: string): string[] {
  const raw = readFileSync(venueData(venue, file));
  const text = (raw[0] === 0x1f && raw[1] === 0x8b ? gunzipSync(raw) : raw).toString("utf8");
  return text.split("\n").map((l) => (l.endsWith("\r") ? l.slice(0, -1) : l)).filter((l) => l !== "");
}

const DELETE = Symbol("delete");
/** What a leaf is replaced by: odd decimal strings, numbers of every kind, other types, removal. */
const ODD: unknown[] = ["", "-1", "0", "1e5", "abc", "1.", " 1", "9".repeat(30), 1.5, -1, 0, 2 ** 53, 1e300, null, true, [], {}, DELETE];

type Path = Array<string | number>;

/** Leaf and container paths of a value, array indexes limited to the first three (books hold thousands). */
function paths(value: unknown, prefix: Path = [], out: Path[] = []): Path[] {
  if (Array.isArray(value)) value.slice(0, 3).forEach((v, i) => paths(v, [...prefix, i], out));
  else if (typeof value === "object" && value !== null) for (const [k, v] of Object.entries(value)) paths(v, [...prefix, k], out);
  if (prefix.length > 0) out.push(prefix);
  return out;
}

function mutate(value: unknown, path: Path, replacement: unknown): unknown {
  const copy = structuredClone(value) as Record<string | number, unknown>;
  let node = copy;
  for (let i = 0; i < path.length - 1; i++) node = node[path[i]] as Record<string | number, unknown>;
  const last = path[path.length - 1];
  if (replacement === DELETE) {
    if (Array.isArray(node)) node.splice(last as number, 1);
    else delete node[last];
  } else node[last] = replacement;
  return copy;
}

function digestRecordings(venue: RecordedVenue): string {
  const hash = createHash("sha256");
  for (const { file, context } of RECORDINGS[venue]) {
    const mapper = getMapper(venue);
    for (const line of lines(venue, file)) hash.update(JSON.stringify(normalizeLine(mapper, line, context))).update("\n");
  }
  return hash.digest("hex");
}

function digestFixtures(venue: RecordedVenue): string {
  const hash = createHash("sha256");
  const dir = venueData(venue, "fixtures");
  for (const name of readdirSync(dir).sort()) {
    const messages: unknown[] = [];
    if (name.endsWith(".json")) messages.push(JSON.parse(readFileSync(`${dir}/${name}`, "utf8")));
    else {
      for (const line of lines(venue, `fixtures/${name}`)) {
        const result = normalizeLine(getMapper(venue), line);
        hash.update(`${name} ${JSON.stringify(result)}\n`);
        const body = line.slice(line.search(/[[{]/));
        try {
          messages.push(JSON.parse(body));
        } catch {
          // a line that is not JSON after its prefix (CSV, connect lines) has no frame to mutate
        }
      }
    }
    for (const message of messages) {
      for (const path of paths(message)) {
        for (const odd of ODD) {
          const result = getMapper(venue).map(mutate(message, path, odd), 1_700_000_000_000);
          hash.update(`${name} ${JSON.stringify(path)} ${odd === DELETE ? "delete" : JSON.stringify(odd)} ${JSON.stringify(result)}\n`);
        }
      }
    }
  }
  return hash.digest("hex");
}

describe("normalizers give the same bytes as before the speed work", () => {
  for (const venue of Object.keys(GOLDEN) as RecordedVenue[]) {
    it(`${venue}: every line of its recordings`, () => {
      expect(digestRecordings(venue)).toBe(GOLDEN[venue].recordings);
    });
    it(`${venue}: every fixture, and every fixture frame with one leaf replaced or removed`, () => {
      expect(digestFixtures(venue)).toBe(GOLDEN[venue].fixtures);
    });
  }
});
