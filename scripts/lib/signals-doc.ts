/**
 * `docs/signals.md`, generated from the card registry: the scaling convention, the inputs, the
 * 25 categories with a paragraph each, and per card its id, formula, units, feeds, scale prior
 * and what makes it a different signal from its neighbours. `npm run docs:signals` writes it; a
 * unit test (test/unit/docs/signals-doc.test.ts) fails when the committed file is stale.
 */
import { CATEGORIES, cardPrefix } from "../../src/domain/cards/categories.js";
import type { CardRegistry } from "../../src/domain/cards/registry.js";
import type { CardDefinition } from "../../src/domain/cards/card.js";
import { DEFAULT_ENGINE_CONFIG } from "../../src/domain/config.js";

/** Hand-written per category: what it reads and how its cards divide the work. */
const ABOUT: Record<string, string> = {
  liquidation:
    "Forced liquidations the venues report, in the window: which side is liquidated (a liquidated short is a forced buy), how much against the symbol's usual rate, where past ones clustered, the estimated levels price just traded through, and the insurance funds that absorb the losses. Binance and OKX publish at most one liquidation per symbol per second: every card reading counts or notionals labels its value `sampled` when one of them is in the window.",
  cascade:
    "Whether forced flow can feed on itself: the estimated liquidation notional just beyond price (from the open-interest level model, docs/liquidation-model.md) against the resting depth that would have to absorb it, per side and per band, and how a k·σ move would sweep the levels.",
  levels:
    "The estimated liquidation level map itself, read as structure: where the nearest large clusters sit, which side holds more notional near price, how thin each side's margin is, what has been cleared. Estimated, never measured; the tiers and brackets it rests on are documented in docs/liquidation-model.md.",
  "order-flow":
    "Taker (aggressor) flow: who crosses the spread. `flow.cvd` is the reference (net taker volume as a share of volume); the others ask how persistent, accelerating, broad across venues or large against usual volume that flow is. Price dispersion and lead-lag between venues belong to `cross-venue`, not here.",
  "smart-money":
    "What size is doing versus the crowd: large prints against the symbol's own adaptive 99th-percentile threshold of trade notional (warming up until the threshold has held over the whole window), fixed size buckets, and runs of prints at one price that refill like icebergs.",
  absorption:
    "Aggression that fails to move price: heavy taker selling into a bid that holds (bullish) or buying into an offer that holds (bearish), effort versus result, forced flow absorbed.",
  orderbook:
    "Resting size near price, a state at the boundary: imbalance at several depths, at the top of book (queue imbalance) and in the microprice, and walls.",
  liquidity:
    "How the book moves: depth added and removed near mid per side (removed includes fills, which cards subtract where they mean cancellations), how it refills after sweeps, and how deep it is against its usual.",
  spread:
    "Top-of-book quality from the quote stream (or the book where a venue has none): time-weighted spread against the symbol's usual, widening, quote churn. Mostly stress cards: a wide spread is a state of the market, not a direction.",
  funding:
    "Funding as an 8-hour-equivalent rate, time-weighted (src/domain/inputs/funding.ts): Hyperliquid's hourly rate counts eight times, a venue's stated or observed interval wins over its default, and a rate held 50 s weighs five times one held 10 s whatever the message counts.",
  "open-interest":
    "Open interest per venue and summed (base units and USD), changes read only over venues known at both ends of the window, with price: positions opening or closing, and where.",
  derivatives:
    "The premium of mark over index per venue (basis), its level, change and dispersion, and the last trade against mark: the live side of what funding will charge.",
  positioning:
    "Crowding inferred from open interest, funding and price together. No feed liqflow reads publishes long/short account ratios: no card here invents them.",
  "market-context":
    "The symbol against the market of 21 symbols: breadth, beta and correlation to BTC, relative strength, market-wide liquidation skew. This category takes the place of `sentiment`, which overlapped most with existing ones: its \"crowd mood from flow, funding and liquidation extremes\" is what order-flow, funding, positioning and liquidation already read, so it would only have repeated their inputs under a new name, while market context needs inputs (the other 20 symbols, from the Coordinator) that no category had. No cards yet: they arrive with Signals III (issue 12).",
  momentum: "Price change scaled by the symbol's own volatility. More cards arrive with Signals II (issue 11).",
  trend: "Direction of price structure across timeframes. No cards yet: Signals II (issue 11).",
  "mean-reversion": "Stretch of price from its recent mean. No cards yet: Signals II (issue 11).",
  vwap: "Price against the volume-weighted average. No cards yet: Signals II (issue 11).",
  volatility: "Realized volatility and range. No cards yet: Signals II (issue 11).",
  volume: "Volume against its baseline. No cards yet: Signals II (issue 11).",
  regime: "Trending versus ranging. No cards yet: Signals II (issue 11).",
  exhaustion: "Climaxes after extended moves. No cards yet: Signals II (issue 11).",
  divergence: "Price disagreeing with flow, open interest or momentum. No cards yet: Signals II (issue 11).",
  "cross-venue": "Dispersion and lead-lag between venues. No cards yet: Signals III (issue 12).",
  microstructure:
    "Trades themselves, without their net side: arrival rate, size mix, price impact per notional and its asymmetry, implied spread. Quote updates belong to `spread`.",
};

/** Ids renamed in 0.2 (categories regrouped): old → new. */
export const RENAMED_CARD_IDS: Readonly<Record<string, string>> = {
  "liq.cascade-risk-up": "cascade.risk-up",
  "liq.cascade-risk-down": "cascade.risk-down",
  "liq.magnet": "levels.magnet",
  "liq.distance": "levels.distance",
};

function priorText(card: CardDefinition): string {
  const p = card.scale.prior;
  const prior = typeof p === "number" ? String(p) : `1m ${p["1m"]}, 5m ${p["5m"]}, 1h ${p["1h"]}`;
  const center = card.scale.center === "rolling" ? `rolling (from ${card.scale.priorCenter ?? 0})` : String(card.scale.center);
  return `center ${center}, prior σ ${prior}`;
}

function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

export function renderSignalsDoc(registry: CardRegistry): string {
  const c = DEFAULT_ENGINE_CONFIG.cards;
  const cards = registry.cards;
  const out: string[] = [];
  out.push("# Signals");
  out.push("");
  out.push("<!-- generated by `npm run docs:signals` from the card registry (scripts/lib/signals-doc.ts); do not edit by hand -->");
  out.push("");
  out.push(
    `liqflow computes ${cards.length} cards in ${new Set(cards.map((d) => d.category)).size} of its 25 categories, each on the 1m, 5m and 1h windows every 10 s of event time. ` +
      "Every card is one statistic with a written formula and units, a hand-checked test (its unavailable branches too), and the one scaling convention below. " +
      "A card whose input is missing says `unavailable` with the reason; it never stands in a neutral value.",
  );
  out.push("");
  out.push("## Scaling: one convention for every card");
  out.push("");
  out.push("A card measures one statistic `x` in stated units and scores it `score = tanh(z)`, with `z = (x − c) / σ`:");
  out.push("");
  out.push("- `c`, the center: the card's neutral point (0 for an imbalance, the baseline for funding), or `rolling`: the symbol's own exponentially weighted mean of `x`, for levels that differ by symbol (a spread in bps), shrunk toward the card's prior center while history is short;");
  out.push(
    `- \`σ\`, the dispersion: the symbol's own exponentially weighted root mean square of \`x − c\` on that timeframe (half-life ${c.scaleHalfLifeMs / 3_600_000} h of event time), shrunk toward the card's prior \`s₀\`: \`σ² = (Q + n₀·s₀²) / (W + n₀)\`, where the prior weighs as many samples as ${c.scalePriorMs["1m"] / 60_000} min (1m), ${c.scalePriorMs["5m"] / 3_600_000} h (5m) and ${c.scalePriorMs["1h"] / 3_600_000} h (1h) of cycles;`,
  );
  out.push("- on a fresh symbol `score = tanh((x − c) / s₀)`: each card's prior is listed below. As the symbol's history grows its own dispersion takes over, so a score means the same on BTC and on a small alt: how far this is from what is usual here. A sample joins the distribution only when the card was available with confidence above 0.");
  out.push("");
  out.push("`strength` is `|score|` for a **directional** card. A **stress** card measures a magnitude with no direction (a wide spread, a falling insurance fund): its score is always 0, `strength = tanh(max(z, 0))`, and the composite bias never reads it, so it cannot pull its category toward 0. `confidence` is how much data backs the value (observations against a stated full count), never the size of the signal. `value` is the card's raw figure in the units listed. Cards reading liquidation counts or notionals carry `sampling`.");
  out.push("");
  out.push("## Inputs");
  out.push("");
  out.push("What a card reads (`CardInput`, src/domain/cards/card.ts), each computed at most once per cycle however many cards read it (src/domain/inputs/cycle-input.ts), each O(1) amortised per event:");
  out.push("");
  out.push("- `window`, `venues`: trades, liquidations and funding samples of the window, summed and per venue (with each venue's last trade);");
  out.push("- `bars`: complete one-minute bars of the last 24 h (OHLC, taker buy and sell volume, trades, liquidations by side), empty minutes carrying the last close;");
  out.push("- `oi`: open interest per venue and summed, base and USD, now and at the window start (`inputs.oiStaleMs` hold);");
  out.push("- `funding`: per venue, the 8-hour-equivalent rate now and time-weighted over the window, with its interval and where the interval came from;");
  out.push("- `premium`: mark − index per venue in bps, now, at the window start and time-weighted;");
  out.push("- `sizes`: trade counts and notional in five USD size buckets per side, and large prints above an adaptive 99th-percentile threshold;");
  out.push("- `runs`: prints in runs at one price and side (iceberg-like refills);");
  out.push("- `top`: per venue top of book, time-weighted spread, top-of-book updates and microprice;");
  out.push("- `bookChange`: depth added and removed per side within 0.1 % and 1 % of mid;");
  out.push("- `book`: depth within a band summed over fresh synced books (once per band per cycle) and the primary book's levels;");
  out.push("- `liq`: the liquidation maps (estimated levels, sweeps, realized clusters and records, intensity history, cascade risk) and `insurance` funds;");
  out.push("- `self.previous`: the card's own values in the last cycles; `timeframes`: the other timeframes' views.");
  out.push("");
  out.push("## Bars");
  out.push("");
  out.push("One-minute bars (`bar` events: a venue's closed klines, REST candles or the Binance archive) feed the same windows and the same one-minute bar series as trades, so a card reads the same sums either way. A bar's event time is its last millisecond (`openTs + 59 999`): no window sees a minute before it is over.");
  out.push("");
  out.push("- **A minute is counted once per venue** (src/domain/inputs/minute-sources.ts): a minute for which a venue's trades were seen uses the trades, and that venue's bar for it is skipped (`bar-skipped`); a bar fills a minute with no trades from its venue (a backfill, a gap), and trades of that venue arriving later for that minute stay out of the windows (`trade-in-bar`), though they still set the price and feed the liquidation maps and zones, which bars never feed. Another venue's bar for the same minute counts: it is that venue's volume.");
  out.push("- A bar with a taker split (Binance) adds taker buy and sell volume; one without (Bybit, OKX, Hyperliquid candles) adds volume of unknown side, and every card that reads the taker split answers `taker side unknown for part of the window (bars without a taker split)` rather than read half the flow. A bar's trade count is known but not its sides: print-count cards say so. A candle without quote volume (Hyperliquid) is valued at its typical price, (high + low + close) / 3: an estimate.");
  out.push("- Bars satisfy a card's `trade` feed, except for cards that read single trades (sizes, large prints, runs: `singleTrades`), which answer `no single trades: this symbol's trades arrive as one-minute bars only`.");
  out.push("");
  out.push("## Categories");
  out.push("");
  out.push("| category | id prefix | cards | what it measures |");
  out.push("|---|---|---|---|");
  for (const cat of CATEGORIES) out.push(`| \`${cat.id}\` | \`${cardPrefix(cat)}.\` | ${cards.filter((d) => d.category === cat.id).length} | ${cell(cat.description)} |`);
  out.push("");
  out.push("Renamed in 0.2: categories `flow` → `order-flow` (its cards keep the `flow.` prefix), `whale` → `smart-money`, `basis` → `derivatives`; `sentiment` gave its place to `market-context` (why: see that category). Card ids that changed:");
  out.push("");
  out.push("| old id | new id |");
  out.push("|---|---|");
  for (const [from, to] of Object.entries(RENAMED_CARD_IDS)) out.push(`| \`${from}\` | \`${to}\` |`);
  for (const cat of CATEGORIES) {
    const list = cards.filter((d) => d.category === cat.id);
    out.push("");
    out.push(`## \`${cat.id}\` (${list.length})`);
    out.push("");
    out.push(ABOUT[cat.id] ?? cat.description);
    for (const card of list) {
      out.push("");
      out.push(`### \`${card.id}\`${card.kind === "stress" ? " (stress)" : ""}`);
      out.push("");
      out.push(`- formula: ${card.formula}`);
      out.push(`- value: ${card.units}`);
      out.push(`- feeds: ${card.feeds.join(", ")}; scale: ${priorText(card)}`);
      out.push(`- differs: ${card.differs}`);
    }
  }
  out.push("");
  return out.join("\n");
}
