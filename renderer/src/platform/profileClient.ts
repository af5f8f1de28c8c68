/**
 * `POST /api/profile` of a collector (collector/outputs/api/profileApi.ts): the request, then the
 * answer's lines read as they arrive (progress, then the profile or the error). Aborting the
 * signal closes the request, which cancels the capture on the collector.
 */
import {
  CaptureError,
  type CapturedProfile,
  type CaptureFailureKind,
  type CaptureProgress,
  type CaptureRequest,
} from '../../../collector/core/protocol/profileCapture.js';
import type { EngineCaptureRequest } from '../../../collector/core/protocol/engineCapture.js';

type Line =
  | ({ type: 'progress' } & CaptureProgress)
  | { type: 'result'; profile: CapturedProfile }
  | { type: 'error'; kind: CaptureFailureKind; error: string };

export async function captureOverHttp(
  baseUrl: string,
  token: string,
  request: CaptureRequest | EngineCaptureRequest,
  call: {
    signal?: AbortSignal | undefined;
    onProgress?: ((progress: CaptureProgress) => void) | undefined;
  } = {},
  fetchImpl: typeof fetch = fetch,
): Promise<CapturedProfile> {
  let res: Response;
  try {
    res = await fetchImpl(`${baseUrl.replace(/\/+$/, '')}/api/profile`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(request),
      ...(call.signal ? { signal: call.signal } : {}),
    });
  } catch (error) {
    throw failure(error, call.signal, `cannot reach the collector at ${baseUrl}`);
  }
  if (!res.ok || !res.body) {
    const body = (await res.json().catch(() => ({}))) as { error?: string };
    throw new CaptureError(
      res.status === 400 ? 'invalid' : 'failed',
      body.error ?? `the collector answered ${res.status}`,
    );
  }
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffered = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (value) buffered += value;
      let newline: number;
      while ((newline = buffered.indexOf('\n')) >= 0) {
        const text = buffered.slice(0, newline);
        buffered = buffered.slice(newline + 1);
        if (text.length === 0) continue;
        const line = JSON.parse(text) as Line;
        if (line.type === 'progress') {
          const { type: _type, ...progress } = line;
          call.onProgress?.(progress);
        } else if (line.type === 'result') {
          return line.profile;
        } else {
          throw new CaptureError(line.kind, line.error);
        }
      }
      if (done) break;
    }
  } catch (error) {
    throw failure(error, call.signal, 'the collector stopped answering');
  }
  throw new CaptureError('failed', 'the collector ended the answer without a profile');
}

function failure(error: unknown, signal: AbortSignal | undefined, what: string): CaptureError {
  if (error instanceof CaptureError) return error;
  if (signal?.aborted) return new CaptureError('cancelled', 'the capture was cancelled');
  return new CaptureError('unreachable', `${what}: ${(error as Error).message}`);
}
