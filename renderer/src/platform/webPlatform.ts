/**
 * The console served by `osprey serve` to a browser: the collector is the page's own origin and the
 * token arrives in the URL fragment (`#token=…`), which browsers never send to a server. The token
 * stays in memory only: no localStorage, no cookie. Cluster connections live in the server
 * (/api/connections, same token); their secrets are fetched at connect time and never stored here.
 * Prometheus calls go through the server too (/api/connections/:id/prometheus/…), which holds
 * the Prometheus secret: the page never sees it.
 */
import { downloadFile, pickFile } from './browserFiles.js';
import { createConnectionsClient } from './connectionsClient.js';
import type { Platform } from './Platform.js';
import { captureOverHttp } from './profileClient.js';
import { createPrometheusClient } from './prometheusClient.js';
import { offeredSnapshot } from './snapshotClient.js';

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

const NO_TOKEN =
  'no access token in this address: open the URL printed by "osprey serve" (it ends with #token=…)';

export function createWebPlatform(
  location: Pick<Location, 'origin' | 'hash'>,
  fetchImpl?: typeof fetch,
  doc: () => Document = () => document,
): Platform {
  const token = tokenFromHash(location.hash);
  const url = location.origin;
  const client = token === undefined ? undefined : createConnectionsClient(url, token, fetchImpl);
  const prometheus =
    token === undefined ? undefined : createPrometheusClient(url, token, fetchImpl);
  const api = async () => {
    if (!client) throw new Error(NO_TOKEN);
    return client;
  };
  const prom = async () => {
    if (!prometheus) throw new Error(NO_TOKEN);
    return prometheus;
  };
  return {
    kind: 'web',
    getCollectorEndpoint: async () => {
      if (token === undefined) throw new Error(NO_TOKEN);
      return { url, token };
    },
    listConnections: async () => (await api()).list(),
    saveConnection: async (input, id) => (await api()).save(input, id),
    removeConnection: async (id) => (await api()).remove(id),
    getConnectionSecret: async (id) => (await api()).secret(id),
    prometheusRequest: async (id, request, signal) => (await prom()).request(id, request, signal),
    testPrometheus: async (input, signal) => (await prom()).test(input, signal),
    openFile: (options) => pickFile(doc(), options),
    saveFile: async (name, data) => {
      downloadFile(doc(), name, data);
      return true;
    },
    // The server's own machine, over POST /api/profile (progress streamed as it runs).
    captureProfile: async (request, call) => {
      if (token === undefined) throw new Error(NO_TOKEN);
      return captureOverHttp(url, token, request, call, fetchImpl);
    },
    offeredFile: async () =>
      token === undefined ? null : offeredSnapshot(url, token, fetchImpl ?? fetch),
    onMenuCommand: (listener) => {
      // The desktop's File → Open Recording… shortcut; the browser's own Ctrl+O (open a local
      // page) means nothing on the console.
      const onKey = (e: KeyboardEvent) => {
        if (!(e.ctrlKey || e.metaKey) || e.shiftKey || e.altKey || e.key.toLowerCase() !== 'o') {
          return;
        }
        e.preventDefault();
        listener('open-recording');
      };
      const target = doc();
      target.addEventListener('keydown', onKey);
      return () => target.removeEventListener('keydown', onKey);
    },
  };
}
