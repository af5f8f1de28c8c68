import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { nvlinkSignals, parseNvlinkStatus, upLinks } from './nvlink.js';

const fixture = (name: string): string =>
  readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

const H100 = 'linux-x86_64__nvidia-h100-80gb-hbm3__590.48.01__capabilities__nvlink-s.txt';
const H100_EDITED = 'derived__h100__nvlink-s_link17-gone_link3-half.txt';
const A100 = 'gpud_nvidia-smi-nvlink-status-a100.txt';
const RTX2080 =
  'linux-x86_64__nvidia-geforce-rtx-2080-super__595.71.05__capabilities__nvlink-s.txt';
const RTX4080 =
  'linux-x86_64__nvidia-geforce-rtx-4080-super__595.71.05__capabilities__nvlink-s.txt';
const UUID = 'GPU-00000000-0000-0000-0000-000000000000';

describe('parseNvlinkStatus on real outputs', () => {
  it('H100 SXM: one GPU, 18 links at 26.562 GB/s (tab indented)', () => {
    const s = parseNvlinkStatus(fixture(H100));
    expect(s.unknown).toEqual([]);
    expect(s.gpus).toHaveLength(1);
    expect(s.gpus[0]).toMatchObject({ index: 0, uuid: UUID });
    expect(s.gpus[0]!.links.map((l) => l.link)).toEqual([...Array(18).keys()]);
    expect(new Set(s.gpus[0]!.links.map((l) => l.gbps))).toEqual(new Set([26.562]));
  });

  it('8×A100 SXM4: 8 GPUs with their UUIDs, 12 links each at 25 GB/s (space indented)', () => {
    const s = parseNvlinkStatus(fixture(A100));
    expect(s.unknown).toEqual([]);
    expect(s.gpus.map((g) => g.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(s.gpus[0]!.uuid).toBe('GPU-5269b708-678a-b1a8-60f0-c90406537486');
    for (const g of s.gpus) {
      expect(upLinks(g)).toHaveLength(12);
      expect(g.links.every((l) => l.gbps === 25)).toBe(true);
    }
  });

  it('RTX 2080 SUPER without a bridge and RTX 4080 SUPER without NVLink: no links, the words kept', () => {
    const a = parseNvlinkStatus(fixture(RTX2080));
    expect(a.gpus[0]).toMatchObject({
      index: 0,
      links: [],
      none: 'NVML: Unable to retrieve Nvlink information as all links are inActive',
    });
    const b = parseNvlinkStatus(fixture(RTX4080));
    expect(b.gpus[0]).toMatchObject({ links: [], none: 'Device does not have or support Nvlink' });
    expect([a.unknown, b.unknown]).toEqual([[], []]);
  });
});

describe('nvlinkSignals', () => {
  const T = 1_700_000_000_000;

  it('healthy H100 read twice, and GPUs without NVLink: no signal', () => {
    const g = parseNvlinkStatus(fixture(H100)).gpus[0]!;
    expect(nvlinkSignals(g, undefined, T, UUID)).toEqual([]);
    expect(nvlinkSignals(g, g, T, UUID)).toEqual([]);
    const none = parseNvlinkStatus(fixture(RTX2080)).gpus[0]!;
    expect(nvlinkSignals(none, none, T, UUID)).toEqual([]);
  });

  it('H100 then its edited output: link 17 gone (17 of 18 up), link 3 at 13.281 of 26.562 GB/s', () => {
    const before = parseNvlinkStatus(fixture(H100)).gpus[0]!;
    const after = parseNvlinkStatus(fixture(H100_EDITED)).gpus[0]!;
    const signals = nvlinkSignals(after, before, T, UUID);
    expect(signals).toEqual([
      {
        kind: 'nvlink',
        code: 'down',
        ts: T,
        device: UUID,
        value: 17,
        limit: 18,
        detail: { links: '17' },
        evidence: [
          {
            ts: T,
            source: 'nvidia-smi nvlink -s',
            text: `GPU 0: NVIDIA H100 80GB HBM3 (UUID: ${UUID}) Link 17: (not listed)`,
          },
        ],
      },
      {
        kind: 'nvlink',
        code: 'speed',
        ts: T,
        device: UUID,
        value: 13.281,
        limit: 26.562,
        detail: { link: 3 },
        evidence: [
          {
            ts: T,
            source: 'nvidia-smi nvlink -s',
            text: `GPU 0: NVIDIA H100 80GB HBM3 (UUID: ${UUID}) Link 3: 13.281 GB/s`,
          },
        ],
      },
    ]);
    // The slow link is told once; the next identical read says nothing.
    expect(nvlinkSignals(after, after, T + 30_000, UUID)).toEqual([]);
  });
});
