/**
 * LiqflowHttp: typed reads of the JSON API (README "HTTP API"). Errors come back as
 * `LiqflowError` carrying the API's `{"error":{"code","message"}}`; `isNotAvailable(err)` says
 * the engine does not serve that endpoint (yet).
 */
import type { Candle, CandleTimeframe } from "../domain/candles.js";
export type { Candle, CandleTimeframe };
import type {
  BatchBiasResponse,
  BiasAllResponse,
  BiasOneResponse,
  CardsResponse,
  CascadeRisk,
  LiquidationClusters,
  LiquidationHeatmap,
  LiquidationLevels,
  LiquidationsResponse,
  Market,
  Mode,
  SymbolSnapshot,
  SymbolsList,
  Zones,
} from "./types.js";

export class LiqflowError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "LiqflowError";
  }
}

/** True when the engine has no such endpoint (404 `not_found`): a feature it does not serve yet. */
export function isNotAvailable(err: unknown): boolean {
  return err instanceof LiqflowError && err.status === 404 && err.code === "not_found";
}

export interface HttpOptions {
  /** fetch implementation (default the global one). */
  fetch?: typeof fetch;
  /**
   * Revalidate repeated reads with the response's ETag (`If-None-Match`, 304 → the kept body).
   * Useful where no HTTP cache sits in between (Node); browsers have their own (default false).
   */
  etag?: boolean;
}

export type Query = Record<string, string | number | undefined>;

export interface HeatmapQuery extends Query {
  /** Window, e.g. `1h` or ms (engine default when absent). */
  window?: string | number;
  /** Time bin, e.g. `1m` or ms. */
  timeBin?: string | number;
  /** Price bin, e.g. `10bps` or an absolute tick. */
  priceBin?: string | number;
  /** Only these venues, comma-separated (every venue when absent). */
  venue?: string;
}

/** `/v1/symbols/:symbol/candles`: the newest candles, oldest first (one Candle as src/domain/candles.ts defines it). */
export interface CandlesResponse {
  symbol: string;
  tf: CandleTimeframe;
  tfMs: number;
  headTs: number;
  lastTradeTs: number | null;
  candles: Candle[];
}

export class LiqflowHttp {
  readonly baseUrl: string;
  private readonly fetchImpl: typeof fetch;
  private readonly etags = new Map<string, { etag: string; body: unknown }>();
  private readonly useEtag: boolean;

  constructor(baseUrl: string, options: HttpOptions = {}) {
    this.baseUrl = new URL(baseUrl).origin;
    const f = options.fetch ?? globalThis.fetch;
    if (!f) throw new TypeError("LiqflowHttp: no fetch implementation; pass options.fetch");
    this.fetchImpl = f.bind(globalThis);
    this.useEtag = options.etag ?? false;
  }

  symbols(): Promise<SymbolsList> {
    return this.get("/v1/symbols");
  }

  snapshot(symbol: string): Promise<SymbolSnapshot> {
    return this.get(`/v1/symbols/${enc(symbol)}`);
  }

  cards(symbol: string): Promise<CardsResponse> {
    return this.get(`/v1/symbols/${enc(symbol)}/cards`);
  }

  bias(symbol: string): Promise<BiasAllResponse>;
  bias(symbol: string, mode: Mode): Promise<BiasOneResponse>;
  bias(symbol: string, mode?: Mode): Promise<BiasAllResponse | BiasOneResponse> {
    return this.get(`/v1/symbols/${enc(symbol)}/bias`, { mode });
  }

  liquidations(symbol: string, query: { since?: number; limit?: number; cursor?: string } = {}): Promise<LiquidationsResponse> {
    return this.get(`/v1/symbols/${enc(symbol)}/liquidations`, query);
  }

  batchBias(symbols: readonly string[], mode: Mode): Promise<BatchBiasResponse> {
    return this.get("/v1/bias", { symbols: symbols.join(","), mode });
  }

  market(): Promise<Market> {
    return this.get("/v1/market");
  }

  heatmap(symbol: string, query: HeatmapQuery = {}): Promise<LiquidationHeatmap> {
    return this.get(`/v1/symbols/${enc(symbol)}/heatmap`, query);
  }

  clusters(symbol: string): Promise<LiquidationClusters> {
    return this.get(`/v1/symbols/${enc(symbol)}/clusters`);
  }

  /** Estimated levels; `leverage` keeps only those tiers of the model (comma-separated, e.g. "25,50"). */
  levels(symbol: string, query: { range?: number; bin?: number; leverage?: string } = {}): Promise<LiquidationLevels> {
    return this.get(`/v1/symbols/${enc(symbol)}/levels`, query);
  }

  cascade(symbol: string): Promise<CascadeRisk> {
    return this.get(`/v1/symbols/${enc(symbol)}/cascade`);
  }

  /** Price history: OHLCV candles of `tf` (default 1m), the newest `limit` (default 300, at most 1,440). */
  candles(symbol: string, query: { tf?: CandleTimeframe; limit?: number } = {}): Promise<CandlesResponse> {
    return this.get(`/v1/symbols/${enc(symbol)}/candles`, query);
  }

  /** Support/resistance zones and liquidity traps as of the last cycle. */
  zones(symbol: string): Promise<Zones> {
    return this.get(`/v1/symbols/${enc(symbol)}/zones`);
  }

  /** GET any JSON endpoint of the API; `undefined` query values are left out. */
  async get<T>(path: string, query: Query = {}): Promise<T> {
    const url = new URL(path, this.baseUrl);
    for (const [k, v] of Object.entries(query)) if (v !== undefined) url.searchParams.set(k, String(v));
    const key = url.toString();
    const kept = this.useEtag ? this.etags.get(key) : undefined;
    const headers: Record<string, string> = { Accept: "application/json" };
    if (kept) headers["If-None-Match"] = kept.etag;
    let res: Response;
    try {
      res = await this.fetchImpl(key, { headers });
    } catch (err) {
      throw new LiqflowError(0, "network_error", `GET ${path}: ${String(err)}`);
    }
    if (res.status === 304 && kept) return kept.body as T;
    const text = await res.text();
    let body: unknown;
    try {
      body = text === "" ? null : JSON.parse(text);
    } catch {
      throw new LiqflowError(res.status, "bad_response", `GET ${path}: the response is not JSON (status ${res.status})`);
    }
    if (!res.ok) {
      const error = (body as { error?: { code?: unknown; message?: unknown } } | null)?.error;
      throw new LiqflowError(res.status, String(error?.code ?? "http_error"), String(error?.message ?? `GET ${path}: status ${res.status}`));
    }
    const etag = res.headers.get("ETag");
    if (this.useEtag && etag) this.etags.set(key, { etag, body });
    return body as T;
  }
}

function enc(symbol: string): string {
  return encodeURIComponent(symbol);
}
