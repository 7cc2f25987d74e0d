/**
 * Insurance-fund REST answers → `insurance` events, on the venues' documented example responses
 * (data/recorded/<venue>/fixtures/documented-example-insurance*.json, see SOURCES.md: the venue
 * documentation's examples, not live captures) and one built OKX swap answer.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { BinanceMapper } from "../../../src/exchanges/binance.js";
import { BybitMapper } from "../../../src/exchanges/bybit.js";
import { CONNECTED_VENUES, getConnectionSpec } from "../../../src/exchanges/connections.js";
import { INSURANCE_POLL_NAME, okxInstFamily, poolIdOf } from "../../../src/exchanges/insurance.js";
import { OkxMapper } from "../../../src/exchanges/okx.js";
import { venueData, type RecordedVenue } from "./helpers.js";

const documented = (venue: RecordedVenue, name: string): unknown => JSON.parse(readFileSync(venueData(venue, `fixtures/${name}`), "utf8"));
const BYBIT_URL = "https://api.bybit.com/v5/market/insurance?coin=USDT";
const OKX_URL = "https://www.okx.com/api/v5/public/insurance-fund?instType=SWAP&instFamily=BTC-USDT";
const BINANCE_URL = "https://fapi.binance.com/fapi/v1/insuranceBalance";

describe("Bybit GET /v5/market/insurance", () => {
  const expected = [
    { kind: "insurance", venue: "bybit", symbol: "SOLUSDT", ts: 1714003200000, balanceUsd: 14449.515598975464, asset: "USDT", poolId: "USDT:3:68c17699", shared: true, recvTs: 5 },
    { kind: "insurance", venue: "bybit", symbol: "WIFUSDT", ts: 1714003200000, balanceUsd: 9998.896846613574, asset: "USDT", poolId: "USDT:2:e9828e96", shared: true, recvTs: 5 },
  ];

  it("maps the documented example: one event per tracked symbol of a pool, USD value, the pool's update time", () => {
    expect(new BybitMapper().map(documented("bybit", "documented-example-insurance.json"), 5, { url: BYBIT_URL })).toStrictEqual({ events: expected });
  });

  it("recognises the answer by its shape when no url comes with it", () => {
    expect(new BybitMapper().map(documented("bybit", "documented-example-insurance.json"), 5)).toStrictEqual({ events: expected });
  });

  it("skips a pool that names no symbol (the older documented example's `symbols: \"\"` pool)", () => {
    expect(new BybitMapper().map(documented("bybit", "documented-example-insurance-empty-symbols.json"), 5, { url: BYBIT_URL })).toStrictEqual({ events: expected });
    const onlyEmpty = documented("bybit", "documented-example-insurance-empty-symbols.json") as { result: { list: unknown[] } };
    onlyEmpty.result.list = onlyEmpty.result.list.slice(4);
    expect(new BybitMapper().map(onlyEmpty, 5, { url: BYBIT_URL })).toStrictEqual({ events: [], ignored: "pool-without-symbols" });
  });

  it("gives every symbol of a pool the same pool id, whatever the order the venue lists them in", () => {
    expect(poolIdOf("USDT", ["SOLUSDT", "OMNIUSDT", "ALGOUSDT"])).toBe(poolIdOf("USDT", ["ALGOUSDT", "SOLUSDT", "OMNIUSDT"]));
    expect(poolIdOf("USDT", ["SOLUSDT"])).not.toBe(poolIdOf("USDT", ["SOLUSDT", "OMNIUSDT"]));
  });

  it("rejects a malformed balance naming the field, and ignores an error answer", () => {
    const bad = documented("bybit", "documented-example-insurance.json") as { result: { list: { value: string }[] } };
    bad.result.list[1].value = "1e5";
    expect(new BybitMapper().map(bad, 5, { url: BYBIT_URL })).toStrictEqual({ events: [], rejected: 'insurance: field "result.list[1].value" must be a decimal string, got "1e5"' });
    const noTime = documented("bybit", "documented-example-insurance.json") as { result: Record<string, unknown> };
    delete noTime.result.updatedTime;
    expect(new BybitMapper().map(noTime, 5, { url: BYBIT_URL })).toStrictEqual({ events: [], rejected: 'insurance: missing field "result.updatedTime"' });
    expect(new BybitMapper().map({ retCode: 10001, retMsg: "params error", result: {} }, 5, { url: BYBIT_URL })).toStrictEqual({ events: [], ignored: "error-response:10001" });
  });

  it("still ignores other recorded REST answers (instruments-info)", () => {
    expect(new BybitMapper().map({ retCode: 0, result: { category: "linear", list: [] } }, 5, { url: "https://api.bybit.com/v5/market/instruments-info?category=linear" })).toStrictEqual({
      events: [],
      ignored: "rest-response:instruments-info",
    });
  });
});

describe("OKX GET /api/v5/public/insurance-fund", () => {
  it("ignores the documented example: an OPTION family (ETH-USD), no tracked swap", () => {
    expect(new OkxMapper().map(documented("okx", "documented-example-insurance-fund.json"), 5, { url: OKX_URL })).toStrictEqual({ events: [], ignored: "not-swap:OPTION" });
  });

  it("maps a swap family's answer: USD total, the newest detail row's time and currency", () => {
    expect(new OkxMapper().map(documented("okx", "documented-schema-insurance-fund-swap.json"), 5, { url: OKX_URL })).toStrictEqual({
      events: [{ kind: "insurance", venue: "okx", symbol: "BTCUSDT", ts: 1704883083000, balanceUsd: 41829871.3318, asset: "USDT", poolId: "SWAP:BTC-USDT", shared: false, recvTs: 5 }],
    });
    // by shape, without the url
    expect(new OkxMapper().map(documented("okx", "documented-schema-insurance-fund-swap.json"), 5).events).toHaveLength(1);
  });

  it("rejects a malformed total naming the field, skips an untracked family, ignores an error code", () => {
    const bad = documented("okx", "documented-schema-insurance-fund-swap.json") as { data: { total: string; instFamily: string }[] };
    bad.data[0].total = "";
    expect(new OkxMapper().map(bad, 5, { url: OKX_URL })).toStrictEqual({ events: [], rejected: 'insurance-fund: field "data[0].total" must be a decimal string, got ""' });
    bad.data[0].total = "1";
    bad.data[0].instFamily = "SHIB-USDT";
    expect(new OkxMapper().map(bad, 5, { url: OKX_URL })).toStrictEqual({ events: [], ignored: "untracked-symbol" });
    expect(new OkxMapper().map({ code: "51001", msg: "Instrument ID does not exist", data: [] }, 5, { url: OKX_URL })).toStrictEqual({ events: [], ignored: "error-response:51001" });
  });

  it("polls one request per instrument family", () => {
    const poll = getConnectionSpec("okx").polls!.find((p) => p.name === INSURANCE_POLL_NAME)!;
    expect(poll.targets!(["BTC-USDT-SWAP", "PEPE-USDT-SWAP"])).toEqual(["BTC-USDT", "PEPE-USDT"]);
    expect(poll.url("https://www.okx.com/", okxInstFamily("BTC-USDT-SWAP"))).toBe(OKX_URL);
  });
});

describe("Binance GET /fapi/v1/insuranceBalance", () => {
  it("maps the documented answer for one symbol: the group's USDT balance for each tracked symbol of the group", () => {
    const e = { kind: "insurance", venue: "binance", ts: 1745366402000, balanceUsd: 793930579.315848, asset: "USDT", poolId: "USDT:8:57612c47", shared: true, recvTs: 5 };
    expect(new BinanceMapper().map(documented("binance", "documented-example-insurance-balance-symbol.json"), 5, { url: `${BINANCE_URL}?symbol=BTCUSDT` })).toStrictEqual({
      events: [
        { ...e, symbol: "BNBUSDT" },
        { ...e, symbol: "BTCUSDT" },
        { ...e, symbol: "ETHUSDT" },
      ],
    });
  });

  it("maps the documented answer for every group: tracked symbols of each group, untracked groups skipped", () => {
    const e = { kind: "insurance", venue: "binance", ts: 1745366402000, balanceUsd: 314151411.06482935, asset: "USDT", poolId: "USDT:11:7bd5fd9b", shared: true, recvTs: 5 };
    expect(new BinanceMapper().map(documented("binance", "documented-example-insurance-balance-all.json"), 5, { url: BINANCE_URL })).toStrictEqual({
      events: ["ADAUSDT", "BCHUSDT", "DOTUSDT", "LINKUSDT", "LTCUSDT", "TRXUSDT", "XRPUSDT"].map((symbol) => ({ ...e, symbol })),
    });
    expect(new BinanceMapper().canHandle(documented("binance", "documented-example-insurance-balance-all.json"))).toBe(true);
  });

  it("rejects a malformed group naming the field and skips a group without a USDT asset", () => {
    const bad = documented("binance", "documented-example-insurance-balance-all.json") as { assets: { updateTime: unknown; asset: string }[] }[];
    bad[0].assets[0].updateTime = "1745366402000";
    expect(new BinanceMapper().map(bad, 5, { url: BINANCE_URL })).toStrictEqual({
      events: [],
      rejected: 'batch item 0: insuranceBalance: field "assets[0].updateTime" must be a number, got "1745366402000"',
    });
    const noUsdt = documented("binance", "documented-example-insurance-balance-symbol.json") as { assets: { asset: string }[] };
    noUsdt.assets = noUsdt.assets.filter((a) => a.asset !== "USDT");
    expect(new BinanceMapper().map(noUsdt, 5, { url: BINANCE_URL })).toStrictEqual({ events: [], ignored: "no-usdt-asset" });
  });
});

describe("insurance polls", () => {
  it("exist exactly for the venues the card names: bybit, okx, binance (hyperliquid publishes none)", () => {
    const polled = CONNECTED_VENUES.filter((v) => (getConnectionSpec(v).polls ?? []).some((p) => p.name === INSURANCE_POLL_NAME));
    expect(polled).toEqual(["binance", "bybit", "okx"]);
    for (const v of polled) expect(getConnectionSpec(v).restUrl).not.toBeNull();
  });
});
