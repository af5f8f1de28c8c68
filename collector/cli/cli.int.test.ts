import { describe, expect, it } from 'vitest';

import { validateMessage } from '../core/protocol/decode.js';
import { captureCells, REPLAY_H100 } from '../testing/fixtures.js';
import { runOsprey } from '../testing/serveProcess.js';

describe('osprey CLI', () => {
  it('collect --once --json prints one document with inventory and metrics', async () => {
    const r = await runOsprey([
      'collect',
      '--once',
      '--json',
      '--interval',
      '300',
      '--replay',
      `nvidia-smi=${REPLAY_H100}`,
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as {
      host: unknown;
      devices: { uuid?: string }[];
      probes: { probe: string; state: string }[];
      samples: { m: string; v: number | null; d?: string }[];
    };
    expect(doc.devices.map((d) => d.uuid)).toEqual([captureCells(REPLAY_H100).get('uuid')]);
    const inv = validateMessage({
      v: 1,
      cluster: 'local',
      node: 'n',
      ts: 0,
      seq: 0,
      type: 'inventory',
      host: doc.host,
      devices: doc.devices,
      probes: doc.probes,
    });
    expect(inv.ok ? 'valid' : inv.problem.message).toBe('valid');
    expect(doc.samples.find((s) => s.m === 'device.power')?.v).toBeGreaterThan(0);
  });

  it('prints help for every command', async () => {
    for (const args of [
      ['--help'],
      ['serve', '--help'],
      ['collect', '--help'],
      ['schema', '--help'],
    ]) {
      const r = await runOsprey(args);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('Usage: osprey');
    }
  });

  it('rejects bad flags with a clear message and a non-zero exit', async () => {
    const cases: [string[], string][] = [
      [['serve', '--bogus'], "unknown option '--bogus'"],
      [['serve', '--port', 'abc'], '"abc" is not a TCP port'],
      [['serve', '--interval', '5'], '"5" is not an interval in milliseconds'],
      [['serve', '--replay', 'rocm-smi=x'], 'unknown tool "rocm-smi"'],
      [
        ['serve', '--no-ui', '--replay', 'nvidia-smi=/nonexistent/capture.csv'],
        '--replay nvidia-smi=/nonexistent/capture.csv: cannot read file',
      ],
      [['frobnicate'], "unknown command 'frobnicate'"],
    ];
    for (const [args, message] of cases) {
      const r = await runOsprey(args);
      expect(r.stderr).toContain(message);
      expect(r.code).not.toBe(0);
    }
  });

  it('prints the wire protocol schemas', async () => {
    const r = await runOsprey(['schema', 'metrics']);
    expect(JSON.parse(r.stdout)).toMatchObject({ $id: 'osprey.v1.metrics', type: 'object' });
  });
});
