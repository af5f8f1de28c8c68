/**
 * The asking side of profile capture over NATS (profileMessages.ts): one request to the node's
 * agent, the remaining parts fetched by id, the text gunzipped (fflate: pure JS, so the console and
 * Node share it). The transport is a function, so the console's NATS-over-WebSocket client and the
 * tests' Node client both fit.
 *
 * Progress: a NATS request has one answer, so the agent sends none while it records; this side
 * reports the seconds since it asked, about every second, against the duration asked for.
 */
import { gunzipSync, strFromU8 } from 'fflate';

import {
  checkAnyCaptureRequest,
  describeCaptureTarget,
  isEngineRequest,
  olderAgent,
  type EngineCaptureRequest,
} from './engineCapture.js';
import { PROTOCOL_VERSION } from './limits.js';
import {
  CaptureError,
  type CapturedProfile,
  type CaptureProgress,
  type CaptureRequest,
} from './profileCapture.js';
import {
  parseProfileMessage,
  PROFILING_OFF,
  profileSubject,
  ProfileReplyMessage,
} from './profileMessages.js';

/** A NATS request: resolves with the reply's bytes, rejects as nats.js does. */
export type NatsRequestFn = (
  subject: string,
  data: Uint8Array,
  timeoutMs: number,
) => Promise<Uint8Array>;

/** Beyond the duration: the agent starts the tool, perf script symbolizes, the reply travels. */
export const REPLY_GRACE_MS = 30_000;
const PART_TIMEOUT_MS = 10_000;
/** An agent answers a ping at once; a node that has none is told in this long, not 40 s. */
export const PING_TIMEOUT_MS = 3_000;

export interface RequestProfileOptions {
  cluster: string;
  node: string;
  /** By pid, or by engine (engineCapture.ts: the agent resolves it to the process). */
  request: CaptureRequest | EngineCaptureRequest;
  send: NatsRequestFn;
  signal?: AbortSignalLike | undefined;
  onProgress?: ((progress: CaptureProgress) => void) | undefined;
  now: () => number;
  /** Calls `tick` every `ms` until the returned function is called (the core has no timers). */
  every: (ms: number, tick: () => void) => () => void;
}

type OkReply = Exclude<ProfileReplyMessage, { ok: false }>;

/** The part of an AbortSignal used here (the core is compiled without DOM or Node types). */
export interface AbortSignalLike {
  readonly aborted: boolean;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
}

export async function requestProfile(opts: RequestProfileOptions): Promise<CapturedProfile> {
  const request = checkAnyCaptureRequest(opts.request);
  const target = isEngineRequest(request) ? { engine: request.engine } : { pid: request.pid };
  const what = describeCaptureTarget(request);
  const { cluster, node, send, signal } = opts;
  const subject = profileSubject(cluster, node);
  const now = opts.now;
  const started = now();
  const progress = (): void => {
    const elapsedS = Math.round((now() - started) / 1000);
    opts.onProgress?.({
      elapsedS,
      durationS: request.durationS,
      phase: elapsedS < request.durationS ? 'recording' : 'processing',
    });
  };
  progress();
  const stopTicking = opts.every(1000, progress);
  const ask = async (body: object, timeoutMs: number): Promise<OkReply> => {
    const bytes = new TextEncoder().encode(JSON.stringify({ v: PROTOCOL_VERSION, ...body }));
    let reply: Uint8Array;
    try {
      reply = await send(subject, bytes, timeoutMs);
    } catch (error) {
      throw transportError(error, cluster, node, subject, timeoutMs);
    }
    const parsed = parseProfileMessage<ProfileReplyMessage>(ProfileReplyMessage, reply);
    if (!parsed.ok) {
      throw new CaptureError('failed', `${node} answered with a bad reply: ${parsed.problem}`);
    }
    if (!parsed.value.ok) throw new CaptureError(parsed.value.kind, parsed.value.error);
    return parsed.value;
  };
  const ping = async (): Promise<void> => {
    let answer: OkReply;
    try {
      answer = await ask({ op: 'ping' }, PING_TIMEOUT_MS);
    } catch (error) {
      // An agent that predates the ping answers `invalid`: it is there, go on.
      if (error instanceof CaptureError && error.kind === 'invalid') return;
      if (error instanceof CaptureError && error.kind === 'timeout') {
        throw new CaptureError(
          'timeout',
          `${node} did not answer within ${PING_TIMEOUT_MS / 1000} s: its agent may be down or stuck, ` +
            `or there is none (is \`osprey serve --nats … --allow-profiling\` running on ${node}?)`,
        );
      }
      throw error;
    }
    if (answer.op === 'ping' && !answer.profiling) {
      throw new CaptureError('refused', PROFILING_OFF(node));
    }
  };
  const cancelled = new Promise<never>((_resolve, reject) => {
    const onAbort = (): void => {
      // Tell the agent to kill its tool; the answer does not matter.
      void ask({ op: 'cancel', ...target }, PART_TIMEOUT_MS).catch(() => undefined);
      reject(new CaptureError('cancelled', `the capture of ${what} on ${node} was cancelled`));
    };
    if (signal?.aborted) onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
  });
  try {
    const work = (async () => {
      await ping();
      const first = await ask(
        {
          op: 'capture',
          ...target,
          durationS: request.durationS,
          ...(request.native ? { native: true } : {}),
        },
        request.durationS * 1000 + REPLY_GRACE_MS,
      ).catch((error: unknown) => {
        throw olderAgent(error, request, node);
      });
      if (first.op !== 'capture')
        throw new CaptureError('failed', `${node} answered ${first.op} to a capture`);
      const parts = [first.data];
      for (let index = 1; index < first.profile.parts; index++) {
        if (signal?.aborted) break;
        const part = await ask({ op: 'part', id: first.profile.id, index }, PART_TIMEOUT_MS);
        if (part.op !== 'part')
          throw new CaptureError('failed', `${node} answered ${part.op} to a part`);
        parts.push(part.data);
      }
      const text = strFromU8(gunzipSync(concat(parts.map(decodeBase64))));
      const { id: _id, parts: _parts, bytes: _bytes, ...header } = first.profile;
      return { ...header, text } satisfies CapturedProfile;
    })();
    // A cancel wins the race; the work's own rejection after it is already handled.
    work.catch(() => undefined);
    return await Promise.race([work, cancelled]);
  } finally {
    stopTicking();
  }
}

function transportError(
  error: unknown,
  cluster: string,
  node: string,
  subject: string,
  timeoutMs: number,
): CaptureError {
  const e = error as {
    name?: string;
    message?: string;
    cause?: unknown;
    isNoResponders?: () => boolean;
  };
  const text = `${e.name ?? ''} ${e.message ?? ''} ${String((e.cause as Error | undefined)?.name ?? '')}`;
  if (e.isNoResponders?.() || /no ?responders|503/i.test(text)) {
    return new CaptureError(
      'unreachable',
      `no agent answers for node ${node} of cluster ${cluster} (${subject}): is \`osprey serve --nats …\` running on ${node}?`,
    );
  }
  if (/timeout/i.test(text)) {
    return new CaptureError(
      'timeout',
      `${node} did not answer within ${Math.round(timeoutMs / 1000)} s: its agent may be down or stuck`,
    );
  }
  return new CaptureError('unreachable', `cannot ask ${node}: ${e.message ?? String(error)}`);
}

function concat(chunks: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const LOOKUP = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) LOOKUP[ALPHABET.charCodeAt(i)] = i;

/** Standard base64 (RFC 4648 §4) to bytes; the core has neither Buffer nor atob. */
export function decodeBase64(text: string): Uint8Array {
  const clean = text.replace(/=+$/, '');
  const out = new Uint8Array(Math.floor((clean.length * 3) / 4));
  let bits = 0;
  let value = 0;
  let at = 0;
  for (let i = 0; i < clean.length; i++) {
    const code = clean.charCodeAt(i);
    const digit = code < 128 ? LOOKUP[code]! : -1;
    if (digit < 0) throw new CaptureError('failed', `bad base64 at character ${i}`);
    value = (value << 6) | digit;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[at++] = (value >> bits) & 0xff;
    }
  }
  return out;
}
