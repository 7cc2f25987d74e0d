/**
 * A fake venue REST server for the live feed's parts: a `fetch` that answers by path from the
 * venues' recorded and documented answers (data/recorded/<venue>/fixtures), with a 429 under
 * `/limited` and a body that is not JSON under `/garbage`, and remembers what was asked. No
 * sockets, no timers.
 */
import { readFileSync } from "node:fs";
import { venueData } from "../exchanges/helpers.js";

export const FAKE_REST = "http://venue.test";

const FIXTURES: Record<string, string> = {
  "/v5/market/insurance": venueData("bybit", "fixtures/documented-example-insurance.json"),
  "/v5/market/risk-limit": venueData("bybit", "fixtures/recorded-testnet-risk-limit-btcusdt.json"),
  "/refused/v5/market/risk-limit": venueData("bybit", "fixtures/documented-example-risk-limit-inverse.json"),
  "/api/v5/public/position-tiers": venueData("okx", "fixtures/recorded-position-tiers-swap-tier1.json"),
};

export interface FakeVenue {
  fetch: typeof fetch;
  /** Path and query of every request, in order. */
  seen: string[];
}

export function fakeVenue(): FakeVenue {
  const seen: string[] = [];
  const fetchFake = async (input: string | URL | Request): Promise<Response> => {
    const url = new URL(typeof input === "string" ? input : input instanceof URL ? input.href : input.url);
    seen.push(url.pathname + url.search);
    const path = url.pathname;
    if (path === "/limited" || path.startsWith("/limited/")) return new Response("slow down", { status: 429, headers: { "Retry-After": "7" } });
    if (path === "/garbage" || path.startsWith("/garbage/")) return new Response("<html>", { status: 200 });
    const file = FIXTURES[path];
    if (file === undefined) return new Response("not found", { status: 404 });
    return new Response(readFileSync(file, "utf8"), { status: 200, headers: { "Content-Type": "application/json" } });
  };
  return { fetch: fetchFake as typeof fetch, seen };
}
