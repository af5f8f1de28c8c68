/**
 * Redaction on save: node names, hostnames and IP addresses become stable aliases (`anon-node-001`,
 * `anon-host-001`, `anon-ip-001`: prefixed so an alias never reads as some other node's real name) in every string of a wire message, keys included. Aliases are given in
 * order of first sight and kept for the whole file; pass a previous `map()` to keep them across
 * saves. Names are learned from each message's `node` and `host.hostname` before it is rewritten,
 * so a name is replaced even inside free text (event messages, labels, raw tool output).
 */
import type { WireMessage } from '../protocol/spec.js';

/**
 * Candidates for IP addresses: dotted quads, and runs of hex digits with at least two colons. A
 * candidate is an address only if `isIp` says so: times ("12:30:45"), PCI bus ids
 * ("00000000:18:00.0", in every nvidia-smi row) and MAC-like strings are not.
 */
const IP = /(?<![\w.:])(?:(?:\d{1,3}\.){3}\d{1,3}|[0-9a-f]*:[0-9a-f:]*:[0-9a-f]*)(?![\w:]|\.\d)/gi;

/** A dotted quad of octets ≤ 255, or an IPv6 address: 8 groups, or fewer with one "::". */
export function isIp(text: string): boolean {
  if (text.includes('.')) return text.split('.').every((o) => Number(o) <= 255);
  const halves = text.split('::');
  if (halves.length > 2) return false;
  const groups = halves.flatMap((h) => (h === '' ? [] : h.split(':')));
  if (!groups.every((g) => /^[0-9a-f]{1,4}$/i.test(g))) return false;
  return halves.length === 2 ? groups.length <= 7 : groups.length === 8;
}

export class Redactor {
  private readonly aliases: Map<string, string>;
  private readonly counters = { node: 0, host: 0, ip: 0 };
  private pattern?: RegExp;

  constructor(map: Readonly<Record<string, string>> = {}) {
    this.aliases = new Map(Object.entries(map));
    for (const alias of this.aliases.values()) {
      const m = /^anon-(node|host|ip)-(\d+)$/.exec(alias);
      if (m) {
        const kind = m[1] as 'node' | 'host' | 'ip';
        this.counters[kind] = Math.max(this.counters[kind], Number(m[2]));
      }
    }
    this.rebuild();
  }

  /** Original → alias, to keep aliases stable across saves. */
  map(): Record<string, string> {
    return Object.fromEntries(this.aliases);
  }

  /**
   * Learns a message's names without rewriting it. Saving what a store holds observes every message
   * first, so a name mentioned in text before its node's own first message is replaced too; a live
   * recording cannot know a name before it is seen (pass it in the map to be sure).
   */
  observe(message: WireMessage): void {
    this.learn(message.node, 'node');
    if (message.type === 'inventory') this.learn(message.host.hostname, 'host');
  }

  redact(message: WireMessage): WireMessage {
    this.observe(message);
    return this.walk(message) as WireMessage;
  }

  /** Any text (a connection name, a Prometheus answer) with the names learned so far replaced. */
  text(value: string): string {
    let out = this.pattern
      ? value.replace(this.pattern, (name) => this.aliases.get(name) ?? name)
      : value;
    out = out.replace(IP, (ip) => (isIp(ip) ? this.alias(ip, 'ip') : ip));
    return out;
  }

  private learn(name: string, kind: 'node' | 'host'): void {
    if (this.aliases.has(name)) return;
    this.alias(name, kind);
  }

  private alias(name: string, kind: 'node' | 'host' | 'ip'): string {
    let alias = this.aliases.get(name);
    if (alias === undefined) {
      alias = `anon-${kind}-${String(++this.counters[kind]).padStart(3, '0')}`;
      this.aliases.set(name, alias);
      this.rebuild();
    }
    return alias;
  }

  private rebuild(): void {
    if (this.aliases.size === 0) return;
    // Longest first, so "gpu-node-10" is replaced before "gpu-node-1".
    const names = [...this.aliases.keys()].sort((a, b) => b.length - a.length).map(escapeRegExp);
    this.pattern = new RegExp(names.join('|'), 'g');
  }

  private walk(value: unknown): unknown {
    if (typeof value === 'string') return this.text(value);
    if (Array.isArray(value)) return value.map((v) => this.walk(v));
    if (value !== null && typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) out[this.text(k)] = this.walk(v);
      return out;
    }
    return value;
  }
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
