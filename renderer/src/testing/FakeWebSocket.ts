/** A WebSocket stand-in that records what the source asked for and lets a test play the server. */
import type { WebSocketLike } from '../sources/CollectorSource.js';

export class FakeWebSocket implements WebSocketLike {
  static instances: FakeWebSocket[] = [];
  protocol = '';
  closedWith: { code?: number; reason?: string } | undefined;
  onopen: ((event: unknown) => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onclose: ((event: { code: number; reason: string }) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;

  constructor(
    readonly url: string,
    readonly protocols: string[],
  ) {
    FakeWebSocket.instances.push(this);
  }

  static reset(): void {
    FakeWebSocket.instances = [];
  }

  static last(): FakeWebSocket {
    const ws = FakeWebSocket.instances.at(-1);
    if (!ws) throw new Error('no WebSocket was opened');
    return ws;
  }

  close(code?: number, reason?: string): void {
    this.closedWith = { code, reason };
  }

  /** The server accepts, choosing `protocol`. */
  open(protocol = 'osprey.v1'): void {
    this.protocol = protocol;
    this.onopen?.({});
  }

  receive(data: unknown): void {
    this.onmessage?.({ data });
  }

  /** The connection ends (server close, or network loss with 1006). */
  serverClose(code: number, reason = ''): void {
    this.onerror?.({});
    this.onclose?.({ code, reason });
  }
}
