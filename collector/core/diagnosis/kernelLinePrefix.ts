/**
 * The time and origin prefixes a kernel log line arrives with, taken off so the message can be
 * matched, and turned into a time. The styles seen in real logs (collector/probes/kernel/fixtures):
 *
 * - /dev/kmsg records `6,1234,5678901,-;NVRM: …` (priority, sequence, µs since boot; the kernel's
 *   Documentation/ABI/testing/dev-kmsg) with `\xHH`-escaped bytes;
 * - dmesg `[  123.456789]` (seconds since boot), optionally after a `<4>` priority (pstore, dmesg -r);
 * - dmesg -T / --ctime `[Fri Aug 30 11:43:09 2024]` (local time);
 * - dmesg --time-format=iso `2025-01-21T04:41:44,283302+00:00`, with --decode's `kern  :warn  : `;
 * - journalctl -k (short) `Nov 29 11:28:11 zeus kernel:` and short-precise `… 11:28:11.123456 …`;
 * - journalctl short-iso `2025-12-01T14:02:11+0000 host kernel:` (and …+00:00, short-iso-precise),
 *   short-full `Mon 2025-12-01 14:02:11 UTC host kernel:`, short-unix `1764597731.123456 host kernel:`;
 * - talosctl dmesg `192.168.11.119: kern: warning: [2026-04-22T21:27:51.291660856Z]: NVRM: …`;
 * - JSON lines: journalctl -o json (`MESSAGE`, `__REALTIME_TIMESTAMP` µs) and Talos's log
 *   destinations (`msg`, `talos-time`);
 * - RFC 5424 syslog `<4>1 2025-12-01T14:02:11.123Z host kernel - - - NVRM: …` (a log shipper's
 *   forward), and RFC 3164 `<4>Dec  1 14:02:11 host kernel: …`;
 * - Ascend device-side slog `[EVENT] KERNEL(4128,sklogd):2024-01-22-05:03:02.259.649 [klogd.c:253][…]`.
 *
 * Pure: no Node APIs. Local-time styles (ctime, syslog, slog) use the Date constructor's local
 * time, which is the time zone the log was written in when it is read on the same machine.
 */

export interface PrefixOptions {
  /** Wall-clock ms of boot, to turn uptime stamps into times; unknown: those lines get null. */
  bootTimeMs?: number;
  /** Year for syslog stamps that have none (default: the year of `now`, or the one before). */
  year?: number;
  now: number;
}

export interface Prefixed {
  /** The line's own time (ms epoch); null when it has none that can be placed in time. */
  ts: number | null;
  /** The message without its prefixes. */
  body: string;
  /** dmesg / kmsg seconds since boot, when the line carried them. */
  uptimeMs?: number;
}

export interface KmsgRecord {
  priority: number;
  seq: number;
  usec: number;
  /** The message with `\xHH` escapes decoded (a multi-line record keeps its newlines). */
  text: string;
}

const MONTHS: Readonly<Record<string, number>> = {
  Jan: 0,
  Feb: 1,
  Mar: 2,
  Apr: 3,
  May: 4,
  Jun: 5,
  Jul: 6,
  Aug: 7,
  Sep: 8,
  Oct: 9,
  Nov: 10,
  Dec: 11,
};

const KMSG = /^(\d{1,3}),(\d{1,20}),(\d{1,20}),[^;]{0,16};/;

/** A /dev/kmsg record (`prio,seq,usec,flags[,…];text`); undefined when the line is not one. */
export function parseKmsgRecord(line: string): KmsgRecord | undefined {
  const m = KMSG.exec(line);
  if (!m) return undefined;
  const seq = Number(m[2]);
  const usec = Number(m[3]);
  if (!Number.isSafeInteger(seq) || !Number.isSafeInteger(usec)) return undefined;
  return {
    // The facility sits above the low three bits (syslog): 6 is kern.info, 30 daemon.info.
    priority: Number(m[1]) & 7,
    seq,
    usec,
    text: unescapeKmsg(line.slice(m[0].length)),
  };
}

/** /dev/kmsg escapes non-printable bytes (and newlines of multi-line records) as `\xHH`. */
function unescapeKmsg(text: string): string {
  if (!text.includes('\\x')) return text;
  return text.replace(/\\x([0-9a-fA-F]{2})/g, (_, hex: string) =>
    String.fromCharCode(parseInt(hex, 16)),
  );
}

const PRIORITY = /^<\d{1,3}>/;
const UPTIME = /^\[\s*(\d{1,10})\.(\d{1,9})\]\s?/;
const CTIME =
  /^\[(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) {1,2}(\d{1,2}) (\d{2}):(\d{2}):(\d{2}) (\d{4})\]\s?/;
const DECODE =
  /^(?:kern|user|mail|daemon|auth|syslog|lpr|news|uucp|cron|authpriv|ftp|local[0-7]) *:(?:emerg|alert|crit|err|warn|notice|info|debug) *: /;
const ISO =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))?(Z|[+-]\d{2}:?\d{2})?\s/;
const SYSLOG =
  /^(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) {1,2}(\d{1,2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))? /;
/** After a journald/syslog stamp: the host and the tag (`zeus kernel: `, `node nvidia-persistenced[12]: `). */
const HOST_TAG = /^[^\s:]{1,255} ([\w.@/-]{1,64}(?:\[\d{1,10}\])?): /;
const HOST_KERNEL = /^[^\s:]{1,255} kernel: /;
const TALOS =
  /^[^\s]{1,255}: [a-z0-9]{2,10}: {0,8}[a-z]{2,10}: \[(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?Z\]: /;
const SHORT_FULL =
  /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) (\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))? ([A-Za-z]{1,6}|[+-]\d{2}:?\d{2}) /;
const SHORT_UNIX = /^(\d{9,11})\.(\d{1,9}) (?=[^\s:]{1,255} kernel: )/;
const RFC5424 =
  /^<\d{1,3}>1 (\S{10,40}) \S{1,255} \S{1,48} \S{1,128} \S{1,32} (?:-|(?:\[[^\]]{0,1024}\])+) ?/;
const SLOG =
  /^\[[A-Z]{2,8}\] KERNEL\(\d{1,10},\w{1,32}\):(\d{4})-(\d{2})-(\d{2})-(\d{2}):(\d{2}):(\d{2})\.(\d{1,3})(?:\.\d{1,3})? (?:\[[\w.]{1,64}:\d{1,6}\])?/;

/** Takes the prefixes off a line (in any of the styles above) and reads its time. */
export function stripPrefix(line: string, opts: PrefixOptions): Prefixed {
  // trimEnd, not a /\s+$/ regex: that one is quadratic on a long run of inner spaces.
  let text = line.trimEnd();
  if (text.startsWith('{')) {
    const json = fromJson(text, opts);
    if (json) return json;
  }
  const kmsg = parseKmsgRecord(text);
  if (kmsg) {
    const uptimeMs = kmsg.usec / 1000;
    return { ts: fromUptime(uptimeMs, opts), body: kmsg.text, uptimeMs };
  }
  let m = TALOS.exec(text);
  if (m) return { ts: utcOf(m, 1), body: text.slice(m[0].length) };
  m = SHORT_FULL.exec(text);
  if (m) {
    // The zone is an abbreviation; only UTC/GMT and numeric offsets are unambiguous, the rest is
    // taken as this machine's local time (journalctl prints the zone it runs in).
    const zone = m[8]!;
    const numeric = /^[+-]/.test(zone);
    const ts =
      zone === 'UTC' || zone === 'GMT' || numeric
        ? isoOf(
            ISO.exec(
              `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}${m[7] ? `.${m[7]}` : ''}${numeric ? zone : 'Z'} `,
            )!,
          )
        : localOf(+m[1]!, +m[2]! - 1, +m[3]!, m, 4, m[7]);
    return afterHost(text.slice(m[0].length), ts, opts);
  }
  m = SHORT_UNIX.exec(text);
  if (m) {
    const ts = Number(m[1]) * 1000 + fractionMs(m[2]);
    return afterHost(text.slice(m[0].length), ts, opts);
  }
  m = RFC5424.exec(text);
  if (m) {
    const iso = ISO.exec(`${m[1]!} `);
    return withInnerUptime(text.slice(m[0].length), iso ? isoOf(iso) : null, opts);
  }
  m = SLOG.exec(text);
  if (m) {
    const ts = localOf(+m[1]!, +m[2]! - 1, +m[3]!, m, 4, m[7]);
    return withInnerUptime(text.slice(m[0].length), ts, opts);
  }
  text = text.replace(PRIORITY, '').replace(DECODE, '');
  m = CTIME.exec(text);
  if (m) {
    const ts = localOf(+m[6]!, MONTHS[m[1]!]!, +m[2]!, m, 3);
    return { ts, body: text.slice(m[0].length) };
  }
  m = UPTIME.exec(text);
  if (m) {
    const uptimeMs = uptimeOf(m[1]!, m[2]!);
    const rest = text.slice(m[0].length);
    // journalctl -o short-monotonic: `[ 123.456] host kernel: …`
    const host = HOST_KERNEL.exec(rest);
    const body = host ? rest.slice(host[0].length) : rest;
    return { ts: fromUptime(uptimeMs, opts), body, uptimeMs };
  }
  m = ISO.exec(text);
  if (m) {
    const ts = isoOf(m);
    let rest = text.slice(m[0].length);
    const host = HOST_KERNEL.exec(rest);
    if (host) rest = rest.slice(host[0].length);
    return withInnerUptime(rest, ts, opts);
  }
  m = SYSLOG.exec(text);
  if (m) {
    const ts = syslogTime(m, opts);
    let rest = text.slice(m[0].length);
    const tag = HOST_TAG.exec(rest);
    if (tag) rest = rest.slice(tag[0].length);
    return withInnerUptime(rest, ts, opts);
  }
  return { ts: null, body: text.trimStart() };
}

function afterHost(rest: string, ts: number | null, opts: PrefixOptions): Prefixed {
  const host = HOST_KERNEL.exec(rest);
  return withInnerUptime(host ? rest.slice(host[0].length) : rest, ts, opts);
}

/** rsyslog and older journald keep the kernel's own `[ 123.456]` after their stamp; theirs wins. */
function withInnerUptime(rest: string, ts: number | null, opts: PrefixOptions): Prefixed {
  const m = UPTIME.exec(rest);
  if (!m) return { ts, body: rest };
  const uptimeMs = uptimeOf(m[1]!, m[2]!);
  return { ts: ts ?? fromUptime(uptimeMs, opts), body: rest.slice(m[0].length), uptimeMs };
}

function fromJson(text: string, opts: PrefixOptions): Prefixed | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const o = value as Record<string, unknown>;
  const message = typeof o.MESSAGE === 'string' ? o.MESSAGE : o.msg;
  if (typeof message !== 'string') return undefined;
  let ts: number | null = null;
  const realtime = o.__REALTIME_TIMESTAMP;
  const talos = o['talos-time'];
  if (typeof realtime === 'string' && /^\d{1,20}$/.test(realtime)) {
    ts = Math.floor(Number(realtime) / 1000);
  } else if (typeof talos === 'string') {
    const t = Date.parse(talos);
    ts = Number.isFinite(t) ? t : null;
  }
  if (ts === null && typeof o.clock === 'number' && Number.isFinite(o.clock)) {
    // Talos's `clock` is the kmsg record's µs since boot.
    return { ts: fromUptime(o.clock / 1000, opts), body: message, uptimeMs: o.clock / 1000 };
  }
  return { ts, body: message };
}

function uptimeOf(seconds: string, fraction: string): number {
  return Number(seconds) * 1000 + Number(`0.${fraction}`) * 1000;
}

function fromUptime(uptimeMs: number, opts: PrefixOptions): number | null {
  return opts.bootTimeMs === undefined ? null : Math.round(opts.bootTimeMs + uptimeMs);
}

function fractionMs(fraction: string | undefined): number {
  return fraction === undefined ? 0 : Math.floor(Number(`0.${fraction}`) * 1000);
}

function utcOf(m: RegExpExecArray, at: number): number | null {
  const t = Date.UTC(+m[at]!, +m[at + 1]! - 1, +m[at + 2]!, +m[at + 3]!, +m[at + 4]!, +m[at + 5]!);
  return valid(t + fractionMs(m[at + 6]));
}

function localOf(
  year: number,
  month: number,
  day: number,
  m: RegExpExecArray,
  at: number,
  fraction?: string,
): number | null {
  const t = new Date(year, month, day, +m[at]!, +m[at + 1]!, +m[at + 2]!).getTime();
  return valid(t + (fraction === undefined ? 0 : Number(fraction.padEnd(3, '0').slice(0, 3))));
}

function isoOf(m: RegExpExecArray): number | null {
  const zone = m[8];
  if (zone === undefined) return localOf(+m[1]!, +m[2]! - 1, +m[3]!, m, 4, m[7]?.slice(0, 3));
  const utc = utcOf(m, 1);
  if (utc === null) return null;
  if (zone === 'Z') return utc;
  const z = /^([+-])(\d{2}):?(\d{2})$/.exec(zone)!;
  const offset = (Number(z[2]) * 60 + Number(z[3])) * 60_000;
  return z[1] === '+' ? utc - offset : utc + offset;
}

/** Syslog stamps have no year: this year's, unless that is more than a day ahead of now. */
function syslogTime(m: RegExpExecArray, opts: PrefixOptions): number | null {
  const month = MONTHS[m[1]!]!;
  const day = +m[2]!;
  const fraction = m[6]?.slice(0, 3);
  if (opts.year !== undefined) return localOf(opts.year, month, day, m, 3, fraction);
  const year = new Date(opts.now).getFullYear();
  const t = localOf(year, month, day, m, 3, fraction);
  if (t !== null && t > opts.now + 86_400_000) return localOf(year - 1, month, day, m, 3, fraction);
  return t;
}

function valid(t: number): number | null {
  return Number.isFinite(t) ? t : null;
}
