/**
 * A `wsFactory` for nats-core's wsconnect whose socket fails as a browser's does: 'error' fires an
 * error event that carries no reason (a refused port and a port that is not a WebSocket endpoint
 * look the same to a page), `{ message }` opens and sends that line instead of NATS INFO.
 */
export function failingSocket(how: 'error' | { message: string }) {
  const socket = {
    binaryType: 'arraybuffer',
    onopen: null as null | (() => void),
    onmessage: null as null | ((e: { data: ArrayBuffer }) => void),
    onclose: null as null | ((e: { wasClean: boolean; reason: string }) => void),
    onerror: null as null | ((e: unknown) => void),
    // As a browser does, close() ends with a close event.
    close: () => setTimeout(() => socket.onclose?.({ wasClean: true, reason: '' }), 0),
  };
  setTimeout(() => {
    if (how === 'error') {
      socket.onerror?.({ type: 'error' });
      socket.onclose?.({ wasClean: false, reason: '' });
    } else {
      socket.onopen?.();
      socket.onmessage?.({ data: new TextEncoder().encode(`${how.message}\r\n`).buffer });
    }
  }, 0);
  return async () => ({ socket: socket as unknown as WebSocket, encrypted: false });
}
