/**
 * Seeded property-based fuzzing of the Prometheus text the collector writes for /metrics (issue 10,
 * deliverable 7). Device names, UUIDs, drivers, label values and node names come from tools and
 * config; whatever they hold, every line must stay valid exposition format 0.0.4 (one bad line
 * fails the whole scrape) and each label value must read back exactly as given.
 * https://prometheus.io/docs/instrumenting/exposition_formats/#text-format-details
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { METRICS } from './catalog.js';
import { toExposition } from './exposition.js';
import type { NodeSnapshot, Sample } from './model.js';
import type { DeviceInfo } from './protocol/spec.js';

const RUNS = { seed: 0x05b7e7, numRuns: 1000 };

const METRIC_NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
const LABEL_NAME = '[a-zA-Z_][a-zA-Z0-9_]*';
const LABEL_VALUE = '"(?:[^"\\\\\\n]|\\\\[\\\\"n])*"';
/** A sample line of the text format: name, optional labels, a Go float (or ±Inf/NaN). */
const SAMPLE_LINE = new RegExp(
  `^${METRIC_NAME}(?:\\{${LABEL_NAME}=${LABEL_VALUE}(?:,${LABEL_NAME}=${LABEL_VALUE})*\\})? ` +
    '(?:[-+]?(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][-+]?\\d+)?|[-+]Inf|NaN)$',
);
const LABEL_PAIR = new RegExp(`(${LABEL_NAME})=(${LABEL_VALUE})`, 'g');

function unescape(quoted: string): string {
  return quoted.slice(1, -1).replace(/\\([\\"n])/g, (_, c: string) => (c === 'n' ? '\n' : c));
}

/** Text a tool or a config might hold: quotes, backslashes, line breaks, bidi, anything. */
const hostileText = fc.oneof(
  fc.string({ minLength: 1, maxLength: 20, unit: 'binary' }),
  fc.constantFrom('a"b', 'a\\b', 'a\nb', 'a\r\nb', '\\n', '"', '\\', '}', '{x="y"}', '\u202E', '#'),
);
const metricNames = METRICS.filter((m) => m.prom !== undefined).map((m) => m.name);

const device: fc.Arbitrary<DeviceInfo> = fc.record(
  {
    id: hostileText,
    vendor: fc.constantFrom('nvidia', 'ascend'),
    index: fc.nat(),
    chip: fc.nat(),
    uuid: hostileText,
    name: hostileText,
    driver: hostileText,
    pciBusId: hostileText,
  },
  { requiredKeys: ['id', 'vendor', 'index', 'name'] },
);

const snapshot = fc
  .array(device, { maxLength: 4 })
  .chain((devices) => {
    const sample: fc.Arbitrary<Sample> = fc.record(
      {
        m: fc.constantFrom(...metricNames),
        v: fc.oneof(fc.double(), fc.constant(null)),
        d: devices.length > 0 ? fc.constantFrom(...devices.map((d) => d.id)) : hostileText,
        l: fc.dictionary(
          fc.constantFrom('interface', 'cpu', 'pid', 'process', 'disk'),
          hostileText,
          {
            maxKeys: 2,
          },
        ),
      },
      { requiredKeys: ['m', 'v'] },
    );
    return fc.record({
      devices: fc.constant(devices),
      samples: fc.array(sample, { maxLength: 8 }),
    });
  })
  .map(({ devices, samples }): NodeSnapshot => ({
    host: { hostname: 'h', os: 'linux', arch: 'x64', cpuCores: 1, memoryTotalBytes: 1 },
    devices,
    probes: [{ probe: 'nvidia-smi', state: 'ok', since: 0 }],
    ts: 0,
    samples,
    events: [],
  }));

describe('toExposition under fuzzing (seeded)', () => {
  it('writes only valid text-format lines, whatever the names and values', () => {
    fc.assert(
      fc.property(snapshot, hostileText, (snap, node) => {
        const text = toExposition(snap, node);
        for (const line of text.split('\n')) {
          if (line === '' || line.startsWith('# HELP ') || line.startsWith('# TYPE ')) continue;
          expect(line).toMatch(SAMPLE_LINE);
        }
      }),
      RUNS,
    );
  });

  it('reads every device name, UUID and driver back exactly from the labels', () => {
    fc.assert(
      fc.property(snapshot, hostileText, (snap, node) => {
        const text = toExposition(snap, node);
        const infos = text
          .split('\n')
          .filter((l) => l.startsWith('osprey_device_info{'))
          .map((l) =>
            Object.fromEntries([...l.matchAll(LABEL_PAIR)].map((m) => [m[1], unescape(m[2]!)])),
          );
        expect(infos).toHaveLength(snap.devices.length);
        snap.devices.forEach((d, i) => {
          expect(infos[i]).toMatchObject({ node, model: d.name, name: d.name });
          if (d.uuid) expect(infos[i]!.uuid).toBe(d.uuid);
          if (d.driver) expect(infos[i]!.driver).toBe(d.driver);
        });
      }),
      RUNS,
    );
  });
});
