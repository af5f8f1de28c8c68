/**
 * Which requests the console, its API and its stream answer. A web page anywhere can make the
 * browser of someone running `osprey serve` talk to 127.0.0.1:7420 by name: through DNS
 * rebinding (evil.example first resolves to the attacker, then to 127.0.0.1, so the page reads
 * our answers as its own origin) or by plain cross-site requests. Two checks close that:
 *
 * - Host: the name the browser used must be one of ours, else 421 Misdirected Request
 *   (RFC 9110 §15.5.20). Ours: the loopback names, the `--host` address, and names given with
 *   `--allow-host` (a tunnel or proxy name). A rebinding page always sends its own name.
 * - Origin: a request that carries an Origin (browsers send one on every WebSocket and on every
 *   cross-site or non-GET fetch) must come from a page of this same server (its Origin names the
 *   Host the request was sent to), else 403. No Origin at all is a program (curl, Prometheus,
 *   the desktop shell), which the token or the Host check still governs.
 *
 * `/metrics` and `/healthz` skip both: Prometheus scrapes by IP and by whatever name service
 * discovery gives, and both are open by design, like every exporter.
 */

/** The names every server answers to: the loopback ones a browser or tunnel uses. */
export const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '[::1]'] as const;

/** `::1` → `[::1]`, lower case: the form a name takes in a Host header. */
export function hostHeaderName(address: string): string {
  const name = address.trim().toLowerCase();
  return name.includes(':') && !name.startsWith('[') ? `[${name}]` : name;
}

/** Every name this server answers to: loopback, the listen address, the allowed names. */
export function allowedHostNames(listenHost: string, allowHost: readonly string[]): Set<string> {
  return new Set([...LOOPBACK_NAMES, hostHeaderName(listenHost), ...allowHost.map(hostHeaderName)]);
}

/**
 * The name part of a Host header (`localhost:7420` → `localhost`, `[::1]:7420` → `[::1]`), lower
 * case; undefined when there is none or it is not a plain name[:port].
 */
export function nameOfHost(host: string | undefined): string | undefined {
  if (host === undefined) return undefined;
  const match = /^(\[[0-9a-f:.]+\]|[^\s:/@[\]]+)(?::\d{1,5})?$/i.exec(host.trim());
  return match ? match[1]!.toLowerCase() : undefined;
}

export function hostAllowed(host: string | undefined, allowed: ReadonlySet<string>): boolean {
  const name = nameOfHost(host);
  return name !== undefined && allowed.has(name);
}

/**
 * True without an Origin, or when the Origin is a page of this server: `http(s)://` + the very
 * Host the request was sent to (already checked against the allowed names).
 */
export function originAllowed(origin: string | undefined, host: string | undefined): boolean {
  if (origin === undefined) return true;
  if (host === undefined) return false;
  const match = /^https?:\/\/([^/?#]+)$/i.exec(origin.trim());
  return match !== null && match[1]!.toLowerCase() === host.trim().toLowerCase();
}

/** The text of a 421: short, plain, and naming the flag that would let the name in. */
export function misdirected(host: string | undefined): string {
  const name = nameOfHost(host);
  if (name === undefined) return 'misdirected request: no usable Host header\n';
  return `misdirected request: this Osprey server does not answer to "${name.slice(0, 100)}"; if that name is yours, start it with --allow-host ${name.slice(0, 100)}\n`;
}
