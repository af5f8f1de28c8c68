/**
 * A host service's refusal, with the HTTP status the web API answers with and the fields at fault:
 * 400 names each bad field (`errors`), 404 an unknown connection, 500 a file the store cannot
 * read or write. The desktop's IPC carries the same message and fields (electron/common/api.ts).
 */
import type { FieldError } from '../core/connections/fieldErrors.js';
import { ConnectionStoreError } from '../core/connections/ConnectionStore.js';

export type { FieldError };

export class HostError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly errors: readonly FieldError[] = [],
  ) {
    super(message);
    this.name = 'HostError';
  }
}

/** The store's own refusals as HostErrors; anything else is rethrown as it is. */
export function asHostError(error: unknown): never {
  if (error instanceof ConnectionStoreError) {
    throw new HostError(error.status, error.message, error.errors);
  }
  throw error;
}

/** A bad request from the page (a shape check that threw a plain Error): 400. */
export function badRequest(check: () => void): void {
  try {
    check();
  } catch (error) {
    throw new HostError(400, (error as Error).message);
  }
}
