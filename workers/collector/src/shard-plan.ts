/**
 * Which topics go on which connection. Topics are grouped by the endpoint that serves them
 * (most venues have one), then cut into shards of at most `maxTopicsPerConnection`. The plan
 * is deterministic for a given spec and instrument list, so a shard keeps its name (and its
 * counters in /v1/health) across restarts. Pure.
 */
import { endpointOf, type LiveConnectionSpec } from "@liqflow/engine/exchanges/connection-spec.js";

export interface ShardPlan {
  /** Stable name, `<endpoint>-<index>`, e.g. `public-0`. */
  key: string;
  url: string;
  topics: string[];
}

/**
 * The connections for `instruments` (venue spelling) of a venue: instrument topics in
 * instrument order, venue-wide topics after them, each on its endpoint.
 */
export function planShards(spec: LiveConnectionSpec, instruments: readonly string[], wsUrl: string): ShardPlan[] {
  const max = spec.maxTopicsPerConnection;
  if (!Number.isInteger(max) || max < 1) {
    throw new Error(`${spec.venue}: maxTopicsPerConnection must be an integer >= 1 (got ${max})`);
  }
  const byEndpoint = new Map<string, { url: string; topics: string[] }>();
  const seen = new Set<string>();
  const add = (topic: string) => {
    if (seen.has(topic)) return;
    seen.add(topic);
    const endpoint = endpointOf(spec, topic, wsUrl);
    let group = byEndpoint.get(endpoint.name);
    if (!group) byEndpoint.set(endpoint.name, (group = { url: endpoint.url, topics: [] }));
    else if (group.url !== endpoint.url) {
      throw new Error(`${spec.venue}: endpoint "${endpoint.name}" has two URLs (${group.url}, ${endpoint.url})`);
    }
    group.topics.push(topic);
  };
  for (const instrument of instruments) for (const topic of spec.topics(instrument)) add(topic);
  for (const topic of spec.globalTopics()) add(topic);

  const plans: ShardPlan[] = [];
  for (const [name, group] of byEndpoint) {
    for (let i = 0, shard = 0; i < group.topics.length; i += max, shard++) {
      plans.push({ key: `${name}-${shard}`, url: group.url, topics: group.topics.slice(i, i + max) });
    }
  }
  return plans;
}
