/**
 * Performs one PrometheusRequest for a connection, in Node (the local server or the desktop main
 * process): the URL from the connection's base URL and path prefix, auth and extra headers, the
 * custom CA, a timeout, the caller's AbortSignal, a size cap. Any HTTP answer — 200, a 400
 * `bad_data`, a 503 `timeout`, a proxy's HTML 502 — comes back untouched as a
 * PrometheusHttpResponse; the renderer's parser decides what it means. No answer at all becomes a
 * PrometheusTransportError; an abort rejects with the signal's reason (an AbortError).
 *
 * Redirects are followed only within the same origin AND under the connection's path prefix (a
 * proxy adding a slash), at most 3 times, so credentials never travel to another host nor to
 * another tenant's prefix on a shared host (`https://mimir.example/team-a` must not hand its token
 * to `/team-b`); any other redirect is returned as it is, for the page to show.
 */
import type { IncomingHttpHeaders } from 'node:http';
import http from 'node:http';
import https from 'node:https';
import type { Readable } from 'node:stream';
import zlib from 'node:zlib';

import type { PrometheusSettings } from '../core/connections/schema.js';
import {
  prometheusUrl,
  type PrometheusHttpResponse,
  type PrometheusRequest,
} from '../core/prometheus/request.js';
import { agentFor } from './agents.js';
import { displayUrl, requestHeaders } from './requestHeaders.js';
import {
  cannotReachPrometheus,
  describeCause,
  PrometheusTransportError,
} from './transportError.js';

export { PrometheusTransportError };

/** A slow 7-day range over thousands of series takes tens of seconds; past a minute, say so. */
export const DEFAULT_TIMEOUT_MS = 60_000;
/** 11,000 points × ~200 series of JSON is ~40 MiB; beyond 64 MiB the view could not draw it. */
export const DEFAULT_MAX_BYTES = 64 * 1024 * 1024;
const MAX_REDIRECTS = 3;
/** Proxies commonly refuse request lines over 8 KiB; long queries go as a form body instead. */
const MAX_GET_URL = 8000;
/** Endpoints Prometheus also serves as POST with a form body (HTTP API docs, §6.1). */
const POSTABLE = new Set(['query', 'query_range', 'series', 'labels']);

export interface PrometheusCall {
  settings: PrometheusSettings;
  /** The bearer token or basic password; null without auth. */
  secret: string | null;
  request: PrometheusRequest;
  signal?: AbortSignal;
  timeoutMs?: number;
  maxBytes?: number;
}

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

export async function fetchPrometheus(call: PrometheusCall): Promise<PrometheusHttpResponse> {
  const base = displayUrl(call.settings.url.replace(/\/+$/, ''));
  call.signal?.throwIfAborted();
  let url: URL;
  try {
    url = new URL(prometheusUrl(call.settings.url, call.request));
  } catch (error) {
    throw cannotReachPrometheus(base, (error as Error).message);
  }
  const headers = requestHeaders(call.settings, call.secret);
  let method: 'GET' | 'POST' = 'GET';
  let form: string | undefined;
  if (url.href.length > MAX_GET_URL && POSTABLE.has(call.request.endpoint)) {
    method = 'POST';
    form = url.search.slice(1);
    url.search = '';
    headers['content-type'] = 'application/x-www-form-urlencoded';
  }
  const deadline = Date.now() + (call.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const opts = { ...call, base, headers, method, form, deadline };
  const prefix = pathPrefix(call.settings.url);
  for (let hop = 0; ; hop += 1) {
    const answer = await send(url, opts);
    const location = answer.headers.location;
    const redirect = answer.status >= 300 && answer.status < 400 && location !== undefined;
    const next = redirect ? safeRedirect(url, location, method, prefix) : undefined;
    if (!next || hop >= MAX_REDIRECTS) {
      return {
        status: answer.status,
        contentType: String(answer.headers['content-type'] ?? ''),
        body: answer.body,
        url: displayUrl(url),
      };
    }
    url = next;
  }
}

/** The redirect target when it keeps the origin, the path prefix and the method; else undefined. */
function safeRedirect(
  from: URL,
  location: string,
  method: string,
  prefix: string,
): URL | undefined {
  if (method !== 'GET') return undefined;
  try {
    const to = new URL(location, from);
    if (to.origin !== from.origin) return undefined;
    const path = to.pathname;
    return prefix === '' || path === prefix || path.startsWith(`${prefix}/`) ? to : undefined;
  } catch {
    return undefined;
  }
}

/** `/prom` of `https://h/prom/` ('' without a prefix), as the URL parser normalizes it. */
function pathPrefix(base: string): string {
  try {
    return new URL(base).pathname.replace(/\/+$/, '');
  } catch {
    return '';
  }
}

interface SendOptions extends PrometheusCall {
  base: string;
  headers: Record<string, string>;
  method: 'GET' | 'POST';
  form: string | undefined;
  deadline: number;
}

function send(url: URL, o: SendOptions): Promise<Answer> {
  const maxBytes = o.maxBytes ?? DEFAULT_MAX_BYTES;
  const timeoutMs = o.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  return new Promise<Answer>((resolve, reject) => {
    const lib = url.protocol === 'https:' ? https : http;
    const headers = { ...o.headers };
    if (o.form !== undefined) headers['content-length'] = String(Buffer.byteLength(o.form));
    const req = lib.request(url, {
      method: o.method,
      headers,
      agent: agentFor(url.protocol, o.settings.ca),
    });
    let settled = false;
    const fail = (error: unknown) => {
      if (settled) return;
      settled = true;
      cleanup();
      req.destroy();
      reject(error);
    };
    const onAbort = () => fail(o.signal?.reason ?? new DOMException('aborted', 'AbortError'));
    const timer = setTimeout(
      () => fail(cannotReachPrometheus(o.base, `no answer in ${duration(timeoutMs)}`)),
      Math.max(0, o.deadline - Date.now()),
    );
    const cleanup = () => {
      clearTimeout(timer);
      o.signal?.removeEventListener('abort', onAbort);
    };
    o.signal?.addEventListener('abort', onAbort, { once: true });
    req.on('error', (error) => fail(cannotReachPrometheus(o.base, describeCause(error))));
    req.on('response', (res) => {
      const stream = decoded(res, res.headers['content-encoding']);
      const chunks: Buffer[] = [];
      let size = 0;
      stream.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxBytes) {
          res.destroy();
          fail(
            cannotReachPrometheus(
              o.base,
              `the answer from ${displayUrl(url)} is larger than ${Math.round(maxBytes / 1048576)} MiB: narrow the query or the time range`,
            ),
          );
          return;
        }
        chunks.push(chunk);
      });
      stream.on('error', (error) =>
        fail(cannotReachPrometheus(o.base, `the answer broke off: ${describeCause(error)}`)),
      );
      stream.on('end', () => {
        if (settled) return;
        settled = true;
        cleanup();
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        });
      });
    });
    req.end(o.form);
  });
}

function decoded(res: Readable, encoding: string | string[] | undefined): Readable {
  switch (String(encoding ?? '').toLowerCase()) {
    case 'gzip':
    case 'x-gzip':
      return res.pipe(zlib.createGunzip());
    case 'deflate':
      return res.pipe(zlib.createInflate());
    case 'br':
      return res.pipe(zlib.createBrotliDecompress());
    default:
      return res;
  }
}

function duration(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 1000)} s`;
}
