/**
 * The port between the console and whatever hosts it. The desktop shell and a plain browser tab
 * reach the collector differently; everything past this interface is the same.
 */

/** Where the collector's stream is and the token it wants. */
export interface CollectorEndpoint {
  /** HTTP base URL of the collector, e.g. `http://127.0.0.1:7420`. */
  url: string;
  token: string;
}

export interface Platform {
  readonly kind: 'desktop' | 'web';
  /** Rejects with a message the user can act on when there is no way to reach a collector. */
  getCollectorEndpoint(): Promise<CollectorEndpoint>;
}
