/**
 * The soak's subscriber mix: what each of N sockets subscribes to, modelled on the product's
 * own clients so the load has the shape real traffic would have.
 *
 *   profile      share  channels                                      modelled on
 *   widget        40 %  SYMBOL:bias                                   <liqflow-score> embed
 *   dashboard     25 %  *:bias + every SYMBOL:liquidations (22)       `/` (src/client/ui/dashboard.ts)
 *   symbol-page   25 %  SYMBOL:bias|cards|liquidations|heatmap|levels|zones   `/s/SYMBOL` (symbol-page.ts)
 *   liq-feed      10 %  every SYMBOL:liquidations (21)                an alerting bot on the stream
 *
 * Interest in symbols is skewed the way market attention is: symbol k of the registry's order
 * (BTCUSDT first) is chosen with weight 1/k (Zipf, s = 1), so about a quarter of widgets and
 * symbol pages are BTCUSDT. Deterministic: socket i always gets the same channels.
 */

/** The kinds of client the soak models. */
export type ProfileName = "widget" | "dashboard" | "symbol-page" | "liq-feed";

/** One socket's plan: its profile and the channels of its single subscribe message. */
export interface SubscriberPlan {
  index: number;
  profile: ProfileName;
  channels: string[];
}

/** Out of every 20 sockets: 8 widgets, 5 dashboards, 5 symbol pages, 2 liquidation feeds. */
const PATTERN: readonly ProfileName[] = [
  ...Array<ProfileName>(8).fill("widget"),
  ...Array<ProfileName>(5).fill("dashboard"),
  ...Array<ProfileName>(5).fill("symbol-page"),
  ...Array<ProfileName>(2).fill("liq-feed"),
];

const GOLDEN = 0.6180339887498949;

/** The channels of socket `index` for the tracked `symbols` (in the registry's order). */
export function planSubscriber(index: number, symbols: readonly string[]): SubscriberPlan {
  if (symbols.length === 0) throw new Error("planSubscriber: no tracked symbols");
  const profile = PATTERN[index % PATTERN.length];
  const symbol = zipfPick(symbols, (index * GOLDEN) % 1);
  const liquidations = symbols.map((s) => `${s}:liquidations`);
  switch (profile) {
    case "widget":
      return { index, profile, channels: [`${symbol}:bias`] };
    case "dashboard":
      return { index, profile, channels: ["*:bias", ...liquidations] };
    case "symbol-page":
      return { index, profile, channels: ["bias", "cards", "liquidations", "heatmap", "levels", "zones"].map((k) => `${symbol}:${k}`) };
    case "liq-feed":
      return { index, profile, channels: liquidations };
  }
}

/** The plans of sockets 0..n-1. */
export function planSubscribers(n: number, symbols: readonly string[]): SubscriberPlan[] {
  return Array.from({ length: n }, (_, i) => planSubscriber(i, symbols));
}

/** The symbol at quantile `u` ∈ [0, 1) of a Zipf (s = 1) distribution over `symbols`. */
function zipfPick(symbols: readonly string[], u: number): string {
  const weights = symbols.map((_, k) => 1 / (k + 1));
  const total = weights.reduce((a, b) => a + b, 0);
  let acc = 0;
  for (let k = 0; k < symbols.length; k++) {
    acc += weights[k] / total;
    if (u < acc) return symbols[k];
  }
  return symbols[symbols.length - 1];
}
