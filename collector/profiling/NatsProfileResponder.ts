/**
 * The node agent's side of profile capture over NATS: answers requests on
 * `osprey.v1.profile.<cluster>.<node>` (core/protocol/profileMessages.ts). Captures run only
 * when the agent was started with `--allow-profiling`: py-spy and perf read another process's
 * memory, which a metrics agent must not do unless its operator said so. Without the flag the
 * agent still answers, with a refusal naming the flag, so a console gets the reason at once rather
 * than a timeout.
 *
 * Its own NATS connection beside the publisher's: requests and the publisher's outbound buffer
 * never wait on each other, and nats.js restores the subscription on reconnect.
 */
import { randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';

import type { Msg, NatsConnection } from '@nats-io/nats-core';

import { PROTOCOL_VERSION } from '../core/protocol/limits.js';
import { CaptureError } from '../core/protocol/profileCapture.js';
import {
  parseProfileMessage,
  PROFILING_OFF,
  profileSubject,
  ProfileRequestMessage,
  type ProfileReplyMessage,
} from '../core/protocol/profileMessages.js';
import { connectNats, type NatsClientOptions } from '../outputs/nats/connect.js';
import { cancelEngine, captureEngine } from './engineCapture.js';
import type { ProfileCapturer } from './ProfileCapturer.js';

/** nats-server's default max_payload when the server does not say (1 MiB). */
const DEFAULT_MAX_PAYLOAD = 1024 * 1024;
/**
 * Room in a reply for its JSON around the data: the header with up to 8 warnings of ≤ 1 KiB
 * (cut to that here) stays under 16 KiB; a quarter of a small max_payload at most.
 */
const REPLY_OVERHEAD = 16 * 1024;
/** Parts of a finished capture are kept this long for the requester to fetch. */
const PARTS_KEPT_MS = 120_000;

export type ResponderLink = Pick<NatsConnection, 'subscribe' | 'close' | 'info'>;

export interface NatsProfileResponderOptions {
  client: NatsClientOptions;
  cluster: string;
  node: string;
  /** Undefined: started without --allow-profiling, every capture is refused. */
  capturer: ProfileCapturer | undefined;
  connect?: (opts: NatsClientOptions) => Promise<ResponderLink>;
  log?: (line: string) => void;
  retryMs?: number;
}

interface Held {
  parts: string[];
  timer: ReturnType<typeof setTimeout>;
}

export class NatsProfileResponder {
  private link: ResponderLink | undefined;
  private stopped = false;
  private readonly held = new Map<string, Held>();
  private readonly log: (line: string) => void;

  constructor(private readonly opts: NatsProfileResponderOptions) {
    this.log = opts.log ?? ((line) => process.stderr.write(`profile: ${line}\n`));
  }

  get subject(): string {
    return profileSubject(this.opts.cluster, this.opts.node);
  }

  /** Connects in the background (retrying) and answers until stopped. */
  start(): void {
    void this.connectLoop();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.opts.capturer?.cancelAll();
    for (const held of this.held.values()) clearTimeout(held.timer);
    this.held.clear();
    const link = this.link;
    this.link = undefined;
    await link?.close().catch(() => {});
  }

  private async connectLoop(): Promise<void> {
    const connect = this.opts.connect ?? connectNats;
    while (!this.stopped) {
      try {
        const link = await connect({
          ...this.opts.client,
          name: `osprey-profile-${this.opts.node}`,
        });
        if (this.stopped) {
          await link.close();
          return;
        }
        this.link = link;
        link.subscribe(this.subject, {
          callback: (err, msg) => {
            if (!err) void this.answer(msg);
          },
        });
        this.log(
          `answering profile requests on ${this.subject}${this.opts.capturer ? '' : ' (refusing: no --allow-profiling)'}`,
        );
        return;
      } catch {
        const base = this.opts.retryMs ?? 2000;
        await new Promise((r) => setTimeout(r, base + Math.random() * base).unref());
      }
    }
  }

  /** One request → one reply; never throws (a failed reply is logged). */
  async answer(msg: Pick<Msg, 'data' | 'respond'>): Promise<void> {
    const reply = await this.replyTo(msg.data);
    try {
      msg.respond(new TextEncoder().encode(JSON.stringify(reply)));
    } catch (error) {
      this.log(`could not reply: ${(error as Error).message}`);
    }
  }

  async replyTo(data: Uint8Array): Promise<ProfileReplyMessage> {
    const parsed = parseProfileMessage<ProfileRequestMessage>(
      ProfileRequestMessage,
      data,
      64 * 1024,
    );
    if (!parsed.ok) return failure('invalid', `profile request: ${parsed.problem}`);
    const request = parsed.value;
    const { capturer } = this.opts;
    if (request.op === 'ping') {
      return { v: PROTOCOL_VERSION, ok: true, op: 'ping', profiling: capturer !== undefined };
    }
    if (request.op === 'part') {
      const part = this.held.get(request.id)?.parts[request.index];
      return part === undefined
        ? failure(
            'failed',
            `no part ${request.index} of capture ${request.id} (kept ${PARTS_KEPT_MS / 1000} s)`,
          )
        : {
            v: PROTOCOL_VERSION,
            ok: true,
            op: 'part',
            id: request.id,
            index: request.index,
            data: part,
          };
    }
    if (!capturer) return failure('refused', PROFILING_OFF(this.opts.node));
    if (request.op === 'cancel') {
      return {
        v: PROTOCOL_VERSION,
        ok: true,
        op: 'cancel',
        cancelled:
          'engine' in request
            ? await cancelEngine(request.engine, { capturer })
            : capturer.cancel(request.pid),
      };
    }
    try {
      const profile =
        'engine' in request
          ? await captureEngine(
              { engine: request.engine, durationS: request.durationS, native: request.native },
              {},
              { capturer },
            )
          : await capturer.start({
              pid: request.pid,
              durationS: request.durationS,
              native: request.native,
            });
      const parts = this.split(gzipSync(profile.text));
      const id = randomUUID();
      if (parts.length > 1) {
        const timer = setTimeout(() => this.held.delete(id), PARTS_KEPT_MS);
        timer.unref();
        this.held.set(id, { parts, timer });
      }
      const { text, ...header } = profile;
      return {
        v: PROTOCOL_VERSION,
        ok: true,
        op: 'capture',
        profile: {
          ...header,
          warnings: header.warnings.slice(0, 8).map((w) => w.slice(0, 1024)),
          bytes: Buffer.byteLength(text),
          id,
          parts: parts.length,
        },
        data: parts[0]!,
      };
    } catch (error) {
      if (error instanceof CaptureError) return failure(error.kind, error.message);
      return failure('failed', (error as Error).message);
    }
  }

  /** Base64 parts that each fit a reply under the server's max_payload. */
  private split(gz: Uint8Array): string[] {
    const max = this.link?.info?.max_payload ?? DEFAULT_MAX_PAYLOAD;
    const room = max - Math.min(REPLY_OVERHEAD, Math.floor(max / 4));
    // base64 turns 3 bytes into 4 characters.
    const raw = Math.max(768, Math.floor((room * 3) / 4 / 3) * 3);
    const parts: string[] = [];
    for (let at = 0; at < gz.byteLength || parts.length === 0; at += raw) {
      parts.push(Buffer.from(gz.subarray(at, at + raw)).toString('base64'));
    }
    return parts;
  }
}

function failure(kind: CaptureError['kind'], error: string): ProfileReplyMessage {
  return { v: PROTOCOL_VERSION, ok: false, kind, error: error.slice(0, 4096) };
}
