/**
 * The glue between a live source and a snapshot file written in the console: metadata (who, what,
 * when, never a secret), an in-memory byte sink, the node filter, redaction, Prometheus answers,
 * and "save the last N minutes" from a FlightRecorder. No React, no platform: the caller hands in
 * `save(name, bytes)` (Platform.saveFile in the app, a spy in tests).
 */
import type { WireMessage } from '../../../collector/core/protocol/spec.js';
import type { SnapshotMetadata } from '../../../collector/core/snapshot/format.js';
import { Redactor } from '../../../collector/core/snapshot/Redactor.js';
import type { PrometheusAnswer } from '../../../collector/core/snapshot/prometheusAnswer.js';
import { SnapshotWriter, type ByteSink } from '../../../collector/core/snapshot/SnapshotWriter.js';
import type { FlightEntry, FlightRecorder } from './FlightRecorder.js';

/** Platform.saveFile: resolves false when the user cancelled. */
export type SaveFile = (name: string, bytes: Uint8Array) => Promise<boolean>;

/** What the file says about where it came from: names only (ConnectionSummary carries no secret). */
export interface RecordingOrigin {
  /** Osprey's version. */
  version: string;
  /** The connection's display name. */
  connection: string;
  /** The NATS cluster it listens to, when it names one. */
  cluster?: string | undefined;
}

export interface SnapshotOptions {
  origin: RecordingOrigin;
  /** Node names and hostnames → stable aliases, IPs too, in messages and texts. */
  redact: boolean;
  /** Keep only the nodes this accepts (nodeFilter.ts); all nodes when absent. */
  nodes?: ((node: string) => boolean) | undefined;
  /** Wall clock (ms) for createdAt and the file name. */
  now: () => number;
}

export function consoleMetadata(
  origin: RecordingOrigin,
  redactor: Redactor | undefined,
  createdAt: number,
): SnapshotMetadata {
  const name = (s: string) => (redactor ? redactor.text(s) : s);
  return {
    version: origin.version,
    recordedBy: 'console',
    createdAt: new Date(createdAt).toISOString(),
    connection: name(origin.connection),
    ...(origin.cluster !== undefined ? { cluster: name(origin.cluster) } : {}),
    redacted: redactor !== undefined,
  };
}

/** `osprey-<cluster>-<UTC time>.mcap`, with only file-name-safe characters. */
export function snapshotFileName(label: string, at: number): string {
  const safe = label.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 64) || 'cluster';
  const time = new Date(at)
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/:/g, '-');
  return `osprey-${safe}-${time}.mcap`;
}

/** Collects what the writer emits; `bytes()` joins it once, at the end. */
export class MemorySink implements ByteSink {
  private parts: Uint8Array[] = [];
  size = 0;

  write(bytes: Uint8Array): Promise<void> {
    this.parts.push(bytes);
    this.size += bytes.length;
    return Promise.resolve();
  }

  bytes(): Uint8Array {
    const out = new Uint8Array(this.size);
    let at = 0;
    for (const p of this.parts) {
      out.set(p, at);
      at += p.length;
    }
    this.parts = [out];
    return out;
  }
}

const utf8 = new TextEncoder();

/**
 * Writes what a flight recorder holds from `now - minutes` on: the incident that already happened
 * (`messages` received in the window, plus `carried` inventories from before it).
 * With redaction every message is observed before any is written, so a node named in an event's
 * text before its own first message is replaced there too.
 */
export async function snapshotOfLast(
  recorder: FlightRecorder,
  minutes: number,
  options: SnapshotOptions,
  answers: readonly PrometheusAnswer[] = [],
): Promise<{ bytes: Uint8Array; messages: number; from: number | undefined; carried: number }> {
  const now = options.now();
  recorder.trim(now);
  const keep = options.nodes;
  const from = now - minutes * 60_000;
  const inWindow = recorder.since(from).filter((e) => !keep || keep(e.node));
  const start = inWindow[0]?.receivedAt ?? from;
  // Inventories sent before the window (nodes send them only on change) open the file at its
  // first message's time, so the snapshot knows every node's devices; their `ts` stays the sender's.
  const before = recorder
    .inventoriesBefore(from)
    .filter((e) => !keep || keep(e.node))
    .map((e) => ({ ...e, receivedAt: start }));
  const entries = [...before, ...inWindow];
  const redactor = options.redact ? new Redactor() : undefined;
  const decoded = redactor ? entries.map((e) => JSON.parse(e.json) as WireMessage) : undefined;
  if (redactor && decoded) for (const m of decoded) redactor.observe(m);
  const sink = new MemorySink();
  const writer = await SnapshotWriter.open({
    sink,
    metadata: consoleMetadata(options.origin, redactor, now),
  });
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i]!;
    if (redactor && decoded) await writer.add(e.receivedAt, redactor.redact(decoded[i]!));
    else await writer.addEncoded(e.receivedAt, e, utf8.encode(e.json));
  }
  await addAnswers(writer, answers, redactor);
  await writer.close();
  return {
    bytes: sink.bytes(),
    messages: inWindow.length,
    from: inWindow[0]?.receivedAt,
    carried: before.length,
  };
}

export async function addAnswers(
  writer: SnapshotWriter,
  answers: readonly PrometheusAnswer[],
  redactor: Redactor | undefined,
): Promise<void> {
  for (const a of answers) {
    // Redaction rewrites the texts that name hosts: the query's selectors and the body's labels
    // (instance="10.0.0.7:8000" → an alias); numbers and times stay.
    await writer.addPrometheusAnswer(
      redactor
        ? {
            ...a,
            request: {
              ...a.request,
              params: a.request.params.map(([k, v]) => [k, redactor.text(v)] as const),
            },
            body: redactor.text(a.body),
          }
        : a,
    );
  }
}

export type { FlightEntry };

/** The origin of a saved connection: its name and cluster only, whatever else the config holds. */
export function originOf(
  config: { name: string; cluster?: string | undefined },
  version: string,
): RecordingOrigin {
  return { version, connection: config.name, cluster: config.cluster };
}
