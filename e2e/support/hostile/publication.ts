/**
 * What the hostile generator produces: NATS publications (subject and raw body) with a short note
 * of what each one tries, so a failing phase can say which input it was. Bodies are strings or
 * bytes exactly as they go on the wire: several of them are not JSON on purpose.
 */
export interface Publication {
  subject: string;
  data: string | Uint8Array;
  /** What this input tries, e.g. "metrics with v: 2". */
  what: string;
}

/** A publication of a value serialised as JSON (the usual case). */
export function jsonPublication(subject: string, value: unknown, what: string): Publication {
  return { subject, data: JSON.stringify(value), what };
}

/** Bytes of a publication, as NATS will count them against max_payload. */
export function publicationBytes(p: Publication): number {
  return typeof p.data === 'string' ? Buffer.byteLength(p.data) : p.data.byteLength;
}
