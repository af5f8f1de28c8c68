/**
 * IPC cannot carry an AbortSignal: the page names each Prometheus call with a request id and
 * cancels by that id. The calls in flight live here until they settle; the work itself is the
 * host services' (collector/hostServices).
 */

/** More than this many calls in flight means the page leaks them; refuse rather than pile up. */
const MAX_IN_FLIGHT = 256;

export class InFlightCalls {
  private readonly calls = new Map<string, AbortController>();

  /** Runs `call` under `requestId`, with a signal that `cancel(requestId)` aborts. */
  async run<T>(requestId: unknown, call: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const id = checkRequestId(requestId);
    if (this.calls.has(id)) throw new Error(`Prometheus request id "${id}" is already in use`);
    if (this.calls.size >= MAX_IN_FLIGHT) {
      throw new Error(`more than ${MAX_IN_FLIGHT} Prometheus requests in flight`);
    }
    const controller = new AbortController();
    this.calls.set(id, controller);
    try {
      return await call(controller.signal);
    } finally {
      this.calls.delete(id);
    }
  }

  /** Aborts the call with that id, if it is still running; unknown ids are ignored. */
  cancel(requestId: unknown): void {
    if (typeof requestId === 'string') this.calls.get(requestId)?.abort();
  }
}

function checkRequestId(id: unknown): string {
  if (typeof id !== 'string' || id.length === 0 || id.length > 100) {
    throw new Error(`Prometheus request id must be a string of 1–100 characters, got ${typeof id}`);
  }
  return id;
}
