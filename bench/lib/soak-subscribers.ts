/**
 * The soak's subscribers: N real `ws` clients on `/v1/stream`, each holding the channels of its
 * plan (soak-mix.ts) for the whole run, checking every channel's sequence (soak-sequence.ts),
 * pinging like the typed client does, and recording every close it did not ask for.
 *
 * Opening: in waves of `wave` sockets, each wave waiting for its `subscribed` acknowledgements,
 * so the relays see the ramp a deploy would see rather than N upgrades in one instant. An
 * upgrade refused with 429 (the per-address open limit) waits its `Retry-After` and is retried.
 *
 * A close is expected only after `closeAll()`; any other close (or an `error` event) is
 * unexpected and is kept with its code, reason, profile and time.
 */
import WebSocket from "ws";
import type { ProfileName, SubscriberPlan } from "./soak-mix.js";
import { readServerFrame } from "./soak-frames.js";
import { SequenceTracker, type GapRecord, type SequenceCounts } from "./soak-sequence.js";

/** The typed client's heartbeat (src/client/stream.ts `heartbeatMs`). */
export const PING_EVERY_MS = 20_000;
const OPEN_TIMEOUT_MS = 60_000;
const MAX_OPEN_ATTEMPTS = 5;
const KEPT_RECORDS = 20;

/** A close the soak did not initiate. */
export interface UnexpectedClose {
  socket: number;
  profile: ProfileName;
  code: number;
  reason: string;
  /** Milliseconds since the pool began opening sockets. */
  atMs: number;
}

/** A gap, with the socket it was seen on and, as evidence, that socket's frames around it. */
export interface SeenGap extends GapRecord {
  socket: number;
  profile: ProfileName;
  atMs: number;
  /** The socket's last frames up to the gap's, then the next few (`type channel seq [patch] [coalesced]`). */
  frames: string[];
}

/** Frames kept before a gap, and recorded after it, per socket. */
const EVIDENCE_FRAMES = 8;

/** Everything the pool counted so far. */
export interface PoolCounts {
  open: number;
  /** Text frames received, and their bytes. */
  messages: number;
  bytes: number;
  snapshots: number;
  updates: number;
  /** `{"type":"error"}` frames, by code (a refused subscribe, a rate limit). */
  errors: Record<string, number>;
  pongs: number;
  missedPongs: number;
  unexpectedCloses: number;
  socketErrors: number;
  /** Upgrades refused with 429 and retried. */
  refusedOpens: number;
  /** Sockets that received at least one update (a widget on a symbol without data gets none). */
  socketsWithUpdates: number;
}

interface Subscriber {
  plan: SubscriberPlan;
  ws: WebSocket | null;
  tracker: SequenceTracker;
  updates: number;
  pingSentAtMs: number | null;
  /** The last EVIDENCE_FRAMES channel frames, for a gap's evidence. */
  recent: string[];
  /** Gap records still collecting the frames that follow. */
  following: SeenGap[];
}

export class SubscriberPool {
  /** Per-channel sequence counts over all sockets. */
  readonly byChannel = new Map<string, SequenceCounts>();
  readonly closes: UnexpectedClose[] = [];
  readonly gaps: SeenGap[] = [];
  private readonly subscribers: Subscriber[];
  private readonly counts: PoolCounts = {
    open: 0, messages: 0, bytes: 0, snapshots: 0, updates: 0, errors: {}, pongs: 0, missedPongs: 0,
    unexpectedCloses: 0, socketErrors: 0, refusedOpens: 0, socketsWithUpdates: 0,
  };
  /** When the pool began opening sockets: the origin of every `atMs` it records. */
  readonly originMs = Date.now();
  private closing = false;
  private pingTimer: ReturnType<typeof setInterval> | null = null;

  constructor(
    private readonly url: string,
    plans: SubscriberPlan[],
    private readonly deflate = true,
  ) {
    this.subscribers = plans.map((plan) => {
      const s: Subscriber = { plan, ws: null, tracker: null!, updates: 0, pingSentAtMs: null, recent: [], following: [] };
      s.tracker = new SequenceTracker(this.byChannel, (gap) => this.onGap(s, gap));
      return s;
    });
  }

  /** Opens every socket, `wave` at a time, each subscribed before the next wave starts. */
  async openAll(wave: number, onWave?: (open: number) => void, stopped: () => boolean = () => false): Promise<void> {
    for (let i = 0; i < this.subscribers.length && !this.closing && !stopped(); i += wave) {
      await Promise.all(this.subscribers.slice(i, i + wave).map((s) => this.open(s)));
      onWave?.(this.counts.open);
    }
    this.startPinging();
  }

  /** A copy of the counts. */
  snapshot(): PoolCounts {
    return { ...this.counts, errors: { ...this.counts.errors }, socketsWithUpdates: this.subscribers.filter((s) => s.updates > 0).length };
  }

  /** Socket counts per profile. */
  profiles(): Record<ProfileName, number> {
    const out: Record<ProfileName, number> = { widget: 0, dashboard: 0, "symbol-page": 0, "liq-feed": 0 };
    for (const s of this.subscribers) out[s.plan.profile]++;
    return out;
  }

  /** Closes every socket with 1000 and waits (bounded) for the closes to complete. */
  async closeAll(timeoutMs = 10_000): Promise<void> {
    this.closing = true;
    if (this.pingTimer) clearInterval(this.pingTimer);
    const closed = this.subscribers.map(
      (s) =>
        new Promise<void>((resolve) => {
          const ws = s.ws;
          if (!ws || ws.readyState === WebSocket.CLOSED) return resolve();
          ws.once("close", () => resolve());
          try {
            ws.close(1000, "soak done");
          } catch {
            resolve();
          }
        }),
    );
    const timer = new Promise<void>((r) => setTimeout(r, timeoutMs).unref());
    await Promise.race([Promise.all(closed), timer]);
    for (const s of this.subscribers) s.ws?.terminate();
  }

  private async open(s: Subscriber): Promise<void> {
    for (let attempt = 1; attempt <= MAX_OPEN_ATTEMPTS; attempt++) {
      const outcome = await this.tryOpen(s);
      if (outcome === "open") return;
      if (this.closing) return;
      if (typeof outcome === "number") {
        this.counts.refusedOpens++;
        await new Promise((r) => setTimeout(r, outcome));
        continue;
      }
      throw new Error(`socket ${s.plan.index} (${s.plan.profile}) could not subscribe: ${outcome}`);
    }
    throw new Error(`socket ${s.plan.index}: upgrade refused ${MAX_OPEN_ATTEMPTS} times (429)`);
  }

  /** "open" once subscribed; a number (ms to wait) on 429; an error text otherwise. */
  private tryOpen(s: Subscriber): Promise<"open" | number | string> {
    return new Promise((resolve) => {
      const ws = new WebSocket(this.url, { perMessageDeflate: this.deflate });
      let settled = false;
      let opened = false;
      const settle = (v: "open" | number | string) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(v);
      };
      const timer = setTimeout(() => {
        settle(`no "subscribed" within ${OPEN_TIMEOUT_MS / 1000} s`);
        ws.terminate();
      }, OPEN_TIMEOUT_MS);
      ws.on("unexpected-response", (_req, res) => {
        const retryS = Number(res.headers["retry-after"] ?? 1);
        settle(res.statusCode === 429 ? Math.max(1, retryS) * 1000 : `upgrade answered ${res.statusCode}`);
        res.resume();
        ws.terminate();
      });
      ws.on("open", () => ws.send(JSON.stringify({ op: "subscribe", channels: s.plan.channels })));
      ws.on("message", (raw, isBinary) => {
        const text = isBinary ? "" : String(raw);
        if (!settled && text.startsWith('{"type":"subscribed"')) {
          opened = true;
          s.ws = ws;
          this.counts.open++;
          settle("open");
        }
        this.onMessage(s, text);
      });
      ws.on("error", (err) => {
        if (!opened) return settle(String(err));
        if (!this.closing) this.counts.socketErrors++;
      });
      ws.on("close", (code, reason) => {
        if (!opened) return settle(`closed ${code} ${String(reason)} before "subscribed"`);
        this.counts.open--;
        if (this.closing) return;
        this.counts.unexpectedCloses++;
        if (this.closes.length < KEPT_RECORDS) {
          this.closes.push({ socket: s.plan.index, profile: s.plan.profile, code, reason: String(reason), atMs: Date.now() - this.originMs });
        }
      });
    });
  }

  private onMessage(s: Subscriber, text: string): void {
    this.counts.messages++;
    this.counts.bytes += text.length;
    if (text === '{"type":"pong"}') {
      this.counts.pongs++;
      s.pingSentAtMs = null;
      return;
    }
    let read;
    try {
      read = readServerFrame(text);
    } catch {
      this.counts.errors.unparsable = (this.counts.errors.unparsable ?? 0) + 1;
      return;
    }
    if (read.kind === "other") {
      if (read.type === "error") this.counts.errors[read.code ?? "error"] = (this.counts.errors[read.code ?? "error"] ?? 0) + 1;
      return;
    }
    if (read.frame.type === "snapshot") this.counts.snapshots++;
    else {
      this.counts.updates++;
      s.updates++;
    }
    const f = read.frame;
    const line = `${f.type} ${f.channel} ${f.seq}${f.patch ? " patch" : ""}${f.coalesced ? ` coalesced ${f.coalesced}` : ""}`;
    s.recent.push(line);
    if (s.recent.length > EVIDENCE_FRAMES) s.recent.shift();
    for (const gap of s.following) gap.frames.push(line);
    s.following = s.following.filter((g) => g.frames.length < 2 * EVIDENCE_FRAMES);
    s.tracker.observe(f);
  }

  private onGap(s: Subscriber, gap: GapRecord): void {
    if (this.gaps.length >= KEPT_RECORDS) return;
    const seen: SeenGap = { ...gap, socket: s.plan.index, profile: s.plan.profile, atMs: Date.now() - this.originMs, frames: [...s.recent] };
    this.gaps.push(seen);
    s.following.push(seen);
  }

  /** Each socket pings every PING_EVERY_MS, staggered over the interval; a ping still unanswered at the next is a missed pong. */
  private startPinging(): void {
    const tickMs = 1_000;
    const slots = PING_EVERY_MS / tickMs;
    let tick = 0;
    this.pingTimer = setInterval(() => {
      const now = Date.now();
      for (const s of this.subscribers) {
        if (s.plan.index % slots !== tick % slots || !s.ws || s.ws.readyState !== WebSocket.OPEN) continue;
        if (s.pingSentAtMs !== null) this.counts.missedPongs++;
        s.pingSentAtMs = now;
        try {
          s.ws.send('{"op":"ping"}');
        } catch {
          // closing: its close event records it
        }
      }
      tick++;
    }, tickMs);
  }
}
