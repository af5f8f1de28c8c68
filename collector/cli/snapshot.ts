/**
 * `osprey snapshot info FILE` and `osprey snapshot export FILE --format csv|ndjson`: what a snapshot
 * holds, and its numbers for a notebook. Both read through the same SnapshotReader as the console.
 */
import { createWriteStream } from 'node:fs';
import type { Writable } from 'node:stream';

import { metricsSamples } from '../core/protocol/grids.js';
import type { MessageType } from '../core/protocol/spec.js';
import { formatBytes, formatSpan } from '../core/snapshot/describe.js';
import { SnapshotError } from '../core/snapshot/SnapshotError.js';
import { SnapshotReader } from '../core/snapshot/SnapshotReader.js';
import type { RecordingInfo } from '../core/recorded/RecordedSource.js';
import { openReadable, type FileReadable } from '../snapshot/files.js';
import { CliError } from './buildCollector.js';

export interface SnapshotSummary {
  file: string;
  size: number;
  complete: boolean;
  range: { start: string; end: string; durationMs: number };
  metadata: Record<string, string>;
  messages: Record<MessageType, number>;
  nodes: string[];
  devices: number;
  problems: { key: string; message: string }[];
}

async function withReader<T>(
  file: string,
  use: (r: SnapshotReader, f: FileReadable, info: RecordingInfo) => Promise<T>,
): Promise<T> {
  let readable: FileReadable;
  try {
    readable = await openReadable(file);
  } catch (error) {
    throw new CliError(
      `${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`,
    );
  }
  try {
    const reader = new SnapshotReader(readable);
    const info = await reader.initialize();
    return await use(reader, readable, info);
  } catch (error) {
    if (error instanceof SnapshotError) throw new CliError(`${file}: ${error.message}`);
    throw error;
  } finally {
    await readable.close();
  }
}

export function summarize(file: string): Promise<SnapshotSummary> {
  return withReader(file, async (reader, readable, info) => {
    // Nodes: every node the last keyframe knows plus the latest state at the end; devices: those
    // in each node's latest inventory. One seek's worth of reading, not the whole file.
    const nodes = new Set<string>();
    const devices = new Set<string>();
    for (const n of await reader.keyframeNodes()) nodes.add(`${n.cluster}/${n.node}`);
    for (const { message } of (await reader.getBackfill(info.range.end)).messages) {
      nodes.add(`${message.cluster}/${message.node}`);
      if (message.type !== 'inventory') continue;
      for (const d of message.devices) devices.add(`${message.cluster}/${message.node}/${d.id}`);
    }
    const messages = { inventory: 0, metrics: 0, events: 0 };
    for (const t of info.topics)
      messages[t.name.replace('osprey.v1.', '') as MessageType] = t.messageCount;
    return {
      file,
      size: readable.size,
      complete: info.complete,
      range: {
        start: new Date(info.range.start).toISOString(),
        end: new Date(info.range.end).toISOString(),
        durationMs: info.range.end - info.range.start,
      },
      metadata: { ...info.metadata },
      messages,
      nodes: [...nodes].sort(),
      devices: devices.size,
      problems: [...info.problems, ...reader.problems],
    };
  });
}

export async function runSnapshotInfo(file: string, opts: { json?: boolean }): Promise<number> {
  const s = await summarize(file);
  if (opts.json) {
    console.log(JSON.stringify(s, null, 2));
    return 0;
  }
  const m = s.metadata;
  const lines = [
    `${s.file}: ${formatBytes(s.size)}, ${s.complete ? 'complete' : 'INCOMPLETE (the recording did not finish)'}`,
    `Recorded by ${m.recordedBy ?? '?'} (Osprey ${m.version ?? '?'}) at ${m.createdAt ?? '?'}${m.connection ? ` from ${m.connection}` : ''}${m.cluster ? `, cluster ${m.cluster}` : ''}; redacted: ${m.redacted ?? 'no'}`,
    `Time: ${s.range.start} – ${s.range.end} (${formatSpan(s.range.durationMs)})`,
    `Messages: inventory ${s.messages.inventory}, metrics ${s.messages.metrics}, events ${s.messages.events}`,
    `Nodes: ${s.nodes.length}${s.nodes.length ? ` (${s.nodes.slice(0, 12).join(', ')}${s.nodes.length > 12 ? ', …' : ''})` : ''}; devices: ${s.devices}`,
  ];
  if (m.notes) lines.push(`Notes: ${m.notes}`);
  for (const p of s.problems) lines.push(`Problem: ${p.message}`);
  console.log(lines.join('\n'));
  return 0;
}

const CSV_HEADER = 'time,node,device,metric,labels,value,status';

function csvField(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

async function put(out: Writable, text: string): Promise<void> {
  if (out.destroyed) return;
  if (!out.write(text)) {
    await new Promise<void>((resolve) => {
      const done = (): void => {
        out.off('drain', done);
        out.off('close', done);
        resolve();
      };
      out.on('drain', done);
      out.on('close', done);
    });
  }
}

export async function runSnapshotExport(
  file: string,
  opts: { format: string; output?: string },
): Promise<number> {
  if (opts.format !== 'csv' && opts.format !== 'ndjson') {
    throw new CliError(`--format: "${opts.format}" is not csv or ndjson`);
  }
  return withReader(file, async (reader, _readable, info) => {
    const out: Writable = opts.output ? createWriteStream(opts.output) : process.stdout;
    // A reader that stops early (`| head`) closes the pipe: stop exporting, quietly.
    let failed: Error | undefined;
    out.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') failed = error;
      out.destroy();
    });
    if (opts.format === 'csv') await put(out, `${CSV_HEADER}\n`);
    for await (const { receiveTime, message } of reader.messageIterator({
      start: info.range.start,
    })) {
      if (out.destroyed) break;
      if (opts.format === 'ndjson') {
        await put(out, `${JSON.stringify({ receiveTime, message })}\n`);
        continue;
      }
      if (message.type !== 'metrics') continue;
      let rows = '';
      for (const s of metricsSamples(message)) {
        const labels = s.l
          ? Object.entries(s.l)
              .map(([k, v]) => `${k}=${v}`)
              .join(';')
          : '';
        rows += `${[new Date(s.t ?? message.ts).toISOString(), message.node, s.d ?? '', s.m, labels, s.v === null ? '' : String(s.v), s.s ?? 'ok'].map(csvField).join(',')}\n`;
      }
      await put(out, rows);
    }
    if (failed) throw new CliError(`${opts.output ?? 'standard output'}: ${failed.message}`);
    if (opts.output)
      await new Promise<void>((resolve, reject) =>
        out.end((e?: Error | null) => (e ? reject(e) : resolve())),
      );
    for (const p of [...info.problems, ...reader.problems])
      process.stderr.write(`osprey: ${file}: ${p.message}\n`);
    return 0;
  });
}
