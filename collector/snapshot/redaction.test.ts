import { describe, expect, it } from 'vitest';

import type { WireMessage } from '../core/protocol/spec.js';
import type { RecordedMessage } from '../core/recorded/RecordedSource.js';
import { bytesReadable } from '../core/snapshot/RandomAccessReadable.js';
import { isIp, Redactor } from '../core/snapshot/Redactor.js';
import { SnapshotReader } from '../core/snapshot/SnapshotReader.js';
import { SnapshotWriter } from '../core/snapshot/SnapshotWriter.js';
import { simulatedTraffic } from './fixtures.js';
import { MemorySink } from './memory.js';

const NAMES = ['gpu-a17.prod.example.com', 'gpu-a1.prod.example.com', 'gpu-b3.prod.example.com'];
const IPS = ['10.20.30.41', '10.20.30.4', 'fe80::1c2b:3aff:fe4d:5e6f'];

/** Simulated traffic with real-looking names, and the names and IPs inside free text too. */
function hostileTraffic(): { receiveTime: number; message: WireMessage }[] {
  return [...simulatedTraffic({ nodes: 3, devicesPerNode: 2, ticks: 12 })].map((m, i) => {
    const k = Number(m.message.node.slice(-3));
    let text = JSON.stringify(m.message).replaceAll(m.message.node, NAMES[k]!);
    const message = JSON.parse(text) as WireMessage;
    if (message.type === 'inventory') message.host.hostname = `${NAMES[k]}`;
    if (message.type === 'metrics') {
      message.samples.push({ m: 'host.net.rx', v: i, l: { interface: 'eth0', peer: IPS[k]! } });
    }
    if (message.type === 'events' || i % 7 === 0) {
      const other = NAMES[(k + 1) % 3]!;
      text = `${other} (${IPS[(k + 1) % 3]}) lost heartbeat to ${NAMES[k]} at ${IPS[k]}`;
      return {
        receiveTime: m.receiveTime,
        message: {
          v: 1,
          type: 'events',
          cluster: message.cluster,
          node: NAMES[k]!,
          ts: message.ts,
          seq: 0,
          events: [{ ts: message.ts, kind: 'probe', severity: 'warning', message: text }],
        },
      };
    }
    return { receiveTime: m.receiveTime, message };
  });
}

describe('redaction on save', () => {
  it('leaves no hostname, node name or IP anywhere in the file bytes or the messages', async () => {
    const traffic = hostileTraffic();
    const redactor = new Redactor();
    // Names are learned as messages arrive; a saved store knows them all first.
    for (const m of traffic) redactor.observe(m.message);
    const sink = new MemorySink();
    const w = await SnapshotWriter.open({
      sink,
      compression: '',
      metadata: {
        version: '0.1.0',
        recordedBy: 'test',
        createdAt: 'now',
        redacted: true,
        connection: redactor.text(`prod via ${NAMES[0]}`),
      },
    });
    for (const m of traffic) await w.add(m.receiveTime, redactor.redact(m.message));
    await w.addPrometheusAnswer({
      request: { endpoint: 'query', params: [['query', redactor.text(`up{host="${NAMES[2]}"}`)]] },
      status: 200,
      contentType: 'application/json',
      body: redactor.text(JSON.stringify({ instance: `${IPS[1]}:9100`, host: NAMES[2] })),
      time: 1,
    });
    await w.close();
    const bytes = sink.bytes();
    const text = new TextDecoder().decode(bytes);
    for (const original of [...NAMES, ...IPS])
      expect(text.includes(original), original).toBe(false);
    const reader = new SnapshotReader(bytesReadable(bytes));
    const info = await reader.initialize();
    expect(info.metadata.redacted).toBe('yes');
    expect(info.metadata.connection).toBe('prod via anon-node-001');
    const got: RecordedMessage[] = [];
    for await (const m of reader.messageIterator({ start: 0 })) got.push(m);
    expect(got).toHaveLength(traffic.length);
    expect(reader.problems).toEqual([]);
  });

  it('gives the same alias to the same name across the file and across saves with its map', () => {
    const traffic = hostileTraffic();
    const first = new Redactor();
    for (const m of traffic) first.observe(m.message);
    const a = traffic.map((m) => first.redact(m.message));
    const nodes = new Set(a.map((m) => m.node));
    expect([...nodes].sort()).toEqual(['anon-node-001', 'anon-node-002', 'anon-node-003']);
    const again = new Redactor(first.map());
    // A later save, in another order, keeps every alias.
    const b = [...traffic].reverse().map((m) => again.redact(m.message));
    expect(b.reverse()).toEqual(a);
    const ev = a.find((m) => m.type === 'events')!;
    expect(ev.type === 'events' && ev.events[0]!.message).toMatch(
      /^anon-node-00\d \(anon-ip-00\d\) lost heartbeat to anon-node-00\d at anon-ip-00\d$/,
    );
  });

  it('replaces IP addresses but leaves times, PCI bus ids, versions and MACs as they are', () => {
    const r = new Redactor();
    const text =
      'GPU 00000000:18:00.0 at 12:30:45 on 10.0.0.7 and [2001:db8::8a2e:370:7334]:9090, ' +
      'driver 550.54.15, cuda 12.4, mac 3c:ec:ef:01:02:03, full 2001:0db8:0000:0000:0000:ff00:0042:8329';
    expect(r.text(text)).toBe(
      'GPU 00000000:18:00.0 at 12:30:45 on anon-ip-001 and [anon-ip-002]:9090, ' +
        'driver 550.54.15, cuda 12.4, mac 3c:ec:ef:01:02:03, full anon-ip-003',
    );
    expect(['::1', 'fe80::1', '1.2.3.4'].every(isIp)).toBe(true);
    expect(['12:30:45', '0000:18:00', '999.1.1.1', '1:2:3:4:5:6:7:8:9'].some(isIp)).toBe(false);
  });
});
