/**
 * The local (or SSH-tunnelled) collector's live stream: a WebSocket on `<endpoint>/stream` whose
 * text frames are wire messages, one each. Bad messages are counted as problems and skipped; a lost
 * connection is retried with backoff; a rejected token stops for good, since retrying cannot fix it.
 * Frames wait raw in a bounded queue and are decoded in short slices (IngestQueue), as NATS's are.
 */
import { decodeMessage, type DecodeProblemKind } from '../../../collector/core/protocol/decode.js';
import type { WireMessage } from '../../../collector/core/protocol/spec.js';
import type { CollectorEndpoint } from '../platform/Platform.js';
import { captureOverHttp } from '../platform/profileClient.js';
import { backoffDelay } from './backoff.js';
import { browserScheduler, type FrameScheduler } from './FrameBatcher.js';
import { IngestQueue } from './IngestQueue.js';
import type {
  AnyCaptureRequest,
  CaptureCall,
  CapturedProfile,
  CaptureTarget,
  ProfileCapturing,
} from './profileCapture.js';
import type { Backlog, BatchListener, Source, SourceStatus } from './Source.js';
import { StatusKeeper } from './StatusKeeper.js';

export const STREAM_PROTOCOL = 'osprey.v1';
/** The collector closes with this code when the token is missing or wrong (outputs/CollectorServer.ts). */
export const CLOSE_UNAUTHORIZED = 4401;
/** Our own close code when a live connection went silent. */
const CLOSE_SILENT = 4000;

/** The part of the browser WebSocket this source uses, so tests can inject a fake. */
export interface WebSocketLike {
  readonly protocol: string;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code: number; reason: string }) => void) | null;
  onerror: ((event: unknown) => void) | null;
  close(code?: number, reason?: string): void;
}

export type WebSocketConstructor = new (url: string, protocols: string[]) => WebSocketLike;

export interface CollectorSourceOptions {
  endpoint: CollectorEndpoint;
  WebSocket?: WebSocketConstructor;
  scheduler?: FrameScheduler;
  now?: () => number;
  random?: () => number;
  /** A live connection with no message for this long is presumed dead and reopened (ms). */
  silenceMs?: number;
  /** Monotonic clock (ms) that measures decoding slices; performance.now by default. */
  clock?: () => number;
}

const KIND_TEXT: Record<DecodeProblemKind, string> = {
  oversized: 'too large',
  'not-json': 'not JSON',
  'unknown-type': 'unknown message type',
  'wrong-version': 'unsupported protocol version',
  schema: 'schema mismatch',
};

/**
 * A metrics message, told by its head without parsing (the collector writes `v` then `type`):
 * what a full queue drops first, since the next tick replaces it.
 */
const METRICS = /"type"\s*:\s*"metrics"/;

/** `http://h:p/` → `ws://h:p/stream`; `https:` → `wss:`. */
export function streamUrl(endpointUrl: string): string {
  const url = new URL(endpointUrl);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/stream`;
  url.hash = '';
  url.search = '';
  return url.toString();
}

export class CollectorSource implements Source, ProfileCapturing {
  readonly id = 'local';
  readonly displayName = 'This machine';
  readonly kind = 'connection' as const;
  readonly url: string;
  private readonly keeper: StatusKeeper;
  private readonly listeners = new Set<BatchListener>();
  private readonly queue: IngestQueue<string>;
  /** Decoded in the current slice, handed over at its end. */
  private slice: WireMessage[] = [];
  private lastBacklog = 0;
  private droppedUnread = 0;
  private readonly scheduler: FrameScheduler;
  private readonly now: () => number;
  private readonly random: () => number;
  private readonly WebSocketImpl: WebSocketConstructor;
  private readonly silenceMs: number;
  private socket: WebSocketLike | undefined;
  private cancelRetry: (() => void) | undefined;
  private cancelSilence: (() => void) | undefined;
  private attempt = 0;
  private everOpen = false;
  private running = false;

  constructor(private readonly opts: CollectorSourceOptions) {
    this.now = opts.now ?? Date.now;
    this.random = opts.random ?? Math.random;
    this.scheduler = opts.scheduler ?? browserScheduler;
    this.WebSocketImpl = opts.WebSocket ?? (globalThis.WebSocket as WebSocketConstructor);
    this.silenceMs = opts.silenceMs ?? 15_000;
    this.url = streamUrl(opts.endpoint.url);
    this.keeper = new StatusKeeper(this.now);
    this.queue = new IngestQueue<string>({
      scheduler: this.scheduler,
      now: this.now,
      ...(opts.clock ? { clock: opts.clock } : {}),
      process: (text) => this.decode(text),
      endSlice: (backlog) => this.deliver(backlog),
      dropped: () => {
        this.droppedUnread += 1;
        this.keeper.addProblem(
          'queue',
          `${this.droppedUnread.toLocaleString('en')} messages dropped unread: more than ${this.queue.limits.maxMessages.toLocaleString('en')} waiting, the console fell behind; oldest metrics go first`,
        );
      },
    });
  }
  /**
   * A profile of a process on the collector's machine, over its API (POST /api/profile, behind
   * the same token as the stream); the collector has one node, so `target` only names it.
   */
  captureProfile(
    _target: CaptureTarget,
    request: AnyCaptureRequest,
    call: CaptureCall = {},
  ): Promise<CapturedProfile> {
    return captureOverHttp(this.opts.endpoint.url, this.opts.endpoint.token, request, call);
  }

  get status(): SourceStatus {
    return this.keeper.status;
  }

  subscribe(listener: BatchListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  subscribeStatus(listener: () => void): () => void {
    return this.keeper.subscribe(listener);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.attempt = 0;
    this.keeper.setPresence('connecting');
    this.connect();
  }

  stop(): void {
    this.running = false;
    this.cancelRetry?.();
    this.cancelSilence?.();
    this.queue.clear();
    this.slice = [];
    const socket = this.socket;
    this.socket = undefined;
    socket?.close(1000, 'console closed');
    this.keeper.setPresence('closed');
  }

  private connect(): void {
    this.cancelRetry = undefined;
    const socket = new this.WebSocketImpl(this.url, [
      STREAM_PROTOCOL,
      `token.${this.opts.endpoint.token}`,
    ]);
    this.socket = socket;
    socket.onopen = () => this.onOpen(socket);
    socket.onmessage = (event) => this.onMessage(socket, event.data);
    socket.onclose = (event) => this.onClose(socket, event.code, event.reason);
    // A close event always follows an error event and carries what little the browser tells us.
    socket.onerror = () => undefined;
  }

  private onOpen(socket: WebSocketLike): void {
    if (socket !== this.socket) return;
    if (socket.protocol !== STREAM_PROTOCOL) {
      this.fail(`the server does not speak ${STREAM_PROTOCOL} (it chose "${socket.protocol}")`);
      return;
    }
    this.attempt = 0;
    this.everOpen = true;
    this.keeper.setPresence('live');
    this.armSilence(socket);
  }

  private onMessage(socket: WebSocketLike, data: unknown): void {
    if (socket !== this.socket) return;
    this.armSilence(socket);
    if (typeof data !== 'string') {
      this.keeper.addProblem(
        'binary',
        'message rejected, binary frame: the stream sends JSON text',
      );
      return;
    }
    this.queue.push(data, data.length, METRICS.test(data.slice(0, 64)));
  }

  private decode(text: string): void {
    const result = decodeMessage(text);
    if (result.ok) this.slice.push(result.message);
    else {
      const { kind, message, messageType } = result.problem;
      // A newer sender's type (spec.ts evolution rule) is skipped and counted per type.
      if (kind === 'unknown-type') this.keeper.addProblem(`decode:${kind}:${messageType}`, message);
      else
        this.keeper.addProblem(
          `decode:${kind}`,
          `message rejected, ${KIND_TEXT[kind]}: ${message}`,
        );
    }
  }

  private deliver(backlog: Backlog): void {
    const messages = this.slice;
    if (messages.length === 0 && backlog.messages === this.lastBacklog) return;
    this.slice = [];
    this.lastBacklog = backlog.messages;
    const batch = { messages, receivedAt: this.now(), backlog };
    for (const listener of this.listeners) listener(batch);
  }

  private onClose(socket: WebSocketLike, code: number, reason: string): void {
    if (socket !== this.socket) return;
    this.socket = undefined;
    this.cancelSilence?.();
    // Whatever arrived before the close is still good data: the slices go on.
    if (!this.running) return;
    if (code === CLOSE_UNAUTHORIZED) {
      this.fail('unauthorized: token rejected');
      return;
    }
    const delay = backoffDelay(this.attempt++, this.random);
    const why = reason ? `${code} ${reason}` : `code ${code}`;
    const what = this.everOpen ? 'connection lost' : `cannot reach ${this.url}`;
    this.keeper.setPresence(
      'reconnecting',
      `${what} (${why}); retrying in ${Math.max(1, Math.round(delay / 1000))} s`,
    );
    this.cancelRetry = this.scheduler.setTimer(() => {
      if (this.running) this.connect();
    }, delay);
  }

  private armSilence(socket: WebSocketLike): void {
    this.cancelSilence?.();
    this.cancelSilence = this.scheduler.setTimer(() => {
      if (socket !== this.socket) return;
      socket.close(CLOSE_SILENT, 'no data');
      this.onClose(socket, CLOSE_SILENT, `no data for ${Math.round(this.silenceMs / 1000)} s`);
    }, this.silenceMs);
  }

  private fail(message: string): void {
    this.running = false;
    this.cancelSilence?.();
    const socket = this.socket;
    this.socket = undefined;
    socket?.close(1000);
    this.keeper.setPresence('error', message);
  }
}

/** The source for a collector endpoint, with the browser's WebSocket. */
export function createCollectorSource(endpoint: CollectorEndpoint): CollectorSource {
  return new CollectorSource({ endpoint });
}
