/** Channel names of `/v1/stream`: `SYMBOL:kind`, and `*:bias` for every symbol's bias. */

/** The wildcard channel: every tracked symbol's bias; its messages name the real channel. */
export const ALL_BIAS = "*:bias";

/** A symbol as the engine spells it (`BTCUSDT`, `1000PEPEUSDT`). */
export const SYMBOL_PATTERN = /^[0-9A-Z]{2,30}$/;

const CHANNEL_PATTERN = /^(?:[0-9A-Z]{2,30}|\*):[a-z]{2,20}$/;

/** True for a well-formed channel name (the server decides whether the symbol is tracked). */
export function isChannel(name: string): boolean {
  return CHANNEL_PATTERN.test(name);
}

export function channelOf<K extends string>(symbol: string, kind: K): `${string}:${K}` {
  return `${symbol}:${kind}`;
}

export function splitChannel(channel: string): { symbol: string; kind: string } {
  const i = channel.lastIndexOf(":");
  return { symbol: channel.slice(0, i), kind: channel.slice(i + 1) };
}

/**
 * The subscription keys a message on `channel` is delivered to: the channel itself and, for a
 * symbol's bias, the wildcard.
 */
export function deliveryKeys(channel: string): string[] {
  return channel.endsWith(":bias") && channel !== ALL_BIAS ? [channel, ALL_BIAS] : [channel];
}
