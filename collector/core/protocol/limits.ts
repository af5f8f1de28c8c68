/**
 * The protocol's version and its device bound as plain numbers, apart from the schemas: spec.ts
 * builds its TypeBox schemas from these, and the collector reads them here without loading TypeBox
 * (~20 MB of RSS at start-up, a quarter of the collector's 80 MB budget; BENCHMARKS.md, issue 10).
 */

export const PROTOCOL_VERSION = 1;

/** Devices in one inventory message (and rows in one grid): a sender keeps at most this many. */
export const MAX_DEVICES = 1024;
