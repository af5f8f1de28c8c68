/**
 * `osprey record`: subscribes to a cluster on NATS and writes what arrives to a snapshot, either
 * straight to a file (until --duration, Ctrl-C or SIGTERM, which close it with its summary) or,
 * with --ring, into a bounded in-memory flight recorder written out on SIGUSR1 or on a message to
 * `osprey.v1.control.<cluster>.snapshot` (the war room's "keep this"). A lost NATS connection is
 * reconnected for ever (connect.ts) and the silence is written into the file as a gap.
 */
import { stat } from 'node:fs/promises';

import type { Msg, NatsConnection } from '@nats-io/nats-core';

import {
  ALL_CLUSTERS_SUBSCRIPTION,
  clusterSubscription,
  parseSubject,
  SUBJECT_PREFIX,
  subjectToken,
} from '../core/protocol/subjects.js';
import { formatBytes } from '../core/snapshot/describe.js';
import type { SnapshotMetadata } from '../core/snapshot/format.js';
import { Redactor } from '../core/snapshot/Redactor.js';
import { SnapshotWriter } from '../core/snapshot/SnapshotWriter.js';
import { connectNats, describeServers } from '../outputs/nats/connect.js';
import { FaultSpecError, parseDuration } from '../simulator/faultSpec.js';
import { FileSink } from '../snapshot/files.js';
import { admit, FileRecorder, type MessageFilter } from '../snapshot/Recorder.js';
import { RingBuffer } from '../snapshot/RingBuffer.js';
import { CliError } from './buildCollector.js';
import { natsClientOptions, type NatsFlagValues } from './natsFlags.js';

export interface RecordOptions extends NatsFlagValues {
  cluster: string;
  nodes?: string;
  duration?: string;
  ring?: string;
  /** Bytes the ring may hold (default 1 GiB). */
  ringMax?: number;
  output: string;
  redact?: boolean;
}

export interface RecordDeps {
  version: string;
  log?: (line: string) => void;
}

export function controlSubject(cluster: string): string {
  return `${SUBJECT_PREFIX}.control.${subjectToken(cluster)}.snapshot`;
}

/** `node-0*,gpu-?` → a test on node names (`*` any run, `?` one character). */
export function nodeGlob(glob: string): (node: string) => boolean {
  const parts = glob
    .split(',')
    .map((g) => g.trim())
    .filter((g) => g.length > 0);
  if (parts.length === 0) throw new CliError('--nodes: no pattern given');
  const res = parts.map(
    (g) =>
      new RegExp(
        `^${g
          .replace(/[.+^${}()|[\]\\]/g, '\\$&')
          .replace(/\*/g, '.*')
          .replace(/\?/g, '.')}$`,
      ),
  );
  return (node) => res.some((re) => re.test(node));
}

function duration(flag: string, value: string): number {
  try {
    const ms = parseDuration(value, flag);
    if (ms <= 0) throw new FaultSpecError(`${flag} must be longer than 0`);
    return ms;
  } catch (error) {
    throw new CliError((error as Error).message);
  }
}

/** `out.mcap` → `out-20261202T120000Z.mcap` (a ring writes one file per request). */
export function ringPath(output: string, now: number): string {
  const stamp = new Date(now)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  const dot = output.lastIndexOf('.');
  return dot > output.lastIndexOf('/')
    ? `${output.slice(0, dot)}-${stamp}${output.slice(dot)}`
    : `${output}-${stamp}`;
}

export async function runRecord(opts: RecordOptions, deps: RecordDeps): Promise<number> {
  const log = deps.log ?? ((line: string) => console.error(line));
  const nats = natsClientOptions(opts);
  if (!nats) throw new CliError('record needs --nats <url>');
  if (opts.cluster.trim() === '') throw new CliError('--cluster: the cluster name is empty');
  if (opts.duration !== undefined && opts.ring !== undefined) {
    throw new CliError(
      'choose --duration (record to the file) or --ring (keep the last minutes), not both',
    );
  }
  const durationMs =
    opts.duration !== undefined ? duration('--duration', opts.duration) : undefined;
  const ringMs = opts.ring !== undefined ? duration('--ring', opts.ring) : undefined;
  const filter: MessageFilter = {
    ...(opts.nodes !== undefined ? { nodes: nodeGlob(opts.nodes) } : {}),
    ...(opts.redact ? { redactor: new Redactor() } : {}),
  };
  const servers = describeServers(nats.servers);
  const metadata = (): SnapshotMetadata => ({
    version: deps.version,
    recordedBy: 'osprey record',
    createdAt: new Date().toISOString(),
    connection: filter.redactor ? filter.redactor.text(servers) : servers,
    cluster: opts.cluster,
    redacted: opts.redact === true,
  });
  let nc: NatsConnection;
  try {
    nc = await connectNats(nats);
  } catch (error) {
    throw new CliError(`cannot connect to NATS at ${servers}: ${(error as Error).message}`);
  }
  const subject =
    opts.cluster === '*' ? ALL_CLUSTERS_SUBSCRIPTION : clusterSubscription(opts.cluster);
  let bad = 0;
  const onBad = (problem: string): void => {
    if (++bad <= 5) log(`record: a message was refused: ${problem}`);
  };
  const gaps: { from: number; to: number; reason: string }[] = [];
  let file: FileRecorder | undefined;
  let ring: RingBuffer | undefined;
  if (ringMs !== undefined) {
    ring = new RingBuffer(ringMs, opts.ringMax ?? 1024 ** 3);
  } else {
    file = await FileRecorder.create(opts.output, metadata(), filter);
  }
  const save = async (why: string): Promise<string> => {
    const path = ringPath(opts.output, Date.now());
    const sink = await FileSink.create(path);
    try {
      const w = await SnapshotWriter.open({
        sink,
        metadata: {
          ...metadata(),
          notes: `kept on ${why}${ring!.cutBySize ? '; the ring was full, so it holds less than --ring asked' : ''}`,
        },
      });
      // Segments are dropped whole; what is older than --ring inside the oldest one is left out.
      const from = Math.max(ring!.coveredFrom ?? 0, Date.now() - ringMs!);
      for (const e of ring!.entries()) {
        if (e.receiveTime < from) continue;
        const m = admit(e.data, {}, () => undefined);
        if (m) await w.add(e.receiveTime, filter.redactor ? filter.redactor.redact(m) : m);
      }
      for (const g of gaps) if (g.to >= from) await w.addGap(g.from, g.to, g.reason);
      await w.close();
    } finally {
      await sink.close();
    }
    log(
      `record: kept the last ${opts.ring} in ${path} (${formatBytes((await stat(path)).size)}, ${why})`,
    );
    return path;
  };
  let saving = Promise.resolve();
  const requestSave = (why: string, msg?: Msg): void => {
    saving = saving
      .then(() => save(why))
      .then(
        (path) => msg?.respond(JSON.stringify({ ok: true, file: path })),
        (error: unknown) => {
          log(`record: could not write the ring: ${(error as Error).message}`);
          msg?.respond(JSON.stringify({ ok: false, error: (error as Error).message }));
        },
      )
      .then(() => undefined);
  };

  nc.subscribe(subject, {
    callback: (err, msg) => {
      // The control subject matches the cluster's wildcard too; only wire messages are recorded.
      if (err || !parseSubject(msg.subject)) return;
      const receiveTime = Date.now();
      if (ring) {
        if (!filter.nodes || admit(msg.data, filter, onBad))
          ring.push({ receiveTime, data: msg.data });
        return;
      }
      const m = admit(msg.data, filter, onBad);
      if (m) file!.add(receiveTime, m, msg.data);
    },
  });
  if (ring) {
    nc.subscribe(controlSubject(opts.cluster), {
      callback: (err, msg) => {
        if (!err) requestSave('a control message', msg);
      },
    });
  }
  let lostAt: number | undefined;
  void (async () => {
    for await (const s of nc.status()) {
      if (s.type === 'disconnect' && lostAt === undefined) {
        lostAt = Date.now();
        log(`record: lost the connection to ${servers}; reconnecting`);
      } else if (s.type === 'reconnect' && lostAt !== undefined) {
        const gap = {
          from: lostAt,
          to: Date.now(),
          reason: `the NATS connection to ${servers} was lost`,
        };
        lostAt = undefined;
        gaps.push(gap);
        file?.gap(gap.from, gap.to, gap.reason);
        log(
          `record: reconnected to ${servers}; ${((gap.to - gap.from) / 1000).toFixed(1)} s missing`,
        );
      }
    }
  })();
  const onUsr1 = (): void => {
    if (ring) requestSave('SIGUSR1');
  };
  process.on('SIGUSR1', onUsr1);
  log(
    ring
      ? `record: keeping the last ${opts.ring} of ${subject} from ${servers}; SIGUSR1 or a message to ${controlSubject(opts.cluster)} writes ${ringPath(opts.output, Date.now()).replace(/-\d{8}T\d{6}Z/, '-<time>')}`
      : `record: ${subject} from ${servers} → ${opts.output}${durationMs ? ` for ${opts.duration}` : ''} (Ctrl-C to finish)`,
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
    if (durationMs !== undefined) setTimeout(resolve, durationMs).unref();
  });
  process.off('SIGUSR1', onUsr1);
  // Drain delivers what is in flight; a server that is down would make it wait, so 2 s at most.
  await Promise.race([nc.drain().catch(() => undefined), new Promise((r) => setTimeout(r, 2000))]);
  if (!nc.isClosed()) await nc.close();
  await saving;
  if (file) {
    if (lostAt !== undefined)
      file.gap(lostAt, Date.now(), `the NATS connection to ${servers} was still lost at the end`);
    await file.close();
    const c = file.writer.messageCounts;
    log(
      `record: wrote ${opts.output}: ${c.inventory + c.metrics + c.events} messages (inventory ${c.inventory}, metrics ${c.metrics}, events ${c.events}), ${formatBytes(file.writer.bytesWritten)}${bad ? `; ${bad} refused` : ''}`,
    );
  }
  return 0;
}
