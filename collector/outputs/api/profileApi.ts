/**
 * `POST /api/profile` — a profile of a process on this machine, for the web console, behind the
 * console's token (`Authorization: Bearer <token>`). Body: `{ pid, durationS?, native? }`
 * (profileCapture.ts checkCaptureRequest: durationS 1–60, default 10), or `{ engine: {framework,
 * port?}, durationS?, native? }` resolved to the engine's process here (engineCapture.ts).
 *
 * Answers 400 `{ error }` for a bad body before anything runs; otherwise 200 with one JSON object
 * a line (application/x-ndjson), so the page shows progress while the tool runs:
 *
 *   {"type":"progress","elapsedS":3,"durationS":10,"phase":"recording"}   about every second
 *   {"type":"result","profile":{tool,format,text,pid,node,…}}             last line, or
 *   {"type":"error","kind":"permission","error":"perf cannot sample pid …: sudo sysctl …"}
 *
 * Closing the request cancels: the tool is killed and its files removed. The capture itself is
 * the host services' (HostServices.captureProfile), which the desktop's IPC calls too.
 */
import type { ServerResponse } from 'node:http';

import {
  CaptureError,
  type CapturedProfile,
  type CaptureFailureKind,
  type CaptureProgress,
} from '../../core/protocol/profileCapture.js';
import { checkAnyCaptureRequest } from '../../core/protocol/engineCapture.js';
import type { HostServices } from '../../hostServices/HostServices.js';
import { tokenMatches } from '../token.js';
import type { ApiHandler } from './connectionsApi.js';
import { HttpError, readJsonBody, sendJson } from './json.js';

export const PROFILE_PATH = '/api/profile';

/** One line of the answer's stream. */
export type ProfileStreamLine =
  | ({ type: 'progress' } & CaptureProgress)
  | { type: 'result'; profile: CapturedProfile }
  | { type: 'error'; kind: CaptureFailureKind; error: string };

export function createProfileApi(host: HostServices, token: string): ApiHandler {
  return async (req, res) => {
    let input: unknown;
    try {
      const auth = req.headers.authorization;
      const offered = auth?.startsWith('Bearer ') ? auth.slice('Bearer '.length).trim() : undefined;
      if (!tokenMatches(token, offered)) {
        res.setHeader('www-authenticate', 'Bearer');
        throw new HttpError(401, 'unauthorized: send Authorization: Bearer <token>');
      }
      if (req.method !== 'POST') {
        throw new HttpError(405, `${req.method} is not allowed on ${PROFILE_PATH} (allowed: POST)`);
      }
      input = checkAnyCaptureRequest(await readJsonBody(req));
    } catch (error) {
      const status = error instanceof HttpError ? error.status : 400;
      sendJson(res, status, { error: (error as Error).message });
      return;
    }
    await stream(host, input, res);
  };
}

async function stream(host: HostServices, input: unknown, res: ServerResponse): Promise<void> {
  res.writeHead(200, {
    'content-type': 'application/x-ndjson; charset=utf-8',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  const write = (line: ProfileStreamLine): void => {
    if (!res.writableEnded && !res.destroyed) res.write(`${JSON.stringify(line)}\n`);
  };
  // The page cancels by closing the request (fetch's AbortController).
  const controller = new AbortController();
  res.once('close', () => {
    if (!res.writableFinished) controller.abort(new Error('the page went away'));
  });
  try {
    const profile = await host.captureProfile(input, {
      signal: controller.signal,
      onProgress: (progress) => write({ type: 'progress', ...progress }),
    });
    write({ type: 'result', profile });
  } catch (error) {
    const kind = error instanceof CaptureError ? error.kind : 'failed';
    write({ type: 'error', kind, error: (error as Error).message });
  }
  res.end();
}
