/**
 * The console served by `osprey serve` to a browser: the collector is the page's own origin and the
 * token arrives in the URL fragment (`#token=…`), which browsers never send to a server. The token
 * stays in memory only: no localStorage, no cookie.
 */
import type { Platform } from './Platform.js';

/**
 * The token in a `#token=…` fragment (other `&key=value` pairs may sit beside it). Not
 * URLSearchParams: it reads "+" as a space, and `osprey serve --token` prints the token unencoded.
 */
export function tokenFromHash(hash: string): string | undefined {
  for (const part of hash.replace(/^#/, '').split('&')) {
    if (!part.startsWith('token=')) continue;
    let token: string;
    try {
      token = decodeURIComponent(part.slice('token='.length)).trim();
    } catch {
      token = part.slice('token='.length).trim();
    }
    return token || undefined;
  }
  return undefined;
}

export function createWebPlatform(location: Pick<Location, 'origin' | 'hash'>): Platform {
  const token = tokenFromHash(location.hash);
  const url = location.origin;
  return {
    kind: 'web',
    getCollectorEndpoint: async () => {
      if (token === undefined) {
        throw new Error(
          'no access token in this address: open the URL printed by "osprey serve" (it ends with #token=…)',
        );
      }
      return { url, token };
    },
  };
}
