import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { convertCsv, csvRowToForceOrderLine, reconstructSymbol } from "../../../scripts/convert-liquidations.js";
import { getMapper, normalizeLine } from "../../../src/exchanges/registry.js";
import { binanceData } from "./helpers.js";

/** [file, CSV rows, recorder duplicates dropped]. */
const FILES = [
  ["forceorder_20250126-20250206", 3510, 1673],
  ["forceorder_20251227-20251228", 2045, 0],
] as const;

function csvRows(name: string): string[] {
  return readFileSync(binanceData(`liquidations/${name}.csv`), "utf8").trimEnd().split("\n");
}

function jsonlLines(name: string): string[] {
  return gunzipSync(readFileSync(binanceData(`${name}.jsonl.gz`))).toString("utf8").trimEnd().split("\n");
}

describe("converted forceOrder recordings", () => {
  for (const [name, rows, duplicates] of FILES) {
    it(`${name}: one line per distinct CSV row (${rows} rows, ${duplicates} recorder duplicates), equal to a fresh conversion`, () => {
      const csv = readFileSync(binanceData(`liquidations/${name}.csv`), "utf8");
      expect(csvRows(name)).toHaveLength(rows);
      const converted = convertCsv(csv);
      expect(converted).toMatchObject({ rows, duplicates });
      const lines = jsonlLines(name);
      expect(lines).toHaveLength(rows - duplicates);
      expect(new Set(lines).size).toBe(lines.length);
      expect(gunzipSync(readFileSync(binanceData(`${name}.jsonl.gz`))).toString("utf8")).toBe(converted.jsonl);
    });

    it(`${name}: gzip header has no mtime and a fixed OS byte`, () => {
      const head = readFileSync(binanceData(`${name}.jsonl.gz`)).subarray(0, 10);
      expect([...head]).toStrictEqual([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 2, 3]);
    });
  }

  it("maps CSV row 1315 to a long liquidation with notional ap × z, not the CSV's usd_size (z × p)", () => {
    const rows = csvRows("forceorder_20250126-20250206");
    expect(rows[1314]).toBe("BTC,SELL,LIMIT,IOC,1.138,99187.40,99634.40,FILLED,0.032,1.138,1737996820677,112875.26119999998");
    const mapper = getMapper("binance");
    const line = csvRowToForceOrderLine(rows[1314], 1315);
    expect(jsonlLines("forceorder_20250126-20250206")).toContain(line);
    const result = normalizeLine(mapper, line);
    expect(result.events).toStrictEqual([
      {
        kind: "liquidation",
        venue: "binance",
        symbol: "BTCUSDT",
        ts: 1737996820677,
        side: "long",
        price: 99634.4,
        qty: 1.138,
        notionalUsd: 99634.4 * 1.138,
        sampling: "sampled-1s",
      },
    ]);
    expect(result.events[0].kind === "liquidation" && result.events[0].notionalUsd).toBeCloseTo(113383.9472, 6);
    // Row 1316 is the recorder's duplicate of the same event, its usd_size divided by 1e6: it
    // converts to the identical message, which the converted file holds once.
    expect(rows[1315]).toBe("BTC,SELL,LIMIT,IOC,1.138,99187.40,99634.40,FILLED,0.032,1.138,1737996820677,0.11287526119999998");
    expect(csvRowToForceOrderLine(rows[1315], 1316)).toBe(line);
    expect(jsonlLines("forceorder_20250126-20250206").filter((l) => l === line)).toHaveLength(1);
  });

  it("writes the CSV text verbatim as strings, E = T, in Binance's field order", () => {
    expect(csvRowToForceOrderLine("LRC,SELL,LIMIT,IOC,226,0.16815,0.17057,FILLED,226,226,1737908829829,38.0019", 1)).toBe(
      '{"stream":"!forceOrder@arr","data":{"e":"forceOrder","E":1737908829829,"o":{"s":"LRCUSDT","S":"SELL","o":"LIMIT","f":"IOC","q":"226","p":"0.16815","ap":"0.17057","X":"FILLED","l":"226","z":"226","T":1737908829829}}}',
    );
  });

  it("drops the undocumented 13th column of the last rows of forceorder_20251227-20251228", () => {
    const rows = csvRows("forceorder_20251227-20251228");
    expect(rows[rows.length - 1]).toBe("PIEVERSE,SELL,LIMIT,IOC,130,0.5016000,0.5109000,FILLED,119,130,1766954627206,65.20800000000001,0");
    expect(jsonlLines("forceorder_20251227-20251228").at(-1)).toBe(
      '{"stream":"!forceOrder@arr","data":{"e":"forceOrder","E":1766954627206,"o":{"s":"PIEVERSEUSDT","S":"SELL","o":"LIMIT","f":"IOC","q":"130","p":"0.5016000","ap":"0.5109000","X":"FILLED","l":"119","z":"130","T":1766954627206}}}',
    );
  });

  it("refuses a malformed row instead of writing a guess", () => {
    expect(() => csvRowToForceOrderLine("BTC,SELL,LIMIT", 7)).toThrow("line 7: expected 12 or 13 columns, got 3");
    expect(() => csvRowToForceOrderLine("BTC,SELL,LIMIT,IOC,1,abc,1,FILLED,1,1,1737996820677,1", 8)).toThrow('line 8: p "abc" is not a decimal');
  });
});

describe("reconstructSymbol", () => {
  it("appends the USDT the recorder removed, and keeps other quote assets", () => {
    expect(reconstructSymbol("BTC")).toBe("BTCUSDT");
    expect(reconstructSymbol("1000PEPE")).toBe("1000PEPEUSDT");
    expect(reconstructSymbol("币安人生")).toBe("币安人生USDT");
    expect(reconstructSymbol("BTCUSDC")).toBe("BTCUSDC");
    expect(reconstructSymbol("ETHBUSD")).toBe("ETHBUSD");
  });
});
