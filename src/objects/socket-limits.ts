/**
 * What one `/v1/stream` socket may cost its relay; the token bucket that enforces it is
 * src/protocol/token-bucket.ts.
 *
 * Every limit here bounds work another client would otherwise wait for: a relay runs its
 * sockets' frames one after another, and the SymbolObjects it asks for snapshots and interest
 * changes serve the HTTP read path and the ingest too. (Opens per address are limited before
 * the upgrade, in src/api/stream.ts.) Per socket:
 *   - frames per second: beyond → close 1008;
 *   - channel operations per second (each subscribed, unsubscribed or snapshotted channel):
 *     beyond → `rate_limited`, the socket stays open;
 *   - snapshot reads in flight and snapshot bytes per second: beyond → they wait their turn;
 *   - a socket the relay closed is done: its frames still in flight are dropped unread.
 *
 * Pure: no runtime imports; time comes in as `nowMs`.
 */

// The relay's buckets are the shared token bucket (the client paces itself with the same one).
export { fullBucket, take, waitMs, type Bucket } from "../protocol/token-bucket.js";

/**
 * Client frames per socket: a burst of CLIENT_BURST, then CLIENT_PER_S per second; beyond →
 * close 1008. The typed client sends at most 10 at once and 5/s (src/client/stream-send-queue.ts).
 */
export const CLIENT_BURST = 20;
export const CLIENT_PER_S = 10;

/**
 * Channel operations per socket: each channel of a `subscribe`, `unsubscribe` or `snapshot`
 * costs one (`*:bias` costs one per tracked symbol: it is that many snapshots). A burst of
 * SUBSCRIBE_BURST covers a full socket's first subscribe (200 channels and `*:bias`); then
 * SUBSCRIBE_PER_S per second, a dashboard switching symbols twice a second. Beyond, the
 * message is refused with `rate_limited` and the socket stays open.
 */
export const SUBSCRIBE_BURST = 250;
export const SUBSCRIBE_PER_S = 25;

/**
 * Snapshot reads (RPCs to SymbolObjects) one socket may have in flight; its other snapshot
 * requests wait, in order, and a request already waiting is not queued twice. Four keeps a
 * `*:bias` subscribe (21 reads) well under a second while 20 sockets asking at once cost the
 * SymbolObjects 80 reads, not 420.
 */
export const MAX_SNAPSHOT_READS_PER_SOCKET = 4;

/**
 * Snapshot bytes per socket: SNAPSHOT_BYTES_BURST at once, then SNAPSHOT_BYTES_PER_S; beyond,
 * snapshots wait their turn (deduplicated per channel). Measured on the replay (BTCUSDT): cards
 * ≈ 92 KB, bias ≈ 24 KB, heatmap ≈ 21 KB; so the dashboard's first subscribe (`*:bias` and 21
 * liquidation lists of 50) comes to ≈ 0.6 MB with all 21 symbols live, a symbol page's to
 * ≈ 0.15 MB: both go at once. A socket re-asking for snapshots in a loop gets 256 KiB/s.
 */
export const SNAPSHOT_BYTES_BURST = 1_048_576;
export const SNAPSHOT_BYTES_PER_S = 262_144;
