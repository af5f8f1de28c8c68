/**
 * `osprey serve --replay kmsg=FILE --replay nvidia-smi=FILE`: the kernel log's Xids reach the
 * stream as diagnosis events and /metrics as open diagnoses, on the GPU whose nvidia-smi bus id
 * the Xid names, with the severity and action of NVSentinel's Xid catalog row.
 * Fixtures: collector/probes/kernel/fixtures (SOURCES.md: a real H100 capture as two GPUs, real
 * kernel lines with their bus ids edited to those GPUs').
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';

import { decodeMessage } from '../core/protocol/decode.js';
import type { EventRecord, WireMessage } from '../core/protocol/spec.js';
import { startServe, type Served } from '../testing/serveProcess.js';

const here = (rel: string) => fileURLToPath(new URL(rel, import.meta.url));
const KMSG = here('../probes/kernel/fixtures/h100x2__kmsg.txt');
const SMI = here('../probes/kernel/fixtures/h100x2__590.48.01__load__query-gpu.csv');
const XID_CSV = here('../core/diagnosis/fixtures/catalogs/nvsentinel_xiderrorsmapping.csv');

const GPU0 = 'GPU-00000000-0000-0000-0000-000000000000';
const GPU1 = 'GPU-00000000-0000-0000-0000-000000000001';

/** NVSentinel's row for an Xid: `code,mnemonic,resolution,FATAL|NONFATAL` (read from the CSV). */
function catalogRow(code: string): { mnemonic: string; resolution: string; fatal: boolean } {
  const row = readFileSync(XID_CSV, 'utf8')
    .split('\n')
    .map((l) => l.split(','))
    .find((cells) => cells[0]?.trim() === code)!;
  return {
    mnemonic: row[1]!.trim(),
    resolution: row[2]!.trim(),
    fatal: row[3]!.trim() === 'FATAL',
  };
}

/** The catalog's resolution buckets in Osprey's words (diagnosis/types.ts ActionBucket). */
const BUCKET: Record<string, string> = { RESTART_BM: 'reboot-node', RESET_GPU: 'reset-device' };

function streamEvents(
  served: Served,
  until: (events: EventRecord[]) => boolean,
): Promise<EventRecord[]> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${served.url.replace('http', 'ws')}/stream`, [
      'osprey.v1',
      `token.${served.token}`,
    ]);
    const events: EventRecord[] = [];
    const timer = setTimeout(() => {
      ws.close();
      reject(
        new Error(`no such events in 20 s; got ${JSON.stringify(events.map((e) => e.message))}`),
      );
    }, 20_000);
    ws.on('message', (data) => {
      const r = decodeMessage(String(data));
      if (!r.ok) return reject(new Error(r.problem.message));
      const m: WireMessage = r.message;
      if (m.type === 'events') events.push(...m.events);
      if (until(events)) {
        clearTimeout(timer);
        ws.close();
        resolve(events);
      }
    });
    ws.on('error', reject);
  });
}

describe('osprey serve --replay kmsg=FILE --replay nvidia-smi=FILE', () => {
  let served: Served;
  beforeAll(async () => {
    served = await startServe([
      '--no-ui',
      '--node',
      'gpu-node-7',
      '--interval',
      '300',
      '--replay',
      `kmsg=${KMSG}`,
      '--replay',
      `nvidia-smi=${SMI}`,
    ]);
  });
  afterAll(() => served?.stop());

  const diagnosed = (events: EventRecord[], code: string) =>
    events.find((e) => e.code === code && e.id !== undefined && e.kind === 'xid');

  it("the stream carries the Xid 79 on GPU 0 and the Xid 119 on GPU 1 with the catalog's advice", async () => {
    const events = await streamEvents(
      served,
      (ev) => diagnosed(ev, '79') !== undefined && diagnosed(ev, '119') !== undefined,
    );
    const lost = diagnosed(events, '79')!;
    const row79 = catalogRow('79');
    expect(lost).toMatchObject({
      d: GPU0,
      severity: row79.fatal ? 'critical' : 'warning',
      action: { bucket: BUCKET[row79.resolution] },
      ref: { catalog: 'nvsentinel-xid', id: '79', name: row79.mnemonic },
      count: 1,
    });
    expect(lost.evidence?.[0]?.text).toContain('NVRM: Xid (PCI:0000:00:09): 79');
    const gsp = diagnosed(events, '119')!;
    const row119 = catalogRow('119');
    expect(gsp).toMatchObject({
      d: GPU1,
      severity: row119.fatal ? 'critical' : 'warning',
      action: { bucket: BUCKET[row119.resolution] },
      ref: { catalog: 'nvsentinel-xid', id: '119', name: row119.mnemonic },
      // Three lines in the file, one diagnosis counting them.
      count: 3,
    });
    expect(gsp.action?.steps.join('\n')).toMatch(/nvidia-smi -r -i 1|reset/i);
    // The "GPU … has fallen off the bus" line after the Xid 79 is the same fact: no second diagnosis.
    expect(events.filter((e) => e.id !== undefined && e.kind === 'fallen-off-bus')).toEqual([]);
  });

  it('/metrics has the open diagnoses on the GPUs the Xids name, and the signals counted', async () => {
    let text = '';
    for (let i = 0; i < 50; i++) {
      text = await (await fetch(`${served.url}/metrics`)).text();
      if (text.includes('code="119"')) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const open = text.split('\n').filter((l) => l.startsWith('osprey_diagnosis_open{'));
    const line79 = open.find((l) => l.includes('kind="xid"') && l.includes('code="79"'));
    const line119 = open.find((l) => l.includes('kind="xid"') && l.includes('code="119"'));
    expect(line79).toMatch(
      /node="gpu-node-7",vendor="nvidia",index="0",model="NVIDIA H100 80GB HBM3"/,
    );
    expect(line79).toContain(`uuid="${GPU0}"`);
    expect(line79).toContain('severity="critical"');
    expect(line79?.endsWith(' 1')).toBe(true);
    expect(line119).toContain(`uuid="${GPU1}"`);
    expect(line119).toContain('index="1"');
    expect(text).toContain('# TYPE osprey_diagnosis_signals_total counter');
    // Written down from the file: one Xid 79, three Xid 119, one SXid 20034.
    expect(text).toMatch(
      /osprey_diagnosis_signals_total\{node="gpu-node-7",kind="xid",code="79"\} 1\n/,
    );
    expect(text).toMatch(
      /osprey_diagnosis_signals_total\{node="gpu-node-7",kind="xid",code="119"\} 3\n/,
    );
    expect(text).toMatch(
      /osprey_diagnosis_signals_total\{node="gpu-node-7",kind="sxid",code="20034"\} 1\n/,
    );
    expect(text).toMatch(/osprey_probe_state\{node="gpu-node-7",probe="kernel-log",state="ok"\} 1/);
    // Prometheus's own linter accepts the exposition (promtool 2.42 is installed here).
    const lint = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
    if (lint.error === undefined) expect([lint.status, lint.stdout + lint.stderr]).toEqual([0, '']);
  });
});
