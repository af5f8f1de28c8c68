/**
 * The web console's side of `osprey serve`'s /api/connections (collector/outputs/api): the same
 * token as the stream, as a bearer header. This and the desktop adapter are the only ways the
 * console reaches saved connections and their secrets.
 */
import type { ConnectionInput, ConnectionSummary } from './Platform.js';
import { ConnectionSaveError } from './Platform.js';

type Fetch = typeof fetch;

export interface ConnectionsClient {
  list(): Promise<ConnectionSummary[]>;
  save(input: ConnectionInput, id?: string): Promise<ConnectionSummary>;
  remove(id: string): Promise<void>;
  secret(id: string): Promise<string | null>;
}

interface ApiError {
  error?: string;
  errors?: Array<{ field: string; message: string }>;
}

export function createConnectionsClient(
  origin: string,
  token: string,
  fetchImpl: Fetch = (...args) => fetch(...args),
): ConnectionsClient {
  const call = async (method: string, path: string, body?: unknown): Promise<unknown> => {
    const headers: Record<string, string> = { authorization: `Bearer ${token}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await fetchImpl(`${origin}/api/connections${path}`, {
        method,
        headers,
        cache: 'no-store',
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch (error) {
      throw new Error(`cannot reach the Osprey server at ${origin}: ${(error as Error).message}`);
    }
    if (response.status === 204) return undefined;
    const text = await response.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new Error(
        `the Osprey server answered ${response.status} with something other than JSON: ${text.slice(0, 120)}`,
      );
    }
    if (response.ok) return json;
    const { error, errors } = json as ApiError;
    const message = error ?? `the Osprey server answered ${response.status}`;
    if (response.status === 400) throw new ConnectionSaveError(message, errors ?? []);
    throw new Error(message);
  };
  return {
    list: async () => ((await call('GET', '')) as { connections: ConnectionSummary[] }).connections,
    save: async (input, id) =>
      (
        (await (id === undefined
          ? call('POST', '', input)
          : call('PUT', `/${encodeURIComponent(id)}`, input))) as { connection: ConnectionSummary }
      ).connection,
    remove: async (id) => {
      await call('DELETE', `/${encodeURIComponent(id)}`);
    },
    secret: async (id) =>
      ((await call('GET', `/${encodeURIComponent(id)}/secret`)) as { secret: string | null })
        .secret,
  };
}
