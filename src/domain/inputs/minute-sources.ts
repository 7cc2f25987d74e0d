/**
 * Which source filled each minute, per venue: its trades or its bar. The rule against counting a
 * minute twice (docs/signals.md, "Bars"):
 *
 * - a minute for which a venue's trades were seen uses the trades; that venue's bar for it is
 *   skipped (counted `bar-skipped`);
 * - a venue's bar fills a minute with no trades from that venue (a backfill, a gap); trades of that
 *   venue arriving later for the same minute are already in the bar and skipped from the windows
 *   and bars (counted `trade-in-bar`), though they still set the price and feed the liquidation maps
 *   and zones, which bars never feed.
 *
 * Per venue a ring of `minutes` minute states (none / trades / bar): O(1) per event. The JSON form
 * is run-length encoded (a venue that trades every minute is one run).
 */
import { VENUES, type Venue } from "../events.js";
import { MINUTE_MS } from "./bar-ring.js";

const NONE = 0;
export const TRADES = 1;
export const BAR = 2;
type Source = typeof NONE | typeof TRADES | typeof BAR;

export interface MinuteSourcesState {
  /** Per venue, runs `[first minute, minutes, source]`, ascending. */
  venues: Partial<Record<Venue, [number, number, number][]>>;
}

class VenueMinutes {
  readonly ids: Float64Array;
  readonly states: Uint8Array;
  constructor(readonly size: number) {
    this.ids = new Float64Array(size).fill(-1);
    this.states = new Uint8Array(size);
  }
  get(minute: number): Source {
    const slot = minute % this.size;
    return this.ids[slot] === minute ? (this.states[slot] as Source) : NONE;
  }
  set(minute: number, source: Source): void {
    const slot = minute % this.size;
    if (this.ids[slot] > minute) return;
    this.ids[slot] = minute;
    this.states[slot] = source;
  }
}

export class MinuteSources {
  private venues: Partial<Record<Venue, VenueMinutes>> = {};

  constructor(private readonly minutes: number) {}

  /** A trade of `venue` at `ts`: true when it counts (its minute is not already in a bar). */
  onTrade(venue: Venue, ts: number): boolean {
    const m = Math.floor(ts / MINUTE_MS);
    const v = this.venueOf(venue);
    const s = v.get(m);
    if (s === BAR) return false;
    if (s === NONE) v.set(m, TRADES);
    return true;
  }

  /** A closed bar of `venue` opening at `openTs`: true when it fills its minute (no trades, no bar yet). */
  onBar(venue: Venue, openTs: number): boolean {
    const m = Math.floor(openTs / MINUTE_MS);
    const v = this.venueOf(venue);
    if (v.get(m) !== NONE) return false;
    v.set(m, BAR);
    return true;
  }

  toJSON(): MinuteSourcesState {
    const venues: MinuteSourcesState["venues"] = {};
    for (const name of VENUES) {
      const v = this.venues[name];
      if (v === undefined) continue;
      const held: [number, number][] = [];
      for (let i = 0; i < v.size; i++) if (v.ids[i] >= 0 && v.states[i] !== NONE) held.push([v.ids[i], v.states[i]]);
      held.sort((a, b) => a[0] - b[0]);
      const runs: [number, number, number][] = [];
      for (const [m, s] of held) {
        const last = runs[runs.length - 1];
        if (last !== undefined && last[0] + last[1] === m && last[2] === s) last[1]++;
        else runs.push([m, 1, s]);
      }
      venues[name] = runs;
    }
    return { venues };
  }

  static fromJSON(state: MinuteSourcesState, minutes: number): MinuteSources {
    const out = new MinuteSources(minutes);
    for (const name of VENUES) {
      const runs = state.venues[name];
      if (runs === undefined) continue;
      const v = out.venueOf(name);
      for (const [first, n, s] of runs) for (let m = first; m < first + n; m++) v.set(m, s as Source);
    }
    return out;
  }

  private venueOf(venue: Venue): VenueMinutes {
    let v = this.venues[venue];
    if (v === undefined) this.venues[venue] = v = new VenueMinutes(this.minutes);
    return v;
  }
}
